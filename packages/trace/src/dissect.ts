// A frame dissector over real bytes, for renderers and captures: Ethernet II (IEEE 802.3
// framing with its CRC-32 FCS, 802.1Q tag), ARP (RFC 826), IPv4 (RFC 791 §3.1), and the
// transports in dissect-transport.ts. Every header field comes with its bit offset and
// size in the frame, so the encapsulation view can draw exactly what is on the wire.
// Like the layers' parsers it never throws: what it cannot read becomes a `problem`.

import { crc32, etherTypeName, internetChecksum, ipProtocolName } from '@netlayers/core';
import { hex } from './format.ts';
import { dissectTransport } from './dissect-transport.ts';
import {
  byteField,
  ipAt,
  macAt,
  u16,
  type ArpSummary,
  type DissectedField,
  type DissectedFrame,
  type DissectionBuilder,
  type DissectOptions,
  type EthernetSummary,
  type Ipv4Summary,
} from './dissect-types.ts';

export * from './dissect-types.ts';

/** Dissect an Ethernet II frame. Never throws. */
export function dissectFrame(frame: Uint8Array, options: DissectOptions = {}): DissectedFrame {
  const hasFcs = options.hasFcs ?? true;
  const out: DissectionBuilder = { headers: [], problems: [], payload: { offset: 0, length: 0, role: 'link' } };
  const end = hasFcs ? frame.length - 4 : frame.length;
  let fcs: DissectedFrame['fcs'];
  if (hasFcs && frame.length >= 4) {
    const value = (frame[end]! | (frame[end + 1]! << 8) | (frame[end + 2]! << 16) | (frame[end + 3]! << 24)) >>> 0;
    const valid = crc32(frame, 0, end) === value;
    fcs = { offset: end, value, valid };
    if (!valid) out.problems.push('Ethernet FCS does not match the CRC-32 of the frame');
  }
  if (end < 14) {
    out.problems.push(`frame of ${frame.length} bytes is shorter than an Ethernet header`);
    return { length: frame.length, headers: [], payload: { offset: 0, length: Math.max(0, end), role: 'link' }, padding: 0, ...(fcs ? { fcs } : {}), problems: out.problems };
  }
  let etherType = u16(frame, 12);
  const fields: DissectedField[] = [
    byteField('Destination', 0, 6, macAt(frame, 0)),
    byteField('Source', 6, 6, macAt(frame, 6)),
  ];
  let offset = 14;
  let vlan: number | undefined;
  if (etherType === 0x8100 && end >= 18) {
    const tci = u16(frame, 14);
    vlan = tci & 0x0fff;
    fields.push(byteField('TPID', 12, 2, '0x8100 (802.1Q)'));
    fields.push({ name: 'PCP', bitOffset: 14 * 8, bitLength: 3, value: String(tci >> 13) });
    fields.push({ name: 'DEI', bitOffset: 14 * 8 + 3, bitLength: 1, value: String((tci >> 12) & 1) });
    fields.push({ name: 'VLAN ID', bitOffset: 14 * 8 + 4, bitLength: 12, value: String(vlan) });
    etherType = u16(frame, 16);
    fields.push(byteField('EtherType', 16, 2, `${hex(etherType, 4)} (${etherTypeName(etherType)})`));
    offset = 18;
  } else {
    fields.push(byteField('EtherType', 12, 2, `${hex(etherType, 4)} (${etherTypeName(etherType)})`));
  }
  out.headers.push({ protocol: 'ethernet', title: vlan === undefined ? 'Ethernet II' : 'Ethernet II + 802.1Q', role: 'link', offset: 0, length: offset, fields });
  const ethernet: EthernetSummary = { destination: macAt(frame, 0), source: macAt(frame, 6), etherType, ...(vlan !== undefined ? { vlan } : {}) };
  out.payload = { offset, length: end - offset, role: 'link' };

  let arp: ArpSummary | undefined;
  let ipv4: Ipv4Summary | undefined;
  let networkEnd = end;
  if (etherType === 0x0806) {
    arp = dissectArp(frame, offset, end, out);
    if (arp !== undefined) networkEnd = offset + 28;
  } else if (etherType === 0x0800) {
    ipv4 = dissectIpv4(frame, offset, end, out);
    if (ipv4 !== undefined) networkEnd = Math.min(end, offset + ipv4.totalLength);
  }
  const padding = Math.max(0, end - networkEnd);
  return {
    length: frame.length,
    headers: out.headers,
    payload: out.payload,
    padding,
    ...(fcs ? { fcs } : {}),
    ethernet,
    ...(arp ? { arp } : {}),
    ...(ipv4 ? { ipv4 } : {}),
    ...(out.tcp ? { tcp: out.tcp } : {}),
    ...(out.udp ? { udp: out.udp } : {}),
    ...(out.icmp ? { icmp: out.icmp } : {}),
    problems: out.problems,
  };
}

