// A small TCP segment codec for tests, independent of any TCP implementation: the header of
// RFC 9293 §3.1 with its checksum over the IPv4 pseudo-header, and the options a harness
// needs to read and write — MSS (RFC 9293 §3.7.1), Window Scale and Timestamps (RFC 7323
// §2.2, §3.2), SACK-permitted and SACK (RFC 2018 §2, §3). Options are laid out as Linux lays
// them out (MSS; SACKOK,TS; NOP,WS; NOP,NOP,SACK). `parseTestTcpSegment` validates and
// returns a reason string instead of throwing. A test tool may know TCP; a TCP under test
// is never asked for its own codec, so its bugs cannot hide in a shared one.

import { finishChecksum, InvalidArgumentError, IpProtocol, onesComplementSum, pseudoHeaderSum, type Ipv4Address } from '@netlayers/core';

/** The control bits (RFC 9293 §3.1), RFC 3168's ECE and CWR included. */
export const TcpControl = {
  FIN: 0x01,
  SYN: 0x02,
  RST: 0x04,
  PSH: 0x08,
  ACK: 0x10,
  URG: 0x20,
  ECE: 0x40,
  CWR: 0x80,
} as const;

export type SackEdges = readonly [left: number, right: number];

export interface TestTcpOptions {
  readonly mss?: number;
  readonly windowScale?: number;
  readonly sackPermitted?: boolean;
  readonly sack?: readonly SackEdges[];
  readonly timestamps?: { readonly value: number; readonly echo: number };
}

/** The fields a test sets; everything else (data offset, checksum) is computed. */
export interface TestTcpFields {
  readonly sourcePort: number;
  readonly destinationPort: number;
  readonly seq: number;
  readonly ack: number;
  readonly flags: number;
  readonly window: number;
  readonly urgentPointer?: number;
  readonly options?: TestTcpOptions;
}

/** A parsed segment. seq and ack are uint32; `payload` is a view into the parsed bytes. */
export interface TestTcpSegment {
  readonly sourcePort: number;
  readonly destinationPort: number;
  readonly seq: number;
  readonly ack: number;
  /** Header length in 32-bit words. */
  readonly dataOffset: number;
  readonly flags: number;
  readonly window: number;
  readonly checksum: number;
  readonly urgentPointer: number;
  readonly options: TestTcpOptions;
  readonly payload: Uint8Array;
}

const HEADER = 20;

function optionsLength(o: TestTcpOptions): number {
  let n = 0;
  if (o.mss !== undefined) n += 4;
  if (o.timestamps !== undefined || o.sackPermitted === true) n += o.timestamps !== undefined ? 12 : 4;
  if (o.windowScale !== undefined) n += 4;
  if (o.sack !== undefined && o.sack.length > 0) n += 4 + 8 * o.sack.length;
  return n;
}

function put32(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = value >>> 24;
  bytes[at + 1] = (value >>> 16) & 0xff;
  bytes[at + 2] = (value >>> 8) & 0xff;
  bytes[at + 3] = value & 0xff;
}

function get32(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
}

function writeOptions(o: TestTcpOptions, bytes: Uint8Array, at: number): void {
  let i = at;
  if (o.mss !== undefined) {
    bytes.set([2, 4, o.mss >>> 8, o.mss & 0xff], i);
    i += 4;
  }
  if (o.timestamps !== undefined) {
    bytes.set(o.sackPermitted === true ? [4, 2] : [1, 1], i);
    bytes.set([8, 10], i + 2);
    put32(bytes, i + 4, o.timestamps.value);
    put32(bytes, i + 8, o.timestamps.echo);
    i += 12;
  } else if (o.sackPermitted === true) {
    bytes.set([1, 1, 4, 2], i);
    i += 4;
  }
  if (o.windowScale !== undefined) {
    bytes.set([1, 3, 3, o.windowScale], i);
    i += 4;
  }
  if (o.sack !== undefined && o.sack.length > 0) {
    bytes.set([1, 1, 5, 2 + 8 * o.sack.length], i);
    i += 4;
    for (const [left, right] of o.sack) {
      put32(bytes, i, left);
      put32(bytes, i + 4, right);
      i += 8;
    }
  }
}

