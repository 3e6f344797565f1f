// The IPv4 layer on a chain a — r1 — r2 — b of fake links (1, 2 and 3 ms): forwarding with
// TTL and checksum, ICMP errors (time exceeded, net and protocol unreachable, fragmentation
// needed), fragmentation and reassembly end to end, limited broadcast on an unaddressed
// interface, local delivery, drops, configuration and misuse, tracing.

import { describe, expect, it } from 'vitest';
import {
  DropReason,
  createNodeContext,
  createSimulationContext,
  EtherType,

  InvalidAddressError,
  InvalidArgumentError,
  Ipv4Address,
  NS_PER_MS,
  NS_PER_S,
  Packet,
  internetChecksum,
  isWireError,
  type DropEvent,
  type IcmpErrorReport,
  type IpReceiveInfo,
  type NoteEvent,
  type PduEvent,
  type SimulationContext,
  type TraceEvent,
} from '@netlayers/core';
import { Ipv4Layer, emitIcmp, emitIpv4Header, makeIpv4Header, parseIcmp, parseIpv4, type ParsedIpv4 } from '../src/index.ts';
import { type FakeLinkSegment, type SegmentFrame } from '@netlayers/testing';
import { chain, fakeWire } from './support/topology.ts';

const ip = (text: string): Ipv4Address => Ipv4Address.parse(text);

function datagramsOn(wire: FakeLinkSegment): ParsedIpv4[] {
  return wire.frames.map((f) => {
    const p = parseIpv4(f.bytes);
    if (isWireError(p)) throw new Error(`invalid datagram on the wire: ${p.detail}`);
    return p;
  });
}

function payload(length: number, seed = 1): Uint8Array {
  const p = new Uint8Array(length);
  for (let i = 0; i < length; i++) p[i] = (i * 17 + seed) & 0xff;
  return p;
}

interface Received {
  readonly at: number;
  readonly data: Uint8Array;
  readonly info: IpReceiveInfo;
}

function listen(layer: Ipv4Layer, protocol: number, sim: { scheduler: { now(): number } }): { received: Received[]; errors: IcmpErrorReport[] } {
  const received: Received[] = [];
  const errors: IcmpErrorReport[] = [];
  layer.registerProtocol(
    protocol,
    (packet, info) => received.push({ at: sim.scheduler.now(), data: packet.toBytes(), info: { ...info, datagram: info.datagram.slice() } }),
    (report) => errors.push(report),
  );
  return { received, errors };
}

function record(sim: SimulationContext): TraceEvent[] {
  const events: TraceEvent[] = [];
  sim.trace.on('event', (e) => events.push(e));
  return events;
}

const drops = (events: TraceEvent[], node?: string): DropEvent[] =>
  events.filter((e): e is DropEvent => e.kind === 'drop' && (node === undefined || e.node === node));

