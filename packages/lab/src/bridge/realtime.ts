// Running a simulation against the wall clock, for bridges to real networks only (DESIGN.md:
// "a real-time clock with the same interface exists only for bridges"). Virtual time is
// pinned to elapsed real time (CLOCK_MONOTONIC, which Node's process.hrtime and the TAP
// relay both read). Frames from outside are stamped with the virtual time of their
// wall-clock arrival, not with whatever the clock last showed, and wake the loop at once.
// Layers are unchanged: they still read the scheduler. Determinism is given up here, by
// necessity: a real peer's timing is not ours to choose.

import { InvalidStateError, type Scheduler } from '@netlayers/core';
import { realtimeClockOf, setRealtimeClock } from './realtime-clock.ts';

export interface RealtimeOptions<T = unknown> {
  /** Stop when this settles (its value is returned; a rejection is thrown). */
  until: Promise<T>;
  /** Give up after this many real milliseconds (default 20,000). */
  timeoutMs?: number;
}

/**
 * Where virtual time last met the wall clock outside a realtime run: set when a frame
 * leaves for the real network while nothing drives the scheduler (for example the echo
 * request `host.ping()` sends before `runRealtime` is called). If virtual time has not moved
 * since, the next run starts from this instant, so that frame's round trip is measured in
 * real time, not from whenever the run happened to begin.
 */
const departures = new WeakMap<Scheduler, { readonly wall: bigint; readonly virtual: number }>();

/** A bridge sent a frame to the real network now. */
export function noteDeparture(scheduler: Scheduler): void {
  if (realtimeClockOf(scheduler) !== undefined) return;
  const last = departures.get(scheduler);
  if (last === undefined || last.virtual !== scheduler.now()) departures.set(scheduler, { wall: process.hrtime.bigint(), virtual: scheduler.now() });
}

function pausedAnchor(scheduler: Scheduler): { readonly wall: bigint; readonly virtual: number } | undefined {
  const last = departures.get(scheduler);
  return last !== undefined && last.virtual === scheduler.now() ? last : undefined;
}

/**
 * Schedule `callback` for a frame that reached us from outside at `monotonicNs` (plus `delay`
 * ns). Under runRealtime it runs at that instant's virtual time (or now, if the simulation
 * is already past it) and the driver wakes; otherwise it runs at the current virtual time.
 */
export function scheduleArrival(scheduler: Scheduler, monotonicNs: bigint, delay: number, callback: () => void): void {
  const clock = realtimeClockOf(scheduler);
  const paused = clock === undefined ? pausedAnchor(scheduler) : undefined;
  const at = clock !== undefined ? clock.toVirtual(monotonicNs) : paused !== undefined ? paused.virtual + Number(monotonicNs - paused.wall) : scheduler.now();
  scheduler.scheduleAt(Math.max(scheduler.now(), at + delay), callback);
  clock?.wake();
}

const SPIN_BELOW_MS = 1.5;
const IDLE_WAIT_MS = 50;

/**
 * Run the scheduler in step with real time until `until` settles. Accepts a Scheduler or
 * anything that has one (a Network). While it runs, the lab's ordinary API (Host.ping,
 * sockets, HTTP) works as usual: Network.drive hands its promise to this loop.
 */
export async function runRealtime<T>(target: Scheduler | { readonly scheduler: Scheduler }, options: RealtimeOptions<T>): Promise<T> {
  const scheduler = 'scheduler' in target ? target.scheduler : target;
  if (realtimeClockOf(scheduler) !== undefined) throw new InvalidStateError('ERR_REALTIME_RUNNING', 'runRealtime is already driving this scheduler; await the first run');
  const timeoutMs = options.timeoutMs ?? 20_000;
  let outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
  let wakeSleeper: (() => void) | null = null;
  const wake = (): void => {
    const w = wakeSleeper;
    wakeSleeper = null;
    w?.();
  };
  options.until.then(
    (value) => {
      outcome = { ok: true, value };
      wake();
    },
    (error: unknown) => {
      outcome = { ok: false, error };
      wake();
    },
  );
  const startWall = pausedAnchor(scheduler)?.wall ?? process.hrtime.bigint();
  const startVirtual = scheduler.now();
  departures.delete(scheduler);
  setRealtimeClock(scheduler, { toVirtual: (t) => startVirtual + Number(t - startWall), wake });
  try {
    for (;;) {
      // Read input first: frames that reached the relay or the UDP socket while we slept or
      // ran are stamped with their arrival time before any timer that fell due since runs.
      // (A Node timer wakes us in the timers phase, before the poll phase reads pending I/O;
      // running the scheduler there would fire a retransmission timeout for data whose ACK
      // is already waiting in the socket.) setImmediate resolves after the poll phase.
      await new Promise((resolve) => setImmediate(resolve));
      if (outcome !== undefined) break;
      const elapsed = Number(process.hrtime.bigint() - startWall);
      if (elapsed / 1e6 > timeoutMs) throw new Error(`runRealtime: nothing settled within ${timeoutMs} ms of real time`);
      scheduler.runUntil(Math.max(scheduler.now(), startVirtual + elapsed));
      // Let I/O callbacks and promise reactions the run caused settle.
      await new Promise((resolve) => setImmediate(resolve));
      if (outcome !== undefined) break;
      const next = scheduler.nextEventTime();
      const present = startVirtual + Number(process.hrtime.bigint() - startWall);
      const waitMs = next === undefined ? IDLE_WAIT_MS : (next - present) / 1e6;
      // Node's timers have millisecond granularity: the last stretch before an event is
      // spun through setImmediate so events run within microseconds of their time.
      if (waitMs < SPIN_BELOW_MS) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          wakeSleeper = null;
          resolve();
        }, Math.min(IDLE_WAIT_MS, waitMs - 1));
        wakeSleeper = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  } finally {
    setRealtimeClock(scheduler, undefined);
  }
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}
