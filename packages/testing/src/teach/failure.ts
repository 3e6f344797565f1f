// Failures that teach: every conformance case names the behaviour or rule it checks (with
// the RFC section where there is one) and a hint; when the case fails, the error says that
// rule, what was expected, what happened, how much virtual time had passed, and the last
// events of the trace in tcpdump style. `check` raises a mismatch with both sides spelled
// out; any other error (a vitest assertion, an exception from the implementation) is
// wrapped the same way.

import { lastTraceLines, formatSeconds } from './trace-lines.ts';
import type { SimulationContext, TraceEvent } from '@netlayers/core';

/** What a case checks. */
export interface Rule {
  /** The behaviour, in a sentence: "a receiver discards a segment whose checksum fails". */
  readonly rule: string;
  /** Where it is specified: "RFC 9293 §3.1". */
  readonly rfc?: string;
  /** What to look at first when it fails. */
  readonly hint?: string;
}

/** A failed expectation with both sides described. */
export class Mismatch extends Error {
  constructor(
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`expected ${expected}, got ${actual}`);
    this.name = 'Mismatch';
  }
}

/** Throw a Mismatch unless `ok`. `actual` may be a function, evaluated only on failure. */
export function check(ok: boolean, expected: string, actual: string | (() => string)): asserts ok {
  if (!ok) throw new Mismatch(expected, typeof actual === 'function' ? actual() : actual);
}

/** The world a failing case ran in: its clock and its recorded trace. */
export interface Observed {
  readonly sim: SimulationContext;
  readonly events: readonly TraceEvent[];
}

/** A conformance case failed: the rule, expected, actual, time and trace, in one message. */
export class SuiteFailure extends Error {
  constructor(
    readonly suite: string,
    readonly caseName: string,
    readonly rule: Rule,
    readonly expected: string,
    readonly actual: string,
    /** Virtual time when it failed, in ns (undefined when no simulation was made). */
    readonly virtualTime: number | undefined,
    readonly trace: readonly string[],
    cause?: unknown,
  ) {
    super(formatFailure(suite, caseName, rule, expected, actual, virtualTime, trace), cause === undefined ? undefined : { cause });
    this.name = 'SuiteFailure';
  }
}

/** The guide's section on what to do when a case fails. */
export const GUIDE = 'docs/swap-a-layer.md, "When a suite case fails"';

function formatFailure(suite: string, caseName: string, rule: Rule, expected: string, actual: string, time: number | undefined, trace: readonly string[]): string {
  const lines = [
    `${suite} › ${caseName}`,
    `  rule:     ${rule.rule}${rule.rfc === undefined ? '' : ` (${rule.rfc})`}`,
    `  expected: ${indent(expected)}`,
    `  actual:   ${indent(actual)}`,
  ];
  if (time !== undefined) lines.push(`  at:       ${formatSeconds(time)} s of virtual time`);
  if (trace.length > 0) {
    lines.push('  last trace events (tcpdump style, oldest first):');
    for (const line of trace) lines.push(`    ${line}`);
  } else if (time !== undefined) {
    lines.push('  last trace events: none (nothing was traced: emit pdu and drop events through node.tracer to see them here)');
  }
  if (rule.hint !== undefined) lines.push(`  hint:     ${rule.hint}`);
  lines.push(`  see:      ${GUIDE}`);
  return lines.join('\n');
}

function indent(text: string): string {
  return text.split('\n').join('\n            ');
}

/** A short readable form of a value an assertion compared. */
export function formatValue(value: unknown, max = 300): string {
  let text: string;
  if (value instanceof Uint8Array) text = `${value.length} bytes`;
  else if (typeof value === 'string') text = JSON.stringify(value);
  else if (value === undefined) text = 'undefined';
  else {
    try {
      text = JSON.stringify(value, (_k, v: unknown) => (v instanceof Uint8Array ? `<${v.length} bytes>` : typeof v === 'bigint' ? String(v) : v));
    } catch {
      text = String(value);
    }
  }
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** Turn whatever a case threw into a SuiteFailure naming its rule, with the trace of `world`. */
export function teachingFailure(suite: string, caseName: string, rule: Rule, error: unknown, world: Observed | undefined): SuiteFailure {
  if (error instanceof SuiteFailure) return error;
  let expected: string;
  let actual: string;
  if (error instanceof Mismatch) {
    expected = error.expected;
    actual = error.actual;
  } else if (isAssertion(error)) {
    expected = formatValue(error.expected);
    actual = `${formatValue(error.actual)} (${error.message})`;
  } else {
    expected = 'the case to run without an exception';
    actual = `threw ${error instanceof Error ? `${error.name}: ${error.message}` : formatValue(error)}`;
  }
  const time = world?.sim.scheduler.now();
  const trace = world === undefined ? [] : lastTraceLines(world.events);
  return new SuiteFailure(suite, caseName, rule, expected, actual, time, trace, error);
}

function isAssertion(error: unknown): error is Error & { expected: unknown; actual: unknown } {
  return error instanceof Error && 'expected' in error && 'actual' in error;
}