describe('forwarding', () => {
  it('carries a datagram across two routers, TTL down by one per hop and the header checksum still valid', () => {
    const net = chain();
    const atB = listen(net.b, 17, net.sim);
    const data = payload(100);
    expect(net.a.send(Packet.from(data), { destination: ip('10.0.2.2'), protocol: 17 })).toEqual({ ok: true });
    net.sim.scheduler.runUntilIdle();
    expect(atB.received).toHaveLength(1);
    const got = atB.received[0]!;
    expect(got.at).toBe(6 * NS_PER_MS);
    expect(got.data).toEqual(data);
    expect(got.info).toMatchObject({ protocol: 17, ttl: 62, iface: 'eth0' });
    expect(got.info.source.toString()).toBe('10.0.1.1');
    expect(got.info.destination.toString()).toBe('10.0.2.2');
    const hops = [net.w1, net.w2, net.w3].map((w) => datagramsOn(w));
    expect(hops.map((h) => h.length)).toEqual([1, 1, 1]);
    expect(hops.map((h) => h[0]!.header.ttl)).toEqual([64, 63, 62]);
    // parseIpv4 verified each checksum; check the one after two incremental updates directly too.
    expect(internetChecksum(net.w3.frames[0]!.bytes, 0, 20)).toBe(0);
    expect(new Set(hops.map((h) => h[0]!.header.identification)).size).toBe(1);
    // The routers' link layer was asked for the right next hops.
    expect(net.w2.frames[0]!.destination).toEqual({ kind: 'ipv4', nextHop: ip('10.0.12.2') });
    expect(net.w3.frames[0]!.destination).toEqual({ kind: 'ipv4', nextHop: ip('10.0.2.2') });
    expect(net.r1.stats.forwarded).toBe(1);
    expect(net.r2.stats.forwarded).toBe(1);
  });

  it('sends ICMP time exceeded back to the sender when TTL runs out, and drops with TtlExpired', () => {
    const net = chain();
    const events = record(net.sim);
    const atA = listen(net.a, 17, net.sim);
    const atB = listen(net.b, 17, net.sim);
    net.a.send(Packet.from(payload(40)), { destination: ip('10.0.2.2'), protocol: 17, ttl: 2 });
    net.sim.scheduler.runUntilIdle();
    expect(atB.received).toHaveLength(0);
    expect(drops(events, 'r2').map((d) => d.reason)).toEqual([DropReason.TtlExpired]);
    expect(atA.errors).toHaveLength(1);
    const report = atA.errors[0]!;
    expect(report).toMatchObject({ type: 'time-exceeded', icmpType: 11, icmpCode: 0, originalProtocol: 17 });
    expect(report.reporter.toString()).toBe('10.0.12.2');
    expect(report.originalDestination.toString()).toBe('10.0.2.2');
    expect(report.originalSource.toString()).toBe('10.0.1.1');
    expect(report.originalPayload).toEqual(payload(40));
    // The error itself: from r2, 576 bytes at most, TOS internetwork control.
    const error = datagramsOn(net.w1).find((d) => d.header.protocol === 1)!;
    expect(error.header.source.toString()).toBe('10.0.12.2');
    expect(error.header.tos).toBe(0xc0);
    expect(error.header.ttl).toBe(63);
  });

  it('answers a destination with no route with ICMP net unreachable and drops with NoRoute', () => {
    const net = chain();
    const events = record(net.sim);
    const atA = listen(net.a, 17, net.sim);
    net.a.send(Packet.from(payload(8)), { destination: ip('192.168.7.7'), protocol: 17 });
    net.sim.scheduler.runUntilIdle();
    expect(drops(events, 'r1').map((d) => d.reason)).toEqual([DropReason.NoRoute]);
    expect(atA.errors.map((e) => [e.type, e.icmpCode, e.reporter.toString()])).toEqual([['destination-unreachable', 0, '10.0.1.254']]);
  });

  it('answers DF + too big with fragmentation needed carrying the next-hop MTU (RFC 1191)', () => {
    const net = chain({ coreMtu: 1000 });
    const events = record(net.sim);
    const atA = listen(net.a, 17, net.sim);
    expect(net.a.send(Packet.from(payload(1400)), { destination: ip('10.0.2.2'), protocol: 17, dontFragment: true })).toEqual({ ok: true });
    net.sim.scheduler.runUntilIdle();
    expect(drops(events, 'r1').map((d) => d.reason)).toEqual([DropReason.TooBig]);
    expect(atA.errors).toHaveLength(1);
    expect(atA.errors[0]).toMatchObject({ type: 'destination-unreachable', icmpCode: 4, mtu: 1000 });
    expect(net.w2.frames).toHaveLength(0);
  });

  it('fragments at a router whose next link has a smaller MTU, and the destination reassembles', () => {
    const net = chain({ coreMtu: 576 });
    const atB = listen(net.b, 17, net.sim);
    const data = payload(1400);
    net.a.send(Packet.from(data), { destination: ip('10.0.2.2'), protocol: 17 });
    net.sim.scheduler.runUntilIdle();
    const pieces = datagramsOn(net.w2);
    expect(pieces.map((p) => [p.header.totalLength, p.header.fragmentOffset, p.header.moreFragments, p.header.ttl])).toEqual([
      [572, 0, true, 63],
      [572, 552, true, 63],
      [316, 1104, false, 63],
    ]);
    expect(atB.received).toHaveLength(1);
    expect(atB.received[0]!.data).toEqual(data);
    expect(atB.received[0]!.info.ttl).toBe(62);
    expect(net.b.stats.reassembled).toBe(1);
  });

  it('never sends an ICMP error about an ICMP error or about a non-first fragment', () => {
    const net = chain();
    const events = record(net.sim);
    // An ICMP port-unreachable datagram with TTL 1.
    const quoted = new Uint8Array(28);
    emitIpv4Header(makeIpv4Header({ source: ip('10.0.1.1'), destination: ip('10.0.2.2'), protocol: 17, payloadLength: 8 }), quoted);
    const error = Packet.alloc(36);
    emitIcmp({ kind: 'destination-unreachable', code: 3, nextHopMtu: 0, original: quoted }, error.bytes);
    net.a.send(error, { destination: ip('10.0.2.2'), protocol: 1, ttl: 1 });
    // A non-first fragment with TTL 1, injected as if from a.
    const fragment = makeIpv4Header({ source: ip('10.0.1.1'), destination: ip('10.0.2.2'), protocol: 17, payloadLength: 16, ttl: 1, fragmentOffset: 1480, identification: 5 });
    const bytes = new Uint8Array(fragment.totalLength);
    emitIpv4Header(fragment, bytes);
    net.links.r1Eth0.inject(bytes);
    net.sim.scheduler.runUntilIdle();
    expect(drops(events, 'r1').map((d) => d.reason)).toEqual([DropReason.TtlExpired, DropReason.TtlExpired]);
    expect(datagramsOn(net.w1).filter((d) => d.header.source.toString() === '10.0.1.254')).toHaveLength(0);
    const notes = events.filter((e): e is NoteEvent => e.kind === 'note' && e.node === 'r1').map((e) => e.message);
    expect(notes.some((m) => m.includes('about an ICMP error'))).toBe(true);
    expect(notes.some((m) => m.includes('not the first fragment'))).toBe(true);
  });

  it('rate-limits ICMP errors with a token bucket in virtual time', () => {
    const net = chain({ routerOptions: { icmpRateLimit: { burst: 3, perSecond: 1 } } });
    const events = record(net.sim);
    const atA = listen(net.a, 17, net.sim);
    for (let i = 0; i < 10; i++) net.a.send(Packet.from(payload(8)), { destination: ip('10.0.2.2'), protocol: 17, ttl: 1 });
    net.sim.scheduler.runUntilIdle();
    expect(atA.errors).toHaveLength(3);
    expect(drops(events, 'r1').filter((d) => d.reason === DropReason.RateLimited)).toHaveLength(7);
    net.sim.scheduler.runFor(NS_PER_S);
    net.a.send(Packet.from(payload(8)), { destination: ip('10.0.2.2'), protocol: 17, ttl: 1 });
    net.a.send(Packet.from(payload(8)), { destination: ip('10.0.2.2'), protocol: 17, ttl: 1 });
    net.sim.scheduler.runUntilIdle();
    expect(atA.errors).toHaveLength(4);
  });

  it('answers host unreachable when the outgoing interface is down, and drops with InterfaceDown', () => {
    const net = chain();
    const events = record(net.sim);
    const atA = listen(net.a, 17, net.sim);
    net.links.r1Eth1.setUp(false);
    net.a.send(Packet.from(payload(8)), { destination: ip('10.0.2.2'), protocol: 17 });
    net.sim.scheduler.runUntilIdle();
    expect(drops(events, 'r1').map((d) => [d.reason, d.iface])).toEqual([[DropReason.InterfaceDown, 'eth1']]);
    expect(atA.errors.map((e) => [e.type, e.icmpCode, e.reporter.toString()])).toEqual([['destination-unreachable', 1, '10.0.1.254']]);
    expect(events.some((e) => e.kind === 'state' && e.node === 'r1' && e.to === 'DOWN')).toBe(true);
  });

  it('a host (forwarding off) drops a datagram for another address with NotForUs', () => {
    const net = chain();
    const events = record(net.sim);
    const header = makeIpv4Header({ source: ip('10.0.2.9'), destination: ip('10.0.1.77'), protocol: 17, payloadLength: 0 });
    const bytes = new Uint8Array(20);
    emitIpv4Header(header, bytes);
    net.links.bEth0.inject(bytes);
    expect(drops(events, 'b').map((d) => d.reason)).toEqual([DropReason.NotForUs]);
  });

  it('a router does not forward link broadcasts, martian sources or loopback destinations', () => {
    const net = chain();
    const events = record(net.sim);
    const make = (source: string, destination: string): Uint8Array => {
      const bytes = new Uint8Array(20);
      emitIpv4Header(makeIpv4Header({ source: ip(source), destination: ip(destination), protocol: 17, payloadLength: 0 }), bytes);
      return bytes;
    };
    net.links.r1Eth0.inject(make('10.0.1.1', '10.0.2.2'), EtherType.IPv4, { broadcast: true });
    net.links.r1Eth0.inject(make('0.0.0.0', '10.0.2.2'));
    net.links.r1Eth0.inject(make('10.0.1.1', '127.0.0.1'));
    expect(drops(events, 'r1').map((d) => d.reason)).toEqual([DropReason.NotForUs, DropReason.Filtered, DropReason.NotForUs]);
    expect(net.w2.frames).toHaveLength(0);
  });
});

