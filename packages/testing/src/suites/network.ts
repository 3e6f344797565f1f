// Conformance suite for the network contract (IpService in @netlayers/core): what a
// transport relies on. Delivery to the registered protocol with the right IpReceiveInfo
// (RFC 791 header fields), a no-route result, source address selection, local addresses,
// the first-hop MTU, fragmentation and reassembly that the transport never sees (RFC 791
// §2.3, §3.2), ICMP destination unreachable reaching the sender's onError (RFC 792,
// RFC 1122 §3.2.2.1), and bad datagrams dropped with a trace event, never thrown.

import { describe, expect } from 'vitest';
import {
  EtherType,
  Ipv4Address,
  Packet,
  Random,
  UnreachableCode,
  internetChecksum,
  type IcmpErrorReport,
  type IpReceiveInfo,
  type IpService,
  type LinkInterface,
  type NodeContext,
} from '@netlayers/core';
import { FakeLinkSegment, type FakeLinkInterface } from '../fakes/link-segment.ts';
import { buildDatagram } from '../fakes/ipv4-datagram.ts';
import { createWorld, runUntil, testBytes, type TestWorld, teachingIt } from './support.ts';

const it = teachingIt('network layer conformance', {
  'delivers a datagram to the registered protocol with the header fields in IpReceiveInfo': { rfc: 'RFC 791 §3.1', hint: 'build a real header with a valid checksum; on receipt pass source, destination, protocol, TTL, TOS, interface and the datagram' },
  'reports no-route for an unreachable destination and delivers nothing': { rfc: 'RFC 1812 §5.2.1', hint: "send() returns { ok: false, reason: 'no-route' } when no route matches, and emits a drop event" },
  'picks the source address of the outgoing interface and knows its own addresses': { rfc: 'RFC 1122 §3.3.4.3', hint: 'sourceAddressFor uses the address of the interface the route goes out of' },
  'reports the first-hop MTU towards a destination, 576 when it has no route': { rfc: 'RFC 791 §3.1 (576)', hint: "mtuTowards returns the outgoing link's MTU, or 576 without a route" },
  'fragments a 4000-byte payload over MTU 1500 and the transport receives it whole': { rfc: 'RFC 791 §2.3, §3.2', hint: 'split at multiples of 8 bytes with MF and the fragment offset; reassemble by identification before delivering' },
  'does not fragment when told not to (DF): nothing arrives and nothing throws': { rfc: 'RFC 791 §3.1 (DF)', hint: "with dontFragment, refuse a too-big datagram (reason 'too-big') instead of fragmenting" },
  "answers sendUnreachable with an ICMP error the sender's onError sees": { rfc: 'RFC 792, RFC 1122 §3.2.2.1', hint: 'build an ICMP destination unreachable quoting the header and 8 bytes; deliver it to the protocol handler’s onError at the sender' },
  'drops bad datagrams with a drop event, never throws and never delivers them': { rfc: 'RFC 791 §3.1, RFC 1122 §3.2.1', hint: 'validate version, IHL, total length and header checksum; drop with a DropReason, never throw' },
  'is configured through addInterface: the link learns its IPv4 address': { hint: "addInterface(link, cidr) calls link.setIpv4Addresses so the link layer can answer ARP" },
});

/** What the suite needs of a network layer: the IpService, and a way to give it an interface. */
export type NetworkLayerUnderTest = IpService & {
  addInterface(link: LinkInterface, cidr: string): void;
};

/** An experimental IP protocol number (RFC 3692) the suite sends with. */
const TEST_PROTOCOL = 253;

interface Pair {
  readonly world: TestWorld;
  readonly a: NetworkLayerUnderTest;
  readonly b: NetworkLayerUnderTest;
  readonly nodeB: NodeContext;
  readonly segment: FakeLinkSegment;
  readonly linkB: FakeLinkInterface;
  readonly received: { payload: Uint8Array; info: IpReceiveInfo }[];
}

const A = Ipv4Address.parse('10.0.0.1');
const B = Ipv4Address.parse('10.0.0.2');

