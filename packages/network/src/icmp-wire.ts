// ICMP wire format (RFC 792): echo request/reply, destination unreachable (with the RFC 1191
// next-hop MTU for "fragmentation needed"), time exceeded, parameter problem, source quench
// and redirect, each with the Internet checksum over the whole message (RFC 1071). Error
// messages quote the offending datagram's IP header and at least its first 8 data bytes;
// `quoteForIcmpError` takes as much as fits in a 576-byte datagram (RFC 1812 §4.3.2.3).
// `parseIcmp` never throws; `emitIcmp` writes valid bytes.

import { DropReason, Ipv4Address, internetChecksum, isWireError, wireError, type WireError } from '@netlayers/core';
import { IPV4_MIN_HEADER_LENGTH, IPV4_MIN_REASSEMBLY_SIZE } from './ipv4-wire.ts';

export const ICMP_HEADER_LENGTH = 8;

/** ICMP type numbers (RFC 792). */
export const IcmpType = {
  EchoReply: 0,
  DestinationUnreachable: 3,
  SourceQuench: 4,
  Redirect: 5,
  EchoRequest: 8,
  TimeExceeded: 11,
  ParameterProblem: 12,
} as const;

/** Time exceeded codes (RFC 792). */
export const TimeExceededCode = {
  TtlExceededInTransit: 0,
  FragmentReassemblyTimeExceeded: 1,
} as const;

/** Longest quote an error carries: a 576-byte datagram less its IP and ICMP headers. */
export const ICMP_ERROR_QUOTE_MAX = IPV4_MIN_REASSEMBLY_SIZE - IPV4_MIN_HEADER_LENGTH - ICMP_HEADER_LENGTH;

export interface IcmpEcho {
  readonly kind: 'echo-request' | 'echo-reply';
  readonly code: number;
  readonly identifier: number;
  readonly sequence: number;
  readonly data: Uint8Array;
}

export interface IcmpDestinationUnreachable {
  readonly kind: 'destination-unreachable';
  readonly code: number;
  /** Next-hop MTU (RFC 1191) for code 4, fragmentation needed; 0 otherwise or when unknown. */
  readonly nextHopMtu: number;
  /** The quoted datagram: its IP header and the first bytes of its data. */
  readonly original: Uint8Array;
}

export interface IcmpTimeExceeded {
  readonly kind: 'time-exceeded';
  readonly code: number;
  readonly original: Uint8Array;
}

export interface IcmpParameterProblem {
  readonly kind: 'parameter-problem';
  readonly code: number;
  /** Octet of the quoted header where the problem is. */
  readonly pointer: number;
  readonly original: Uint8Array;
}

export interface IcmpSourceQuench {
  readonly kind: 'source-quench';
  readonly code: number;
  readonly original: Uint8Array;
}

export interface IcmpRedirect {
  readonly kind: 'redirect';
  readonly code: number;
  readonly gateway: Ipv4Address;
  readonly original: Uint8Array;
}

/** Any other type (timestamp, information request, ...): kept as type, code and the bytes after the checksum. */
export interface IcmpOther {
  readonly kind: 'other';
  readonly type: number;
  readonly code: number;
  readonly rest: Uint8Array;
}

export type IcmpErrorMessage = IcmpDestinationUnreachable | IcmpTimeExceeded | IcmpParameterProblem | IcmpSourceQuench | IcmpRedirect;
export type IcmpMessage = IcmpEcho | IcmpErrorMessage | IcmpOther;

/** The type number a message carries on the wire. */
export function icmpTypeOf(message: IcmpMessage): number {
  switch (message.kind) {
    case 'echo-reply': return IcmpType.EchoReply;
    case 'echo-request': return IcmpType.EchoRequest;
    case 'destination-unreachable': return IcmpType.DestinationUnreachable;
    case 'time-exceeded': return IcmpType.TimeExceeded;
    case 'parameter-problem': return IcmpType.ParameterProblem;
    case 'source-quench': return IcmpType.SourceQuench;
    case 'redirect': return IcmpType.Redirect;
    case 'other': return message.type;
  }
}

/** Whether an ICMP type is an error message (never answered with another error, RFC 1122 §3.2.2). */
export function isIcmpErrorType(type: number): boolean {
  return (
    type === IcmpType.DestinationUnreachable ||
    type === IcmpType.SourceQuench ||
    type === IcmpType.Redirect ||
    type === IcmpType.TimeExceeded ||
    type === IcmpType.ParameterProblem
  );
}

