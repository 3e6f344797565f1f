// The remote side's own wire code, as packetdrill has its own packet builder: emit a TCP
// segment (RFC 9293 §3.1 header, options in the script's exact order, RFC 9293 §3.1
// pseudo-header checksum) or a UDP datagram (RFC 768), wrap one in an IPv4 header (RFC 791),
// and parse what the stack under test sends, keeping its options in wire order so the
// runner can compare the exact list. Parsing validates and returns a string on error.

import { finishChecksum, IpProtocol, type Ipv4Address, onesComplementSum, pseudoHeaderSum } from '@netlayers/core';
import type { TcpOptionSpec } from './ast.ts';

export const TcpFlagBit = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10, URG: 0x20, ECE: 0x40, CWR: 0x80 } as const;

/** packetdrill's flag letters, in the order packetdrill prints them. */
const LETTERS: readonly (readonly [string, number])[] = [
  ['F', TcpFlagBit.FIN],
  ['S', TcpFlagBit.SYN],
  ['R', TcpFlagBit.RST],
  ['P', TcpFlagBit.PSH],
  ['.', TcpFlagBit.ACK],
  ['U', TcpFlagBit.URG],
  ['E', TcpFlagBit.ECE],
  ['W', TcpFlagBit.CWR],
];

export function flagsFromLetters(letters: string): number {
  let bits = 0;
  for (const ch of letters) for (const [l, b] of LETTERS) if (l === ch) bits |= b;
  return bits;
}

/** Flag bits as packetdrill letters, canonical order ("S.", "P.", "F."). */
export function lettersFromFlags(bits: number): string {
  return LETTERS.filter(([, b]) => bits & b).map(([l]) => l).join('');
}

/** A TCP option as it appears on the wire; `unknown` keeps kinds the runner cannot name. */
export type WireTcpOption = TcpOptionSpec | { readonly kind: 'unknown'; readonly type: number; readonly length: number };

export interface TcpFields {
  readonly sourcePort: number;
  readonly destinationPort: number;
  readonly seq: number;
  readonly ack: number;
  readonly flags: number;
  readonly window: number;
  readonly urgent: number;
  readonly options: readonly TcpOptionSpec[];
}

export interface ParsedTcp extends Omit<TcpFields, 'options'> {
  readonly options: readonly WireTcpOption[];
  readonly payload: Uint8Array;
}

