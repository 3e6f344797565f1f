// Types and byte readers shared by the dissector's halves (dissect.ts for Ethernet, ARP and
// IPv4; dissect-transport.ts for TCP, UDP and ICMP): what a dissected frame looks like,
// field by field, with bit offsets into the frame.

import type { Role } from '@netlayers/core';

/** One header field: where it sits (in bits, from the start of the frame) and what it holds. */
export interface DissectedField {
  readonly name: string;
  readonly bitOffset: number;
  readonly bitLength: number;
  /** The value as a person reads it: "10.0.1.10", "0x0800 (IPv4)", "SYN, ACK". */
  readonly value: string;
}

export type DissectedProtocol = 'ethernet' | 'vlan' | 'arp' | 'ipv4' | 'tcp' | 'udp' | 'icmp';

/** One protocol header found in the frame. */
export interface DissectedHeader {
  readonly protocol: DissectedProtocol;
  /** "Ethernet II", "IPv4", "TCP". */
  readonly title: string;
  /** The five-layer role that owns this header. */
  readonly role: Role;
  /** Byte offset and length of the header (options included). */
  readonly offset: number;
  readonly length: number;
  readonly fields: readonly DissectedField[];
}

export interface EthernetSummary {
  readonly destination: string;
  readonly source: string;
  readonly etherType: number;
  readonly vlan?: number;
}
export interface ArpSummary {
  readonly operation: number;
  readonly senderHardware: string;
  readonly senderProtocol: string;
  readonly targetHardware: string;
  readonly targetProtocol: string;
}
export interface Ipv4Summary {
  readonly source: string;
  readonly destination: string;
  readonly protocol: number;
  readonly ttl: number;
  readonly identification: number;
  readonly totalLength: number;
  readonly headerLength: number;
  readonly dontFragment: boolean;
  readonly moreFragments: boolean;
  readonly fragmentOffset: number;
  readonly tos: number;
  readonly checksumValid: boolean;
}
export interface TcpSummary {
  readonly sourcePort: number;
  readonly destinationPort: number;
  readonly seq: number;
  readonly ack: number;
  /** RFC 9293 names, in header order: "SYN", "ACK", ... */
  readonly flags: readonly string[];
  readonly window: number;
  readonly headerLength: number;
  readonly payloadLength: number;
  readonly urgentPointer: number;
  readonly options: readonly TcpOptionSummary[];
  readonly checksumValid: boolean;
}
export type TcpOptionSummary =
  | { readonly kind: 'mss'; readonly value: number }
  | { readonly kind: 'wscale'; readonly value: number }
  | { readonly kind: 'sackOK' }
  | { readonly kind: 'sack'; readonly blocks: readonly (readonly [number, number])[] }
  | { readonly kind: 'timestamp'; readonly value: number; readonly echo: number }
  | { readonly kind: 'nop' }
  | { readonly kind: 'eol' }
  | { readonly kind: 'unknown'; readonly code: number; readonly length: number };
export interface UdpSummary {
  readonly sourcePort: number;
  readonly destinationPort: number;
  readonly length: number;
  readonly payloadLength: number;
  /** False only when a non-zero checksum is wrong (zero means "no checksum", RFC 768). */
  readonly checksumValid: boolean;
}
export interface IcmpSummary {
  readonly type: number;
  readonly code: number;
  readonly identifier?: number;
  readonly sequence?: number;
  readonly length: number;
  readonly checksumValid: boolean;
}

export interface DissectedFrame {
  /** Whole frame length in bytes, FCS included when present. */
  readonly length: number;
  /** Outermost first. */
  readonly headers: readonly DissectedHeader[];
  /** Application data (after the innermost header), as offset and length into the frame. */
  readonly payload: { readonly offset: number; readonly length: number; readonly role: Role };
  /** Ethernet padding between the end of the network PDU and the FCS. */
  readonly padding: number;
  readonly fcs?: { readonly offset: number; readonly value: number; readonly valid: boolean };
  readonly ethernet?: EthernetSummary;
  readonly arp?: ArpSummary;
  readonly ipv4?: Ipv4Summary;
  readonly tcp?: TcpSummary;
  readonly udp?: UdpSummary;
  readonly icmp?: IcmpSummary;
  /** What did not parse or check out ("IPv4 header checksum wrong"). Empty for a clean frame. */
  readonly problems: readonly string[];
}

export interface DissectOptions {
  /** The last four bytes are the Ethernet FCS (default true: netlayers frames carry it). */
  readonly hasFcs?: boolean;
}

/** Mutable builder the protocol dissectors fill in. */
export interface DissectionBuilder {
  headers: DissectedHeader[];
  problems: string[];
  payload: { offset: number; length: number; role: Role };
  tcp?: TcpSummary;
  udp?: UdpSummary;
  icmp?: IcmpSummary;
}

export function u16(b: Uint8Array, o: number): number {
  return (b[o]! << 8) | b[o + 1]!;
}
export function u32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}
export function macAt(b: Uint8Array, o: number): string {
  let s = '';
  for (let i = 0; i < 6; i++) s += (i ? ':' : '') + b[o + i]!.toString(16).padStart(2, '0');
  return s;
}
export function ipAt(b: Uint8Array, o: number): string {
  return `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;
}
/** A whole-byte field at byte `offset` of `size` bytes. */
export function byteField(name: string, offset: number, size: number, value: string): DissectedField {
  return { name, bitOffset: offset * 8, bitLength: size * 8, value };
}