describe('receiving', () => {
  it('drops bad datagrams with the WireError reason and never throws', () => {
    const net = chain();
    const events = record(net.sim);
    const good = new Uint8Array(28);
    emitIpv4Header(makeIpv4Header({ source: ip('10.0.2.9'), destination: ip('10.0.2.2'), protocol: 17, payloadLength: 8 }), good);
    const badChecksum = good.slice();
    badChecksum[8] = 3;
    const v6 = good.slice();
    v6[0] = 0x60;
    net.links.bEth0.inject(badChecksum);
    net.links.bEth0.inject(v6);
    net.links.bEth0.inject(good.subarray(0, 12));
    expect(drops(events, 'b').map((d) => [d.reason, d.iface])).toEqual([
      [DropReason.BadChecksum, 'eth0'],
      [DropReason.BadVersion, 'eth0'],
      [DropReason.Truncated, 'eth0'],
    ]);
    expect(net.b.stats.delivered).toBe(0);
  });

  it('drops a datagram with total length 0 (as segmentation offload leaves it) with BadLength: a NIC never delivers one', () => {
    const net = chain();
    const events = record(net.sim);
    const bytes = new Uint8Array(28);
    emitIpv4Header(makeIpv4Header({ source: ip('10.0.2.9'), destination: ip('10.0.2.2'), protocol: 17, payloadLength: 8 }), bytes);
    bytes[2] = 0;
    bytes[3] = 0;
    bytes[10] = 0;
    bytes[11] = 0;
    net.links.bEth0.inject(bytes);
    const [drop] = drops(events, 'b');
    expect(drop?.reason).toBe(DropReason.BadLength);
    expect(net.b.stats.delivered).toBe(0);
  });

  it('answers an unknown protocol with ICMP protocol unreachable and drops with UnknownProtocol', () => {
    const net = chain();
    const events = record(net.sim);
    const atA = listen(net.a, 99, net.sim);
    net.a.send(Packet.from(payload(12)), { destination: ip('10.0.2.2'), protocol: 99 });
    net.sim.scheduler.runUntilIdle();
    expect(drops(events, 'b').map((d) => d.reason)).toEqual([DropReason.UnknownProtocol]);
    expect(atA.errors.map((e) => [e.type, e.icmpCode, e.reporter.toString(), e.originalProtocol])).toEqual([['destination-unreachable', 2, '10.0.2.2', 99]]);
  });

  it('sendUnreachable answers a received datagram (a transport with no socket: port unreachable)', () => {
    const net = chain();
    const atA = listen(net.a, 17, net.sim);
    net.b.registerProtocol(17, (_packet, info) => net.b.sendUnreachable(info, 3));
    const udp = Uint8Array.from([0xc0, 0x00, 0x00, 0x35, 0x00, 0x0c, 0x00, 0x00, 1, 2, 3, 4]);
    net.a.send(Packet.from(udp), { destination: ip('10.0.2.2'), protocol: 17 });
    net.sim.scheduler.runUntilIdle();
    expect(atA.errors).toHaveLength(1);
    expect(atA.errors[0]).toMatchObject({ type: 'destination-unreachable', icmpCode: 3 });
    expect([...atA.errors[0]!.originalPayload.subarray(0, 4)]).toEqual([0xc0, 0x00, 0x00, 0x35]);
    expect(net.b.stats.icmpErrorsSent).toBe(1);
  });

  it('fragments a 4000-byte datagram over MTU 1500 (1500 + 1500 + 1040) and the destination reassembles it', () => {
    const net = chain();
    const atB = listen(net.b, 17, net.sim);
    const data = payload(3980);
    expect(net.a.send(Packet.from(data), { destination: ip('10.0.2.2'), protocol: 17 })).toEqual({ ok: true });
    net.sim.scheduler.runUntilIdle();
    const first = datagramsOn(net.w1);
    expect(first.map((d) => [d.header.totalLength, d.header.fragmentOffset, d.header.moreFragments])).toEqual([
      [1500, 0, true],
      [1500, 1480, true],
      [1040, 2960, false],
    ]);
    expect(net.a.stats.fragmentsCreated).toBe(3);
    // Routers forward fragments as they are.
    expect(datagramsOn(net.w3)).toHaveLength(3);
    expect(atB.received).toHaveLength(1);
    expect(atB.received[0]!.data).toEqual(data);
    expect(atB.received[0]!.info.datagram.length).toBe(4000);
    expect(atB.received[0]!.at).toBe(6 * NS_PER_MS);
  });

  it('a lost fragment times out at exactly the configured time and the sender gets time exceeded code 1', () => {
    const net = chain({ hostOptions: { reassemblyTimeout: '10s' } });
    const events = record(net.sim);
    const atA = listen(net.a, 17, net.sim);
    const atB = listen(net.b, 17, net.sim);
    net.w2.filter = (frame: SegmentFrame) => {
      const p = parseIpv4(frame.bytes);
      return isWireError(p) || p.header.fragmentOffset !== 1480;
    };
    net.sim.scheduler.runUntil(5 * NS_PER_MS);
    net.a.send(Packet.from(payload(3980)), { destination: ip('10.0.2.2'), protocol: 17 });
    net.sim.scheduler.runUntilIdle();
    expect(atB.received).toHaveLength(0);
    const timeout = drops(events, 'b').filter((d) => d.reason === DropReason.ReassemblyTimeout);
    // First fragment arrives at 5 ms + 6 ms; the timer runs 10 s from then.
    expect(timeout.map((d) => d.time)).toEqual([11 * NS_PER_MS + 10 * NS_PER_S]);
    expect(atA.errors.map((e) => [e.type, e.icmpCode, e.reporter.toString()])).toEqual([['time-exceeded', 1, '10.0.2.2']]);
  });

  it('drops overlapping fragments with different contents and ignores exact duplicates', () => {
    const net = chain();
    const events = record(net.sim);
    const atB = listen(net.b, 17, net.sim);
    const frames: Uint8Array[] = [];
    net.w1.filter = (frame) => {
      frames.push(frame.bytes.slice());
      return false;
    };
    net.a.send(Packet.from(payload(3980)), { destination: ip('10.0.2.2'), protocol: 17 });
    net.a.send(Packet.from(payload(3980, 9)), { destination: ip('10.0.2.2'), protocol: 17 });
    // Datagram 1: every fragment twice → one delivery, no drops.
    for (const f of [frames[0]!, frames[0]!, frames[1]!, frames[2]!, frames[2]!]) net.links.bEth0.inject(f);
    expect(atB.received).toHaveLength(1);
    expect(drops(events, 'b')).toHaveLength(0);
    // Datagram 2: its second fragment rewritten to overlap the first with other bytes.
    const evil = frames[4]!.slice();
    evil[7] = (1480 - 8) / 8; // offset 1472, overlaps 1472..1480 of fragment 0
    evil[10] = 0;
    evil[11] = 0;
    const c = internetChecksum(evil, 0, 20);
    evil[10] = c >>> 8;
    evil[11] = c & 0xff;
    for (const f of [frames[3]!, evil, frames[5]!, frames[4]!]) net.links.bEth0.inject(f);
    expect(atB.received).toHaveLength(1);
    expect(drops(events, 'b').map((d) => d.reason)).toEqual([DropReason.FragmentInvalid, DropReason.FragmentInvalid, DropReason.FragmentInvalid]);
  });
});

