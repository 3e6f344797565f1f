// RIP version 2 messages (RFC 2453 §4, with the §3.6 header): a 4-octet header — command
// (1 request, 2 response), version (2), two zero octets — then 1 to 25 route entries of 20
// octets: address family (2 = IP; 0 in a whole-table request), route tag, IP address,
// subnet mask, next hop (0.0.0.0: "via the sender"), metric (1..16). No authentication
// entries (§4.1). `parseRipMessage` validates everything and never throws.

import { DropReason, Ipv4Address, wireError, type WireError } from '@netlayers/core';

export const RIP_PORT = 520;
export const RIP_VERSION = 2;
export const RIP_INFINITY = 16;
export const RIP_HEADER_LENGTH = 4;
export const RIP_ENTRY_LENGTH = 20;
export const RIP_MAX_ENTRIES = 25;
export const AF_INET = 2;

export const RipCommand = { Request: 1, Response: 2 } as const;
export type RipCommand = (typeof RipCommand)[keyof typeof RipCommand];

export interface RipEntry {
  /** 2 (IP); 0 only in a request for the whole table. */
  readonly addressFamily: number;
  readonly routeTag: number;
  readonly address: Ipv4Address;
  /** Prefix length, from the subnet mask. */
  readonly prefixLength: number;
  readonly nextHop: Ipv4Address;
  readonly metric: number;
}

export interface RipMessage {
  readonly command: RipCommand;
  readonly version: number;
  readonly entries: readonly RipEntry[];
}

/** Bytes of a message with `entries` route entries. */
export function ripMessageLength(entries: number): number {
  return RIP_HEADER_LENGTH + entries * RIP_ENTRY_LENGTH;
}

/** Write `message` (at most 25 entries) into a new array. */
export function emitRipMessage(message: RipMessage): Uint8Array {
  const bytes = new Uint8Array(ripMessageLength(message.entries.length));
  bytes[0] = message.command;
  bytes[1] = message.version;
  message.entries.forEach((entry, i) => {
    const o = RIP_HEADER_LENGTH + i * RIP_ENTRY_LENGTH;
    bytes[o] = entry.addressFamily >>> 8;
    bytes[o + 1] = entry.addressFamily & 0xff;
    bytes[o + 2] = entry.routeTag >>> 8;
    bytes[o + 3] = entry.routeTag & 0xff;
    entry.address.writeTo(bytes, o + 4);
    writeUint32(bytes, o + 8, entry.prefixLength === 0 ? 0 : (0xffffffff << (32 - entry.prefixLength)) >>> 0);
    entry.nextHop.writeTo(bytes, o + 12);
    writeUint32(bytes, o + 16, entry.metric);
  });
  return bytes;
}

function writeUint32(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = value >>> 24;
  bytes[offset + 1] = (value >>> 16) & 0xff;
  bytes[offset + 2] = (value >>> 8) & 0xff;
  bytes[offset + 3] = value & 0xff;
}

function readUint32(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset]! << 24) | (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!) >>> 0;
}

/** The prefix length of a contiguous mask, or -1 when the mask has holes. */
export function maskToPrefixLength(mask: number): number {
  let length = 0;
  while (length < 32 && ((mask >>> (31 - length)) & 1) === 1) length++;
  const rebuilt = length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
  return rebuilt === mask >>> 0 ? length : -1;
}

/** Validate a RIPv2 message. Never throws. */
export function parseRipMessage(bytes: Uint8Array): RipMessage | WireError {
  if (bytes.length < RIP_HEADER_LENGTH) return wireError(DropReason.Truncated, `${bytes.length} octets, a RIP header is ${RIP_HEADER_LENGTH}`);
  const command = bytes[0]!;
  if (command !== RipCommand.Request && command !== RipCommand.Response) return wireError(DropReason.Malformed, `unknown RIP command ${command}`);
  const version = bytes[1]!;
  if (version !== RIP_VERSION) return wireError(DropReason.BadVersion, `RIP version ${version}, only version 2 is spoken`);
  const body = bytes.length - RIP_HEADER_LENGTH;
  if (body % RIP_ENTRY_LENGTH !== 0) return wireError(DropReason.BadLength, `${body} octets of entries is not a multiple of ${RIP_ENTRY_LENGTH}`);
  const count = body / RIP_ENTRY_LENGTH;
  if (count > RIP_MAX_ENTRIES) return wireError(DropReason.BadLength, `${count} entries, at most ${RIP_MAX_ENTRIES}`);
  const entries: RipEntry[] = [];
  for (let i = 0; i < count; i++) {
    const o = RIP_HEADER_LENGTH + i * RIP_ENTRY_LENGTH;
    const addressFamily = (bytes[o]! << 8) | bytes[o + 1]!;
    if (addressFamily === 0xffff) return wireError(DropReason.Malformed, 'authentication entries are not supported');
    const prefixLength = maskToPrefixLength(readUint32(bytes, o + 8));
    if (prefixLength < 0) return wireError(DropReason.Malformed, `entry ${i + 1} has a non-contiguous subnet mask`);
    const metric = readUint32(bytes, o + 16);
    if (metric < 1 || metric > RIP_INFINITY) return wireError(DropReason.Malformed, `entry ${i + 1} has metric ${metric}, not 1 to ${RIP_INFINITY}`);
    entries.push({
      addressFamily,
      routeTag: (bytes[o + 2]! << 8) | bytes[o + 3]!,
      address: Ipv4Address.fromBytes(bytes, o + 4),
      prefixLength,
      nextHop: Ipv4Address.fromBytes(bytes, o + 12),
      metric,
    });
  }
  return { command: command as RipCommand, version, entries };
}

/** True for a request for the whole table: one entry, family 0, metric 16 (RFC 2453 §3.9.1). */
export function isWholeTableRequest(message: RipMessage): boolean {
  return message.command === RipCommand.Request && message.entries.length === 1 && message.entries[0]!.addressFamily === 0 && message.entries[0]!.metric === RIP_INFINITY;
}
