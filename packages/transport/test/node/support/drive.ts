// Run the simulation under Node's event loop until `promise` settles (core's
// driveWithEventLoop), failing clearly if the simulation goes idle first.

import { driveWithEventLoop, type Scheduler } from '@netlayers/core';

export async function runUntilSettled<T>(scheduler: Scheduler, promise: Promise<T>, eventsPerYield = 1): Promise<T> {
  let settled = false;
  const watched = promise.finally(() => {
    settled = true;
  });
  watched.catch(() => undefined);
  await driveWithEventLoop(scheduler, { until: watched, eventsPerYield });
  if (!settled) throw new Error(`simulation went idle at ${scheduler.now()} ns before the awaited result`);
  return promise;
}

/** Resolve with the first emission of `event` on `emitter` (its arguments as an array). */
export function once<T extends unknown[] = unknown[]>(emitter: { once(event: string, fn: (...args: never[]) => void): unknown }, event: string): Promise<T> {
  return new Promise((resolve) => emitter.once(event, ((...args: T) => resolve(args)) as never));
}
