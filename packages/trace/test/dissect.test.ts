import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Ipv4Address, isWireError } from '@netlayers/core';
import { parseEthernetFrame } from '@netlayers/link';
import { parseIpv4 } from '@netlayers/network';
import { parseTcpSegment } from '@netlayers/transport';
import { dissectFrame } from '../src/dissect.ts';
import { arpBytes, ethernetFrame, icmpEchoBytes, ipv4Bytes, tcpFrame, udpBytes } from './support/frames.ts';

const macs = { src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02' };
const ip = { src: '10.0.1.10', dst: '10.0.2.10', id: 0x1234, ttl: 63 };
const request = new TextEncoder().encode('GET / HTTP/1.1\r\nHost: x\r\n\r\n');

describe('dissectFrame', () => {
  it('reads a TCP data frame field by field, with offsets and checksums, agreeing with the layers\' parsers', () => {
    const frame = tcpFrame(macs, ip, { sport: 49152, dport: 80, seq: 1000, ack: 2000, flags: ['PSH', 'ACK'], win: 29200, mss: 1460, payload: request });
    const d = dissectFrame(frame);
    expect(d.problems).toEqual([]);
    expect(d.headers.map((h) => [h.protocol, h.offset, h.length])).toEqual([['ethernet', 0, 14], ['ipv4', 14, 20], ['tcp', 34, 24]]);
    expect(d.payload).toEqual({ offset: 58, length: request.length, role: 'application' });
    expect(d.fcs?.valid).toBe(true);
    expect(d.tcp).toMatchObject({ sourcePort: 49152, destinationPort: 80, seq: 1000, ack: 2000, flags: ['ACK', 'PSH'], window: 29200, checksumValid: true, options: [{ kind: 'mss', value: 1460 }] });
    const ttl = d.headers[1]!.fields.find((f) => f.name === 'TTL')!;
    expect([ttl.bitOffset, ttl.bitLength, ttl.value]).toEqual([(14 + 8) * 8, 8, '63']);
    const ihl = d.headers[1]!.fields.find((f) => f.name === 'IHL')!;
    expect([ihl.bitOffset, ihl.bitLength]).toEqual([14 * 8 + 4, 4]);

    // The layers' own parsers see the same frame the same way.
    const eth = parseEthernetFrame(frame);
    if (isWireError(eth)) throw new Error(eth.detail);
    expect(eth.headerLength).toBe(d.headers[0]!.length);
    expect(eth.source.toString()).toBe(d.ethernet!.source);
    const ipv4 = parseIpv4(eth.payload);
    if (isWireError(ipv4)) throw new Error(ipv4.detail);
    expect([ipv4.header.ttl, ipv4.header.identification, ipv4.header.totalLength, ipv4.header.headerLength]).toEqual([d.ipv4!.ttl, d.ipv4!.identification, d.ipv4!.totalLength, d.ipv4!.headerLength]);
  });

  it('agrees with the transport\'s TCP parser', () => {
    const frame = tcpFrame(macs, ip, { sport: 49152, dport: 80, seq: 1000, ack: 2000, flags: ['PSH', 'ACK'], win: 29200, mss: 1460, payload: request });
    const d = dissectFrame(frame);
    const tcp = parseTcpSegment(frame.subarray(34, frame.length - 4), Ipv4Address.parse(ip.src), Ipv4Address.parse(ip.dst));
    if (isWireError(tcp)) throw new Error(tcp.detail);
    expect([tcp.seq, tcp.ack, tcp.window, tcp.dataOffset * 4, tcp.payload.length]).toEqual([d.tcp!.seq, d.tcp!.ack, d.tcp!.window, d.tcp!.headerLength, d.payload.length]);
  });

  it('reads ARP, UDP and ICMP echo, and counts Ethernet padding', () => {
    const arp = dissectFrame(ethernetFrame('ff:ff:ff:ff:ff:ff', macs.src, 0x0806, arpBytes(1, macs.src, '10.0.1.10', '00:00:00:00:00:00', '10.0.1.1')));
    expect(arp.arp).toEqual({ operation: 1, senderHardware: macs.src, senderProtocol: '10.0.1.10', targetHardware: '00:00:00:00:00:00', targetProtocol: '10.0.1.1' });
    expect(arp.padding).toBe(18);
    const udpIp = { src: '10.0.1.10', dst: '10.0.2.10', protocol: 17 };
    const udp = dissectFrame(ethernetFrame(macs.dst, macs.src, 0x0800, ipv4Bytes(udpIp, udpBytes(udpIp, 5353, 53, new Uint8Array(30)))));
    expect(udp.udp).toMatchObject({ sourcePort: 5353, destinationPort: 53, length: 38, payloadLength: 30, checksumValid: true });
    const icmp = dissectFrame(ethernetFrame(macs.dst, macs.src, 0x0800, ipv4Bytes({ ...udpIp, protocol: 1 }, icmpEchoBytes(8, 7, 3, new Uint8Array(56)))));
    expect(icmp.icmp).toMatchObject({ type: 8, code: 0, identifier: 7, sequence: 3, length: 64, checksumValid: true });
    expect(icmp.problems).toEqual([]);
  });

  it('reports a wrong FCS, IPv4 checksum and TCP checksum as problems', () => {
    const frame = tcpFrame(macs, ip, { sport: 1, dport: 2, seq: 0, ack: 0, flags: ['SYN'], win: 1 });
    const flippedTcp = frame.slice();
    flippedTcp[34 + 4]! ^= 0x01; // sequence number bit: TCP checksum and FCS now wrong
    expect(dissectFrame(flippedTcp).problems).toEqual(['Ethernet FCS does not match the CRC-32 of the frame', 'TCP checksum is wrong']);
    const flippedIp = frame.slice();
    flippedIp[14 + 8]! ^= 0x01; // TTL
    expect(dissectFrame(flippedIp, { hasFcs: false }).problems).toContain('IPv4 header checksum is wrong');
  });

  it('never throws on random or truncated bytes (10,000 inputs)', () => {
    const valid = tcpFrame(macs, ip, { sport: 1, dport: 2, seq: 0, ack: 0, flags: ['SYN'], win: 1, mss: 1460, payload: request });
    // fast-check: random bytes, or a prefix of a valid frame with one byte rewritten and, half
    // the time, an IPv4 EtherType and version with a random IHL; with or without an FCS.
    const truncated = fc
      .tuple(fc.integer({ min: 0, max: valid.length }), fc.nat(), fc.integer({ min: 0, max: 255 }), fc.boolean(), fc.integer({ min: 0, max: 15 }))
      .map(([length, at, value, ipv4, ihl]) => {
        const bytes = valid.slice(0, length);
        if (bytes.length) bytes[at % bytes.length] = value;
        if (ipv4 && bytes.length > 23) (bytes[12] = 0x08), (bytes[13] = 0x00), (bytes[14] = 0x40 | ihl);
        return bytes;
      });
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: 0, max: 120 }).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })), truncated), fc.integer({ min: 0, max: 2 }), (bytes, fcsChoice) => {
        const d = dissectFrame(bytes, { hasFcs: fcsChoice !== 0 });
        expect(d.length).toBe(bytes.length);
      }),
      { numRuns: 10_000 },
    );
  });
});