/** The segment's bytes (header, options, payload) with its checksum, as sent from `source` to `destination`. */
export function emitTestTcpSegment(fields: TestTcpFields, payload: Uint8Array, source: Ipv4Address, destination: Ipv4Address): Uint8Array {
  const headerLength = HEADER + optionsLength(fields.options ?? {});
  if (headerLength > 60) throw new InvalidArgumentError('options', JSON.stringify(fields.options), `take ${headerLength - HEADER} bytes; a TCP header has room for 40`);
  const bytes = new Uint8Array(headerLength + payload.length);
  bytes[0] = fields.sourcePort >>> 8;
  bytes[1] = fields.sourcePort & 0xff;
  bytes[2] = fields.destinationPort >>> 8;
  bytes[3] = fields.destinationPort & 0xff;
  put32(bytes, 4, fields.seq >>> 0);
  put32(bytes, 8, fields.ack >>> 0);
  bytes[12] = (headerLength / 4) << 4;
  bytes[13] = fields.flags & 0xff;
  bytes[14] = (fields.window >>> 8) & 0xff;
  bytes[15] = fields.window & 0xff;
  const urgent = fields.urgentPointer ?? 0;
  bytes[18] = urgent >>> 8;
  bytes[19] = urgent & 0xff;
  writeOptions(fields.options ?? {}, bytes, HEADER);
  bytes.set(payload, headerLength);
  const checksum = tcpChecksum(bytes, source, destination);
  bytes[16] = checksum >>> 8;
  bytes[17] = checksum & 0xff;
  return bytes;
}

/** The checksum a segment should carry (computed with its checksum field taken as zero). */
export function tcpChecksum(bytes: Uint8Array, source: Ipv4Address, destination: Ipv4Address): number {
  const saved = [bytes[16]!, bytes[17]!];
  bytes[16] = 0;
  bytes[17] = 0;
  const sum = finishChecksum(onesComplementSum(bytes, 0, bytes.length, pseudoHeaderSum(source.value, destination.value, IpProtocol.TCP, bytes.length)));
  bytes[16] = saved[0]!;
  bytes[17] = saved[1]!;
  return sum;
}

function parseOptions(bytes: Uint8Array, start: number, end: number): TestTcpOptions | string {
  const out: { -readonly [K in keyof TestTcpOptions]: TestTcpOptions[K] } = {};
  let i = start;
  while (i < end) {
    const kind = bytes[i]!;
    if (kind === 0) break;
    if (kind === 1) {
      i++;
      continue;
    }
    if (i + 1 >= end) return `option kind ${kind} has no length byte`;
    const length = bytes[i + 1]!;
    if (length < 2 || i + length > end) return `option kind ${kind} has length ${length}, which does not fit the header`;
    const fixed: Record<number, number> = { 2: 4, 3: 3, 4: 2, 8: 10 };
    if (fixed[kind] !== undefined && fixed[kind] !== length) return `option kind ${kind} has length ${length} (must be ${fixed[kind]})`;
    if (kind === 2) out.mss = (bytes[i + 2]! << 8) | bytes[i + 3]!;
    else if (kind === 3) out.windowScale = Math.min(bytes[i + 2]!, 14);
    else if (kind === 4) out.sackPermitted = true;
    else if (kind === 8) out.timestamps = { value: get32(bytes, i + 2), echo: get32(bytes, i + 6) };
    else if (kind === 5) {
      if ((length - 2) % 8 !== 0 || length < 10) return `SACK option has length ${length} (must be 2 + 8n)`;
      const blocks: SackEdges[] = [];
      for (let j = i + 2; j < i + length; j += 8) blocks.push([get32(bytes, j), get32(bytes, j + 4)]);
      out.sack = blocks;
    }
    i += length;
  }
  return out;
}

/**
 * Parse a segment sent from `source` to `destination`: the header, the options and the
 * payload, after checking the length, the data offset and (unless told not to) the checksum.
 * Returns a string saying what is wrong instead of throwing.
 */
export function parseTestTcpSegment(bytes: Uint8Array, source: Ipv4Address, destination: Ipv4Address, options: { verifyChecksum?: boolean } = {}): TestTcpSegment | string {
  if (bytes.length < HEADER) return `a TCP segment of ${bytes.length} bytes is shorter than the 20-byte header`;
  const dataOffset = bytes[12]! >>> 4;
  if (dataOffset < 5 || dataOffset * 4 > bytes.length) return `data offset ${dataOffset} does not fit a ${bytes.length}-byte segment`;
  const checksum = (bytes[16]! << 8) | bytes[17]!;
  if (options.verifyChecksum !== false) {
    const sum = finishChecksum(onesComplementSum(bytes, 0, bytes.length, pseudoHeaderSum(source.value, destination.value, IpProtocol.TCP, bytes.length)));
    if (sum !== 0) return `checksum 0x${checksum.toString(16).padStart(4, '0')} is wrong (expected 0x${tcpChecksum(bytes, source, destination).toString(16).padStart(4, '0')})`;
  }
  const parsed = parseOptions(bytes, HEADER, dataOffset * 4);
  if (typeof parsed === 'string') return parsed;
  return {
    sourcePort: (bytes[0]! << 8) | bytes[1]!,
    destinationPort: (bytes[2]! << 8) | bytes[3]!,
    seq: get32(bytes, 4),
    ack: get32(bytes, 8),
    dataOffset,
    flags: bytes[13]!,
    window: (bytes[14]! << 8) | bytes[15]!,
    checksum,
    urgentPointer: (bytes[18]! << 8) | bytes[19]!,
    options: parsed,
    payload: bytes.subarray(dataOffset * 4),
  };
}

