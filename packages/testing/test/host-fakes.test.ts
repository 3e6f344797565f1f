// Tests of the application-level fakes: MemoryNetwork's random segments and address
// changes, FakeDatagramNetwork, FakeConfigurator, and FakeNetwork's hosts tying them together.

import { describe, expect, it } from 'vitest';
import { Ipv4Address, Ipv4Cidr, createSimulationContext } from '@netlayers/core';
import { FakeNetwork, FakeRoutingTable, MemoryNetwork } from '../src/index.ts';

describe('MemoryNetwork options', () => {
  it('cuts writes into seeded random segments of 1..segment bytes, the same for the same seed', () => {
    const sizes = (seed: number): number[] => {
      const sim = createSimulationContext(1);
      const net = new MemoryNetwork(sim.scheduler, { segment: 5, randomSegments: true, seed });
      const a = net.transport('10.0.0.1');
      const b = net.transport('10.0.0.2');
      const got: number[] = [];
      b.listen({ port: 7 }).on('connection', (s) => s.on('data', (d) => got.push(d.length)));
      const socket = a.connect({ remoteAddress: '10.0.0.2', remotePort: 7 });
      socket.write(new Uint8Array(200));
      sim.scheduler.runFor(1e9);
      return got;
    };
    const first = sizes(3);
    expect(first.reduce((x, y) => x + y, 0)).toBe(200);
    expect(Math.max(...first)).toBeLessThanOrEqual(5);
    expect(new Set(first).size).toBeGreaterThan(1);
    expect(sizes(3)).toEqual(first);
  });

  it('finds a listener bound to no address at its transport\'s current address, and lists every socket', () => {
    const sim = createSimulationContext(1);
    const net = new MemoryNetwork(sim.scheduler);
    const server = net.transport(null);
    const client = net.transport('10.0.0.1');
    const listener = server.listen({ port: 80 });
    expect(() => server.listen({ port: 80 })).toThrow(/EADDRINUSE|in use/);
    const errors: string[] = [];
    client.connect({ remoteAddress: '10.0.0.9', remotePort: 80 }).on('error', (e) => errors.push(e.code));
    sim.scheduler.runFor(1e9);
    expect(errors).toEqual(['ECONNREFUSED']);
    server.address = Ipv4Address.parse('10.0.0.9');
    expect(listener.localAddress.toString()).toBe('10.0.0.9');
    let connected = false;
    client.connect({ remoteAddress: '10.0.0.9', remotePort: 80 }).on('connect', () => (connected = true));
    sim.scheduler.runFor(1e9);
    expect(connected).toBe(true);
    expect(client.sockets).toHaveLength(2);
    expect(server.sockets).toHaveLength(1);
    expect(server.sockets[0]!.localAddress.toString()).toBe('10.0.0.9');
  });
});

describe('FakeNetwork', () => {
  it('delivers datagrams by address and broadcast, logs them, loses the filtered ones, and reports an unbound port', () => {
    const net = new FakeNetwork();
    const a = net.addHost('a', '10.0.0.1');
    const b = net.addHost('b', '10.0.0.2');
    const c = net.addHost('c', null);
    const got: string[] = [];
    for (const [name, host] of [['b', b], ['c', c]] as const) host.udp.bind({ port: 67 }).on('message', (d, from) => got.push(`${name}<${from.address}:${from.port} ${d.length}`));
    const sender = a.udp.bind({ port: 68 });
    const errors: string[] = [];
    sender.on('error', (e) => errors.push(e.code));
    sender.send(new Uint8Array(3), 67, '10.0.0.2');
    expect(() => sender.send(new Uint8Array(1), 67, '255.255.255.255')).toThrow(/broadcast/);
    sender.setBroadcast(true);
    sender.send(new Uint8Array(4), 67, '255.255.255.255');
    sender.send(new Uint8Array(5), 99, '10.0.0.2');
    net.datagramFilter = (d) => d.data.length !== 6;
    sender.send(new Uint8Array(6), 67, '10.0.0.2');
    net.scheduler.runFor(1e9);
    expect(got.sort()).toEqual(['b<10.0.0.1:68 3', 'b<10.0.0.1:68 4', 'c<10.0.0.1:68 4']);
    expect(errors).toEqual(['ECONNREFUSED']);
    expect(net.datagrams.map((d) => d.data.length)).toEqual([3, 4, 5, 6]);
  });

  it('gives a host the address its configurator is given, on both transports, and records it', () => {
    const net = new FakeNetwork();
    const host = net.addHost('h', null);
    const other = net.addHost('o', '10.0.1.1');
    expect(host.address.isUnspecified).toBe(true);
    host.tcp.listen({ port: 80 });
    host.configurator.setInterfaceAddress('eth0', Ipv4Cidr.parse('10.0.1.100/24'));
    expect(() => host.configurator.setInterfaceAddress('eth1', null)).toThrow(/eth1/);
    expect(host.configurator.history).toEqual(['10.0.1.100/24']);
    expect(host.configurator.interfaces()[0]!.cidr?.toString()).toBe('10.0.1.100/24');
    expect(net.hostByAddress(Ipv4Address.parse('10.0.1.100'))).toBe(host);
    let connected = false;
    other.tcp.connect({ remoteAddress: '10.0.1.100', remotePort: 80 }).on('connect', () => (connected = true));
    const heard: string[] = [];
    host.udp.bind({ port: 9 }).on('message', (_d, from) => heard.push(String(from.address)));
    other.udp.bind({}).send('x', 9, '10.0.1.100');
    net.scheduler.runFor(1e9);
    expect(connected).toBe(true);
    expect(heard).toEqual(['10.0.1.1']);
    host.configurator.routes.add({ prefix: Ipv4Cidr.parse('0.0.0.0/0'), nextHop: Ipv4Address.parse('10.0.1.1'), iface: 'eth0', metric: 0, source: 'static' });
    expect(host.configurator.routes.lookup(Ipv4Address.parse('8.8.8.8'))).toBeDefined();
  });
});

describe('FakeRoutingTable', () => {
  it('matches the longest prefix, then the lower metric, and tells listeners only of changes', () => {
    const table = new FakeRoutingTable();
    let changes = 0;
    table.onChange(() => changes++);
    const via = (hop: string) => Ipv4Address.parse(hop);
    table.add({ prefix: Ipv4Cidr.parse('10.0.0.0/8'), nextHop: via('1.1.1.1'), iface: 'eth0', metric: 1, source: 'static' });
    table.add({ prefix: Ipv4Cidr.parse('10.1.0.0/16'), nextHop: via('2.2.2.2'), iface: 'eth1', metric: 5, source: 'static' });
    table.add({ prefix: Ipv4Cidr.parse('10.1.0.0/16'), nextHop: via('3.3.3.3'), iface: 'eth2', metric: 2, source: 'dynamic' });
    expect(table.lookup(Ipv4Address.parse('10.1.2.3'))?.iface).toBe('eth2');
    expect(table.lookup(Ipv4Address.parse('10.9.2.3'))?.iface).toBe('eth0');
    expect(changes).toBe(3);
    expect(table.remove(Ipv4Cidr.parse('10.2.0.0/16'))).toBe(0);
    expect(changes).toBe(3);
    expect(table.remove(Ipv4Cidr.parse('10.1.0.0/16'), 'dynamic')).toBe(1);
    expect(changes).toBe(4);
    expect(table.lookup(Ipv4Address.parse('10.1.2.3'))?.iface).toBe('eth1');
  });
});
