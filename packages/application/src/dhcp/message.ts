// DHCP messages (RFC 2131 §2, Figure 1): the BOOTP fixed part (op, htype, hlen, hops, xid,
// secs, flags, ciaddr, yiaddr, siaddr, giaddr, chaddr, sname, file), the magic cookie
// 99.130.83.99 and the options of RFC 2132 (§3.3 subnet mask, §3.5 router, §3.8 DNS
// servers, §3.14 host name, §9.1 requested address, §9.2 lease time, §9.6 message type,
// §9.7 server identifier, §9.8 parameter request list, §9.4 message, §9.11/9.12 T1/T2,
// §9.14 client identifier; pad and end). Every option is bounds-checked; a repeated
// option is concatenated before decoding (RFC 3396 §5). `parseDhcpMessage` never throws.

import { DropReason, InvalidArgumentError, Ipv4Address, MacAddress, wireError, type WireError } from '@netlayers/core';
import { concatBytes } from '../util/bytes.ts';

export const BOOTREQUEST = 1;
export const BOOTREPLY = 2;
export const DHCP_SERVER_PORT = 67;
export const DHCP_CLIENT_PORT = 68;
/** Bytes before the options: the BOOTP fixed part (236) plus the magic cookie (4). */
export const DHCP_FIXED_LENGTH = 240;
/** Every DHCP client must accept messages of this size (RFC 2131 §2). */
export const DHCP_MIN_MESSAGE = 300;
export const MAGIC_COOKIE = Uint8Array.of(99, 130, 83, 99);
export const BROADCAST_FLAG = 0x8000;

/**
 * Option 53 values as IANA lists them: RFC 2132 §9.6 (1-8), RFC 3203 (9), RFC 4388
 * leasequery (10-13), RFC 6926 bulk leasequery (14-15), RFC 7724 active leasequery (16-18).
 * This codec's client and server use 1-8; the others are named so traces can show them.
 */
export const DhcpMessageType = {
  DHCPDISCOVER: 1,
  DHCPOFFER: 2,
  DHCPREQUEST: 3,
  DHCPDECLINE: 4,
  DHCPACK: 5,
  DHCPNAK: 6,
  DHCPRELEASE: 7,
  DHCPINFORM: 8,
  DHCPFORCERENEW: 9,
  DHCPLEASEQUERY: 10,
  DHCPLEASEUNASSIGNED: 11,
  DHCPLEASEUNKNOWN: 12,
  DHCPLEASEACTIVE: 13,
  DHCPBULKLEASEQUERY: 14,
  DHCPLEASEQUERYDONE: 15,
  DHCPACTIVELEASEQUERY: 16,
  DHCPLEASEQUERYSTATUS: 17,
  DHCPTLS: 18,
} as const;
/** A known message type; a parsed message may also carry any other octet, kept as a number. */
export type DhcpMessageType = (typeof DhcpMessageType)[keyof typeof DhcpMessageType];

export function dhcpMessageTypeName(type: number | undefined): string {
  return Object.entries(DhcpMessageType).find(([, v]) => v === type)?.[0] ?? `DHCP-type-${type}`;
}

export const DhcpOption = {
  Pad: 0,
  SubnetMask: 1,
  Router: 3,
  DomainNameServer: 6,
  HostName: 12,
  RequestedIpAddress: 50,
  IpAddressLeaseTime: 51,
  MessageType: 53,
  ServerIdentifier: 54,
  ParameterRequestList: 55,
  Message: 56,
  RenewalTime: 58,
  RebindingTime: 59,
  ClientIdentifier: 61,
  End: 255,
} as const;

export interface DhcpOptions {
  /** Option 53: a DhcpMessageType value, or an unassigned octet kept as it was received. */
  readonly messageType?: DhcpMessageType | number;
  readonly subnetMask?: Ipv4Address;
  readonly routers?: readonly Ipv4Address[];
  readonly dnsServers?: readonly Ipv4Address[];
  readonly hostName?: string;
  readonly requestedIp?: Ipv4Address;
  /** Seconds; 0xffffffff means infinite. */
  readonly leaseTime?: number;
  readonly serverId?: Ipv4Address;
  readonly parameterRequestList?: readonly number[];
  readonly message?: string;
  /** T1, seconds. */
  readonly renewalTime?: number;
  /** T2, seconds. */
  readonly rebindingTime?: number;
  readonly clientId?: Uint8Array;
  /** Options this codec does not decode, in order. */
  readonly other?: readonly { readonly code: number; readonly data: Uint8Array }[];
}