const NAMES: readonly [number, string][] = [
  [TcpControl.FIN, 'FIN'],
  [TcpControl.SYN, 'SYN'],
  [TcpControl.RST, 'RST'],
  [TcpControl.PSH, 'PSH'],
  [TcpControl.ACK, 'ACK'],
  [TcpControl.URG, 'URG'],
  [TcpControl.ECE, 'ECE'],
  [TcpControl.CWR, 'CWR'],
];

/** The control bits as RFC 9293 names them, in Wireshark's order: "SYN,ACK", "FIN,PSH,ACK". */
export function controlNames(flags: number): string {
  return NAMES.filter(([bit]) => flags & bit).map(([, name]) => name).join(',');
}

/** Bits from "SYN,ACK" (names as RFC 9293 spells them; "" for none), or a number as is. */
export function controlBits(flags: string | number): number {
  if (typeof flags === 'number') return flags;
  let bits = 0;
  for (const name of flags.split(',').map((n) => n.trim()).filter((n) => n !== '')) {
    const found = NAMES.find(([, n]) => n === name);
    if (found === undefined) throw new Error(`unknown TCP control bit "${name}" (use ${NAMES.map(([, n]) => n).join(', ')})`);
    bits |= found[0];
  }
  return bits;
}

const LETTERS: readonly [number, string][] = [
  [TcpControl.FIN, 'F'],
  [TcpControl.SYN, 'S'],
  [TcpControl.RST, 'R'],
  [TcpControl.PSH, 'P'],
  [TcpControl.ACK, '.'],
  [TcpControl.URG, 'U'],
  [TcpControl.ECE, 'E'],
  [TcpControl.CWR, 'W'],
];

/** One tcpdump-style line with absolute sequence numbers: "a.1 > b.2: Flags [S.], seq 10, ack 21, win 65535, options [mss 1460], length 0". */
export function tcpdumpLine(s: Pick<TestTcpSegment, 'sourcePort' | 'destinationPort' | 'seq' | 'ack' | 'flags' | 'window' | 'options' | 'payload'>, source: Ipv4Address, destination: Ipv4Address): string {
  const letters = LETTERS.filter(([bit]) => s.flags & bit).map(([, l]) => l).join('') || 'none';
  const parts = [`${source}.${s.sourcePort} > ${destination}.${s.destinationPort}: Flags [${letters}]`];
  const len = s.payload.length;
  if (len > 0 || s.flags & (TcpControl.SYN | TcpControl.FIN | TcpControl.RST)) parts.push(len > 0 ? `seq ${s.seq}:${(s.seq + len) >>> 0}` : `seq ${s.seq}`);
  if (s.flags & TcpControl.ACK) parts.push(`ack ${s.ack}`);
  parts.push(`win ${s.window}`);
  const o = s.options;
  const opts: string[] = [];
  if (o.mss !== undefined) opts.push(`mss ${o.mss}`);
  if (o.windowScale !== undefined) opts.push(`wscale ${o.windowScale}`);
  if (o.sackPermitted === true) opts.push('sackOK');
  if (o.timestamps !== undefined) opts.push(`TS val ${o.timestamps.value} ecr ${o.timestamps.echo}`);
  if (o.sack !== undefined && o.sack.length > 0) opts.push(`sack ${o.sack.length} ${o.sack.map(([l, r]) => `{${l}:${r}}`).join('')}`);
  if (opts.length > 0) parts.push(`options [${opts.join(',')}]`);
  parts.push(`length ${len}`);
  return parts.join(', ');
}

/** SEG.LEN: payload plus one each for SYN and FIN (RFC 9293 §3.4). */
export function sequenceLength(s: Pick<TestTcpSegment, 'flags' | 'payload'>): number {
  return s.payload.length + (s.flags & TcpControl.SYN ? 1 : 0) + (s.flags & TcpControl.FIN ? 1 : 0);
}
