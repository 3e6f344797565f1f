// The TCP header (RFC 9293 §3.1) in smoltcp's `wire` style: a readonly repr, a parser that
// validates everything (length, data offset, pseudo-header checksum of RFC 9293 §3.1, option
// bounds) and never throws, and an emitter that prepends a valid header to a packet.

import {
  DropReason,
  finishChecksum,
  IpProtocol,
  onesComplementSum,
  pseudoHeaderSum,
  wireError,
  type Ipv4Address,
  type Packet,
  type WireError,
} from '@netlayers/core';
import { NO_OPTIONS, parseTcpOptions, tcpOptionsLength, writeTcpOptions, type TcpHeaderOptions } from './options.ts';

/** Control bits (RFC 9293 §3.1; ECE and CWR from RFC 3168 §6.1). */
export const TcpFlag = {
  FIN: 0x01,
  SYN: 0x02,
  RST: 0x04,
  PSH: 0x08,
  ACK: 0x10,
  URG: 0x20,
  ECE: 0x40,
  CWR: 0x80,
} as const;

export const TCP_HEADER_LENGTH = 20;

/** A parsed (or to-be-sent) TCP segment. Numbers are unsigned; seq and ack are uint32. */
export interface TcpSegment {
  readonly sourcePort: number;
  readonly destinationPort: number;
  readonly seq: number;
  readonly ack: number;
  /** Header length in 32-bit words (5..15). */
  readonly dataOffset: number;
  /** Bitmask of TcpFlag values. */
  readonly flags: number;
  /** The raw 16-bit window field (before any window scaling). */
  readonly window: number;
  readonly checksum: number;
  readonly urgentPointer: number;
  readonly options: TcpHeaderOptions;
  /** The payload: a view into the received bytes (copy it to keep it). */
  readonly payload: Uint8Array;
}

/** What the emitter needs: the header fields it does not compute itself. */
export interface TcpSegmentFields {
  readonly sourcePort: number;
  readonly destinationPort: number;
  readonly seq: number;
  readonly ack: number;
  readonly flags: number;
  readonly window: number;
  readonly urgentPointer?: number;
  readonly options?: TcpHeaderOptions | undefined;
}

export interface ParseTcpOptions {
  /** Check the pseudo-header checksum (default true). */
  readonly verifyChecksum?: boolean;
}

/** The defaults, shared and frozen: a call without options allocates no object for them. */
const DEFAULT_PARSE_TCP: ParseTcpOptions = Object.freeze({});

/**
 * Parse a TCP segment carried in an IPv4 datagram from `source` to `destination`. Never
 * throws: malformed input returns a WireError naming what is wrong.
 */
export function parseTcpSegment(
  bytes: Uint8Array,
  source: Ipv4Address,
  destination: Ipv4Address,
  options: ParseTcpOptions = DEFAULT_PARSE_TCP,
): TcpSegment | WireError {
  const length = bytes.length;
  if (length < TCP_HEADER_LENGTH) return wireError(DropReason.Truncated, `TCP segment of ${length} bytes is shorter than the 20-byte header`);
  const dataOffset = bytes[12]! >>> 4;
  if (dataOffset < 5) return wireError(DropReason.BadHeaderLength, `data offset ${dataOffset} is below the minimum 5 words`);
  const headerLength = dataOffset * 4;
  if (headerLength > length) {
    return wireError(DropReason.BadHeaderLength, `data offset ${dataOffset} (${headerLength} bytes) runs past the ${length}-byte segment`);
  }
  const checksum = (bytes[16]! << 8) | bytes[17]!;
  if (options.verifyChecksum !== false) {
    const sum = onesComplementSum(bytes, 0, length, pseudoHeaderSum(source.value, destination.value, IpProtocol.TCP, length));
    if (finishChecksum(sum) !== 0) {
      return wireError(DropReason.BadChecksum, `checksum 0x${checksum.toString(16).padStart(4, '0')} does not verify`);
    }
  }
  const parsedOptions = headerLength > TCP_HEADER_LENGTH ? parseTcpOptions(bytes, TCP_HEADER_LENGTH, headerLength) : NO_OPTIONS;
  if (typeof parsedOptions === 'string') return wireError(DropReason.BadOption, parsedOptions);
  return {
    sourcePort: (bytes[0]! << 8) | bytes[1]!,
    destinationPort: (bytes[2]! << 8) | bytes[3]!,
    seq: ((bytes[4]! << 24) | (bytes[5]! << 16) | (bytes[6]! << 8) | bytes[7]!) >>> 0,
    ack: ((bytes[8]! << 24) | (bytes[9]! << 16) | (bytes[10]! << 8) | bytes[11]!) >>> 0,
    dataOffset,
    flags: bytes[13]!,
    window: (bytes[14]! << 8) | bytes[15]!,
    checksum,
    urgentPointer: (bytes[18]! << 8) | bytes[19]!,
    options: parsedOptions,
    payload: bytes.subarray(headerLength),
  };
}