describe('sending', () => {
  it('returns no-route and traces a NoRoute drop when nothing matches', () => {
    const sim = createSimulationContext(1);
    const events = record(sim);
    const host = new Ipv4Layer(createNodeContext(sim, 'h'));
    host.addInterface(fakeWire(1).attach(host.node, 'eth0'), '10.0.0.1/24');
    const result = host.send(Packet.from('x'), { destination: ip('8.8.8.8'), protocol: 17 });
    expect(result).toMatchObject({ ok: false, reason: 'no-route' });
    expect(drops(events).map((d) => d.reason)).toEqual([DropReason.NoRoute]);
  });

  it('returns too-big for DF datagrams larger than the MTU, and for more than 65535 bytes', () => {
    const net = chain();
    expect(net.a.send(Packet.from(payload(1481)), { destination: ip('10.0.2.2'), protocol: 17, dontFragment: true })).toMatchObject({ ok: false, reason: 'too-big' });
    expect(net.a.send(Packet.from(payload(1480)), { destination: ip('10.0.2.2'), protocol: 17, dontFragment: true })).toEqual({ ok: true });
    expect(net.a.send(Packet.from(payload(65516)), { destination: ip('10.0.2.2'), protocol: 17 })).toMatchObject({ ok: false, reason: 'too-big' });
  });

  it('returns interface-down when the route leaves by a down interface, and tells listeners', () => {
    const net = chain();
    const changes: [string, boolean][] = [];
    net.a.onInterfaceChange((name, up) => changes.push([name, up]));
    net.links.aEth0.setUp(false);
    expect(net.a.send(Packet.from('x'), { destination: ip('10.0.2.2'), protocol: 17 })).toMatchObject({ ok: false, reason: 'interface-down' });
    expect(changes).toEqual([['eth0', false]]);
    expect(net.a.interfaces()[0]!.isUp).toBe(false);
  });

  it('delivers a datagram to one of its own addresses through the scheduler, not the link', () => {
    const net = chain();
    const atA = listen(net.a, 17, net.sim);
    net.a.send(Packet.from(payload(10)), { destination: ip('10.0.1.1'), protocol: 17 });
    net.a.send(Packet.from(payload(10)), { destination: ip('127.0.0.1'), protocol: 17 });
    expect(atA.received).toHaveLength(0);
    net.sim.scheduler.runUntilIdle();
    expect(atA.received.map((r) => [r.at, r.info.iface, r.info.source.toString()])).toEqual([
      [0, 'lo', '10.0.1.1'],
      [0, 'lo', '127.0.0.1'],
    ]);
    expect(net.w1.frames).toHaveLength(0);
  });

  it('sends the directed broadcast of a connected subnet as a link broadcast', () => {
    const net = chain();
    net.b.send(Packet.from('hi'), { destination: ip('10.0.2.255'), protocol: 17 });
    expect(net.w3.frames[0]!.destination).toEqual({ kind: 'broadcast' });
    expect(parseIpv4(net.w3.frames[0]!.bytes)).toMatchObject({ header: { source: ip('10.0.2.2') } });
  });

  it('uses a per-node identification counter', () => {
    const net = chain();
    for (let i = 0; i < 3; i++) net.a.send(Packet.from('x'), { destination: ip('10.0.2.2'), protocol: 17 });
    expect(datagramsOn(net.w1).map((d) => d.header.identification)).toEqual([1, 2, 3]);
  });
});