export interface ParseIcmpOptions {
  /** Verify the checksum (default true). Tracing a first fragment turns it off. */
  readonly checksum?: boolean;
}

/** Parse and validate an ICMP message (the IP datagram's data). Never throws. */
export function parseIcmp(bytes: Uint8Array, options: ParseIcmpOptions = {}): IcmpMessage | WireError {
  if (bytes.length < ICMP_HEADER_LENGTH) {
    return wireError(DropReason.Truncated, `ICMP message needs 8 bytes, got ${bytes.length}`);
  }
  if (options.checksum !== false && internetChecksum(bytes) !== 0) {
    const got = (bytes[2]! << 8) | bytes[3]!;
    return wireError(DropReason.BadChecksum, `ICMP checksum 0x${got.toString(16).padStart(4, '0')} is wrong`);
  }
  const type = bytes[0]!;
  const code = bytes[1]!;
  const word1 = (bytes[4]! << 8) | bytes[5]!;
  const word2 = (bytes[6]! << 8) | bytes[7]!;
  const rest = bytes.subarray(ICMP_HEADER_LENGTH);
  switch (type) {
    case IcmpType.EchoRequest:
    case IcmpType.EchoReply:
      return { kind: type === IcmpType.EchoRequest ? 'echo-request' : 'echo-reply', code, identifier: word1, sequence: word2, data: rest };
    case IcmpType.DestinationUnreachable:
      return { kind: 'destination-unreachable', code, nextHopMtu: code === 4 ? word2 : 0, original: rest };
    case IcmpType.TimeExceeded:
      return { kind: 'time-exceeded', code, original: rest };
    case IcmpType.ParameterProblem:
      return { kind: 'parameter-problem', code, pointer: bytes[4]!, original: rest };
    case IcmpType.SourceQuench:
      return { kind: 'source-quench', code, original: rest };
    case IcmpType.Redirect:
      return { kind: 'redirect', code, gateway: Ipv4Address.fromBytes(bytes, 4), original: rest };
    default:
      return { kind: 'other', type, code, rest: bytes.subarray(4) };
  }
}

/** Bytes `emitIcmp` writes for this message. */
export function icmpLength(message: IcmpMessage): number {
  switch (message.kind) {
    case 'echo-request':
    case 'echo-reply':
      return ICMP_HEADER_LENGTH + message.data.length;
    case 'other':
      return 4 + message.rest.length;
    default:
      return ICMP_HEADER_LENGTH + message.original.length;
  }
}

/** Write `message` at the start of `into` (which must hold `icmpLength(message)` bytes) with its checksum; returns the length. */
export function emitIcmp(message: IcmpMessage, into: Uint8Array): number {
  const length = icmpLength(message);
  into[0] = icmpTypeOf(message);
  into[1] = message.code & 0xff;
  into[2] = 0;
  into[3] = 0;
  let word1 = 0;
  let word2 = 0;
  switch (message.kind) {
    case 'echo-request':
    case 'echo-reply':
      word1 = message.identifier;
      word2 = message.sequence;
      into.set(message.data, ICMP_HEADER_LENGTH);
      break;
    case 'destination-unreachable':
      word2 = message.nextHopMtu;
      into.set(message.original, ICMP_HEADER_LENGTH);
      break;
    case 'parameter-problem':
      word1 = (message.pointer & 0xff) << 8;
      into.set(message.original, ICMP_HEADER_LENGTH);
      break;
    case 'redirect':
      word1 = message.gateway.value >>> 16;
      word2 = message.gateway.value & 0xffff;
      into.set(message.original, ICMP_HEADER_LENGTH);
      break;
    case 'time-exceeded':
    case 'source-quench':
      into.set(message.original, ICMP_HEADER_LENGTH);
      break;
    case 'other':
      into.set(message.rest, 4);
      break;
  }
  if (message.kind !== 'other') {
    into[4] = (word1 >>> 8) & 0xff;
    into[5] = word1 & 0xff;
    into[6] = (word2 >>> 8) & 0xff;
    into[7] = word2 & 0xff;
  }
  const checksum = internetChecksum(into, 0, length);
  into[2] = checksum >>> 8;
  into[3] = checksum & 0xff;
  return length;
}

