// VXLAN (RFC 7348 section 5): an Ethernet frame carried in a UDP datagram to port 4789,
// behind an 8-byte header with the I flag and a 24-bit VXLAN Network Identifier (VNI).
// Wire format in the manner of smoltcp's `wire`: `parseVxlan` validates and never throws,
// `emitVxlanHeader` writes valid bytes. Reserved bits are sent as zero and ignored on
// receipt (section 5); the inner frame carries no FCS.
//
//    0                   1                   2                   3
//   |R|R|R|R|I|R|R|R|            Reserved                           |
//   |                VXLAN Network Identifier (VNI) |   Reserved    |

import { DropReason, InvalidArgumentError, wireError, type WireError } from '@netlayers/core';

/** IANA-assigned UDP destination port (RFC 7348 section 5). */
export const VXLAN_PORT = 4789;
export const VXLAN_HEADER_LENGTH = 8;
/** The I flag: the VNI is valid. It MUST be 1 (section 5). */
export const VXLAN_FLAG_I = 0x08;
export const VXLAN_MAX_VNI = 0xffffff;
/** An inner Ethernet header (destination, source, EtherType) at least. */
const INNER_MIN = 14;

export interface VxlanHeader {
  /** VXLAN Network Identifier, 0..2^24-1: the segment. */
  readonly vni: number;
}

export interface VxlanPacket extends VxlanHeader {
  /** The flags byte as received (I set; the R bits are ignored). */
  readonly flags: number;
  /** The inner Ethernet frame without FCS: a view into the received bytes. */
  readonly payload: Uint8Array;
}

/** Validate `bytes` (a UDP payload) as a VXLAN packet. */
export function parseVxlan(bytes: Uint8Array): VxlanPacket | WireError {
  if (bytes.length < VXLAN_HEADER_LENGTH) {
    return wireError(DropReason.Truncated, `VXLAN packet of ${bytes.length} bytes is shorter than its 8-byte header`);
  }
  const flags = bytes[0]!;
  if ((flags & VXLAN_FLAG_I) === 0) {
    return wireError(DropReason.Malformed, `VXLAN flags 0x${flags.toString(16).padStart(2, '0')} lack the I flag (RFC 7348 section 5)`);
  }
  if (bytes.length < VXLAN_HEADER_LENGTH + INNER_MIN) {
    return wireError(DropReason.Truncated, `VXLAN packet carries ${bytes.length - VXLAN_HEADER_LENGTH} bytes, less than an inner Ethernet header`);
  }
  const vni = (bytes[4]! << 16) | (bytes[5]! << 8) | bytes[6]!;
  return { flags, vni, payload: bytes.subarray(VXLAN_HEADER_LENGTH) };
}

/** Write the 8-byte header for `header` at the start of `into`; returns 8. */
export function emitVxlanHeader(header: VxlanHeader, into: Uint8Array): number {
  assertVni(header.vni);
  into[0] = VXLAN_FLAG_I;
  into[1] = 0;
  into[2] = 0;
  into[3] = 0;
  into[4] = header.vni >>> 16;
  into[5] = (header.vni >>> 8) & 0xff;
  into[6] = header.vni & 0xff;
  into[7] = 0;
  return VXLAN_HEADER_LENGTH;
}

/** A whole VXLAN packet (the UDP payload): the header, then `inner` (an Ethernet frame without FCS). */
export function encapsulateVxlan(header: VxlanHeader, inner: Uint8Array): Uint8Array {
  const out = new Uint8Array(VXLAN_HEADER_LENGTH + inner.length);
  emitVxlanHeader(header, out);
  out.set(inner, VXLAN_HEADER_LENGTH);
  return out;
}

/** Throw a typed error unless `vni` is a 24-bit identifier. */
export function assertVni(vni: unknown): asserts vni is number {
  if (typeof vni !== 'number' || !Number.isInteger(vni) || vni < 0 || vni > VXLAN_MAX_VNI) {
    throw new InvalidArgumentError('vni', vni, `must be an integer from 0 to ${VXLAN_MAX_VNI}`);
  }
}

/** "VXLAN, flags [I] (0x08), vni 42". */
export function vxlanSummary(packet: VxlanPacket): string {
  return `VXLAN, flags [${packet.flags & VXLAN_FLAG_I ? 'I' : '.'}] (0x${packet.flags.toString(16).padStart(2, '0')}), vni ${packet.vni}`;
}