describe('limited broadcast and unaddressed interfaces', () => {
  function segment() {
    const sim = createSimulationContext(1);
    const wire = fakeWire(NS_PER_MS);
    const server = new Ipv4Layer(createNodeContext(sim, 'server'));
    const client = new Ipv4Layer(createNodeContext(sim, 'client'));
    const other = new Ipv4Layer(createNodeContext(sim, 'other'));
    server.addInterface(wire.attach(server.node, 'eth0'), '10.0.0.1/24');
    const clientLink = wire.attach(client.node, 'eth0');
    client.addInterface(clientLink);
    other.addInterface(wire.attach(other.node, 'eth0'), '10.0.0.3/24');
    return { sim, wire, server, client, other, clientLink };
  }

  it('an unaddressed interface sends 255.255.255.255 from 0.0.0.0 as a link broadcast; every node receives it', () => {
    const s = segment();
    const atServer = listen(s.server, 17, s.sim);
    const atOther = listen(s.other, 17, s.sim);
    expect(s.client.sourceAddressFor(Ipv4Address.BROADCAST)?.toString()).toBe('0.0.0.0');
    expect(s.client.send(Packet.from('discover'), { destination: Ipv4Address.BROADCAST, protocol: 17, viaInterface: 'eth0' })).toEqual({ ok: true });
    expect(s.wire.frames[0]!.destination).toEqual({ kind: 'broadcast' });
    s.sim.scheduler.runUntilIdle();
    expect(atServer.received.map((r) => [r.info.source.toString(), r.info.destination.toString()])).toEqual([['0.0.0.0', '255.255.255.255']]);
    expect(atOther.received).toHaveLength(1);
  });

  it('an unaddressed interface accepts broadcasts (limited, or unicast in a link broadcast) but not unicast frames', () => {
    const s = segment();
    const events = record(s.sim);
    const atClient = listen(s.client, 17, s.sim);
    s.server.send(Packet.from('offer-1'), { destination: Ipv4Address.BROADCAST, protocol: 17, viaInterface: 'eth0' });
    // A DHCP offer to the address being offered, in a link broadcast frame.
    const offer = new Uint8Array(27);
    emitIpv4Header(makeIpv4Header({ source: ip('10.0.0.1'), destination: ip('10.0.0.50'), protocol: 17, payloadLength: 7 }), offer);
    s.clientLink.inject(offer, EtherType.IPv4, { broadcast: true });
    s.clientLink.inject(offer);
    s.sim.scheduler.runUntilIdle();
    expect(atClient.received.map((r) => r.info.destination.toString())).toEqual(['10.0.0.50', '255.255.255.255']);
    expect(drops(events, 'client').map((d) => d.reason)).toEqual([DropReason.NotForUs]);
  });

  it('without viaInterface, the limited broadcast goes out of every up interface', () => {
    const sim = createSimulationContext(1);
    const w1 = fakeWire(1);
    const w2 = fakeWire(1);
    const host = new Ipv4Layer(createNodeContext(sim, 'h'));
    host.addInterface(w1.attach(host.node, 'eth0'), '10.0.1.5/24');
    host.addInterface(w2.attach(host.node, 'eth1'), '10.0.2.5/24');
    host.send(Packet.from('all'), { destination: Ipv4Address.BROADCAST, protocol: 17 });
    expect(datagramsOn(w1).map((d) => d.header.source.toString())).toEqual(['10.0.1.5']);
    expect(datagramsOn(w2).map((d) => d.header.source.toString())).toEqual(['10.0.2.5']);
    expect(new TextDecoder().decode(datagramsOn(w2)[0]!.payload)).toBe('all');
  });

  it('does not answer an ICMP error to a broadcast datagram', () => {
    const s = segment();
    s.client.send(Packet.from('?'), { destination: Ipv4Address.BROADCAST, protocol: 99, viaInterface: 'eth0' });
    s.sim.scheduler.runUntilIdle();
    expect(s.wire.frames).toHaveLength(1);
  });

  it('gets an address later (DHCP) and then answers for it', () => {
    const s = segment();
    const atClient = listen(s.client, 17, s.sim);
    s.client.setInterfaceAddress('eth0', '10.0.0.50/24');
    expect(s.clientLink.ipv4Addresses.map(String)).toEqual(['10.0.0.50']);
    expect(s.client.routes.lookup(ip('10.0.0.1'))?.iface).toBe('eth0');
    s.server.send(Packet.from('ack'), { destination: ip('10.0.0.50'), protocol: 17 });
    s.sim.scheduler.runUntilIdle();
    expect(atClient.received).toHaveLength(1);
    s.client.setInterfaceAddress('eth0', null);
    expect(s.clientLink.ipv4Addresses).toEqual([]);
    expect(s.client.routes.entries()).toEqual([]);
  });
});