/** Header length in bytes for these fields (20 plus options). */
export function tcpHeaderLength(fields: TcpSegmentFields): number {
  return TCP_HEADER_LENGTH + (fields.options === undefined ? 0 : tcpOptionsLength(fields.options));
}

/**
 * Write a segment into `into`. When `payload` is given it is appended to `into` first;
 * when null, `into`'s current bytes are the payload already in place (the zero-copy path).
 * The header is then prepended and the checksum computed over the pseudo-header, header and
 * payload. Returns the header length.
 */
export function emitTcpSegment(
  segment: TcpSegmentFields,
  payload: Uint8Array | null,
  source: Ipv4Address,
  destination: Ipv4Address,
  into: Packet,
): number {
  if (payload !== null && payload.length > 0) into.append(payload.length).set(payload);
  const headerLength = tcpHeaderLength(segment);
  // The header is written in place in the packet's buffer at offset `at` (no view per header).
  const at = into.prependAt(headerLength);
  const b = into.storage;
  b[at] = segment.sourcePort >>> 8;
  b[at + 1] = segment.sourcePort & 0xff;
  b[at + 2] = segment.destinationPort >>> 8;
  b[at + 3] = segment.destinationPort & 0xff;
  const seq = segment.seq >>> 0;
  const ack = segment.ack >>> 0;
  b[at + 4] = seq >>> 24;
  b[at + 5] = (seq >>> 16) & 0xff;
  b[at + 6] = (seq >>> 8) & 0xff;
  b[at + 7] = seq & 0xff;
  b[at + 8] = ack >>> 24;
  b[at + 9] = (ack >>> 16) & 0xff;
  b[at + 10] = (ack >>> 8) & 0xff;
  b[at + 11] = ack & 0xff;
  b[at + 12] = (headerLength / 4) << 4;
  b[at + 13] = segment.flags & 0xff;
  b[at + 14] = (segment.window >>> 8) & 0xff;
  b[at + 15] = segment.window & 0xff;
  b[at + 16] = 0;
  b[at + 17] = 0;
  const urgent = segment.urgentPointer ?? 0;
  b[at + 18] = urgent >>> 8;
  b[at + 19] = urgent & 0xff;
  if (headerLength > TCP_HEADER_LENGTH && segment.options !== undefined) writeTcpOptions(segment.options, b, at + TCP_HEADER_LENGTH);
  const length = into.length;
  const checksum = finishChecksum(onesComplementSum(b, at, at + length, pseudoHeaderSum(source.value, destination.value, IpProtocol.TCP, length)));
  b[at + 16] = checksum >>> 8;
  b[at + 17] = checksum & 0xff;
  return headerLength;
}

/** Payload length plus one each for SYN and FIN: the sequence space a segment occupies (SEG.LEN). */
export function segmentLength(segment: { readonly flags: number; readonly payload: Uint8Array }): number {
  return segment.payload.length + (segment.flags & TcpFlag.SYN ? 1 : 0) + (segment.flags & TcpFlag.FIN ? 1 : 0);
}