function optionBytes(options: readonly TcpOptionSpec[]): number[] {
  const out: number[] = [];
  const u32 = (v: number): number[] => [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
  for (const o of options) {
    switch (o.kind) {
      case 'nop':
        out.push(1);
        break;
      case 'eol':
        out.push(0);
        break;
      case 'mss':
        out.push(2, 4, o.value >>> 8, o.value & 0xff);
        break;
      case 'wscale':
        out.push(3, 3, o.value);
        break;
      case 'sackOK':
        out.push(4, 2);
        break;
      case 'sack':
        out.push(5, 2 + 8 * o.blocks.length);
        for (const [l, r] of o.blocks) out.push(...u32(l), ...u32(r));
        break;
      case 'TS':
        out.push(8, 10, ...u32(o.val), ...u32(o.ecr));
        break;
    }
  }
  // The header length counts 32-bit words: pad with end-of-list bytes.
  while (out.length % 4 !== 0) out.push(0);
  return out;
}

/** A TCP segment with a correct checksum (over the IPv4 pseudo-header). Options longer than 40 bytes return an error string. */
export function emitTcp(f: TcpFields, payload: Uint8Array, source: Ipv4Address, destination: Ipv4Address): Uint8Array | string {
  const opts = optionBytes(f.options);
  if (opts.length > 40) return `TCP options take ${opts.length} bytes; at most 40 fit in a header`;
  const headerLength = 20 + opts.length;
  const b = new Uint8Array(headerLength + payload.length);
  const v = new DataView(b.buffer);
  v.setUint16(0, f.sourcePort);
  v.setUint16(2, f.destinationPort);
  v.setUint32(4, f.seq >>> 0);
  v.setUint32(8, f.ack >>> 0);
  b[12] = (headerLength / 4) << 4;
  b[13] = f.flags;
  v.setUint16(14, f.window);
  v.setUint16(18, f.urgent);
  b.set(opts, 20);
  b.set(payload, headerLength);
  const sum = onesComplementSum(b, 0, b.length, pseudoHeaderSum(source.value, destination.value, IpProtocol.TCP, b.length));
  v.setUint16(16, finishChecksum(sum));
  return b;
}

/** Parse a TCP segment the stack sent, checking length, data offset, options and checksum. */
export function parseTcp(b: Uint8Array, source: Ipv4Address, destination: Ipv4Address): ParsedTcp | string {
  if (b.length < 20) return `truncated TCP header (${b.length} bytes)`;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const headerLength = (b[12]! >>> 4) * 4;
  if (headerLength < 20 || headerLength > b.length) return `bad TCP data offset ${headerLength} for a ${b.length}-byte segment`;
  const sum = onesComplementSum(b, 0, b.length, pseudoHeaderSum(source.value, destination.value, IpProtocol.TCP, b.length));
  if (finishChecksum(sum) !== 0) return `bad TCP checksum 0x${v.getUint16(16).toString(16)}`;
  const options: WireTcpOption[] = [];
  let i = 20;
  while (i < headerLength) {
    const kind = b[i]!;
    if (kind === 0) {
      // End of list: what follows is padding. Report one eol, as tcpdump does.
      options.push({ kind: 'eol' });
      break;
    }
    if (kind === 1) {
      options.push({ kind: 'nop' });
      i++;
      continue;
    }
    const len = b[i + 1];
    if (len === undefined || len < 2 || i + len > headerLength) return `TCP option kind ${kind} at offset ${i} overruns the header`;
    const at = i + 2;
    if (kind === 2 && len === 4) options.push({ kind: 'mss', value: v.getUint16(at) });
    else if (kind === 3 && len === 3) options.push({ kind: 'wscale', value: b[at]! });
    else if (kind === 4 && len === 2) options.push({ kind: 'sackOK' });
    else if (kind === 8 && len === 10) options.push({ kind: 'TS', val: v.getUint32(at), ecr: v.getUint32(at + 4) });
    else if (kind === 5 && (len - 2) % 8 === 0 && len > 2) {
      const blocks: (readonly [number, number])[] = [];
      for (let j = at; j < i + len; j += 8) blocks.push([v.getUint32(j), v.getUint32(j + 4)]);
      options.push({ kind: 'sack', blocks });
    } else options.push({ kind: 'unknown', type: kind, length: len });
    i += len;
  }
  return {
    sourcePort: v.getUint16(0),
    destinationPort: v.getUint16(2),
    seq: v.getUint32(4),
    ack: v.getUint32(8),
    flags: b[13]!,
    window: v.getUint16(14),
    urgent: v.getUint16(18),
    options,
    payload: b.subarray(headerLength),
  };
}

/** A UDP datagram with its checksum (RFC 768). */
export function emitUdp(sourcePort: number, destinationPort: number, payload: Uint8Array, source: Ipv4Address, destination: Ipv4Address): Uint8Array {
  const b = new Uint8Array(8 + payload.length);
  const v = new DataView(b.buffer);
  v.setUint16(0, sourcePort);
  v.setUint16(2, destinationPort);
  v.setUint16(4, b.length);
  b.set(payload, 8);
  const sum = finishChecksum(onesComplementSum(b, 0, b.length, pseudoHeaderSum(source.value, destination.value, IpProtocol.UDP, b.length)));
  v.setUint16(6, sum === 0 ? 0xffff : sum);
  return b;
}

export interface ParsedUdp {
  readonly sourcePort: number;
  readonly destinationPort: number;
  readonly payload: Uint8Array;
}

export function parseUdp(b: Uint8Array, source: Ipv4Address, destination: Ipv4Address): ParsedUdp | string {
  if (b.length < 8) return `truncated UDP header (${b.length} bytes)`;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const length = v.getUint16(4);
  if (length !== b.length) return `UDP length field ${length} but ${b.length} bytes`;
  if (v.getUint16(6) !== 0) {
    const sum = onesComplementSum(b, 0, b.length, pseudoHeaderSum(source.value, destination.value, IpProtocol.UDP, b.length));
    if (finishChecksum(sum) !== 0) return `bad UDP checksum 0x${v.getUint16(6).toString(16)}`;
  }
  return { sourcePort: v.getUint16(0), destinationPort: v.getUint16(2), payload: b.subarray(8) };
}

/** An IPv4 datagram (RFC 791, 20-byte header, DF set, TTL 64) around `payload`. */
export function emitIpv4(protocol: number, source: Ipv4Address, destination: Ipv4Address, payload: Uint8Array): Uint8Array {
  const b = new Uint8Array(20 + payload.length);
  const v = new DataView(b.buffer);
  b[0] = 0x45;
  v.setUint16(2, b.length);
  v.setUint16(6, 0x4000);
  b[8] = 64;
  b[9] = protocol;
  source.writeTo(b, 12);
  destination.writeTo(b, 16);
  v.setUint16(10, finishChecksum(onesComplementSum(b, 0, 20)));
  b.set(payload, 20);
  return b;
}