function dissectArp(b: Uint8Array, o: number, end: number, out: DissectionBuilder): ArpSummary | undefined {
  if (end - o < 28) {
    out.problems.push(`ARP packet truncated: ${end - o} of 28 bytes`);
    return undefined;
  }
  const operation = u16(b, o + 6);
  const summary: ArpSummary = {
    operation,
    senderHardware: macAt(b, o + 8),
    senderProtocol: ipAt(b, o + 14),
    targetHardware: macAt(b, o + 18),
    targetProtocol: ipAt(b, o + 24),
  };
  out.headers.push({
    protocol: 'arp',
    title: 'ARP',
    role: 'link',
    offset: o,
    length: 28,
    fields: [
      byteField('Hardware type', o, 2, `${u16(b, o)}${u16(b, o) === 1 ? ' (Ethernet)' : ''}`),
      byteField('Protocol type', o + 2, 2, `${hex(u16(b, o + 2), 4)} (${etherTypeName(u16(b, o + 2))})`),
      byteField('Hardware size', o + 4, 1, String(b[o + 4])),
      byteField('Protocol size', o + 5, 1, String(b[o + 5])),
      byteField('Operation', o + 6, 2, `${operation} (${operation === 1 ? 'request' : operation === 2 ? 'reply' : 'unknown'})`),
      byteField('Sender MAC', o + 8, 6, summary.senderHardware),
      byteField('Sender IP', o + 14, 4, summary.senderProtocol),
      byteField('Target MAC', o + 18, 6, summary.targetHardware),
      byteField('Target IP', o + 24, 4, summary.targetProtocol),
    ],
  });
  out.payload = { offset: o + 28, length: 0, role: 'link' };
  return summary;
}

function dissectIpv4(b: Uint8Array, o: number, end: number, out: DissectionBuilder): Ipv4Summary | undefined {
  if (end - o < 20) {
    out.problems.push(`IPv4 header truncated: ${end - o} of 20 bytes`);
    return undefined;
  }
  const version = b[o]! >> 4;
  const ihl = b[o]! & 0x0f;
  const headerLength = ihl * 4;
  if (version !== 4) out.problems.push(`IPv4 version field is ${version}`);
  if (ihl < 5 || o + headerLength > end) {
    out.problems.push(`IPv4 header length ${headerLength} is invalid for ${end - o} bytes`);
    return undefined;
  }
  const totalLength = u16(b, o + 2);
  if (totalLength < headerLength || o + totalLength > end) out.problems.push(`IPv4 total length ${totalLength} does not fit the ${end - o} bytes carried`);
  const flagsWord = u16(b, o + 6);
  const dontFragment = (flagsWord & 0x4000) !== 0;
  const moreFragments = (flagsWord & 0x2000) !== 0;
  const fragmentOffset = (flagsWord & 0x1fff) * 8;
  const protocol = b[o + 9]!;
  const checksum = u16(b, o + 10);
  const checksumValid = internetChecksum(b, o, o + headerLength) === 0;
  if (!checksumValid) out.problems.push('IPv4 header checksum is wrong');
  const bit = o * 8;
  const flagNames = [dontFragment ? 'DF' : '', moreFragments ? 'MF' : ''].filter(Boolean).join(', ') || 'none';
  const fields: DissectedField[] = [
    { name: 'Version', bitOffset: bit, bitLength: 4, value: String(version) },
    { name: 'IHL', bitOffset: bit + 4, bitLength: 4, value: `${ihl} (${headerLength} bytes)` },
    { name: 'DSCP', bitOffset: bit + 8, bitLength: 6, value: String(b[o + 1]! >> 2) },
    { name: 'ECN', bitOffset: bit + 14, bitLength: 2, value: String(b[o + 1]! & 3) },
    byteField('Total length', o + 2, 2, String(totalLength)),
    byteField('Identification', o + 4, 2, `${hex(u16(b, o + 4), 4)} (${u16(b, o + 4)})`),
    { name: 'Flags', bitOffset: bit + 48, bitLength: 3, value: flagNames },
    { name: 'Fragment offset', bitOffset: bit + 51, bitLength: 13, value: String(fragmentOffset / 8) },
    byteField('TTL', o + 8, 1, String(b[o + 8])),
    byteField('Protocol', o + 9, 1, `${protocol} (${ipProtocolName(protocol)})`),
    byteField('Header checksum', o + 10, 2, `${hex(checksum, 4)} [${checksumValid ? 'correct' : 'WRONG'}]`),
    byteField('Source', o + 12, 4, ipAt(b, o + 12)),
    byteField('Destination', o + 16, 4, ipAt(b, o + 16)),
  ];
  if (headerLength > 20) fields.push(byteField('Options', o + 20, headerLength - 20, `${headerLength - 20} bytes`));
  out.headers.push({ protocol: 'ipv4', title: 'IPv4', role: 'network', offset: o, length: headerLength, fields });
  const summary: Ipv4Summary = {
    source: ipAt(b, o + 12),
    destination: ipAt(b, o + 16),
    protocol,
    ttl: b[o + 8]!,
    identification: u16(b, o + 4),
    totalLength,
    headerLength,
    dontFragment,
    moreFragments,
    fragmentOffset,
    tos: b[o + 1]!,
    checksumValid,
  };
  const payloadEnd = Math.min(end, o + Math.max(totalLength, headerLength));
  out.payload = { offset: o + headerLength, length: payloadEnd - o - headerLength, role: 'network' };
  if (fragmentOffset === 0 && !moreFragments) {
    dissectTransport(b, o + headerLength, payloadEnd, summary, out);
  }
  return summary;
}
