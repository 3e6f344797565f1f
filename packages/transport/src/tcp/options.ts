// TCP header options (RFC 9293 §3.2 and §3.7.1 MSS; RFC 7323 §2 Window Scale and §3
// Timestamps; RFC 2018 §2-3 SACK-permitted and SACK). Parsing checks every option's bounds
// and fixed length and returns a reason string instead of throwing; writing lays options out
// the way Linux does (MSS, SACKOK+TS, NOP, WS on a SYN; NOP NOP TS, NOP NOP SACK otherwise).
// Options of other kinds (MPTCP, TFO, AccECN, ...) are kept, bounds-checked, with the name
// IANA gives them (option-names.ts), for traces and capture readers; TCP ignores them.

import { tcpOptionName } from './option-names.ts';

export const TcpOptionKind = {
  EndOfList: 0,
  NoOperation: 1,
  MaximumSegmentSize: 2,
  WindowScale: 3,
  SackPermitted: 4,
  Sack: 5,
  Timestamps: 8,
} as const;

/** A SACK block: [left edge, right edge) in sequence space (RFC 2018 §3). */
export type SackBlock = readonly [left: number, right: number];

export interface TcpTimestamps {
  /** TSval: the sender's timestamp clock. */
  readonly value: number;
  /** TSecr: the most recent TSval received from the peer. */
  readonly echo: number;
}

/** An option of a kind this implementation does not act on, kept as received. */
export interface TcpOtherOption {
  readonly kind: number;
  /** The short name for the kind ("mptcp", "tfo", "accecn0", or "opt-<kind>" if unassigned). */
  readonly name: string;
  /** The octets after kind and length: a view into the parsed bytes. */
  readonly data: Uint8Array;
}

/** The options this implementation understands, and (when present) the others, in order. */
export interface TcpHeaderOptions {
  readonly mss?: number;
  /** Shift count, 0..14 (RFC 7323 §2.3: larger values are used as 14). */
  readonly windowScale?: number;
  readonly sackPermitted?: boolean;
  readonly sack?: readonly SackBlock[];
  readonly timestamps?: TcpTimestamps;
  /** Options of other kinds as received; never written by `writeTcpOptions`. */
  readonly others?: readonly TcpOtherOption[];
}

export const NO_OPTIONS: TcpHeaderOptions = Object.freeze({});

/** Largest option space: a 60-byte header minus the fixed 20. */
export const MAX_OPTIONS_LENGTH = 40;

/**
 * Parse `bytes[start..end)` as a TCP option list. Returns the options or a string saying
 * which option is malformed (length 0 or 1, running past the header, wrong fixed length).
 */
export function parseTcpOptions(bytes: Uint8Array, start: number, end: number): TcpHeaderOptions | string {
  if (start === end) return NO_OPTIONS;
  // Fast path for the layout nearly every segment of an established connection carries
  // (RFC 7323 Appendix A): NOP, NOP, Timestamps (kind 8, length 10), nothing else.
  if (
    end - start === 12 &&
    bytes[start] === TcpOptionKind.NoOperation &&
    bytes[start + 1] === TcpOptionKind.NoOperation &&
    bytes[start + 2] === TcpOptionKind.Timestamps &&
    bytes[start + 3] === 10
  ) {
    return { timestamps: { value: readUint32(bytes, start + 4), echo: readUint32(bytes, start + 8) } };
  }
  let mss: number | undefined;
  let windowScale: number | undefined;
  let sackPermitted: boolean | undefined;
  let sack: SackBlock[] | undefined;
  let timestamps: TcpTimestamps | undefined;
  let others: TcpOtherOption[] | undefined;
  let i = start;
  while (i < end) {
    const kind = bytes[i]!;
    if (kind === TcpOptionKind.EndOfList) break;
    if (kind === TcpOptionKind.NoOperation) {
      i++;
      continue;
    }
    if (i + 1 >= end) return `option kind ${kind} at offset ${i - start} has no length byte`;
    const length = bytes[i + 1]!;
    if (length < 2) return `option kind ${kind} has length ${length} (must be at least 2)`;
    if (i + length > end) return `option kind ${kind} of length ${length} runs past the header`;
    switch (kind) {
      case TcpOptionKind.MaximumSegmentSize:
        if (length !== 4) return `MSS option has length ${length} (must be 4)`;
        mss = (bytes[i + 2]! << 8) | bytes[i + 3]!;
        break;
      case TcpOptionKind.WindowScale:
        if (length !== 3) return `window scale option has length ${length} (must be 3)`;
        windowScale = Math.min(bytes[i + 2]!, 14);
        break;
      case TcpOptionKind.SackPermitted:
        if (length !== 2) return `SACK-permitted option has length ${length} (must be 2)`;
        sackPermitted = true;
        break;
      case TcpOptionKind.Sack: {
        if (length < 10 || (length - 2) % 8 !== 0) return `SACK option has length ${length} (must be 2 + 8n, n >= 1)`;
        sack = [];
        for (let j = i + 2; j < i + length; j += 8) sack.push([readUint32(bytes, j), readUint32(bytes, j + 4)]);
        break;
      }
      case TcpOptionKind.Timestamps:
        if (length !== 10) return `timestamps option has length ${length} (must be 10)`;
        timestamps = { value: readUint32(bytes, i + 2), echo: readUint32(bytes, i + 6) };
        break;
      default:
        (others ??= []).push({ kind, name: tcpOptionName(kind), data: bytes.subarray(i + 2, i + length) });
        break;
    }
    i += length;
  }
  const out: { -readonly [K in keyof TcpHeaderOptions]: TcpHeaderOptions[K] } = {};
  if (mss !== undefined) out.mss = mss;
  if (windowScale !== undefined) out.windowScale = windowScale;
  if (sackPermitted !== undefined) out.sackPermitted = sackPermitted;
  if (sack !== undefined) out.sack = sack;
  if (timestamps !== undefined) out.timestamps = timestamps;
  if (others !== undefined) out.others = others;
  return out;
}

