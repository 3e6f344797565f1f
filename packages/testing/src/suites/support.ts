// Helpers the conformance suites share: a simulation with named nodes, running virtual
// time until a condition holds, collecting trace events, and seeded test data.

import { createNodeContext, createSimulationContext, Random, parseDuration, type NodeContext, type SimulationContext, type TraceEvent } from '@netlayers/core';

export interface TestWorld {
  readonly sim: SimulationContext;
  readonly events: TraceEvent[];
  node(name: string): NodeContext;
}

/** A simulation whose trace bus is recorded (so layers build their events and tests can see drops). */
export function createWorld(seed: number | string = 1): TestWorld {
  const sim = createSimulationContext(seed);
  const events: TraceEvent[] = [];
  sim.trace.on('event', (e) => events.push(e));
  const nodes = new Map<string, NodeContext>();
  return {
    sim,
    events,
    node(name: string): NodeContext {
      let n = nodes.get(name);
      if (n === undefined) {
        n = createNodeContext(sim, name);
        nodes.set(name, n);
      }
      return n;
    },
  };
}

/**
 * Run events one at a time until `done()` holds, nothing is left to run, or virtual time
 * would pass `limit` from now. Returns whether `done()` held.
 */
export function runUntil(sim: SimulationContext, done: () => boolean, limit: string | number = '60s'): boolean {
  const deadline = sim.scheduler.now() + parseDuration(limit);
  while (!done()) {
    const next = sim.scheduler.nextEventTime();
    if (next === undefined || next > deadline) return done();
    sim.scheduler.step();
  }
  return true;
}

/** Run every event due within `duration` of virtual time. */
export function runFor(sim: SimulationContext, duration: string | number): void {
  sim.scheduler.runFor(parseDuration(duration));
}

/** `length` seeded pseudo-random bytes. */
export function testBytes(length: number, label = 'data'): Uint8Array {
  return new Random(label).bytes(length);
}

/** Concatenate chunks. */
export function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

/** Text of UTF-8 bytes. */
export function text(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}

/** Whether two byte arrays are equal (without printing megabytes on failure). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Index of the first differing byte, or -1: a readable failure for large transfers. */
export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

/** Call `fn`, returning what it threw (or undefined). */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error;
  }
}

/** The `code` of an error-like value. */
export function codeOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : undefined;
}
