// The 20-byte IPv4 header (RFC 791 §3.1) the fake network layer writes in front of the
// payloads it carries, so receivers see a real datagram in IpReceiveInfo.datagram, and the
// small reader it uses to quote a datagram in an ICMP error (RFC 792).

import { Ipv4Address, internetChecksum } from '@netlayers/core';

export interface FakeDatagramHeader {
  readonly source: Ipv4Address;
  readonly destination: Ipv4Address;
  readonly protocol: number;
  readonly ttl: number;
  readonly tos: number;
  readonly identification: number;
}

/** A datagram: a header without options (IHL 5, no fragmentation) followed by `payload`. */
export function buildDatagram(header: FakeDatagramHeader, payload: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(20 + payload.length);
  bytes[0] = 0x45;
  bytes[1] = header.tos & 0xff;
  bytes[2] = bytes.length >>> 8;
  bytes[3] = bytes.length & 0xff;
  bytes[4] = (header.identification >>> 8) & 0xff;
  bytes[5] = header.identification & 0xff;
  bytes[8] = header.ttl & 0xff;
  bytes[9] = header.protocol & 0xff;
  header.source.writeTo(bytes, 12);
  header.destination.writeTo(bytes, 16);
  const checksum = internetChecksum(bytes, 0, 20);
  bytes[10] = checksum >>> 8;
  bytes[11] = checksum & 0xff;
  bytes.set(payload, 20);
  return bytes;
}

/** The fields an ICMP error quotes, or null when `datagram` is not a readable IPv4 header. */
export function readQuotedHeader(datagram: Uint8Array): { source: Ipv4Address; destination: Ipv4Address; protocol: number; headerLength: number } | null {
  if (datagram.length < 20 || datagram[0]! >> 4 !== 4) return null;
  const headerLength = (datagram[0]! & 0x0f) * 4;
  if (headerLength < 20 || headerLength > datagram.length) return null;
  return {
    source: Ipv4Address.fromBytes(datagram, 12),
    destination: Ipv4Address.fromBytes(datagram, 16),
    protocol: datagram[9]!,
    headerLength,
  };
}