export interface DhcpMessage {
  readonly op: typeof BOOTREQUEST | typeof BOOTREPLY;
  /** Hardware type (1 = Ethernet). */
  readonly htype: number;
  readonly hlen: number;
  readonly hops: number;
  readonly xid: number;
  readonly secs: number;
  readonly flags: number;
  readonly ciaddr: Ipv4Address;
  readonly yiaddr: Ipv4Address;
  readonly siaddr: Ipv4Address;
  readonly giaddr: Ipv4Address;
  /** Client hardware address (the first hlen bytes of chaddr when htype is Ethernet). */
  readonly chaddr: MacAddress;
  readonly sname: string;
  readonly file: string;
  readonly options: DhcpOptions;
}

export function dhcpMessage(fields: Partial<DhcpMessage> & Pick<DhcpMessage, 'op' | 'xid' | 'chaddr'>): DhcpMessage {
  return {
    htype: 1,
    hlen: 6,
    hops: 0,
    secs: 0,
    flags: 0,
    ciaddr: Ipv4Address.ANY,
    yiaddr: Ipv4Address.ANY,
    siaddr: Ipv4Address.ANY,
    giaddr: Ipv4Address.ANY,
    sname: '',
    file: '',
    options: {},
    ...fields,
  };
}

const u16 = (b: Uint8Array, o: number): number => (b[o]! << 8) | b[o + 1]!;
const u32 = (b: Uint8Array, o: number): number => ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;

function cString(bytes: Uint8Array, start: number, length: number): string {
  let end = start;
  while (end < start + length && bytes[end] !== 0) end++;
  return latin1Text(bytes.subarray(start, end));
}

/** One character per octet, in slices: a spread of a 64 KB option would overflow the call stack. */
function latin1Text(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 4096) out += String.fromCharCode(...bytes.subarray(i, i + 4096));
  return out;
}

export function parseDhcpMessage(bytes: Uint8Array): DhcpMessage | WireError {
  if (bytes.length < DHCP_FIXED_LENGTH) return wireError(DropReason.Truncated, `DHCP message of ${bytes.length} bytes is shorter than the 240-byte fixed part and cookie`);
  const op = bytes[0]!;
  if (op !== BOOTREQUEST && op !== BOOTREPLY) return wireError(DropReason.Malformed, `op ${op} is neither BOOTREQUEST nor BOOTREPLY`);
  const htype = bytes[1]!;
  const hlen = bytes[2]!;
  if (htype !== 1 || hlen !== 6) return wireError(DropReason.Malformed, `hardware type ${htype}/length ${hlen}: only Ethernet (1/6) is supported`);
  for (let i = 0; i < 4; i++) {
    if (bytes[236 + i] !== MAGIC_COOKIE[i]) return wireError(DropReason.Malformed, 'no DHCP magic cookie 99.130.83.99 (plain BOOTP is not supported)');
  }
  const raw = new Map<number, Uint8Array[]>();
  const order: number[] = [];
  let at = DHCP_FIXED_LENGTH;
  let ended = false;
  while (at < bytes.length) {
    const code = bytes[at]!;
    if (code === DhcpOption.Pad) {
      at++;
      continue;
    }
    if (code === DhcpOption.End) {
      ended = true;
      break;
    }
    if (at + 1 >= bytes.length) return wireError(DropReason.BadOption, `option ${code} at ${at} has no length byte`);
    const length = bytes[at + 1]!;
    if (at + 2 + length > bytes.length) return wireError(DropReason.BadOption, `option ${code} at ${at} claims ${length} bytes past the end of the message`);
    if (!raw.has(code)) {
      raw.set(code, []);
      order.push(code);
    }
    raw.get(code)!.push(bytes.subarray(at + 2, at + 2 + length));
    at += 2 + length;
  }
  if (!ended) return wireError(DropReason.BadOption, 'options are not terminated by the end option (255)');
  const options = decodeOptions(raw, order);
  if ('wireError' in options) return options;
  return {
    op,
    htype,
    hlen,
    hops: bytes[3]!,
    xid: u32(bytes, 4),
    secs: u16(bytes, 8),
    flags: u16(bytes, 10),
    ciaddr: Ipv4Address.fromBytes(bytes, 12),
    yiaddr: Ipv4Address.fromBytes(bytes, 16),
    siaddr: Ipv4Address.fromBytes(bytes, 20),
    giaddr: Ipv4Address.fromBytes(bytes, 24),
    chaddr: MacAddress.fromBytes(bytes, 28),
    sname: cString(bytes, 44, 64),
    file: cString(bytes, 108, 128),
    options,
  };
}

