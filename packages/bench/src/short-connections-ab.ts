// Interleaved A/B of the short-connection benchmark (short-connections.ts; RFC 9293 §3.5
// open, §3.6 close): this checkout (A) against another checkout (B, e.g. the code before a
// change, with its dependencies installed). Each side runs as its own child process,
// `node --import tsx packages/bench/src/short-connections.ts ...` with the side's checkout as
// the working directory, so tsx resolves every workspace package through that checkout's own
// tsconfig `paths` (unlike `--root`, which swaps only the lab package). Before timing, each
// side is asked where `@netlayers/transport` resolves, and the run stops unless it is inside
// that side's checkout. Pairs alternate which side goes first; each pair's ratio (A's
// connections per CPU second / B's, so above 1 means this checkout is faster) is taken within
// the pair, and the median of those ratios is the figure.
//
//   npx tsx packages/bench/src/short-connections-ab.ts <other-checkout> [pairs=6] [count=20000] [concurrency=200] [seed=1]
//
// Anything a child writes to stderr is shown prefixed with its side (a deliberate marker
// written by one checkout's transport shows up on that side only).

import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const otherArg = args[0];
if (otherArg === undefined || otherArg.startsWith('--')) {
  console.error('usage: short-connections-ab.ts <other-checkout> [pairs=6] [count=20000] [concurrency=200] [seed=1]');
  process.exit(2);
}
const pairs = Number(args[1] ?? 6);
const count = Number(args[2] ?? 20_000);
const concurrency = Number(args[3] ?? 200);
const seed = Number(args[4] ?? 1);
for (const [name, value] of [['pairs', pairs], ['count', count], ['concurrency', concurrency], ['seed', seed]] as const) {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${value}`);
}

const here = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const other = path.resolve(otherArg);
const script = 'packages/bench/src/short-connections.ts';

interface Figure {
  connPerCpuSecond: number;
  connPerWallSecond: number;
}

/** Where `@netlayers/transport` resolves when run from `root` (must be inside `root`). */
function checkResolution(root: string, label: string): void {
  const url = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', "console.log(import.meta.resolve('@netlayers/transport'))"], {
    cwd: root,
    encoding: 'utf8',
  }).trim();
  const inside = url.startsWith(pathToFileURL(root).href + '/');
  console.log(`${label}: @netlayers/transport -> ${url}${inside ? '' : '  (NOT this side\'s checkout)'}`);
  if (!inside) throw new Error(`${label} resolves the transport outside ${root}; the comparison would be meaningless`);
}

function run(root: string, label: string): Figure {
  const child = spawnSync(process.execPath, ['--import', 'tsx', script, String(count), String(concurrency), String(seed)], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  for (const line of child.stderr.split('\n')) if (line.trim() !== '') console.log(`  [${label} stderr] ${line}`);
  if (child.status !== 0) throw new Error(`${label} exited with ${child.status}`);
  const last = child.stdout.trim().split('\n').pop() ?? '';
  const parsed = JSON.parse(last) as Partial<Figure>;
  if (typeof parsed.connPerCpuSecond !== 'number' || typeof parsed.connPerWallSecond !== 'number') throw new Error(`${label} printed no figure: ${last}`);
  return { connPerCpuSecond: parsed.connPerCpuSecond, connPerWallSecond: parsed.connPerWallSecond };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const spread = (xs: number[]): string => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`;

checkResolution(here, 'A');
checkResolution(other, 'B');
console.log(`${count} connections, ${concurrency} at once, seed ${seed}, ${pairs} pairs: A = ${here}, B = ${other}`);
const a: Figure[] = [];
const b: Figure[] = [];
const cpuRatios: number[] = [];
const wallRatios: number[] = [];
for (let i = 0; i < pairs; i++) {
  let fa: Figure;
  let fb: Figure;
  if (i % 2 === 0) {
    fa = run(here, 'A');
    fb = run(other, 'B');
  } else {
    fb = run(other, 'B');
    fa = run(here, 'A');
  }
  a.push(fa);
  b.push(fb);
  cpuRatios.push(fa.connPerCpuSecond / fb.connPerCpuSecond);
  wallRatios.push(fa.connPerWallSecond / fb.connPerWallSecond);
  console.log(
    `pair ${i + 1} (${i % 2 === 0 ? 'A first' : 'B first'}): A ${fa.connPerCpuSecond}/CPU s ${fa.connPerWallSecond}/wall s | B ${fb.connPerCpuSecond}/CPU s ${fb.connPerWallSecond}/wall s | ratio A/B CPU ${cpuRatios[i]!.toFixed(3)} wall ${wallRatios[i]!.toFixed(3)}`,
  );
}
console.log(`A: median ${median(a.map((f) => f.connPerCpuSecond))} connections per CPU second, ${median(a.map((f) => f.connPerWallSecond))} per wall second`);
console.log(`B: median ${median(b.map((f) => f.connPerCpuSecond))} connections per CPU second, ${median(b.map((f) => f.connPerWallSecond))} per wall second`);
console.log(`ratio A/B (per pair): CPU median ${median(cpuRatios).toFixed(3)} (spread ${spread(cpuRatios)}); wall median ${median(wallRatios).toFixed(3)} (spread ${spread(wallRatios)})`);
