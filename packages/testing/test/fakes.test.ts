// The reference fakes: they stand beside implementations under test, so they must behave.
import { describe, expect, it } from 'vitest';
import { EtherType, Ipv4Address, Packet, UnreachableCode, internetChecksum, type IcmpErrorReport } from '@netlayers/core';
import { FakeIpNetwork, FakeLinkSegment, FakeMedium, createWorld, physicalMediumSuite, runUntil } from '../src/index.ts';

physicalMediumSuite('FakeMedium point-to-point', (sim) => new FakeMedium(sim.scheduler, { bandwidth: '10Mbps', delay: '5us' }));
physicalMediumSuite('FakeMedium shared', (sim) => new FakeMedium(sim.scheduler, { topology: 'shared', bandwidth: '1Gbps', delay: '1ms' }));

describe('FakeIpNetwork', () => {
  function lossyRun(seed: number): { received: number[]; stats: FakeIpNetwork['stats'] } {
    const world = createWorld(seed);
    const net = new FakeIpNetwork(world.sim, { loss: 0.2, reorder: 0.3, duplicate: 0.1 });
    const a = net.addNode(world.node('a'), '10.0.0.1');
    const b = net.addNode(world.node('b'), '10.0.0.2');
    const received: number[] = [];
    b.registerProtocol(200, (p) => received.push(p.bytes[0]!));
    for (let i = 0; i < 200; i++) a.send(Packet.from(new Uint8Array([i])), { destination: b.address, protocol: 200 });
    world.sim.scheduler.runUntilIdle();
    return { received, stats: { ...net.stats } };
  }

  it('loses, duplicates and reorders as configured, the same way for the same seed', () => {
    const first = lossyRun(7);
    expect(first.stats.lost).toBeGreaterThan(20);
    expect(first.stats.lost).toBeLessThan(60);
    expect(first.stats.duplicated).toBeGreaterThan(5);
    expect(first.received.length).toBe(200 - first.stats.lost + first.stats.duplicated);
    const inOrder = first.received.every((v, i, all) => i === 0 || all[i - 1]! <= v);
    expect(inOrder).toBe(false);
    expect(lossyRun(7)).toEqual(first);
    expect(lossyRun(8).received).not.toEqual(first.received);
  });

  it('reports no-route for an address not on the network, and routes ICMP errors to onError', () => {
    const world = createWorld();
    const net = new FakeIpNetwork(world.sim);
    const a = net.addNode(world.node('a'), '10.0.0.1');
    const b = net.addNode(world.node('b'), '10.0.0.2');
    expect(a.send(Packet.from('x'), { destination: Ipv4Address.parse('10.9.9.9'), protocol: 17 })).toMatchObject({ ok: false, reason: 'no-route' });
    const errors: IcmpErrorReport[] = [];
    a.registerProtocol(17, () => undefined, (r) => errors.push(r));
    b.registerProtocol(17, (_p, info) => b.sendUnreachable(info, UnreachableCode.Port));
    a.send(Packet.from('12345678'), { destination: b.address, protocol: 17 });
    runUntil(world.sim, () => errors.length > 0);
    expect(errors[0]).toMatchObject({ icmpType: 3, icmpCode: 3, originalProtocol: 17 });
    expect(new TextDecoder().decode(errors[0]!.originalPayload)).toBe('12345678');
    // A protocol nobody registered draws protocol unreachable.
    a.registerProtocol(99, () => undefined, (r) => errors.push(r));
    a.send(Packet.from('x'), { destination: b.address, protocol: 99 });
    runUntil(world.sim, () => errors.length > 1);
    expect(errors[1]).toMatchObject({ icmpCode: UnreachableCode.Protocol, originalProtocol: 99 });
  });
});

describe('FakeIpNetwork bandwidth', () => {
  it('serializes each sender\'s datagrams (payload + 20-byte header) one after another at the given rate', () => {
    const world = createWorld();
    const net = new FakeIpNetwork(world.sim, { delay: '1ms', bandwidth: 8e6 });
    const a = net.addNode(world.node('a'), '10.0.0.1');
    const b = net.addNode(world.node('b'), '10.0.0.2');
    const times: number[] = [];
    b.registerProtocol(200, () => times.push(world.sim.scheduler.now()));
    for (let i = 0; i < 3; i++) a.send(Packet.from(new Uint8Array(980)), { destination: b.address, protocol: 200 });
    world.sim.scheduler.runUntilIdle();
    // 1000 bytes at 8 Mbit/s take 1 ms each: they leave at 1, 2 and 3 ms and arrive 1 ms later.
    expect(times).toEqual([2_000_000, 3_000_000, 4_000_000]);
    expect(() => new FakeIpNetwork(world.sim, { bandwidth: 0 })).toThrow('invalid bandwidth 0: must be a positive number of bits per second');
  });
});

