// The packetdrill script parser: `--option=value` lines, then one event per line — a time
// (`0`, `+0.1`, `1.5`, `0.1~0.2`, `*`, or `start...end` for a blocking call) followed by a
// system call or a packet (`<` inbound, `>` expected outbound). Comments are `//` and
// `/* */`. It never throws: every problem is a Diagnostic with line and column, and valid
// packetdrill this runner does not implement is reported as "unsupported: <construct>".

import type { Diagnostic, EventBody, Script, ScriptEvent, TimePoint, TimeSpec } from './ast.ts';
import { Cursor, LineError, stripComments } from './cursor.ts';
import { parsePacket } from './parse-packet.ts';
import { parseSyscall } from './parse-syscall.ts';

export interface ParseResult {
  /** The script, when there were no diagnostics. */
  readonly script: Script | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

/** Parse a whole script. Never throws. */
export function parseScript(source: string): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const options = new Map<string, string>();
  const events: ScriptEvent[] = [];
  try {
    const { text, unterminated } = stripComments(source);
    if (unterminated !== undefined) diagnostics.push({ ...unterminated, message: "unterminated '/*' comment", unsupported: false });
    const originals = source.split('\n');
    text.split('\n').forEach((raw, index) => {
      const line = index + 1;
      if (raw.trim() === '') return;
      try {
        const c: Cursor = new Cursor(raw.replace(/\r$/, ''));
        c.skipSpace();
        if (c.peek(2) === '--') {
          if (events.length > 0) c.fail('options (--name=value) must come before the first event');
          const m = /^--([A-Za-z0-9_.-]+)(?:=(.*))?$/.exec(raw.trim());
          if (m === null) c.fail('malformed option: use --name=value');
          options.set(m[1]!, (m[2] ?? '').trim());
          return;
        }
        const event = parseEventLine(c);
        events.push({ ...event, location: { line, column: event.column }, text: (originals[index] ?? raw).trim() });
      } catch (error) {
        if (error instanceof LineError) diagnostics.push({ line, column: error.column, message: error.message, unsupported: error.unsupported });
        else throw error;
      }
    });
  } catch (error) {
    // A bug in the parser itself: still report, never throw.
    diagnostics.push({ line: 1, column: 1, message: `internal parser error: ${error instanceof Error ? error.message : String(error)}`, unsupported: false });
  }
  return { script: diagnostics.length === 0 ? { options, events } : undefined, diagnostics };
}

function parseEventLine(c: Cursor): EventBody & { time: TimeSpec; column: number } {
  c.skipSpace();
  const column = c.column;
  if (c.peek() === '`') c.unsupported('shell command (backquoted line)');
  const time = parseTime(c);
  let end: TimePoint | undefined;
  if (c.peek(3) === '...') {
    c.pos += 3;
    if (time.kind !== 'point') c.fail("a blocking call's start time must be a single time, not a range or '*'");
    end = parsePoint(c, "the blocking call's end time");
  }
  c.skipSpace();
  const next = c.peek();
  if (next === '`') c.unsupported('shell command (backquoted line)');
  if (next === '<' || next === '>') {
    if (end !== undefined) c.fail("'...' (a blocking call) is only for system calls");
    c.pos++;
    return { type: 'packet', direction: next, packet: parsePacket(c), time, column };
  }
  if (next === '%') c.unsupported('python/code block (%{ }%)');
  const nameColumn = c.column;
  const name = c.identifier();
  if (name === undefined) c.fail(`expected '<', '>' or a system call after the time, found ${c.describeNext()}`);
  c.skipSpace();
  if (c.peek() !== '(') throw new LineError(nameColumn, `expected '(' after system call '${name}'`);
  return { ...parseSyscall(c, name, end), time, column };
}

function parseTime(c: Cursor): TimeSpec {
  c.skipSpace();
  if (c.eat('*')) return { kind: 'any' };
  const from = parsePoint(c, 'a time (0, +0.1, 1.5, 0.1~0.2 or *)');
  if (c.peek() === '~') {
    c.pos++;
    const to = parsePoint(c, 'the end of the time range');
    return { kind: 'range', from, to };
  }
  return { kind: 'point', at: from };
}

function parsePoint(c: Cursor, what: string): TimePoint {
  c.skipSpace();
  const relative = c.peek() === '+';
  if (relative) c.pos++;
  const m = /^(\d+\.?\d*|\.\d+)/.exec(c.text.slice(c.pos));
  // "0..." is "0" then "...": the regex must not eat the first dot of "...".
  if (m === null) c.fail(`expected ${what}, found ${c.describeNext()}`);
  let digits = m[0];
  if (digits.endsWith('.') && c.text.startsWith('..', c.pos + digits.length - 1)) digits = digits.slice(0, -1);
  c.pos += digits.length;
  const seconds = Number(digits);
  if (!Number.isFinite(seconds)) c.fail(`bad time '${digits}'`);
  return { relative, usecs: Math.round(seconds * 1e6) };
}
