// Scheduler throughput: events per second in the "hold" model (a steady population of
// pending events, each event scheduling one more at a random future time), and in the
// zero-delay chain that layer hand-offs produce.

import { Scheduler, Random } from '@netlayers/core';
import { measure, type BenchResult } from './harness.ts';

export function schedulerBenchmarks(): BenchResult[] {
  const hold = measure('scheduler: hold model, 1,000 pending', 'events/s', () => {
    const s = new Scheduler();
    const r = new Random(1);
    const total = 2_000_000;
    let remaining = total;
    const tick = (): void => {
      if (--remaining > 0) s.schedule(1 + (r.nextUint32() & 0xffff), tick);
    };
    for (let i = 0; i < 1000; i++) s.schedule(r.nextUint32() & 0xffff, tick);
    return s.runUntilIdle();
  }, { target: 5e6 });
  const chain = measure('scheduler: zero-delay chain', 'events/s', () => {
    const s = new Scheduler();
    let remaining = 3_000_000;
    const tick = (): void => {
      if (--remaining > 0) s.schedule(0, tick);
    };
    s.schedule(0, tick);
    return s.runUntilIdle();
  });
  const timers = measure('scheduler: schedule + cancel (re-armed timers)', 'ops/s', () => {
    const s = new Scheduler();
    const n = 2_000_000;
    let h = s.schedule(1_000_000, () => {});
    for (let i = 0; i < n; i++) {
      h.cancel();
      h = s.schedule(1_000_000 + i, () => {});
    }
    s.runUntilIdle();
    return n;
  });
  return [hold, chain, timers];
}