/** A new buffer holding the encoded message. */
export function encodeIcmp(message: IcmpMessage): Uint8Array {
  const bytes = new Uint8Array(icmpLength(message));
  emitIcmp(message, bytes);
  return bytes;
}

/** What an error quotes of `datagram`: the whole of it up to 548 bytes (at least the header and 8 data bytes when present). */
export function quoteForIcmpError(datagram: Uint8Array): Uint8Array {
  return datagram.subarray(0, Math.min(datagram.length, ICMP_ERROR_QUOTE_MAX));
}

/** The header fields of a quoted datagram (a quote is usually shorter than its total length, so parseIpv4 does not apply). */
export interface QuotedDatagram {
  readonly headerLength: number;
  readonly protocol: number;
  readonly source: Ipv4Address;
  readonly destination: Ipv4Address;
  readonly identification: number;
  readonly fragmentOffset: number;
  /** The quoted bytes after the header (at most total length - header length). */
  readonly payload: Uint8Array;
}

/** Parse the datagram an ICMP error quotes: version 4, IHL >= 5, the whole header present. Never throws. */
export function parseQuotedDatagram(original: Uint8Array): QuotedDatagram | WireError {
  if (original.length < IPV4_MIN_HEADER_LENGTH) {
    return wireError(DropReason.Truncated, `quoted datagram has ${original.length} bytes, less than an IPv4 header`);
  }
  const version = original[0]! >>> 4;
  if (version !== 4) return wireError(DropReason.BadVersion, `quoted datagram has IP version ${version}`);
  const headerLength = (original[0]! & 0x0f) * 4;
  if (headerLength < IPV4_MIN_HEADER_LENGTH || headerLength > original.length) {
    return wireError(DropReason.BadHeaderLength, `quoted header length ${headerLength} does not fit the ${original.length}-byte quote`);
  }
  const totalLength = (original[2]! << 8) | original[3]!;
  const end = Math.max(headerLength, Math.min(original.length, totalLength));
  return {
    headerLength,
    protocol: original[9]!,
    source: Ipv4Address.fromBytes(original, 12),
    destination: Ipv4Address.fromBytes(original, 16),
    identification: (original[4]! << 8) | original[5]!,
    fragmentOffset: ((((original[6]! << 8) | original[7]!) & 0x1fff) * 8),
    payload: original.subarray(headerLength, end),
  };
}

const UNREACHABLE_TEXT: Record<number, string> = {
  0: 'net unreachable',
  1: 'host unreachable',
  2: 'protocol unreachable',
  3: 'port unreachable',
  4: 'fragmentation needed',
  5: 'source route failed',
  6: 'destination network unknown',
  7: 'destination host unknown',
  9: 'network administratively prohibited',
  10: 'host administratively prohibited',
  13: 'communication administratively prohibited',
};

/** The message part of a tcpdump line: "ICMP echo request, id 1, seq 1, length 64". */
export function icmpSummary(message: IcmpMessage, length: number): string {
  switch (message.kind) {
    case 'echo-request':
    case 'echo-reply':
      return `ICMP echo ${message.kind === 'echo-request' ? 'request' : 'reply'}, id ${message.identifier}, seq ${message.sequence}, length ${length}`;
    case 'destination-unreachable': {
      const quoted = parseQuotedDatagram(message.original);
      const about = isWireError(quoted) ? '' : ` (${quoted.destination})`;
      const text = UNREACHABLE_TEXT[message.code] ?? `unreachable code ${message.code}`;
      const mtu = message.code === 4 ? ` (mtu ${message.nextHopMtu})` : '';
      return `ICMP ${text}${about}${mtu}, length ${length}`;
    }
    case 'time-exceeded':
      return `ICMP time exceeded ${message.code === 1 ? 'in-reassembly' : 'in-transit'}, length ${length}`;
    case 'parameter-problem':
      return `ICMP parameter problem, pointer ${message.pointer}, length ${length}`;
    case 'source-quench':
      return `ICMP source quench, length ${length}`;
    case 'redirect':
      return `ICMP redirect to ${message.gateway}, length ${length}`;
    case 'other':
      return `ICMP type ${message.type}, code ${message.code}, length ${length}`;
  }
}