describe('configuration', () => {
  it('adds connected routes, static routes and a default gateway, and answers the IpService queries', () => {
    const net = chain();
    expect(net.r1.routes.toString().split('\n')).toEqual([
      '10.0.12.0/30 dev eth1 proto connected metric 0',
      '10.0.1.0/24 dev eth0 proto connected metric 0',
      '10.0.2.0/24 via 10.0.12.2 dev eth1 proto static metric 0',
    ]);
    expect(net.a.routes.lookup(ip('8.8.8.8'))).toMatchObject({ iface: 'eth0', nextHop: ip('10.0.1.254') });
    expect(net.a.interfaces()).toEqual([{ name: 'eth0', cidr: net.a.interfaces()[0]!.cidr, mtu: 1500, isUp: true }]);
    expect(net.a.interfaces()[0]!.cidr?.toString()).toBe('10.0.1.1/24');
    expect(net.links.aEth0.ipv4Addresses.map(String)).toEqual(['10.0.1.1']);
    expect(net.r1.sourceAddressFor(ip('10.0.2.2'))?.toString()).toBe('10.0.12.1');
    expect(net.r1.sourceAddressFor(ip('192.168.0.1'))).toBeNull();
    expect(net.r1.mtuTowards(ip('192.168.0.1'))).toBe(576);
    expect(net.a.mtuTowards(ip('10.0.2.2'))).toBe(1500);
    expect(net.a.isLocalAddress(ip('10.0.1.1'))).toBe(true);
    expect(net.a.isLocalAddress(ip('10.0.1.255'))).toBe(true);
    expect(net.a.isLocalAddress(ip('255.255.255.255'))).toBe(true);
    expect(net.a.isLocalAddress(ip('10.0.1.2'))).toBe(false);
    expect(net.r1.removeRoute('10.0.2.0/24')).toBe(1);
    expect(net.r1.routes.lookup(ip('10.0.2.2'))).toBeUndefined();
  });

  it('throws typed errors naming the bad value', () => {
    const sim = createSimulationContext(1);
    const wire = fakeWire(1);
    const host = new Ipv4Layer(createNodeContext(sim, 'h'));
    expect(() => host.addInterface(wire.attach(host.node, 'eth0'), '10.0.0.300/24')).toThrow(InvalidAddressError);
    expect(() => host.addInterface(wire.attach(host.node, 'eth0'), '10.0.0.300/24')).toThrow(/10\.0\.0\.300\/24/);
    expect(() => host.addInterface(wire.attach(host.node, 'eth1'), '10.0.0.0/24')).toThrow(/network address/);
    expect(() => host.addInterface(wire.attach(host.node, 'eth1'), '10.0.0.255/24')).toThrow(/broadcast address/);
    expect(host.interfaces()).toEqual([]);
    host.addInterface(wire.attach(host.node, 'eth0'), '10.0.0.1/24');
    expect(() => host.addInterface(wire.attach(host.node, 'eth0'))).toThrow(InvalidArgumentError);
    expect(() => host.setDefaultGateway('10.0.0.999')).toThrow(InvalidAddressError);
    expect(() => host.setDefaultGateway('10.0.0.999')).toThrow(/10\.0\.0\.999/);
    expect(() => host.setDefaultGateway('192.168.1.1')).toThrow(/192\.168\.1\.1.*no connected subnet/);
    expect(() => host.setDefaultGateway('10.0.0.254', 'eth9')).toThrow(/"eth9"/);
    expect(() => host.addRoute('10.9.0.0/33', '10.0.0.2')).toThrow(InvalidAddressError);
    expect(() => host.addRoute('10.9.0.0/16', null)).toThrow(/without a next hop must name its interface/);
    expect(() => host.setInterfaceAddress('wlan0', '10.1.1.1/24')).toThrow(/"wlan0"/);
    expect(() => host.registerProtocol(256, () => {})).toThrow(/protocol 256/);
    expect(() => host.send(Packet.from('x'), { destination: ip('10.0.0.2'), protocol: 17, ttl: 0 })).toThrow(/ttl 0/);
    expect(() => host.send(Packet.from('x'), { destination: '10.0.0.2' as unknown as Ipv4Address, protocol: 17 })).toThrow(InvalidAddressError);
    expect(() => host.send(Packet.from('x'), { destination: ip('10.0.0.2'), protocol: 17, viaInterface: 'eth7' })).toThrow(/"eth7"/);
    expect(() => new Ipv4Layer(createNodeContext(sim, 'x'), { reassemblyTimeout: 'soon' })).toThrow(/"soon"/);
    expect(() => new Ipv4Layer(createNodeContext(sim, 'x'), { defaultTtl: 300 })).toThrow(/defaultTtl 300/);
  });
});

