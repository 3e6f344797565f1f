// Which schedulers a realtime run is driving right now, and how to map a wall-clock reading
// to their virtual time. Browser-safe (no Node API): Network.drive asks it whether to hand
// its promise to a realtime run instead of driving virtual time itself.

import type { Scheduler } from '@netlayers/core';

/** What bridges need while a realtime run is going on. */
export interface RealtimeClock {
  /** The virtual time (ns) that corresponds to a CLOCK_MONOTONIC reading (process.hrtime.bigint()). */
  toVirtual(monotonicNs: bigint): number;
  /** Wake the driver now (a frame arrived): it runs the scheduler up to the present. */
  wake(): void;
}

const running = new WeakMap<Scheduler, RealtimeClock>();

/** The realtime clock driving `scheduler`, or undefined when it runs in virtual time. */
export function realtimeClockOf(scheduler: Scheduler): RealtimeClock | undefined {
  return running.get(scheduler);
}

/** @internal runRealtime registers (and, with undefined, removes) its clock. */
export function setRealtimeClock(scheduler: Scheduler, clock: RealtimeClock | undefined): void {
  if (clock === undefined) running.delete(scheduler);
  else running.set(scheduler, clock);
}
