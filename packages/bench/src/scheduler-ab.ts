// Scheduler A/B: the hold model (1,000 pending events, each re-scheduling itself 1..65,536 ns
// later), or re-armed timers (--model cancel: cancel one of `pending` timers and schedule it
// again), on this checkout's @netlayers/core and on another checkout's (e.g. the commit before
// a change), in alternating child processes so that load drifts hit both alike. Each child
// runs a tinybench micro-benchmark on its checkout's Scheduler and prints its median; the
// parent prints both medians per round and the ratio.
//
//   npx tsx packages/bench/src/scheduler-ab.ts --other /path/to/other/checkout [--rounds 5] [--pending 1000] [--model hold|cancel]

import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { micro, formatRate } from './harness.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const thisRoot = path.resolve(here, '../../..');

interface SchedulerLike {
  schedule(delay: number, callback: () => void): unknown;
  runUntilIdle(maxEvents?: number): number;
}
interface CoreLike {
  Scheduler: new () => SchedulerLike;
  Random: new (seed: number) => { nextUint32(): number };
}

async function child(root: string, pending: number, model: string): Promise<void> {
  const core = (await import(pathToFileURL(path.join(root, 'packages/core/src/index.ts')).href)) as CoreLike;
  const s = new core.Scheduler();
  const r = new core.Random(1);
  let batch: () => number;
  if (model === 'cancel') {
    // Re-armed timers: `pending` timers far ahead, one of them cancelled and re-armed per op.
    const noop = (): void => {};
    const handles = Array.from({ length: pending }, (_, i) => s.schedule(1_000_000 + i, noop) as { cancel(): void });
    batch = () => {
      for (let i = 0; i < 200_000; i++) {
        const k = i % pending;
        handles[k]!.cancel();
        handles[k] = s.schedule(1_000_000 + (i & 1023), noop) as { cancel(): void };
      }
      return 200_000;
    };
  } else {
    const tick = (): void => void s.schedule(1 + (r.nextUint32() & 0xffff), tick);
    for (let i = 0; i < pending; i++) s.schedule(r.nextUint32() & 0xffff, tick);
    batch = () => s.runUntilIdle(200_000);
  }
  const result = await micro(model, 'ops/s', batch);
  console.log(JSON.stringify({ median: result.median, p10: result.p10, p90: result.p90 }));
}

function arg(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const pending = Number(arg(args, '--pending') ?? 1000);
  const model = arg(args, '--model') ?? 'hold';
  if (model !== 'hold' && model !== 'cancel') throw new Error(`--model is hold or cancel, not ${model}`);
  const childRoot = arg(args, '--child');
  if (childRoot !== undefined) return child(childRoot, pending, model);
  const other = arg(args, '--other');
  if (other === undefined) throw new Error('usage: scheduler-ab.ts --other /path/to/checkout [--rounds 5] [--pending 1000] [--model hold|cancel]');
  const rounds = Number(arg(args, '--rounds') ?? 5);
  const run = (root: string): number => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', root, '--pending', String(pending), '--model', model], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`child for ${root} failed:\n${r.stderr}`);
    return (JSON.parse(r.stdout.trim().split('\n').pop()!) as { median: number }).median;
  };
  const ratios: number[] = [];
  const mine: number[] = [];
  const theirs: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const [a, b] = i % 2 === 0 ? [run(thisRoot), run(path.resolve(other))] : (([y, x]) => [x, y])([run(path.resolve(other)), run(thisRoot)]);
    mine.push(a!);
    theirs.push(b!);
    ratios.push(a! / b!);
    console.log(`round ${i + 1}: this ${formatRate(a!)}ops/s, other ${formatRate(b!)}ops/s, ×${(a! / b!).toFixed(2)} (load ${os.loadavg()[0]!.toFixed(1)})`);
  }
  const med = (xs: number[]): number => {
    const s = [...xs].sort((p, q) => p - q);
    const m = s.length >> 1;
    return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
  };
  console.log(`${model}, median: this ${formatRate(med(mine))}ops/s (${formatRate(Math.min(...mine))}–${formatRate(Math.max(...mine))}), other ${formatRate(med(theirs))}ops/s (${formatRate(Math.min(...theirs))}–${formatRate(Math.max(...theirs))}), ratio ×${med(ratios).toFixed(2)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}); load ${os.loadavg().map((l) => l.toFixed(2)).join(', ')}`);
}

await main();