function decodeOptions(raw: Map<number, Uint8Array[]>, order: number[]): DhcpOptions | WireError {
  const result: Record<string, unknown> = {};
  const other: { code: number; data: Uint8Array }[] = [];
  for (const code of order) {
    const data = concatBytes(raw.get(code)!);
    const bad = (why: string): WireError => wireError(DropReason.BadOption, `option ${code}: ${why}`);
    const address = (): Ipv4Address | WireError => (data.length === 4 ? Ipv4Address.fromBytes(data) : bad(`length ${data.length}, expected 4`));
    const addresses = (): Ipv4Address[] | WireError => {
      if (data.length === 0 || data.length % 4 !== 0) return bad(`length ${data.length} is not a non-zero multiple of 4`);
      return Array.from({ length: data.length / 4 }, (_, i) => Ipv4Address.fromBytes(data, i * 4));
    };
    const seconds = (): number | WireError => (data.length === 4 ? u32(data, 0) : bad(`length ${data.length}, expected 4`));
    let value: unknown;
    let key: keyof DhcpOptions | null = null;
    switch (code) {
      case DhcpOption.SubnetMask: key = 'subnetMask'; value = address(); break;
      case DhcpOption.Router: key = 'routers'; value = addresses(); break;
      case DhcpOption.DomainNameServer: key = 'dnsServers'; value = addresses(); break;
      case DhcpOption.HostName: key = 'hostName'; value = data.length === 0 ? bad('empty host name') : latin1Text(data); break;
      case DhcpOption.RequestedIpAddress: key = 'requestedIp'; value = address(); break;
      case DhcpOption.IpAddressLeaseTime: key = 'leaseTime'; value = seconds(); break;
      case DhcpOption.MessageType:
        key = 'messageType';
        // Any octet is kept: a type this codec does not know is still a well-formed message.
        value = data.length !== 1 ? bad(`length ${data.length}, expected 1`) : data[0];
        break;
      case DhcpOption.ServerIdentifier: key = 'serverId'; value = address(); break;
      case DhcpOption.ParameterRequestList: key = 'parameterRequestList'; value = data.length === 0 ? bad('empty list') : [...data]; break;
      case DhcpOption.Message: key = 'message'; value = latin1Text(data); break;
      case DhcpOption.RenewalTime: key = 'renewalTime'; value = seconds(); break;
      case DhcpOption.RebindingTime: key = 'rebindingTime'; value = seconds(); break;
      case DhcpOption.ClientIdentifier: key = 'clientId'; value = data.length < 2 ? bad('shorter than 2 bytes') : data.slice(); break;
      default:
        other.push({ code, data: data.slice() });
    }
    if (key !== null) {
      if (typeof value === 'object' && value !== null && 'wireError' in value) return value as WireError;
      result[key] = value;
    }
  }
  if (other.length > 0) result.other = other;
  return result as DhcpOptions;
}

