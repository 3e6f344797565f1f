// Driving virtual time while Node's own event loop runs. Real Node code (streams, http)
// reacts through process.nextTick, promises and setImmediate; between simulation events
// we yield to Node's loop so that code runs "at" the virtual instant of the event that
// woke it. Only bridges and the async helpers use this; layers never do. In a browser the
// same loop yields through a MessageChannel.

import type { Scheduler, Nanoseconds } from './scheduler.ts';

export interface DriveOptions {
  /** Stop once this promise settles (its value is returned; a rejection is thrown). */
  until?: Promise<unknown>;
  /** Stop when virtual time would pass this instant. */
  deadline?: Nanoseconds;
  /** Events to run per yield to Node's event loop (default 1: strictest interleaving). */
  eventsPerYield?: number;
  /** Consecutive idle yields (no events, promise unsettled) before giving up (default 50). */
  maxIdleYields?: number;
}

/**
 * Yield one macrotask. Node: setImmediate (after promise jobs and nextTick callbacks). A
 * browser or Web Worker has no setImmediate; a MessageChannel message is the same kind of
 * macrotask there, without the minimum delay a timer would add.
 */
const yieldToEventLoop: () => Promise<void> =
  typeof setImmediate === 'function'
    ? () => new Promise((resolve) => setImmediate(resolve))
    : (() => {
        const channel = new MessageChannel();
        const waiting: (() => void)[] = [];
        // Assigning onmessage also starts the port (the DOM's MessagePort; Node's types lack it).
        (channel.port1 as unknown as { onmessage: () => void }).onmessage = () => waiting.shift()?.();
        return () =>
          new Promise<void>((resolve) => {
            waiting.push(resolve);
            channel.port2.postMessage(0);
          });
      })();

/**
 * Run the scheduler, yielding to Node's event loop between events, until `until` settles,
 * the deadline is reached, or nothing is left to do. Deterministic: no wall-clock time is
 * read; only the order of Node callbacks relative to simulation events matters, and that
 * order is fixed by the yields.
 */
export async function driveWithEventLoop<T = unknown>(scheduler: Scheduler, options: DriveOptions = {}): Promise<T | undefined> {
  const perYield = options.eventsPerYield ?? 1;
  const maxIdle = options.maxIdleYields ?? 50;
  let settled = false;
  let value: unknown;
  let failure: { error: unknown } | undefined;
  options.until?.then(
    (v) => {
      settled = true;
      value = v;
    },
    (error: unknown) => {
      settled = true;
      failure = { error };
    },
  );
  let idle = 0;
  await yieldToEventLoop();
  while (!settled) {
    const next = scheduler.nextEventTime();
    if (next === undefined || (options.deadline !== undefined && next > options.deadline)) {
      if (options.until === undefined || ++idle > maxIdle) break;
      await yieldToEventLoop();
      continue;
    }
    idle = 0;
    for (let i = 0; i < perYield && scheduler.step(); i++) {
      const after = scheduler.nextEventTime();
      if (after === undefined || (options.deadline !== undefined && after > options.deadline)) break;
    }
    await yieldToEventLoop();
  }
  if (options.deadline !== undefined && !settled && scheduler.now() < options.deadline) {
    scheduler.runUntil(options.deadline);
  }
  if (failure !== undefined) throw failure.error;
  return value as T | undefined;
}
