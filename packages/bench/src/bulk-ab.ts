// Interleaved A/B of the bulk-transfer benchmark (bulk.ts): this checkout against another
// (an older commit checked out elsewhere, with its dependencies installed). Each round runs
// one fresh process per side, alternating which goes first, and prints the ratio of the two
// within the round, so load that drifts over minutes hits both sides alike.
//
//   npx tsx packages/bench/src/bulk-ab.ts <other-checkout> [rounds=6] [MB=50] [--p2p]
//
// Each side runs with its own checkout as working directory, so tsx maps @netlayers/* through
// that checkout's tsconfig; bulk.ts records every resolved module and refuses to run if a
// layer came from another tree, and each round prints which packages were verified.
//
// Ratios above 1 mean this checkout is faster. CPU time (user + system of the process while
// the simulation runs) is less sensitive to a busy machine than wall time; both are shown.

import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const other = args[0];
if (other === undefined || other.startsWith('--')) {
  console.error('usage: bulk-ab.ts <other-checkout> [rounds=6] [MB=50] [--p2p]');
  process.exit(2);
}
const positional = args.slice(1).filter((a) => !a.startsWith('--'));
const rounds = Number(positional[0] ?? 6);
const megabytes = Number(positional[1] ?? 50);
const extra = args.includes('--p2p') ? ['--p2p'] : [];
const here = path.dirname(fileURLToPath(import.meta.url));
const bulk = path.join(here, 'bulk.ts');
const repo = path.resolve(here, '../../..');
// This checkout's tsx, by URL: the other checkout's working directory may not have one.
const tsx = import.meta.resolve('tsx');

interface Run {
  mbps: number;
  wallUsPerSegment: number;
  cpuUsPerSegment: number;
}

function side(lab: string | null): Run {
  const labArgs = lab === null ? [] : ['--lab', lab];
  const out = execFileSync(process.execPath, ['--import', tsx, bulk, String(megabytes), '1', '--json', ...extra, ...labArgs], {
    cwd: lab ?? repo,
    encoding: 'utf8',
  });
  const parsed = JSON.parse(out.trim().split('\n').pop()!) as { root: string; packages: string[]; runs: Run[] };
  if (lab !== null && parsed.root !== realpathSync(lab)) throw new Error(`B ran against ${parsed.root}, not ${lab}`);
  verified.add(`${lab === null ? 'A' : 'B'} (${parsed.root}): ${parsed.packages.join(', ')}`);
  return parsed.runs[0]!;
}
const verified = new Set<string>();

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const ours: Run[] = [];
const theirs: Run[] = [];
const cpuRatios: number[] = [];
const wallRatios: number[] = [];
console.log(`${megabytes} MB ${extra.length ? 'point-to-point' : 'through a switch'}, ${rounds} rounds: this checkout (A) vs ${other} (B)`);
for (let i = 0; i < rounds; i++) {
  let a: Run;
  let b: Run;
  if (i % 2 === 0) {
    a = side(null);
    b = side(path.resolve(other));
  } else {
    b = side(path.resolve(other));
    a = side(null);
  }
  ours.push(a);
  theirs.push(b);
  cpuRatios.push(b.cpuUsPerSegment / a.cpuUsPerSegment);
  wallRatios.push(b.wallUsPerSegment / a.wallUsPerSegment);
  console.log(
    `round ${i + 1}: A ${a.mbps.toFixed(1)} MB/s ${a.cpuUsPerSegment.toFixed(2)} µs CPU/seg | B ${b.mbps.toFixed(1)} MB/s ${b.cpuUsPerSegment.toFixed(2)} µs CPU/seg | CPU ratio ${cpuRatios[i]!.toFixed(2)} wall ratio ${wallRatios[i]!.toFixed(2)}`,
  );
}
for (const line of verified) console.log(`layers loaded: ${line}`);
const spread = (xs: number[]): string => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`;
console.log(`A: median ${median(ours.map((r) => r.mbps)).toFixed(1)} MB/s, ${median(ours.map((r) => r.cpuUsPerSegment)).toFixed(2)} µs CPU/segment`);
console.log(`B: median ${median(theirs.map((r) => r.mbps)).toFixed(1)} MB/s, ${median(theirs.map((r) => r.cpuUsPerSegment)).toFixed(2)} µs CPU/segment`);
console.log(`CPU ratio B/A: median ${median(cpuRatios).toFixed(2)} (spread ${spread(cpuRatios)}); wall ratio: median ${median(wallRatios).toFixed(2)} (spread ${spread(wallRatios)})`);
