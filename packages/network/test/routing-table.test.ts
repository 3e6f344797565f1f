// The routing table: longest-prefix match across overlapping prefixes, then lowest metric;
// replacement by prefix and source; removal; order of entries; change listeners.

import { describe, expect, it } from 'vitest';
import { Ipv4Address, Ipv4Cidr, type Route, type RouteSource } from '@netlayers/core';
import { Ipv4RoutingTable } from '../src/index.ts';

const ip = (text: string): Ipv4Address => Ipv4Address.parse(text);
function route(prefix: string, nextHop: string | null, iface: string, metric = 0, source: RouteSource = 'static'): Route {
  return { prefix: Ipv4Cidr.parse(prefix), nextHop: nextHop === null ? null : ip(nextHop), iface, metric, source };
}
const via = (table: Ipv4RoutingTable, destination: string): string | undefined => {
  const r = table.lookup(ip(destination));
  return r === undefined ? undefined : `${r.prefix} ${r.nextHop ?? 'connected'} ${r.iface}`;
};

describe('Ipv4RoutingTable', () => {
  it('picks the longest matching prefix among overlapping ones', () => {
    const t = new Ipv4RoutingTable();
    t.add(route('0.0.0.0/0', '192.0.2.1', 'eth0'));
    t.add(route('10.0.0.0/8', '10.255.0.1', 'eth1'));
    t.add(route('10.1.0.0/16', '10.255.0.2', 'eth1'));
    t.add(route('10.1.2.0/24', null, 'eth2', 0, 'connected'));
    t.add(route('10.1.2.128/25', '10.1.2.1', 'eth2'));
    t.add(route('10.1.2.77/32', '10.1.2.2', 'eth2'));
    expect(via(t, '10.1.2.77')).toBe('10.1.2.77/32 10.1.2.2 eth2');
    expect(via(t, '10.1.2.78')).toBe('10.1.2.0/24 connected eth2');
    expect(via(t, '10.1.2.200')).toBe('10.1.2.128/25 10.1.2.1 eth2');
    expect(via(t, '10.1.3.1')).toBe('10.1.0.0/16 10.255.0.2 eth1');
    expect(via(t, '10.200.0.1')).toBe('10.0.0.0/8 10.255.0.1 eth1');
    expect(via(t, '11.0.0.1')).toBe('0.0.0.0/0 192.0.2.1 eth0');
  });

  it('returns undefined without a default route', () => {
    const t = new Ipv4RoutingTable();
    t.add(route('10.0.0.0/8', null, 'eth0', 0, 'connected'));
    expect(t.lookup(ip('11.0.0.1'))).toBeUndefined();
    expect(t.lookup(ip('10.9.9.9'))?.iface).toBe('eth0');
  });

  it('among equal prefixes, the lowest metric wins whatever the insertion order', () => {
    const t = new Ipv4RoutingTable();
    t.add(route('172.16.0.0/12', '10.0.0.2', 'eth1', 20, 'static'));
    t.add(route('172.16.0.0/12', '10.0.0.3', 'eth2', 5, 'dynamic'));
    expect(via(t, '172.20.1.1')).toBe('172.16.0.0/12 10.0.0.3 eth2');
    // A longer prefix with a worse metric still wins: prefix length comes first.
    t.add(route('172.20.0.0/16', '10.0.0.4', 'eth3', 100, 'static'));
    expect(via(t, '172.20.1.1')).toBe('172.20.0.0/16 10.0.0.4 eth3');
    expect(via(t, '172.17.0.1')).toBe('172.16.0.0/12 10.0.0.3 eth2');
  });

  it('replaces the route with the same prefix and source, and keeps other sources', () => {
    const t = new Ipv4RoutingTable();
    t.add(route('10.0.0.0/8', '10.0.0.2', 'eth1', 10, 'static'));
    t.add(route('10.0.0.0/8', '10.0.0.9', 'eth1', 1, 'dynamic'));
    t.add(route('10.0.0.0/8', '10.0.0.3', 'eth1', 0, 'static'));
    expect(t.size).toBe(2);
    expect(via(t, '10.5.5.5')).toBe('10.0.0.0/8 10.0.0.3 eth1');
    expect(t.entries().map((r) => r.nextHop?.toString())).toEqual(['10.0.0.3', '10.0.0.9']);
  });

  it('stores prefixes with the host bits cleared', () => {
    const t = new Ipv4RoutingTable();
    t.add(route('10.0.1.77/24', null, 'eth0', 0, 'connected'));
    expect(t.entries()[0]!.prefix.toString()).toBe('10.0.1.0/24');
    expect(t.remove(Ipv4Cidr.parse('10.0.1.200/24'))).toBe(1);
    expect(t.size).toBe(0);
  });

  it('removes by prefix, optionally only one source, and lookups stop matching', () => {
    const t = new Ipv4RoutingTable();
    t.add(route('10.0.0.0/8', '10.0.0.2', 'eth1', 10, 'static'));
    t.add(route('10.0.0.0/8', '10.0.0.9', 'eth1', 1, 'dynamic'));
    t.add(route('0.0.0.0/0', '192.0.2.1', 'eth0'));
    expect(t.remove(Ipv4Cidr.parse('10.0.0.0/8'), 'dynamic')).toBe(1);
    expect(via(t, '10.1.1.1')).toBe('10.0.0.0/8 10.0.0.2 eth1');
    expect(t.remove(Ipv4Cidr.parse('10.0.0.0/8'))).toBe(1);
    expect(via(t, '10.1.1.1')).toBe('0.0.0.0/0 192.0.2.1 eth0');
    expect(t.remove(Ipv4Cidr.parse('10.0.0.0/8'))).toBe(0);
    expect(t.remove(Ipv4Cidr.parse('0.0.0.0/0'))).toBe(1);
    expect(t.lookup(ip('10.1.1.1'))).toBeUndefined();
  });

  it('removes every route of an interface', () => {
    const t = new Ipv4RoutingTable();
    t.add(route('10.0.0.0/24', null, 'eth0', 0, 'connected'));
    t.add(route('10.9.0.0/16', '10.0.0.1', 'eth0'));
    t.add(route('10.1.0.0/24', null, 'eth1', 0, 'connected'));
    expect(t.removeByInterface('eth0')).toBe(2);
    expect(t.entries().map((r) => r.iface)).toEqual(['eth1']);
  });

  it('lists entries longest prefix first, then by network, then metric, and prints like ip route', () => {
    const t = new Ipv4RoutingTable();
    t.add(route('0.0.0.0/0', '10.0.0.1', 'eth0'));
    t.add(route('10.0.2.0/24', '10.0.0.3', 'eth0', 5));
    t.add(route('10.0.1.0/24', '10.0.0.2', 'eth0', 5));
    t.add(route('10.0.0.0/24', null, 'eth0', 0, 'connected'));
    t.add(route('10.0.1.9/32', '10.0.0.4', 'eth0'));
    expect(t.entries().map((r) => r.prefix.toString())).toEqual(['10.0.1.9/32', '10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24', '0.0.0.0/0']);
    expect(t.toString().split('\n')).toEqual([
      '10.0.1.9/32 via 10.0.0.4 dev eth0 proto static metric 0',
      '10.0.0.0/24 dev eth0 proto connected metric 0',
      '10.0.1.0/24 via 10.0.0.2 dev eth0 proto static metric 5',
      '10.0.2.0/24 via 10.0.0.3 dev eth0 proto static metric 5',
      'default via 10.0.0.1 dev eth0 proto static metric 0',
    ]);
  });

  it('tells listeners after every change', () => {
    const t = new Ipv4RoutingTable();
    let changes = 0;
    t.onChange(() => changes++);
    t.add(route('10.0.0.0/8', '10.0.0.2', 'eth1'));
    t.remove(Ipv4Cidr.parse('10.0.0.0/8'));
    t.remove(Ipv4Cidr.parse('10.0.0.0/8'));
    expect(changes).toBe(2);
  });

  it('rejects a route without an interface or with a negative metric, naming the value', () => {
    const t = new Ipv4RoutingTable();
    expect(() => t.add(route('10.0.0.0/8', null, ''))).toThrow(/route.iface/);
    expect(() => t.add(route('10.0.0.0/8', null, 'eth0', -1))).toThrow(/route.metric -1/);
  });

  it('agrees with a linear scan on 2,000 random destinations over 300 random routes', () => {
    let seed = 12345;
    const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    const t = new Ipv4RoutingTable();
    const all: Route[] = [];
    for (let i = 0; i < 300; i++) {
      const len = next() % 33;
      const r: Route = { prefix: Ipv4Cidr.of(Ipv4Address.fromUint32((next() & 0xff0fffff) >>> 0), len), nextHop: null, iface: `if${i}`, metric: next() % 4, source: (['static', 'dynamic', 'connected'] as const)[i % 3]! };
      t.add(r);
    }
    for (const r of t.entries()) all.push(r);
    for (let i = 0; i < 2000; i++) {
      const d = Ipv4Address.fromUint32((next() & 0xff0fffff) >>> 0);
      let best: Route | undefined;
      for (const r of all) {
        if (!r.prefix.contains(d)) continue;
        if (best === undefined || r.prefix.prefixLength > best.prefix.prefixLength || (r.prefix.prefixLength === best.prefix.prefixLength && r.metric < best.metric)) best = r;
      }
      const got = t.lookup(d);
      expect(got?.prefix.prefixLength).toBe(best?.prefix.prefixLength);
      expect(got?.metric).toBe(best?.metric);
    }
  });
});
