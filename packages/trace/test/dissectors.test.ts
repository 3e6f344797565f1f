import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Ipv4Address, isWireError, type DissectedFrame } from '@netlayers/core';
import { parseEthernetFrame } from '@netlayers/link';
import { parseIpv4 } from '@netlayers/network';
import { parseTcpSegment } from '@netlayers/transport';
import { DnsClass, DnsType, dnsMessage, emitDnsMessage } from '@netlayers/application';
import { createDefaultDissectors, dissect } from '../src/dissectors.ts';
import { arpBytes, ethernetFrame, icmpEchoBytes, ipv4Bytes, tcpFrame, udpBytes } from './support/frames.ts';

const macs = { src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02' };
const ip = { src: '10.0.1.10', dst: '10.0.2.10', id: 0x1234, ttl: 63 };
const request = new TextEncoder().encode('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
const layer = (d: DissectedFrame, protocol: string) => d.layers.find((l) => l.protocol === protocol)!;

describe('the default dissector registry', () => {
  it('lists every package\'s codecs under Wireshark-style keys', () => {
    const entries = createDefaultDissectors().entries().map((e) => `${e.table}/${e.key}=${e.protocol}`);
    for (const want of ['link/ethernet=ethernet', 'ethertype/2054=arp', 'ethertype/2048=ipv4', 'ppp.protocol/33=ipv4', 'ip.proto/1=icmp', 'ip.proto/6=tcp', 'ip.proto/17=udp', 'udp.port/53=dns', 'udp.port/67=dhcp', 'tcp.port/80=http', 'ip.proto/253=stop-and-wait', 'ip.proto/254=go-back-n', 'link/ppp=ppp', 'udp.port/520=rip']) {
      expect(entries).toContain(want);
    }
  });

  it('reads a TCP data frame field by field, with offsets and checksums, agreeing with the layers\' parsers', () => {
    const frame = tcpFrame(macs, ip, { sport: 49152, dport: 80, seq: 1000, ack: 2000, flags: ['PSH', 'ACK'], win: 29200, mss: 1460, payload: request });
    const d = dissect(frame);
    expect(d.problems).toEqual([]);
    expect(d.layers.map((l) => [l.protocol, l.offset, l.headerLength])).toEqual([['ethernet', 0, 14], ['ipv4', 14, 20], ['tcp', 34, 24], ['http', 58, request.length]]);
    expect(layer(d, 'ethernet').trailerLength).toBe(4);
    expect(layer(d, 'ethernet').fields.at(-1)!.value).toMatch(/\[correct\]$/);
    expect(layer(d, 'tcp').header).toMatchObject({ protocol: 'tcp', sourcePort: 49152, destinationPort: 80, seq: 1000, ack: 2000, flags: ['PSH', 'ACK'], window: 29200, options: { mss: 1460 } });
    expect(layer(d, 'tcp').summary).toBe('10.0.1.10.49152 > 10.0.2.10.80: Flags [P.], seq 1000:1027, ack 2000, win 29200, options [mss 1460], length 27');
    expect(layer(d, 'tcp').endpoints).toEqual({ source: '10.0.1.10:49152', destination: '10.0.2.10:80' });
    expect(layer(d, 'http').header).toEqual({ protocol: 'http', method: 'GET', target: '/', version: 'HTTP/1.1' });
    const ttl = layer(d, 'ipv4').fields.find((f) => f.name === 'TTL')!;
    expect([ttl.bitOffset, ttl.bitLength, ttl.value]).toEqual([(14 + 8) * 8, 8, '63']);
    const ihl = layer(d, 'ipv4').fields.find((f) => f.name === 'IHL')!;
    expect([ihl.bitOffset, ihl.bitLength]).toEqual([14 * 8 + 4, 4]);

    // The layers' own parsers see the same frame the same way.
    const eth = parseEthernetFrame(frame);
    if (isWireError(eth)) throw new Error(eth.detail);
    expect(eth.headerLength).toBe(layer(d, 'ethernet').headerLength);
    const ipv4 = parseIpv4(eth.payload);
    if (isWireError(ipv4)) throw new Error(ipv4.detail);
    expect(layer(d, 'ipv4').header).toMatchObject({ ttl: ipv4.header.ttl, identification: ipv4.header.identification, totalLength: ipv4.header.totalLength });
    const tcp = parseTcpSegment(ipv4.payload, Ipv4Address.parse(ip.src), Ipv4Address.parse(ip.dst));
    if (isWireError(tcp)) throw new Error(tcp.detail);
    expect([tcp.seq, tcp.ack, tcp.dataOffset * 4, tcp.payload.length]).toEqual([1000, 2000, layer(d, 'tcp').headerLength, layer(d, 'tcp').payloadLength]);
  });

  it('reads ARP, UDP and ICMP echo, and counts Ethernet padding', () => {
    const arp = dissect(ethernetFrame('ff:ff:ff:ff:ff:ff', macs.src, 0x0806, arpBytes(1, macs.src, '10.0.1.10', '00:00:00:00:00:00', '10.0.1.1')));
    expect(layer(arp, 'arp').header).toEqual({ protocol: 'arp', operation: 'request', senderHardware: macs.src, senderProtocol: '10.0.1.10', targetHardware: '00:00:00:00:00:00', targetProtocol: '10.0.1.1' });
    expect(layer(arp, 'arp').padding).toBe(18);
    expect(layer(arp, 'arp').summary).toBe('ARP, Request who-has 10.0.1.1 tell 10.0.1.10, length 28');
    const udpIp = { src: '10.0.1.10', dst: '10.0.2.10', protocol: 17 };
    const udp = dissect(ethernetFrame(macs.dst, macs.src, 0x0800, ipv4Bytes(udpIp, udpBytes(udpIp, 40000, 9, new Uint8Array(30)))));
    expect(layer(udp, 'udp').header).toEqual({ protocol: 'udp', sourcePort: 40000, destinationPort: 9, payloadLength: 30 });
    expect(udp.payload).toEqual({ offset: 42, length: 30, role: 'application' });
    const icmp = dissect(ethernetFrame(macs.dst, macs.src, 0x0800, ipv4Bytes({ ...udpIp, protocol: 1 }, icmpEchoBytes(8, 7, 3, new Uint8Array(56)))));
    expect(layer(icmp, 'icmp').header).toMatchObject({ protocol: 'icmp', type: 8, code: 0, identifier: 7, sequence: 3 });
    expect(layer(icmp, 'icmp').summary).toBe('10.0.1.10 > 10.0.2.10: ICMP echo request, id 7, seq 3, length 64');
    expect(icmp.problems).toEqual([]);
  });

  it('reads a DNS query on UDP port 53 with the application package\'s parser', () => {
    const query = emitDnsMessage(dnsMessage({ id: 0x1234, recursionDesired: true, questions: [{ name: 'server.lab', type: DnsType.A, class: DnsClass.IN }] }));
    const udpIp = { src: '10.0.1.10', dst: '10.0.1.53', protocol: 17 };
    const d = dissect(ethernetFrame(macs.dst, macs.src, 0x0800, ipv4Bytes(udpIp, udpBytes(udpIp, 40000, 53, query))));
    expect(d.layers.map((l) => l.protocol)).toEqual(['ethernet', 'ipv4', 'udp', 'dns']);
    expect(layer(d, 'dns').header).toEqual({ protocol: 'dns', id: 0x1234, response: false });
    expect(layer(d, 'dns').summary).toBe('DNS query id 4660 A? server.lab');
    expect(layer(d, 'dns').role).toBe('application');
  });

  it('reports a wrong FCS, IPv4 checksum and TCP checksum as problems', () => {
    const frame = tcpFrame(macs, ip, { sport: 1, dport: 2, seq: 0, ack: 0, flags: ['SYN'], win: 1 });
    const flippedTcp = frame.slice();
    flippedTcp[34 + 4]! ^= 0x01; // sequence number bit: TCP checksum and FCS now wrong
    expect(dissect(flippedTcp).problems).toEqual(['Ethernet FCS does not match the CRC-32 of the frame', 'TCP checksum is wrong']);
    const flippedIp = frame.slice(0, frame.length - 4);
    flippedIp[14 + 8]! ^= 0x01; // TTL
    expect(createDefaultDissectors().dissect(flippedIp, 'ethernet-nofcs').problems).toContain('IPv4 header checksum is wrong');
  });

  it('never throws, and no dissector throws, on random or truncated bytes (fast-check, 10,000 inputs)', () => {
    const registry = createDefaultDissectors();
    const valid = tcpFrame(macs, ip, { sport: 1, dport: 2, seq: 0, ack: 0, flags: ['SYN'], win: 1, mss: 1460, payload: request });
    // Random bytes, or a prefix of a valid frame with one byte rewritten and, half the time,
    // an IPv4 EtherType and version with a random IHL; as Ethernet with and without FCS, and PPP.
    const truncated = fc
      .tuple(fc.integer({ min: 0, max: valid.length }), fc.nat(), fc.integer({ min: 0, max: 255 }), fc.boolean(), fc.integer({ min: 0, max: 15 }))
      .map(([length, at, value, ipv4, ihl]) => {
        const bytes = valid.slice(0, length);
        if (bytes.length) bytes[at % bytes.length] = value;
        if (ipv4 && bytes.length > 23) (bytes[12] = 0x08), (bytes[13] = 0x00), (bytes[14] = 0x40 | ihl);
        return bytes;
      });
    const anyBytes = fc.integer({ min: 0, max: 120 }).chain((n) => fc.uint8Array({ minLength: n, maxLength: n }));
    fc.assert(
      fc.property(fc.oneof(anyBytes, truncated), fc.constantFrom('ethernet', 'ethernet-nofcs', 'ppp'), (bytes, linkType) => {
        const d = registry.dissect(bytes, linkType);
        expect(d.length).toBe(bytes.length);
        expect(d.problems.filter((p) => p.includes('threw'))).toEqual([]);
      }),
      { numRuns: 10_000 },
    );
  });
});
