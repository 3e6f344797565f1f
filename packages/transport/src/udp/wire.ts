// The UDP datagram on the wire (RFC 768): an 8-byte header (source port, destination
// port, length, checksum) and the payload. The checksum covers the IPv4 pseudo-header
// (RFC 768 "Fields", RFC 1071 arithmetic); a transmitted zero means "no checksum", so a
// computed zero is sent as 0xFFFF. Parsing never throws (RFC 1122 §4.1.3.4 on receiving).

import {
  DropReason,
  IpProtocol,
  finishChecksum,
  onesComplementSum,
  pseudoHeaderSum,
  wireError,
  type Ipv4Address,
  type WireError,
} from '@netlayers/core';

export const UDP_HEADER_LENGTH = 8;
/** Largest payload one IPv4 datagram can carry without options: 65535 - 20 - 8. */
export const UDP_MAX_PAYLOAD = 65507;

/** A parsed (or to-be-sent) UDP datagram. `payload` is a view into the parsed bytes. */
export interface UdpDatagram {
  readonly sourcePort: number;
  readonly destinationPort: number;
  /** The length field: header plus payload, bytes. */
  readonly length: number;
  /** The checksum field as on the wire (0: the sender computed none). */
  readonly checksum: number;
  readonly payload: Uint8Array;
}

/** What `emitUdpDatagram` needs; length and checksum are computed. */
export interface UdpDatagramRepr {
  readonly sourcePort: number;
  readonly destinationPort: number;
  readonly payload: Uint8Array;
}

export interface UdpParseOptions {
  /** Verify a non-zero checksum (default true). */
  readonly verifyChecksum?: boolean;
}

export interface UdpEmitOptions {
  /** Compute the checksum (default true); false sends 0, "no checksum". */
  readonly checksum?: boolean;
}

/**
 * Validate `bytes` as a UDP datagram from `source` to `destination`: at least a header,
 * a length field from 8 to the bytes present (trailing bytes beyond it are ignored, as IP
 * padding), and the pseudo-header checksum unless it is zero.
 */
export function parseUdpDatagram(bytes: Uint8Array, source: Ipv4Address, destination: Ipv4Address, options: UdpParseOptions = {}): UdpDatagram | WireError {
  if (bytes.length < UDP_HEADER_LENGTH) {
    return wireError(DropReason.Truncated, `UDP datagram of ${bytes.length} bytes is shorter than its 8-byte header`);
  }
  const length = (bytes[4]! << 8) | bytes[5]!;
  if (length < UDP_HEADER_LENGTH) {
    return wireError(DropReason.BadLength, `UDP length field ${length} is less than the 8-byte header`);
  }
  if (length > bytes.length) {
    return wireError(DropReason.Truncated, `UDP length field ${length} exceeds the ${bytes.length} bytes received`);
  }
  const checksum = (bytes[6]! << 8) | bytes[7]!;
  if (checksum !== 0 && options.verifyChecksum !== false) {
    const sum = onesComplementSum(bytes, 0, length, pseudoHeaderSum(source.value, destination.value, IpProtocol.UDP, length));
    if (finishChecksum(sum) !== 0) {
      return wireError(DropReason.BadChecksum, `UDP checksum 0x${checksum.toString(16).padStart(4, '0')} does not match the pseudo-header and data`);
    }
  }
  return {
    sourcePort: (bytes[0]! << 8) | bytes[1]!,
    destinationPort: (bytes[2]! << 8) | bytes[3]!,
    length,
    checksum,
    payload: bytes.subarray(UDP_HEADER_LENGTH, length),
  };
}

/** Bytes `emitUdpDatagram` writes for `repr`. */
export function udpDatagramLength(repr: UdpDatagramRepr): number {
  return UDP_HEADER_LENGTH + repr.payload.length;
}

/**
 * Write `repr` into `into` (at least `udpDatagramLength(repr)` bytes): the header, the
 * payload (skipped when it already sits at `into[8..]`), then the checksum. Returns the checksum written.
 */
export function emitUdpDatagram(repr: UdpDatagramRepr, into: Uint8Array, source: Ipv4Address, destination: Ipv4Address, options: UdpEmitOptions = {}): number {
  const length = UDP_HEADER_LENGTH + repr.payload.length;
  into[0] = repr.sourcePort >>> 8;
  into[1] = repr.sourcePort & 0xff;
  into[2] = repr.destinationPort >>> 8;
  into[3] = repr.destinationPort & 0xff;
  into[4] = length >>> 8;
  into[5] = length & 0xff;
  into[6] = 0;
  into[7] = 0;
  const inPlace = repr.payload.buffer === into.buffer && repr.payload.byteOffset === into.byteOffset + UDP_HEADER_LENGTH;
  if (!inPlace) into.set(repr.payload, UDP_HEADER_LENGTH);
  let checksum = 0;
  if (options.checksum !== false) {
    checksum = finishChecksum(onesComplementSum(into, 0, length, pseudoHeaderSum(source.value, destination.value, IpProtocol.UDP, length)));
    if (checksum === 0) checksum = 0xffff;
  }
  into[6] = checksum >>> 8;
  into[7] = checksum & 0xff;
  return checksum;
}

/** One tcpdump-style line: "10.0.0.1.5000 > 10.0.0.2.53: UDP, length 12". */
export function udpSummary(datagram: Pick<UdpDatagram, 'sourcePort' | 'destinationPort' | 'payload'>, source: Ipv4Address, destination: Ipv4Address): string {
  return `${source}.${datagram.sourcePort} > ${destination}.${datagram.destinationPort}: UDP, length ${datagram.payload.length}`;
}