describe('tracing', () => {
  it('traces ICMP in tcpdump style down, forward and up, notes the route a router picks, and the fields', () => {
    const net = chain();
    const events = record(net.sim);
    void net.a.ping('10.0.2.2'); // checked in the trace, not through the promise
    net.sim.scheduler.runUntilIdle();
    const pdus = events.filter((e): e is PduEvent => e.kind === 'pdu');
    const request = pdus.filter((e) => e.text.includes('echo request'));
    expect(request.map((e) => [e.node, e.direction, e.protocol, e.iface])).toEqual([
      ['a', 'down', 'icmp', 'eth0'],
      ['r1', 'forward', 'icmp', 'eth1'],
      ['r2', 'forward', 'icmp', 'eth1'],
      ['b', 'up', 'icmp', 'eth0'],
    ]);
    expect(request[0]!.text).toBe('10.0.1.1 > 10.0.2.2: ICMP echo request, id 1, seq 1, length 64');
    expect(request[0]!.header).toMatchObject({ protocol: 'icmp', type: 8, code: 0, identifier: 1, sequence: 1, ip: { source: '10.0.1.1', destination: '10.0.2.2', ipProtocol: 1, ttl: 64, identification: 1, totalLength: 84, dontFragment: false, moreFragments: false, fragmentOffset: 0 } });
    expect(request[1]!.header.protocol === 'icmp' ? request[1]!.header.ip.ttl : undefined).toBe(63);
    expect(request[0]).toMatchObject({ role: 'network', length: 84, headerLength: 20 });
    const notes = events.filter((e): e is NoteEvent => e.kind === 'note').map((e) => `${e.node}: ${e.message}`);
    expect(notes).toContain('r1: 10.0.2.2 via 10.0.12.2 on eth1');
    expect(notes).toContain('r2: 10.0.2.2 directly connected on eth1');
    expect(pdus.filter((e) => e.text.includes('echo reply')).map((e) => e.node)).toEqual(['b', 'r2', 'r1', 'a']);
  });

  it('traces other protocols as ipv4 and notes fragmentation and reassembly', () => {
    const net = chain();
    const events = record(net.sim);
    listen(net.b, 17, net.sim);
    net.a.send(Packet.from(payload(3980)), { destination: ip('10.0.2.2'), protocol: 17 });
    net.sim.scheduler.runUntilIdle();
    const down = events.filter((e): e is PduEvent => e.kind === 'pdu' && e.node === 'a');
    expect(down.map((e) => e.text)).toEqual([
      '10.0.1.1 > 10.0.2.2: UDP (17), ttl 64, id 1, frag 1480@0+, length 1500',
      '10.0.1.1 > 10.0.2.2: UDP (17), ttl 64, id 1, frag 1480@1480+, length 1500',
      '10.0.1.1 > 10.0.2.2: UDP (17), ttl 64, id 1, frag 1020@2960, length 1040',
    ]);
    const notes = events.filter((e): e is NoteEvent => e.kind === 'note').map((e) => `${e.node}: ${e.message}`);
    expect(notes).toContain('a: fragmenting id 1 (4000 bytes) into 3 fragments for MTU 1500');
    expect(notes).toContain('b: reassembled 4000 bytes (id 1) from 3 fragments');
  });

  it('emits nothing when nobody listens, and forwarding still works', () => {
    const net = chain();
    const atB = listen(net.b, 17, net.sim);
    net.a.send(Packet.from(payload(10)), { destination: ip('10.0.2.2'), protocol: 17 });
    net.sim.scheduler.runUntilIdle();
    expect(atB.received).toHaveLength(1);
    expect(net.sim.trace.active).toBe(false);
  });
});