export function networkLayerSuite(name: string, factory: (node: NodeContext) => NetworkLayerUnderTest): void {
  function pair(mtu = 1500): Pair {
    const world = createWorld();
    const segment = new FakeLinkSegment({ mtu, delay: '100us' });
    const nodeA = world.node('a');
    const nodeB = world.node('b');
    const a = factory(nodeA);
    const b = factory(nodeB);
    a.addInterface(segment.attach(nodeA, 'eth0'), '10.0.0.1/24');
    const linkB = segment.attach(nodeB, 'eth0');
    b.addInterface(linkB, '10.0.0.2/24');
    const received: Pair['received'] = [];
    b.registerProtocol(TEST_PROTOCOL, (packet, info) => received.push({ payload: packet.toBytes(), info: { ...info, datagram: info.datagram.slice() } }));
    return { world, a, b, nodeB, segment, linkB, received };
  }

  describe(`${name}: network layer conformance`, () => {
    it('delivers a datagram to the registered protocol with the header fields in IpReceiveInfo', () => {
      const p = pair();
      const data = testBytes(100, 'dgram');
      const result = p.a.send(Packet.from(data), { destination: B, protocol: TEST_PROTOCOL, ttl: 33, tos: 0x10 });
      expect(result).toEqual({ ok: true });
      runUntil(p.world, () => p.received.length >= 1, '10s');
      expect(p.received.length).toBe(1);
      const { payload, info } = p.received[0]!;
      expect(payload).toEqual(data);
      expect(info.source.toString()).toBe('10.0.0.1');
      expect(info.destination.toString()).toBe('10.0.0.2');
      expect(info.protocol).toBe(TEST_PROTOCOL);
      expect(info.ttl).toBe(33);
      expect(info.tos).toBe(0x10);
      expect(info.iface).toBe('eth0');
      const d = info.datagram;
      expect(d[0]! >> 4).toBe(4);
      const headerLength = (d[0]! & 0x0f) * 4;
      expect(internetChecksum(d, 0, headerLength)).toBe(0);
      expect(Ipv4Address.fromBytes(d, 12).toString()).toBe('10.0.0.1');
      expect(d.subarray(headerLength, headerLength + data.length)).toEqual(data);
    });

    it('reports no-route for an unreachable destination and delivers nothing', () => {
      const p = pair();
      const elsewhere = Ipv4Address.parse('192.0.2.1');
      let result: ReturnType<IpService['send']> | undefined;
      expect(() => (result = p.a.send(Packet.from('x'), { destination: elsewhere, protocol: TEST_PROTOCOL }))).not.toThrow();
      expect(result?.ok).toBe(false);
      if (result?.ok === false) expect(result.reason).toBe('no-route');
      expect(p.a.sourceAddressFor(elsewhere)).toBeNull();
      p.world.sim.scheduler.runFor(1e9);
      expect(p.received).toEqual([]);
    });

    it('picks the source address of the outgoing interface and knows its own addresses', () => {
      const p = pair();
      expect(p.a.sourceAddressFor(B)?.toString()).toBe('10.0.0.1');
      expect(p.a.isLocalAddress(A)).toBe(true);
      expect(p.a.isLocalAddress(B)).toBe(false);
      expect(p.a.isLocalAddress(Ipv4Address.BROADCAST)).toBe(true);
    });

    it('reports the first-hop MTU towards a destination, 576 when it has no route', () => {
      expect(pair(1500).a.mtuTowards(B)).toBe(1500);
      expect(pair(1280).a.mtuTowards(B)).toBe(1280);
      expect(pair().a.mtuTowards(Ipv4Address.parse('192.0.2.1'))).toBe(576);
    });

    it('fragments a 4000-byte payload over MTU 1500 and the transport receives it whole', () => {
      const p = pair(1500);
      const carried: number[] = [];
      p.segment.onTransfer((t) => {
        if (t.etherType === EtherType.IPv4) carried.push(t.bytes.length);
      });
      const data = testBytes(4000, 'big');
      expect(p.a.send(Packet.from(data), { destination: B, protocol: TEST_PROTOCOL })).toEqual({ ok: true });
      runUntil(p.world, () => p.received.length >= 1, '10s');
      p.world.sim.scheduler.runFor(1e9);
      expect(p.received.length).toBe(1);
      expect(p.received[0]!.payload).toEqual(data);
      expect(carried.length).toBeGreaterThanOrEqual(3);
      for (const size of carried) expect(size).toBeLessThanOrEqual(1500);
    });

    it('does not fragment when told not to (DF): nothing arrives and nothing throws', () => {
      const p = pair(1500);
      expect(() => p.a.send(Packet.from(testBytes(4000, 'df')), { destination: B, protocol: TEST_PROTOCOL, dontFragment: true })).not.toThrow();
      p.world.sim.scheduler.runFor(1e9);
      expect(p.received).toEqual([]);
    });

    it("answers sendUnreachable with an ICMP error the sender's onError sees", () => {
      const p = pair();
      const errors: IcmpErrorReport[] = [];
      p.a.registerProtocol(TEST_PROTOCOL, () => undefined, (report) => errors.push(report));
      p.b.registerProtocol(TEST_PROTOCOL, (_packet, info) => p.b.sendUnreachable(info, UnreachableCode.Port));
      const data = testBytes(40, 'quoted');
      p.a.send(Packet.from(data), { destination: B, protocol: TEST_PROTOCOL });
      runUntil(p.world, () => errors.length >= 1, '10s');
      expect(errors.length).toBe(1);
      const report = errors[0]!;
      expect(report.type).toBe('destination-unreachable');
      expect([report.icmpType, report.icmpCode]).toEqual([3, UnreachableCode.Port]);
      expect(report.reporter.toString()).toBe('10.0.0.2');
      expect(report.originalSource.toString()).toBe('10.0.0.1');
      expect(report.originalDestination.toString()).toBe('10.0.0.2');
      expect(report.originalProtocol).toBe(TEST_PROTOCOL);
      expect(report.originalPayload.length).toBeGreaterThanOrEqual(8);
      expect(report.originalPayload.subarray(0, 8)).toEqual(data.subarray(0, 8));
    });

    it('drops bad datagrams with a drop event, never throws and never delivers them', () => {
      const p = pair();
      const good = buildDatagram({ source: A, destination: B, protocol: TEST_PROTOCOL, ttl: 64, tos: 0, identification: 1 }, testBytes(30, 'bad'));
      const badChecksum = good.slice();
      badChecksum[10]! ^= 0xff;
      const badVersion = good.slice();
      badVersion[0] = 0x65;
      const badLength = good.slice();
      badLength[2] = 0x04; // total length 1024+ > bytes present
      const badIhl = good.slice();
      badIhl[0] = 0x43; // header length 12 < 20
      const truncated = good.slice(0, 12);
      const dropsAtB = (): number => p.world.events.filter((e) => e.kind === 'drop' && e.node === 'b' && e.role === 'network').length;
      const cases = [badChecksum, badVersion, badLength, badIhl, truncated];
      for (const bytes of cases) {
        const before = dropsAtB();
        expect(() => p.linkB.inject(bytes, EtherType.IPv4)).not.toThrow();
        p.world.sim.scheduler.runFor(1e6);
        expect(dropsAtB()).toBeGreaterThan(before);
      }
      const random = new Random('ip-garbage');
      expect(() => {
        for (let i = 0; i < 1000; i++) p.linkB.inject(random.bytes(random.int(0, 80)), EtherType.IPv4);
        p.world.sim.scheduler.runFor(1e9);
      }).not.toThrow();
      expect(p.received).toEqual([]);
      // The valid datagram is still accepted afterwards.
      p.linkB.inject(good, EtherType.IPv4);
      p.world.sim.scheduler.runFor(1e9);
      expect(p.received.length).toBe(1);
    });

    it('is configured through addInterface: the link learns its IPv4 address', () => {
      const p = pair();
      expect(p.linkB.ipv4Addresses.map(String)).toEqual(['10.0.0.2']);
    });
  });
}
