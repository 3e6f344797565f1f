// Soak: many seeded 1 MB transfers under 10% loss, 2% duplication, 5% reordering and 1%
// corruption (soak/transfer.ts), across Reno, NewReno and CUBIC and both stack profiles,
// each checked for byte-exact delivery (sha256) and for finishing within a bound of
// simulated time (no stall). Runs on demand, not in the test suite (which runs a few
// hundred seeds of the same transfer).
//
//   npx tsx packages/bench/src/soak.ts --seeds 10000 [--start 1] [--jobs 2]
//        [--cc reno,newreno,cubic] [--profile rfc,linux] [--limit 600] [--size 1048576]
//
// Seeds are spread round-robin over every (congestion control, profile) pair, so 10,000
// seeds are 10,000 transfers in all. Exit status 1 if any transfer was not exact.

import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runSoakTransfer, type SoakCase, type SoakResult } from './soak/transfer.ts';

type Cc = SoakCase['congestionControl'];
type Profile = SoakCase['profile'];

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1]! : fallback;
}

const seeds = Number(arg('seeds', '300'));
const start = Number(arg('start', '1'));
const jobs = Number(arg('jobs', '1'));
const ccs = arg('cc', 'reno,newreno,cubic').split(',') as Cc[];
const profiles = arg('profile', 'rfc,linux').split(',') as Profile[];
const limitSeconds = Number(arg('limit', '600'));
const size = Number(arg('size', String(1 << 20)));
const shard = arg('shard', '');

function casesOf(index: number, count: number): SoakCase[] {
  const pairs: [Cc, Profile][] = [];
  for (const profile of profiles) for (const cc of ccs) pairs.push([cc, profile]);
  const out: SoakCase[] = [];
  for (let i = 0; i < seeds; i++) {
    if (i % count !== index) continue;
    const [congestionControl, profile] = pairs[i % pairs.length]!;
    out.push({ seed: start + i, congestionControl, profile, limitSeconds, size });
  }
  return out;
}

interface Summary {
  runs: number;
  failures: SoakResult[];
  seconds: number[];
  timeouts: number;
  retransmissions: number;
  byPair: Record<string, { runs: number; seconds: number[] }>;
}

function runShard(cases: SoakCase[], report: (r: SoakResult) => void): void {
  for (const c of cases) report(runSoakTransfer(c));
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

if (shard !== '') {
  const [index, count] = shard.split('/').map(Number) as [number, number];
  runShard(casesOf(index, count), (r) => process.send!(r));
  process.exit(0);
} else {
  const summary: Summary = { runs: 0, failures: [], seconds: [], timeouts: 0, retransmissions: 0, byPair: {} };
  const began = process.hrtime.bigint();
  const add = (r: SoakResult): void => {
    summary.runs++;
    summary.seconds.push(r.seconds);
    summary.timeouts += r.timeouts;
    summary.retransmissions += r.retransmissions;
    const key = `${r.congestionControl}/${r.profile}`;
    const pair = (summary.byPair[key] ??= { runs: 0, seconds: [] });
    pair.runs++;
    pair.seconds.push(r.seconds);
    if (!r.exact) {
      summary.failures.push(r);
      console.log(`FAIL seed ${r.seed} ${key}: ${r.stalled ? 'stalled' : 'not exact'}, ${r.delivered} bytes in ${r.seconds.toFixed(1)} s ${r.errors.join('; ')}`);
    }
    if (summary.runs % 100 === 0) console.log(`${summary.runs}/${seeds} done, ${summary.failures.length} failed, ${(Number(process.hrtime.bigint() - began) / 1e9).toFixed(0)} s wall`);
  };
  const finish = (): void => {
    const wall = Number(process.hrtime.bigint() - began) / 1e9;
    console.log(`\n${summary.runs} transfers of ${size} bytes (seeds ${start}..${start + seeds - 1}), ${summary.failures.length} failed, ${wall.toFixed(0)} s wall`);
    console.log('| cc/profile | runs | median s | p99 s | max s |');
    console.log('|---|---|---|---|---|');
    for (const [key, p] of Object.entries(summary.byPair)) {
      console.log(`| ${key} | ${p.runs} | ${percentile(p.seconds, 50).toFixed(2)} | ${percentile(p.seconds, 99).toFixed(2)} | ${Math.max(...p.seconds).toFixed(2)} |`);
    }
    process.exit(summary.failures.length === 0 ? 0 : 1);
  };
  if (jobs <= 1) {
    runShard(casesOf(0, 1), add);
    finish();
  } else {
    const script = fileURLToPath(import.meta.url);
    let live = jobs;
    for (let j = 0; j < jobs; j++) {
      const child = fork(script, [...process.argv.slice(2), '--shard', `${j}/${jobs}`], { execArgv: process.execArgv });
      child.on('message', (r) => add(r as SoakResult));
      child.on('exit', () => {
        if (--live === 0) finish();
      });
    }
  }
}
