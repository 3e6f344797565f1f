// Test support: builds real frames (Ethernet II + FCS, ARP, IPv4, TCP, UDP, ICMP) with
// correct checksums, independently of the layer packages, so the dissector, tcpdump lines
// and captures can be tested before (and apart from) the real layers.

import { crc32, finishChecksum, internetChecksum, Ipv4Address, MacAddress, onesComplementSum, pseudoHeaderSum } from '@netlayers/core';
import { controlBits, emitTestTcpSegment } from '@netlayers/testing';

export interface TcpSpec {
  readonly sport: number;
  readonly dport: number;
  readonly seq: number;
  readonly ack: number;
  readonly flags: readonly string[];
  readonly win: number;
  readonly mss?: number;
  readonly payload?: Uint8Array;
}

export interface IpSpec {
  readonly src: string;
  readonly dst: string;
  readonly ttl?: number;
  readonly id?: number;
  readonly protocol: number;
}

/** The TCP segment, written by @netlayers/testing's checksummed test codec. */
export function tcpBytes(ip: IpSpec, t: TcpSpec): Uint8Array {
  const fields = { sourcePort: t.sport, destinationPort: t.dport, seq: t.seq, ack: t.ack, flags: controlBits(t.flags.join(',')), window: t.win, options: t.mss === undefined ? {} : { mss: t.mss } };
  return emitTestTcpSegment(fields, t.payload ?? new Uint8Array(0), Ipv4Address.parse(ip.src), Ipv4Address.parse(ip.dst));
}

export function udpBytes(ip: IpSpec, sport: number, dport: number, payload: Uint8Array): Uint8Array {
  const b = new Uint8Array(8 + payload.length);
  const v = new DataView(b.buffer);
  v.setUint16(0, sport);
  v.setUint16(2, dport);
  v.setUint16(4, b.length);
  b.set(payload, 8);
  const sum = onesComplementSum(b, 0, b.length, pseudoHeaderSum(Ipv4Address.parse(ip.src).value, Ipv4Address.parse(ip.dst).value, 17, b.length));
  v.setUint16(6, finishChecksum(sum) || 0xffff);
  return b;
}

export function icmpEchoBytes(type: 0 | 8, id: number, seq: number, data: Uint8Array): Uint8Array {
  const b = new Uint8Array(8 + data.length);
  const v = new DataView(b.buffer);
  b[0] = type;
  v.setUint16(4, id);
  v.setUint16(6, seq);
  b.set(data, 8);
  v.setUint16(2, internetChecksum(b));
  return b;
}

export function ipv4Bytes(ip: IpSpec, payload: Uint8Array): Uint8Array {
  const b = new Uint8Array(20 + payload.length);
  const v = new DataView(b.buffer);
  b[0] = 0x45;
  v.setUint16(2, b.length);
  v.setUint16(4, ip.id ?? 0);
  v.setUint16(6, 0x4000);
  b[8] = ip.ttl ?? 64;
  b[9] = ip.protocol;
  Ipv4Address.parse(ip.src).writeTo(b, 12);
  Ipv4Address.parse(ip.dst).writeTo(b, 16);
  v.setUint16(10, internetChecksum(b, 0, 20));
  b.set(payload, 20);
  return b;
}

export function arpBytes(operation: 1 | 2, senderMac: string, senderIp: string, targetMac: string, targetIp: string): Uint8Array {
  const b = new Uint8Array(28);
  const v = new DataView(b.buffer);
  v.setUint16(0, 1);
  v.setUint16(2, 0x0800);
  b[4] = 6;
  b[5] = 4;
  v.setUint16(6, operation);
  MacAddress.parse(senderMac).writeTo(b, 8);
  Ipv4Address.parse(senderIp).writeTo(b, 14);
  MacAddress.parse(targetMac).writeTo(b, 18);
  Ipv4Address.parse(targetIp).writeTo(b, 24);
  return b;
}

/** Ethernet II frame with padding to 60 bytes and the FCS (CRC-32, little-endian) appended. */
export function ethernetFrame(dst: string, src: string, etherType: number, payload: Uint8Array): Uint8Array {
  const body = Math.max(60, 14 + payload.length);
  const b = new Uint8Array(body + 4);
  MacAddress.parse(dst).writeTo(b, 0);
  MacAddress.parse(src).writeTo(b, 6);
  b[12] = etherType >> 8;
  b[13] = etherType & 0xff;
  b.set(payload, 14);
  const fcs = crc32(b, 0, body);
  b[body] = fcs & 0xff;
  b[body + 1] = (fcs >>> 8) & 0xff;
  b[body + 2] = (fcs >>> 16) & 0xff;
  b[body + 3] = fcs >>> 24;
  return b;
}

export function tcpFrame(macs: { src: string; dst: string }, ip: Omit<IpSpec, 'protocol'>, t: TcpSpec): Uint8Array {
  const ipSpec = { ...ip, protocol: 6 };
  return ethernetFrame(macs.dst, macs.src, 0x0800, ipv4Bytes(ipSpec, tcpBytes(ipSpec, t)));
}