/** Serialise, padding to the 300-byte BOOTP minimum. Throws InvalidArgumentError for values that do not fit. */
export function emitDhcpMessage(message: DhcpMessage): Uint8Array {
  const options: number[] = [];
  const put = (code: number, data: ArrayLike<number>): void => {
    // Long values are split over several instances (RFC 3396).
    const all = Array.from(data);
    let offset = 0;
    do {
      const part = all.slice(offset, offset + 255);
      options.push(code, part.length, ...part);
      offset += 255;
    } while (offset < all.length);
  };
  const addr = (a: Ipv4Address): number[] => {
    const b = new Uint8Array(4);
    a.writeTo(b);
    return [...b];
  };
  const seconds = (name: string, v: number): number[] => {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new InvalidArgumentError(name, v, 'must be a whole number of seconds from 0 to 4294967295');
    return [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
  };
  const text = (name: string, s: string): number[] => {
    const codes = [...s].map((c) => c.charCodeAt(0));
    if (codes.some((c) => c > 0xff)) throw new InvalidArgumentError(name, s, 'must be Latin-1 text');
    return codes;
  };
  const o = message.options;
  if (o.messageType !== undefined) {
    if (!Number.isInteger(o.messageType) || o.messageType < 0 || o.messageType > 255) throw new InvalidArgumentError('messageType', o.messageType, 'must be an octet (0-255); see DhcpMessageType');
    put(DhcpOption.MessageType, [o.messageType]);
  }
  if (o.serverId !== undefined) put(DhcpOption.ServerIdentifier, addr(o.serverId));
  if (o.requestedIp !== undefined) put(DhcpOption.RequestedIpAddress, addr(o.requestedIp));
  if (o.leaseTime !== undefined) put(DhcpOption.IpAddressLeaseTime, seconds('leaseTime', o.leaseTime));
  if (o.renewalTime !== undefined) put(DhcpOption.RenewalTime, seconds('renewalTime', o.renewalTime));
  if (o.rebindingTime !== undefined) put(DhcpOption.RebindingTime, seconds('rebindingTime', o.rebindingTime));
  if (o.subnetMask !== undefined) put(DhcpOption.SubnetMask, addr(o.subnetMask));
  if (o.routers !== undefined && o.routers.length > 0) put(DhcpOption.Router, o.routers.flatMap(addr));
  if (o.dnsServers !== undefined && o.dnsServers.length > 0) put(DhcpOption.DomainNameServer, o.dnsServers.flatMap(addr));
  if (o.hostName !== undefined) put(DhcpOption.HostName, text('hostName', o.hostName));
  if (o.parameterRequestList !== undefined) put(DhcpOption.ParameterRequestList, o.parameterRequestList);
  if (o.message !== undefined) put(DhcpOption.Message, text('message', o.message));
  if (o.clientId !== undefined) put(DhcpOption.ClientIdentifier, o.clientId);
  for (const { code, data } of o.other ?? []) put(code, data);
  options.push(DhcpOption.End);
  const length = Math.max(DHCP_MIN_MESSAGE, DHCP_FIXED_LENGTH + options.length);
  const out = new Uint8Array(length);
  out[0] = message.op;
  out[1] = message.htype;
  out[2] = message.hlen;
  out[3] = message.hops;
  out.set(seconds('xid', message.xid), 4);
  out[8] = (message.secs >> 8) & 0xff;
  out[9] = message.secs & 0xff;
  out[10] = (message.flags >> 8) & 0xff;
  out[11] = message.flags & 0xff;
  message.ciaddr.writeTo(out, 12);
  message.yiaddr.writeTo(out, 16);
  message.siaddr.writeTo(out, 20);
  message.giaddr.writeTo(out, 24);
  message.chaddr.writeTo(out, 28);
  const sname = text('sname', message.sname);
  const file = text('file', message.file);
  if (sname.length > 63) throw new InvalidArgumentError('sname', message.sname, 'is longer than 63 bytes');
  if (file.length > 127) throw new InvalidArgumentError('file', message.file, 'is longer than 127 bytes');
  out.set(sname, 44);
  out.set(file, 108);
  out.set(MAGIC_COOKIE, 236);
  out.set(options, DHCP_FIXED_LENGTH);
  return out;
}

/** "DHCPOFFER xid 0x1234 yiaddr 10.0.1.100 chaddr 02:..". */
export function describeDhcpMessage(m: DhcpMessage): string {
  const parts = [dhcpMessageTypeName(m.options.messageType), `xid 0x${m.xid.toString(16)}`];
  if (!m.yiaddr.isUnspecified) parts.push(`yiaddr ${m.yiaddr}`);
  if (!m.ciaddr.isUnspecified) parts.push(`ciaddr ${m.ciaddr}`);
  if (m.options.requestedIp !== undefined) parts.push(`requested ${m.options.requestedIp}`);
  if (m.options.serverId !== undefined) parts.push(`server ${m.options.serverId}`);
  parts.push(`chaddr ${m.chaddr}`);
  return parts.join(' ');
}
