// Scheduler throughput: events per second in the "hold" model (a steady population of
// pending events; each event run schedules one more at a random future time), in the
// zero-delay chain that layer hand-offs produce, and for re-armed timers (cancel + schedule).
// Each is a tinybench micro-benchmark over batches of a few milliseconds on one scheduler.

import { Scheduler, Random } from '@netlayers/core';
import { micro, type BenchResult, type BenchSuite } from './harness.ts';

/** A scheduler holding `pending` events, each re-scheduling itself 1..65,536 ns later when run. */
export function holdModel(pending: number, seed = 1): { scheduler: Scheduler; run(events: number): number } {
  const s = new Scheduler();
  const r = new Random(seed);
  const tick = (): void => void s.schedule(1 + (r.nextUint32() & 0xffff), tick);
  for (let i = 0; i < pending; i++) s.schedule(r.nextUint32() & 0xffff, tick);
  return { scheduler: s, run: (events) => s.runUntilIdle(events) };
}

export async function schedulerBenchmarks(): Promise<BenchResult[]> {
  const hold = holdModel(1000);
  const holdResult = await micro('scheduler: hold model, 1,000 pending', 'events/s', () => hold.run(200_000), { target: 10e6 });
  const big = holdModel(100_000);
  const bigResult = await micro('scheduler: hold model, 100,000 pending', 'events/s', () => big.run(200_000));

  const chainScheduler = new Scheduler();
  let remaining = 0;
  const link = (): void => {
    if (--remaining > 0) chainScheduler.schedule(0, link);
  };
  const chain = await micro('scheduler: zero-delay chain', 'events/s', () => {
    remaining = 300_000;
    chainScheduler.schedule(0, link);
    return chainScheduler.runUntilIdle();
  });

  const timerScheduler = new Scheduler();
  const noop = (): void => {};
  let handle = timerScheduler.schedule(1_000_000, noop);
  const timers = await micro('scheduler: schedule + cancel (re-armed timers)', 'ops/s', () => {
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      handle.cancel();
      handle = timerScheduler.schedule(1_000_000 + (i & 1023), noop);
    }
    return n;
  });
  return [holdResult, bigResult, chain, timers];
}

export const suite: BenchSuite = {
  name: 'scheduler',
  description: 'events/s: hold model (1,000 and 100,000 pending), zero-delay chain, schedule + cancel',
  run: schedulerBenchmarks,
};