/** Bytes `writeTcpOptions` writes for `options`: always a multiple of 4. */
export function tcpOptionsLength(options: TcpHeaderOptions): number {
  let n = 0;
  if (options.mss !== undefined) n += 4;
  if (options.timestamps !== undefined) n += 12;
  else if (options.sackPermitted === true) n += 4;
  if (options.windowScale !== undefined) n += 4;
  if (options.sack !== undefined && options.sack.length > 0) n += 4 + 8 * options.sack.length;
  return n;
}

/**
 * Write `options` at `bytes[offset..]`, padded with NOPs to a 4-byte boundary, and return
 * the length written. Layout (as Linux): MSS; SACKOK,TS (or NOP,NOP,TS or NOP,NOP,SACKOK);
 * NOP,WS; NOP,NOP,SACK blocks.
 */
export function writeTcpOptions(options: TcpHeaderOptions, bytes: Uint8Array, offset: number): number {
  let i = offset;
  if (options.mss !== undefined) {
    bytes[i++] = TcpOptionKind.MaximumSegmentSize;
    bytes[i++] = 4;
    bytes[i++] = options.mss >>> 8;
    bytes[i++] = options.mss & 0xff;
  }
  const sackOk = options.sackPermitted === true;
  if (options.timestamps !== undefined) {
    if (sackOk) {
      bytes[i++] = TcpOptionKind.SackPermitted;
      bytes[i++] = 2;
    } else {
      bytes[i++] = TcpOptionKind.NoOperation;
      bytes[i++] = TcpOptionKind.NoOperation;
    }
    bytes[i++] = TcpOptionKind.Timestamps;
    bytes[i++] = 10;
    writeUint32(bytes, i, options.timestamps.value);
    writeUint32(bytes, i + 4, options.timestamps.echo);
    i += 8;
  } else if (sackOk) {
    bytes[i++] = TcpOptionKind.NoOperation;
    bytes[i++] = TcpOptionKind.NoOperation;
    bytes[i++] = TcpOptionKind.SackPermitted;
    bytes[i++] = 2;
  }
  if (options.windowScale !== undefined) {
    bytes[i++] = TcpOptionKind.NoOperation;
    bytes[i++] = TcpOptionKind.WindowScale;
    bytes[i++] = 3;
    bytes[i++] = options.windowScale;
  }
  if (options.sack !== undefined && options.sack.length > 0) {
    bytes[i++] = TcpOptionKind.NoOperation;
    bytes[i++] = TcpOptionKind.NoOperation;
    bytes[i++] = TcpOptionKind.Sack;
    bytes[i++] = 2 + 8 * options.sack.length;
    for (const [left, right] of options.sack) {
      writeUint32(bytes, i, left);
      writeUint32(bytes, i + 4, right);
      i += 8;
    }
  }
  return i - offset;
}

export function readUint32(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset]! << 24) | (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!) >>> 0;
}

export function writeUint32(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = value >>> 24;
  bytes[offset + 1] = (value >>> 16) & 0xff;
  bytes[offset + 2] = (value >>> 8) & 0xff;
  bytes[offset + 3] = value & 0xff;
}