describe('FakeIpNetwork tamper', () => {
  it('rewrites or swallows payloads on arrival, with a correct header, and counts a swallowed one as lost', () => {
    const world = createWorld();
    const net = new FakeIpNetwork(world.sim);
    const a = net.addNode(world.node('a'), '10.0.0.1');
    const b = net.addNode(world.node('b'), '10.0.0.2');
    const received: { text: string; totalLength: number; checksumOk: boolean }[] = [];
    b.registerProtocol(200, (p, info) =>
      received.push({ text: new TextDecoder().decode(p.bytes), totalLength: (info.datagram[2]! << 8) | info.datagram[3]!, checksumOk: internetChecksum(info.datagram, 0, 20) === 0 }),
    );
    net.tamper = (payload, from, to) => {
      expect([from.address.toString(), to.address.toString()]).toEqual(['10.0.0.1', '10.0.0.2']);
      const text = new TextDecoder().decode(payload);
      return text === 'drop' ? null : new TextEncoder().encode(text.toUpperCase() + '!');
    };
    for (const text of ['one', 'drop', 'three']) a.send(Packet.from(text), { destination: b.address, protocol: 200 });
    world.sim.scheduler.runUntilIdle();
    expect(received).toEqual([
      { text: 'ONE!', totalLength: 24, checksumOk: true },
      { text: 'THREE!', totalLength: 26, checksumOk: true },
    ]);
    expect(net.stats).toMatchObject({ sent: 3, delivered: 2, lost: 1 });
  });
});

describe('FakeLinkSegment', () => {
  it('resolves next hops from the addresses interfaces were given and drops unknown ones', () => {
    const world = createWorld();
    const segment = new FakeLinkSegment({ mtu: 1000 });
    const a = segment.attach(world.node('a'));
    const b = segment.attach(world.node('b'));
    b.setIpv4Addresses([Ipv4Address.parse('10.0.0.2')]);
    const got: string[] = [];
    b.registerProtocol(EtherType.IPv4, (p) => got.push(new TextDecoder().decode(p.bytes)));
    a.send(Packet.from('hi'), EtherType.IPv4, { kind: 'ipv4', nextHop: Ipv4Address.parse('10.0.0.2') });
    a.send(Packet.from('lost'), EtherType.IPv4, { kind: 'ipv4', nextHop: Ipv4Address.parse('10.0.0.3') });
    a.send(Packet.from(new Uint8Array(1001)), EtherType.IPv4, { kind: 'broadcast' });
    world.sim.scheduler.runUntilIdle();
    expect(got).toEqual(['hi']);
    expect(a.stats.drops).toBe(2);
    expect(world.events.filter((e) => e.kind === 'drop').map((e) => (e.kind === 'drop' ? e.reason : ''))).toEqual(['arp-failed', 'too-big']);
  });

  it('logs every frame (unresolved ones too), lets a filter lose or alter frames, pads deliveries, and has per-interface MTUs', () => {
    const world = createWorld();
    const segment = new FakeLinkSegment({ delay: 5, padding: 4 });
    const a = segment.attach(world.node('a'), 'eth0', { mtu: 600 });
    const b = segment.attach(world.node('b'), 'eth1');
    b.setIpv4Addresses([Ipv4Address.parse('10.0.0.2')]);
    const got: number[][] = [];
    b.registerProtocol(EtherType.IPv4, (p) => got.push([...p.bytes]));
    segment.filter = (frame) => {
      if (frame.bytes[0] === 9) return false;
      frame.bytes[1] = 0xee;
      return true;
    };
    const to = { kind: 'ipv4', nextHop: Ipv4Address.parse('10.0.0.2') } as const;
    a.send(Packet.from(new Uint8Array([1, 2, 3])), EtherType.IPv4, to);
    a.send(Packet.from(new Uint8Array([9, 9])), EtherType.IPv4, to);
    a.send(Packet.from(new Uint8Array([7])), EtherType.IPv4, { kind: 'ipv4', nextHop: Ipv4Address.parse('10.0.0.9') });
    a.send(Packet.from(new Uint8Array(601)), EtherType.IPv4, to);
    b.send(Packet.from(new Uint8Array(601)), EtherType.IPv4, { kind: 'broadcast' });
    world.sim.scheduler.runUntilIdle();
    expect(got).toEqual([[1, 0xee, 3, 0, 0, 0, 0]]);
    expect(segment.frames.map((f) => [f.from, f.time, f.bytes.length])).toEqual([['eth0', 0, 3], ['eth0', 0, 2], ['eth0', 0, 1], ['eth1', 0, 601]]);
    expect(segment.unresolved).toBe(1);
    expect(a.mtu).toBe(600);
    expect(b.mtu).toBe(1500);
    b.inject(new Uint8Array([5]));
    expect(got[1]).toEqual([5, 0, 0, 0, 0]);
  });

  it("throws on a packet over the interface's MTU when asked to", () => {
    const world = createWorld();
    const segment = new FakeLinkSegment({ mtu: 100, oversize: 'throw' });
    const a = segment.attach(world.node('a'));
    expect(() => a.send(Packet.from(new Uint8Array(101)), EtherType.IPv4, { kind: 'broadcast' })).toThrow(/MTU of eth0 \(100 bytes\)/);
    expect(() => a.send(Packet.from(new Uint8Array(100)), EtherType.IPv4, { kind: 'broadcast' })).not.toThrow();
  });
});
