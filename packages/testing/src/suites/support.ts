// Helpers the conformance suites share: a simulation with named nodes, running virtual
// time until a condition holds (or failing, saying what it waited for), collecting trace
// events, seeded test data, and `conformanceCase`, which registers one case whose failure
// names its rule and shows the trace of the world the case made.

import { it } from 'vitest';
import { createNodeContext, createSimulationContext, Random, parseDuration, type NodeContext, type SimulationContext, type TraceEvent } from '@netlayers/core';
import { Mismatch, teachingFailure, type Rule } from '../teach/failure.ts';
import { formatSeconds, lastTraceLines } from '../teach/trace-lines.ts';

export interface TestWorld {
  readonly sim: SimulationContext;
  readonly events: TraceEvent[];
  node(name: string): NodeContext;
}

/**
 * A simulation with named nodes whose trace bus is recorded (so layers build their events and
 * tests can see drops). With `{ recordTrace: false }` nobody listens to the trace, so layers
 * build no events at all (what a test of that fast path needs); `events` then stays empty.
 */
export function createWorld(seed: number | string = 1, options: { readonly recordTrace?: boolean } = {}): TestWorld {
  const sim = createSimulationContext(seed);
  const events: TraceEvent[] = [];
  if (options.recordTrace !== false) sim.trace.on('event', (e) => events.push(e));
  const nodes = new Map<string, NodeContext>();
  const world: TestWorld = {
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
  caseWorlds?.push(world);
  return world;
}

/** `runUntil` gave up: what it waited for, the limit, and how much virtual time passed. */
export class WaitTimeout extends Mismatch {
  constructor(
    readonly waitingFor: string,
    readonly limit: number,
    readonly elapsed: number,
    readonly idle: boolean,
    trace: readonly string[],
  ) {
    super(
      `${waitingFor}, within ${formatSeconds(limit)} s of virtual time`,
      `still not so after ${formatSeconds(elapsed)} s of virtual time: ${idle ? 'nothing was left to happen (no timer or packet pending: the simulation went idle)' : 'the time limit was reached'}`,
    );
    this.name = 'WaitTimeout';
    this.message = `timed out waiting for ${waitingFor}: ${this.actual}` + (trace.length === 0 ? '' : `\nlast trace events:\n${trace.map((l) => `  ${l}`).join('\n')}`);
  }
}

/**
 * Run events one at a time until `done()` holds. If nothing is left to run, or virtual time
 * would pass `limit` from now, it throws a WaitTimeout saying what it waited for
 * (`waitingFor`) and how much virtual time passed — it never gives up silently. Pass a
 * TestWorld (rather than its `sim`) to get the last trace events in the message.
 */
export function runUntil(target: TestWorld | SimulationContext, done: () => boolean, limit: string | number = '60s', waitingFor = describeCondition(done)): true {
  const sim = 'sim' in target ? target.sim : target;
  const start = sim.scheduler.now();
  const span = parseDuration(limit);
  const deadline = start + span;
  while (!done()) {
    const next = sim.scheduler.nextEventTime();
    if (next === undefined || next > deadline) {
      if (done()) return true;
      if (next !== undefined) sim.scheduler.runFor(deadline - sim.scheduler.now());
      const trace = 'events' in target ? lastTraceLines(target.events, 8) : [];
      throw new WaitTimeout(waitingFor, span, sim.scheduler.now() - start, next === undefined, trace);
    }
    sim.scheduler.step();
  }
  return true;
}

/** A condition's own source, as the default description of what runUntil waits for. */
function describeCondition(done: () => boolean): string {
  return `\`${done.toString().replace(/^\(\)\s*=>\s*/, '').replace(/\s+/g, ' ')}\``;
}

let caseWorlds: TestWorld[] | undefined;

/**
 * Register one conformance case (a vitest `it`) that checks `rule`. A failure, whatever
 * threw it, becomes a SuiteFailure naming the rule and its RFC section, what was expected
 * and what happened, with the last trace events of the last world the case created.
 */
export function conformanceCase(suite: string, name: string, rule: Rule, body: () => void): void {
  it(name, () => runCase(suite, name, rule, body));
}

/** Run one case body now, turning any failure into a teaching SuiteFailure. */
export function runCase(suite: string, name: string, rule: Rule, body: () => void): void {
  const outer = caseWorlds;
  const worlds: TestWorld[] = [];
  caseWorlds = worlds;
  try {
    body();
  } catch (error) {
    throw teachingFailure(suite, name, rule, error, worlds.at(-1));
  } finally {
    caseWorlds = outer;
  }
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

/** What a suite knows about each of its cases, by case name: the RFC section and a hint. */
export type RuleTable = Readonly<Record<string, Omit<Rule, 'rule'> & { readonly rule?: string }>>;

/** A case registrar that behaves like vitest's `it` (with skipIf) but teaches on failure. */
export interface TeachingIt {
  (name: string, body: () => void): void;
  /** Skip the case when `condition` holds, its name saying `why` in the report. */
  skipIf(condition: boolean, why: string): (name: string, body: () => void) => void;
}

/**
 * An `it` for a suite: each case's rule is its name (a sentence saying the behaviour),
 * with the RFC section and hint from `rules`; failures become SuiteFailures.
 */
export function teachingIt(suite: string, rules: RuleTable): TeachingIt {
  const ruleOf = (name: string): Rule => {
    const entry = rules[name];
    return { ...entry, rule: entry?.rule ?? name };
  };
  const register = (name: string, body: () => void): void => conformanceCase(suite, name, ruleOf(name), body);
  return Object.assign(register, {
    skipIf: (condition: boolean, why: string) => (condition ? (name: string, body: () => void) => it.skip(`${name} (skipped: ${why})`, body) : register),
  });
}
