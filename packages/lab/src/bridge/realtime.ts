// Running a simulation against the wall clock, for bridges to real networks only (DESIGN.md:
// "a real-time clock with the same interface exists only for bridges"). Virtual time is
// pinned to elapsed real time; frames from outside are injected at the current instant.
// Layers are unchanged: they still read the scheduler. Determinism is given up here, by
// necessity: a real peer's timing is not ours to choose.

import type { Scheduler } from '@netlayers/core';

export interface RealtimeOptions {
  /** Stop when this settles (its value is returned; a rejection is thrown). */
  until: Promise<unknown>;
  /** Give up after this many real milliseconds (default 20,000). */
  timeoutMs?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Run `scheduler` in step with real time until `until` settles. */
export async function runRealtime<T>(scheduler: Scheduler, options: { until: Promise<T>; timeoutMs?: number }): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  let outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
  options.until.then(
    (value) => (outcome = { ok: true, value }),
    (error: unknown) => (outcome = { ok: false, error }),
  );
  const startWall = process.hrtime.bigint();
  const startVirtual = scheduler.now();
  for (;;) {
    const elapsed = Number(process.hrtime.bigint() - startWall);
    scheduler.runUntil(Math.max(scheduler.now(), startVirtual + elapsed));
    await new Promise((resolve) => setImmediate(resolve));
    if (outcome !== undefined) break;
    if (elapsed / 1e6 > timeoutMs) throw new Error(`runRealtime: nothing settled within ${timeoutMs} ms of real time`);
    const next = scheduler.nextEventTime();
    const untilNext = next === undefined ? 2 : (next - (startVirtual + elapsed)) / 1e6;
    await sleep(Math.min(2, Math.max(0, untilNext)));
  }
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}
