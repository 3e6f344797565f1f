// ARP packets (RFC 826, "Packet format"), for Ethernet hardware and IPv4 only: hardware
// type 1, protocol type 0x0800, address lengths 6 and 4, so a packet is 28 bytes. Parsed
// with `parseArpPacket` (validates, never throws) and written with `emitArpPacket`.

import { DropReason, InvalidArgumentError, Ipv4Address, MacAddress, wireError, type ArpHeaderInfo, type WireError } from '@netlayers/core';

export const ArpOperation = {
  Request: 1,
  Reply: 2,
} as const;
export type ArpOperation = (typeof ArpOperation)[keyof typeof ArpOperation];

/** ar$hrd for Ethernet (RFC 826; IANA "Hardware Types"). */
export const ARP_HARDWARE_ETHERNET = 1;
/** ar$pro for IPv4: the IPv4 EtherType. */
export const ARP_PROTOCOL_IPV4 = 0x0800;
/** 8 fixed bytes + 2 * (6 + 4) address bytes. */
export const ARP_PACKET_LENGTH = 28;

export interface ArpPacket {
  readonly operation: ArpOperation;
  readonly senderHardware: MacAddress;
  readonly senderProtocol: Ipv4Address;
  readonly targetHardware: MacAddress;
  readonly targetProtocol: Ipv4Address;
}

/**
 * Parse an ARP packet; trailing bytes (Ethernet padding) are ignored. Checks the length,
 * ar$hrd = 1, ar$pro = 0x0800, ar$hln = 6, ar$pln = 4 and ar$op in {1, 2}.
 */
export function parseArpPacket(bytes: Uint8Array): ArpPacket | WireError {
  if (bytes.length < ARP_PACKET_LENGTH) {
    return wireError(DropReason.Truncated, `${bytes.length} bytes is shorter than an Ethernet/IPv4 ARP packet (28 bytes)`);
  }
  const hardwareType = (bytes[0]! << 8) | bytes[1]!;
  if (hardwareType !== ARP_HARDWARE_ETHERNET) {
    return wireError(DropReason.Malformed, `hardware type ${hardwareType} is not Ethernet (1)`);
  }
  const protocolType = (bytes[2]! << 8) | bytes[3]!;
  if (protocolType !== ARP_PROTOCOL_IPV4) {
    return wireError(DropReason.Malformed, `protocol type 0x${protocolType.toString(16).padStart(4, '0')} is not IPv4 (0x0800)`);
  }
  if (bytes[4] !== 6) return wireError(DropReason.BadLength, `hardware address length ${bytes[4]} is not 6`);
  if (bytes[5] !== 4) return wireError(DropReason.BadLength, `protocol address length ${bytes[5]} is not 4`);
  const operation = (bytes[6]! << 8) | bytes[7]!;
  if (operation !== ArpOperation.Request && operation !== ArpOperation.Reply) {
    return wireError(DropReason.Malformed, `operation ${operation} is neither request (1) nor reply (2)`);
  }
  return {
    operation,
    senderHardware: MacAddress.fromBytes(bytes, 8),
    senderProtocol: Ipv4Address.fromBytes(bytes, 14),
    targetHardware: MacAddress.fromBytes(bytes, 18),
    targetProtocol: Ipv4Address.fromBytes(bytes, 24),
  };
}

/** Write `packet` into the first 28 bytes of `into`. */
export function emitArpPacket(packet: ArpPacket, into: Uint8Array): void {
  if (packet.operation !== ArpOperation.Request && packet.operation !== ArpOperation.Reply) {
    throw new InvalidArgumentError('operation', packet.operation, 'must be 1 (request) or 2 (reply)');
  }
  if (into.length < ARP_PACKET_LENGTH) {
    throw new InvalidArgumentError('into.length', into.length, `must be at least ${ARP_PACKET_LENGTH} bytes`);
  }
  into[0] = 0;
  into[1] = ARP_HARDWARE_ETHERNET;
  into[2] = ARP_PROTOCOL_IPV4 >>> 8;
  into[3] = ARP_PROTOCOL_IPV4 & 0xff;
  into[4] = 6;
  into[5] = 4;
  into[6] = 0;
  into[7] = packet.operation;
  packet.senderHardware.writeTo(into, 8);
  packet.senderProtocol.writeTo(into, 14);
  packet.targetHardware.writeTo(into, 18);
  packet.targetProtocol.writeTo(into, 24);
}

/** A fresh 28-byte buffer holding `packet`. */
export function encodeArpPacket(packet: ArpPacket): Uint8Array {
  const bytes = new Uint8Array(ARP_PACKET_LENGTH);
  emitArpPacket(packet, bytes);
  return bytes;
}

/** True for a gratuitous ARP: the sender announces its own address (sender = target protocol address). */
export function isGratuitousArp(packet: ArpPacket): boolean {
  return packet.senderProtocol.equals(packet.targetProtocol);
}

/** tcpdump style: "ARP, Request who-has 10.0.0.2 tell 10.0.0.1", "ARP, Reply 10.0.0.2 is-at 02:00:00:00:00:02". */
export function arpSummary(packet: ArpPacket): string {
  if (packet.operation === ArpOperation.Request) {
    return `ARP, Request who-has ${packet.targetProtocol} tell ${packet.senderProtocol}`;
  }
  return `ARP, Reply ${packet.senderProtocol} is-at ${packet.senderHardware}`;
}

/** The fields a trace event carries for an ARP packet. */
export function arpHeaderInfo(packet: ArpPacket): ArpHeaderInfo {
  return {
    protocol: 'arp',
    operation: packet.operation === ArpOperation.Request ? 'request' : 'reply',
    senderHardware: packet.senderHardware.toString(),
    senderProtocol: packet.senderProtocol.toString(),
    targetHardware: packet.targetHardware.toString(),
    targetProtocol: packet.targetProtocol.toString(),
  };
}
