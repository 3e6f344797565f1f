// Ping and traceroute across a — r1 — r2 — b (1, 2 and 3 ms one way): RTT equal to the
// links' delays, settling inside the scheduler run, every failure reason, traceroute hops.

import { describe, expect, it } from 'vitest';
import { createNodeContext, createSimulationContext, InvalidAddressError, InvalidArgumentError, InvalidUnitError, Ipv4Address, NS_PER_MS, NS_PER_S, type PduEvent } from '@netlayers/core';
import { Ipv4Layer, type PingResult } from '../src/index.ts';
import { chain, fakeWire } from './support/topology.ts';

const ip = (text: string): Ipv4Address => Ipv4Address.parse(text);

describe('ping', () => {
  it('round-trip time is the sum of the link delays both ways; TTL and size as ping(8) shows them', async () => {
    const net = chain();
    const p = net.a.ping('10.0.2.2');
    net.sim.scheduler.runUntilIdle();
    const result = await p;
    expect(result).toEqual({ ok: true, rtt: 12 * NS_PER_MS, ttl: 62, bytes: 64, from: ip('10.0.2.2') });
  });

  it('settles during the scheduler run, at the virtual time of the reply (callback form)', () => {
    const net = chain();
    const seen: [number, PingResult][] = [];
    net.sim.scheduler.runUntil(3 * NS_PER_MS);
    net.a.pingWith('10.0.2.2', {}, (result) => seen.push([net.sim.scheduler.now(), result]));
    expect(seen).toHaveLength(0);
    net.sim.scheduler.runUntil(14 * NS_PER_MS);
    expect(seen).toHaveLength(0);
    net.sim.scheduler.runUntil(15 * NS_PER_MS);
    expect(seen.map(([t, r]) => [t, r.ok])).toEqual([[15 * NS_PER_MS, true]]);
  });

  it('numbers sequences per node and matches concurrent replies', async () => {
    const net = chain();
    const events: PduEvent[] = [];
    net.sim.trace.on('pdu', (e) => events.push(e));
    const first = net.a.ping('10.0.2.2');
    const second = net.a.ping('10.0.1.254');
    net.sim.scheduler.runUntilIdle();
    expect(await first).toMatchObject({ ok: true, rtt: 12 * NS_PER_MS });
    expect(await second).toMatchObject({ ok: true, rtt: 2 * NS_PER_MS, ttl: 64, from: ip('10.0.1.254') });
    const requests = events.filter((e) => e.node === 'a' && e.direction === 'down').map((e) => e.text);
    expect(requests).toEqual([
      '10.0.1.1 > 10.0.2.2: ICMP echo request, id 1, seq 1, length 64',
      '10.0.1.1 > 10.0.1.254: ICMP echo request, id 1, seq 2, length 64',
    ]);
  });

  it('times out at exactly the timeout when the reply never comes', async () => {
    const net = chain();
    net.w3.filter = () => false;
    const p = net.a.ping('10.0.2.2', { timeout: '250ms' });
    let settledAt = -1;
    void p.then(() => (settledAt = net.sim.scheduler.now()));
    net.sim.scheduler.runUntilIdle();
    expect(await p).toEqual({ ok: false, reason: 'timeout' });
    expect(settledAt).toBe(250 * NS_PER_MS);
    expect(net.sim.scheduler.now()).toBe(250 * NS_PER_MS);
  });

  it('reports time-exceeded from the router where TTL ran out', async () => {
    const net = chain();
    const p = net.a.ping('10.0.2.2', { ttl: 2 });
    net.sim.scheduler.runUntilIdle();
    expect(await p).toEqual({ ok: false, reason: 'time-exceeded', from: ip('10.0.12.2'), icmpType: 11, icmpCode: 0, rtt: 6 * NS_PER_MS });
  });

  it('reports unreachable (net unreachable from r1) for a destination no router knows', async () => {
    const net = chain();
    const p = net.a.ping('192.168.9.9');
    net.sim.scheduler.runUntilIdle();
    expect(await p).toMatchObject({ ok: false, reason: 'unreachable', from: ip('10.0.1.254'), icmpType: 3, icmpCode: 0 });
  });

  it('reports no-route at once when the host itself has no route', async () => {
    const sim = createSimulationContext(1);
    const host = new Ipv4Layer(createNodeContext(sim, 'h'));
    host.addInterface(fakeWire(1).attach(host.node, 'eth0'), '10.0.0.1/24');
    const p = host.ping('8.8.8.8');
    sim.scheduler.runUntilIdle();
    expect(await p).toMatchObject({ ok: false, reason: 'no-route' });
    expect(sim.scheduler.now()).toBe(0);
  });

  it('reports too-big with the local MTU when DF is set and the echo does not fit', async () => {
    const net = chain();
    const p = net.a.ping('10.0.2.2', { size: 1473, dontFragment: true });
    net.sim.scheduler.runUntilIdle();
    expect(await p).toMatchObject({ ok: false, reason: 'too-big', mtu: 1500 });
    const fits = net.a.ping('10.0.2.2', { size: 1472, dontFragment: true });
    net.sim.scheduler.runUntilIdle();
    expect(await fits).toMatchObject({ ok: true, bytes: 1480 });
  });

  it('reports too-big with the next-hop MTU from a router (path MTU discovery)', async () => {
    const net = chain({ coreMtu: 1000 });
    const p = net.a.ping('10.0.2.2', { size: 1200, dontFragment: true });
    net.sim.scheduler.runUntilIdle();
    expect(await p).toMatchObject({ ok: false, reason: 'too-big', from: ip('10.0.1.254'), icmpCode: 4, mtu: 1000 });
  });

  it('a large ping is fragmented both ways and still answered', async () => {
    const net = chain({ coreMtu: 1000 });
    const p = net.a.ping('10.0.2.2', { size: 4000 });
    net.sim.scheduler.runUntilIdle();
    expect(await p).toMatchObject({ ok: true, bytes: 4008, ttl: 62 });
  });

  it('pings its own address and loopback with zero RTT, without touching the link', async () => {
    const net = chain();
    const self = net.a.ping('10.0.1.1');
    const loop = net.a.ping('127.0.0.1');
    net.sim.scheduler.runUntilIdle();
    expect(await self).toEqual({ ok: true, rtt: 0, ttl: 64, bytes: 64, from: ip('10.0.1.1') });
    expect(await loop).toMatchObject({ ok: true, rtt: 0, from: ip('127.0.0.1') });
    expect(net.w1.frames).toHaveLength(0);
  });

  it('throws typed errors for bad arguments', () => {
    const net = chain();
    expect(() => net.a.ping('10.0.2')).toThrow(InvalidAddressError);
    expect(() => net.a.ping('10.0.2.2', { size: -1 })).toThrow(InvalidArgumentError);
    expect(() => net.a.ping('10.0.2.2', { ttl: 0 })).toThrow(/ttl 0/);
    expect(() => net.a.ping('10.0.2.2', { timeout: 'soon' })).toThrow(InvalidUnitError);
    expect(() => net.a.ping('10.0.2.2', { identifier: 70000 })).toThrow(/identifier 70000/);
    void net.a.ping('10.0.2.2', { sequence: 5 }); // left outstanding on purpose: the second one must be refused
    expect(() => net.a.ping('10.0.2.2', { sequence: 5 })).toThrow(/still waiting/);
  });
});