describe('ICMP echo', () => {
  it('answers an echo request from the address it was sent to, with the same id, sequence and data', () => {
    const net = chain();
    void net.a.ping('10.0.2.2', { size: 20, identifier: 0x77, sequence: 9 }); // checked on the wire, not through the promise
    net.sim.scheduler.runUntilIdle();
    const reply = datagramsOn(net.w3).find((d) => d.header.source.toString() === '10.0.2.2')!;
    const m = parseIcmp(reply.payload);
    expect(m).toMatchObject({ kind: 'echo-reply', identifier: 0x77, sequence: 9 });
    if (!isWireError(m) && m.kind === 'echo-reply') expect([...m.data]).toEqual([...Array(20).keys()]);
  });

  it('ignores an echo request sent to a broadcast address (RFC 1122 §3.2.2.6)', () => {
    const net = chain();
    const events = record(net.sim);
    const echo = Packet.alloc(8);
    emitIcmp({ kind: 'echo-request', code: 0, identifier: 1, sequence: 1, data: new Uint8Array(0) }, echo.bytes);
    net.a.send(echo, { destination: ip('10.0.1.255'), protocol: 1 });
    net.sim.scheduler.runUntilIdle();
    expect(drops(events, 'r1').map((d) => d.reason)).toEqual([DropReason.Filtered]);
    expect(net.w1.frames).toHaveLength(1);
  });
});
