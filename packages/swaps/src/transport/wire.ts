// The segment format shared by the stop-and-wait and go-back-N swaps: a 16-byte header of
// our own (not TCP), carried directly in IPv4 under an experimental protocol number
// (253 or 254, RFC 3692 / RFC 4727). Ports come first, as in UDP and TCP, so an ICMP error
// quoting 8 bytes identifies the connection (RFC 792). The checksum is the Internet
// checksum (RFC 1071) over an IPv4 pseudo-header, the header and the payload, as UDP's.
//
//   0      2      4              8              12     13     14      16
//   +------+------+--------------+--------------+------+------+-------+---------
//   |sport |dport |     seq      |     ack      |flags | ver  | csum  | payload
//   +------+------+--------------+--------------+------+------+-------+---------
//
// seq numbers the sequenced segments (data and FIN), each taking one number; ack is the
// next seq the sender of the segment expects (cumulative). Stop-and-wait uses only 0 and 1.

import {
  DropReason,
  finishChecksum,
  onesComplementSum,
  pseudoHeaderSum,
  wireError,
  type Ipv4Address,
  type WireError,
} from '@netlayers/core';
import type { ArqFlagName, ArqHeaderInfo } from '../trace-headers.ts';

export const ARQ_HEADER_LENGTH = 16;
export const ARQ_VERSION = 1;

/** RFC 3692 experimental IP protocol numbers. */
export const STOP_AND_WAIT_PROTOCOL = 253;
export const GO_BACK_N_PROTOCOL = 254;

export const ArqFlag = {
  SYN: 0x01,
  ACK: 0x02,
  FIN: 0x04,
  RST: 0x08,
} as const;

export interface ArqSegment {
  readonly sourcePort: number;
  readonly destinationPort: number;
  readonly seq: number;
  readonly ack: number;
  readonly flags: number;
  readonly payload: Uint8Array;
}

/** Data and FIN take a sequence number; SYN, pure ACKs and RST do not. */
export function isSequenced(segment: Pick<ArqSegment, 'flags' | 'payload'>): boolean {
  return segment.payload.length > 0 || (segment.flags & ArqFlag.FIN) !== 0;
}

/** Validate a segment from `source` to `destination` under IP protocol `protocol`; never throws. */
export function parseArqSegment(bytes: Uint8Array, source: Ipv4Address, destination: Ipv4Address, protocol: number, options: { readonly verifyChecksum?: boolean } = {}): ArqSegment | WireError {
  if (bytes.length < ARQ_HEADER_LENGTH) {
    return wireError(DropReason.Truncated, `segment of ${bytes.length} bytes is shorter than the 16-byte header`);
  }
  if (bytes[13] !== ARQ_VERSION) return wireError(DropReason.BadVersion, `version ${bytes[13]} (expected ${ARQ_VERSION})`);
  const flags = bytes[12]!;
  if ((flags & ~0x0f) !== 0) return wireError(DropReason.Malformed, `unknown flag bits 0x${flags.toString(16)}`);
  const sum = onesComplementSum(bytes, 0, bytes.length, pseudoHeaderSum(source.value, destination.value, protocol, bytes.length));
  if (options.verifyChecksum !== false && finishChecksum(sum) !== 0) return wireError(DropReason.BadChecksum, 'checksum does not match the pseudo-header and segment');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    sourcePort: view.getUint16(0),
    destinationPort: view.getUint16(2),
    seq: view.getUint32(4),
    ack: view.getUint32(8),
    flags,
    payload: bytes.subarray(ARQ_HEADER_LENGTH),
  };
}

/** Write the header in front of the payload already at `into[16..]` (or copy it there), with the checksum. */
export function emitArqSegment(segment: ArqSegment, into: Uint8Array, source: Ipv4Address, destination: Ipv4Address, protocol: number): void {
  const length = ARQ_HEADER_LENGTH + segment.payload.length;
  const view = new DataView(into.buffer, into.byteOffset, length);
  view.setUint16(0, segment.sourcePort);
  view.setUint16(2, segment.destinationPort);
  view.setUint32(4, segment.seq >>> 0);
  view.setUint32(8, segment.ack >>> 0);
  into[12] = segment.flags;
  into[13] = ARQ_VERSION;
  into[14] = 0;
  into[15] = 0;
  const inPlace = segment.payload.buffer === into.buffer && segment.payload.byteOffset === into.byteOffset + ARQ_HEADER_LENGTH;
  if (!inPlace) into.set(segment.payload, ARQ_HEADER_LENGTH);
  const checksum = finishChecksum(onesComplementSum(into, 0, length, pseudoHeaderSum(source.value, destination.value, protocol, length)));
  into[14] = checksum >>> 8;
  into[15] = checksum & 0xff;
}

export function flagText(flags: number): string {
  let text = '';
  if (flags & ArqFlag.SYN) text += 'S';
  if (flags & ArqFlag.FIN) text += 'F';
  if (flags & ArqFlag.RST) text += 'R';
  if (flags & ArqFlag.ACK) text += '.';
  return text;
}

/** The flag names of a segment, SYN, ACK, FIN, RST order. */
export function arqFlagNames(flags: number): ArqFlagName[] {
  const names: ArqFlagName[] = [];
  if (flags & ArqFlag.SYN) names.push('SYN');
  if (flags & ArqFlag.FIN) names.push('FIN');
  if (flags & ArqFlag.RST) names.push('RST');
  if (flags & ArqFlag.ACK) names.push('ACK');
  return names;
}

/** The typed trace payload of a segment of `variant` ('stop-and-wait', 'go-back-n'). */
export function arqHeaderInfo(segment: ArqSegment, variant: string): ArqHeaderInfo {
  return {
    protocol: 'arq',
    variant,
    sourcePort: segment.sourcePort,
    destinationPort: segment.destinationPort,
    seq: segment.seq,
    ack: segment.ack,
    flags: arqFlagNames(segment.flags),
    payloadLength: segment.payload.length,
  };
}

/** "10.0.0.1.49152 > 10.0.0.2.80: Flags [.], seq 1, ack 0, length 1464". */
export function arqSummary(segment: ArqSegment, source: Ipv4Address, destination: Ipv4Address): string {
  return `${source}.${segment.sourcePort} > ${destination}.${segment.destinationPort}: Flags [${flagText(segment.flags)}], seq ${segment.seq}, ack ${segment.ack}, length ${segment.payload.length}`;
}