describe('traceroute', () => {
  it('lists each router and then the destination, with their round-trip times', async () => {
    const net = chain();
    const p = net.a.traceroute('10.0.2.2');
    net.sim.scheduler.runUntilIdle();
    const hops = await p;
    expect(hops.map((h) => [h.ttl, h.from?.toString(), h.rtt, h.reached])).toEqual([
      [1, '10.0.1.254', 2 * NS_PER_MS, false],
      [2, '10.0.12.2', 6 * NS_PER_MS, false],
      [3, '10.0.2.2', 12 * NS_PER_MS, true],
    ]);
  });

  it('shows silent hops as null and stops at maxHops', async () => {
    const net = chain();
    net.w3.filter = () => false;
    const p = net.a.traceroute('10.0.2.2', { maxHops: 4, timeout: '100ms' });
    net.sim.scheduler.runUntilIdle();
    const hops = await p;
    expect(hops.map((h) => [h.ttl, h.from?.toString() ?? null, h.result.ok ? 'ok' : h.result.reason])).toEqual([
      [1, '10.0.1.254', 'time-exceeded'],
      [2, '10.0.12.2', 'time-exceeded'],
      [3, null, 'timeout'],
      [4, null, 'timeout'],
    ]);
    // Probes 3 and 4 each waited 100 ms after the 6 ms of the first two.
    expect(net.sim.scheduler.now()).toBe(2 * NS_PER_MS + 6 * NS_PER_MS + 200 * NS_PER_MS);
  });

  it('stops at an unreachable (TTL is checked before the route, as in RFC 1812 §5.2.1)', async () => {
    const net = chain();
    const p = net.a.traceroute('192.168.9.9');
    net.sim.scheduler.runUntilIdle();
    const hops = await p;
    expect(hops.map((h) => [h.from?.toString(), h.result.ok ? 'ok' : h.result.reason])).toEqual([
      ['10.0.1.254', 'time-exceeded'],
      ['10.0.1.254', 'unreachable'],
    ]);
  });

  it('has a callback form that finishes inside the run', () => {
    const net = chain();
    let done: number | null = null;
    net.a.tracerouteWith('10.0.2.2', { timeout: NS_PER_S }, (hops) => (done = hops.length));
    net.sim.scheduler.runUntilIdle();
    expect(done).toBe(3);
  });
});
