// Comparing an outbound TCP segment with the script's `>` line, field by field, under
// packetdrill's conventions: seq relative to the local ISN, ack and SACK edges in the remote
// side's (absolute) space, `win` and `urg` only when written, the option list exactly (kinds,
// order and values; `<...>` matches any), and TS val learned rather than compared (RFC 7323
// §4.3 leaves the sender's clock to the sender).

import type { TcpOptionSpec, TcpPacketSpec } from './ast.ts';
import { formatOption, formatOptions } from './format.ts';
import { flagsFromLetters, lettersFromFlags, type ParsedTcp, type WireTcpOption } from './wire.ts';

export interface MatchContext {
  readonly localIsn: number;
  readonly localPort: number;
  readonly remotePort: number;
}

/** Every difference, as "field: expected X, actual Y". Empty when the segment matches. */
export function tcpMismatches(spec: TcpPacketSpec, seg: ParsedTcp, ctx: MatchContext): string[] {
  const wrong: string[] = [];
  const want = flagsFromLetters(spec.flags);
  if (want !== seg.flags) wrong.push(`flags: expected ${lettersFromFlags(want)}, actual ${lettersFromFlags(seg.flags) || 'none'}`);
  if (seg.sourcePort !== ctx.localPort || seg.destinationPort !== ctx.remotePort) {
    wrong.push(`ports: expected ${ctx.localPort} > ${ctx.remotePort}, actual ${seg.sourcePort} > ${seg.destinationPort}`);
  }
  const seq = (seg.seq - ctx.localIsn) >>> 0;
  if (seq !== spec.seqStart >>> 0) wrong.push(`seq: expected ${spec.seqStart}, actual ${seq}`);
  if (seg.payload.length !== spec.length) wrong.push(`payload length: expected ${spec.length}, actual ${seg.payload.length}`);
  if (spec.ack !== undefined && seg.flags & 0x10 && seg.ack !== spec.ack >>> 0) wrong.push(`ack: expected ${spec.ack}, actual ${seg.ack}`);
  if (spec.win !== undefined && seg.window !== spec.win) wrong.push(`win: expected ${spec.win}, actual ${seg.window}`);
  if (spec.urg !== undefined && seg.urgent !== spec.urg) wrong.push(`urg: expected ${spec.urg}, actual ${seg.urgent}`);
  const optionProblem = compareOptions(spec.options, seg.options);
  if (optionProblem !== undefined) wrong.push(optionProblem);
  return wrong;
}

function compareOptions(spec: TcpPacketSpec['options'], actual: readonly WireTcpOption[]): string | undefined {
  if (spec === 'any') return undefined;
  const expected = spec ?? [];
  const shown = `expected ${formatOptions(expected).trim() || '(none)'}, actual ${formatOptions(actual).trim() || '(none)'}`;
  if (expected.length !== actual.length) return `options: ${shown}`;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    const a = actual[i]!;
    if (!sameOption(e, a)) return `options: ${formatOption(e)} vs ${formatOption(a)} at position ${i + 1}: ${shown}`;
  }
  return undefined;
}

function sameOption(e: TcpOptionSpec, a: WireTcpOption): boolean {
  if (e.kind !== a.kind) return false;
  switch (e.kind) {
    case 'mss':
    case 'wscale':
      return e.value === (a as { value: number }).value;
    case 'TS': {
      const ts = a as { val: number; ecr: number };
      // TS val: the stack's own clock, compared by the runner only with --tcp_ts_tick_usecs
      // (as packetdrill). ecr echoes the script's val.
      return ts.ecr === e.ecr >>> 0;
    }
    case 'sack': {
      const blocks = (a as { blocks: readonly (readonly [number, number])[] }).blocks;
      return blocks.length === e.blocks.length && e.blocks.every(([l, r], i) => blocks[i]![0] === l >>> 0 && blocks[i]![1] === r >>> 0);
    }
    default:
      return true;
  }
}

/** The TS val of a segment, if it carries timestamps. */
export function tsVal(seg: ParsedTcp): number | undefined {
  for (const o of seg.options) if (o.kind === 'TS') return o.val;
  return undefined;
}
