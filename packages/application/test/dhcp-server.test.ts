import { describe, expect, it } from 'vitest';
import { Ipv4Address, MacAddress, NS_PER_S, isWireError } from '@netlayers/core';
import { DhcpServer } from '../src/dhcp/server.ts';
import { DhcpClient } from '../src/dhcp/client.ts';
import { BOOTREQUEST, DhcpMessageType, dhcpMessage, emitDhcpMessage, parseDhcpMessage, type DhcpMessage } from '../src/dhcp/message.ts';
import { FakeNetwork, type FakeHost } from '@netlayers/testing';
import { drive } from './support/drive.ts';

function setup(leaseTime = '1h', pool = { from: '10.0.1.100', to: '10.0.1.199' }) {
  const net = new FakeNetwork();
  const router = net.addHost('router', '10.0.1.1');
  const server = new DhcpServer(router.udp, { pool, subnet: '10.0.1.0/24', router: '10.0.1.1', dnsServers: ['10.0.2.53'], leaseTime, node: router.context });
  return { net, router, server };
}

function addClient(net: FakeNetwork, n: number): { host: FakeHost; client: DhcpClient } {
  const host = net.addHost(`c${n}`, null);
  const mac = MacAddress.fromKey(0x020000000000 + n);
  return { host, client: new DhcpClient(host.udp, host.configurator, { iface: 'eth0', mac, node: host.context }) };
}

const kinds = (net: FakeNetwork) =>
  net.datagrams.map((d) => {
    const m = parseDhcpMessage(d.data) as DhcpMessage;
    return `${m.options.messageType} ${d.from.address}:${d.from.port} > ${d.to.address}:${d.to.port}`;
  });

describe('DHCP server and client', () => {
  it('runs DISCOVER, OFFER, REQUEST, ACK and configures address, default route and DNS', async () => {
    const { net, server } = setup();
    const { host, client } = addClient(net, 1);
    const lease = await drive(net, client.start());
    expect(kinds(net)).toEqual([
      `${DhcpMessageType.DHCPDISCOVER} 0.0.0.0:68 > 255.255.255.255:67`,
      `${DhcpMessageType.DHCPOFFER} 10.0.1.1:67 > 255.255.255.255:68`,
      `${DhcpMessageType.DHCPREQUEST} 0.0.0.0:68 > 255.255.255.255:67`,
      `${DhcpMessageType.DHCPACK} 10.0.1.1:67 > 255.255.255.255:68`,
    ]);
    expect(String(lease.address)).toBe('10.0.1.100/24');
    expect(String(host.cidr)).toBe('10.0.1.100/24');
    const route = host.configurator.routes.lookup(Ipv4Address.parse('8.8.8.8'));
    expect(route).toMatchObject({ iface: 'eth0', source: 'dynamic' });
    expect(String(route?.nextHop)).toBe('10.0.1.1');
    expect(client.dnsServers.map(String)).toEqual(['10.0.2.53']);
    expect(client.state).toBe('BOUND');
    expect(server.leases().map((l) => String(l.address))).toEqual(['10.0.1.100']);
  });

  it('gives several clients starting together distinct addresses', async () => {
    const { net, server } = setup();
    const clients = [1, 2, 3, 4, 5, 6].map((n) => addClient(net, n));
    const leases = await drive(net, Promise.all(clients.map((c) => c.client.start())));
    const addresses = leases.map((l) => String(l.address.address));
    expect(new Set(addresses).size).toBe(6);
    for (const a of addresses) expect(a).toMatch(/^10\.0\.1\.1\d\d$/);
    expect(server.leases()).toHaveLength(6);
    expect(clients.map((c) => String(c.host.cidr?.address)).sort()).toEqual([...addresses].sort());
  });

  it('renews at T1 with a unicast REQUEST and keeps the address', async () => {
    const { net, server } = setup('100s');
    const { client } = addClient(net, 1);
    const lease = await drive(net, client.start());
    let renewed = 0;
    client.on('renewed', () => renewed++);
    const before = net.datagrams.length;
    net.scheduler.runFor(60 * NS_PER_S);
    const renewal = kinds(net).slice(before);
    expect(renewal).toEqual([`${DhcpMessageType.DHCPREQUEST} 10.0.1.100:68 > 10.0.1.1:67`, `${DhcpMessageType.DHCPACK} 10.0.1.1:67 > 10.0.1.100:68`]);
    expect(renewed).toBe(1);
    expect(client.lease?.obtainedAt).toBeGreaterThan(lease.obtainedAt);
    expect(server.leases()[0]!.expires).toBeGreaterThan(lease.obtainedAt + 100 * NS_PER_S);
  });

  it('rebinds by broadcast at T2 when the server does not answer the renewal', async () => {
    const { net } = setup('100s');
    const { client } = addClient(net, 1);
    await drive(net, client.start());
    net.datagramFilter = (d) => !(d.to.address.toString() === '10.0.1.1'); // unicast renewals are lost
    const states: string[] = [];
    client.on('state', (_f, to) => states.push(to));
    net.scheduler.runFor(95 * NS_PER_S);
    expect(states).toEqual(['RENEWING', 'REBINDING', 'BOUND']);
    expect(client.state).toBe('BOUND');
  });

  it('unconfigures when the lease expires unrenewed, and the server frees the address', async () => {
    const { net, server } = setup('100s');
    const { host, client } = addClient(net, 1);
    await drive(net, client.start());
    let expiredAtServer = 0;
    server.on('expire', () => expiredAtServer++);
    net.datagramFilter = () => false; // the server is unreachable from now on
    net.scheduler.runFor(101 * NS_PER_S);
    expect(host.cidr).toBeNull();
    expect(host.configurator.routes.entries()).toHaveLength(0);
    expect(client.state).toBe('SELECTING');
    expect(expiredAtServer).toBe(1);
    expect(server.leases()).toHaveLength(0);
    client.stop();
  });

  it('frees the address on RELEASE and hands it out again', async () => {
    const { net, server } = setup();
    const a = addClient(net, 1);
    await drive(net, a.client.start());
    a.client.release();
    net.scheduler.runUntilIdle();
    expect(a.host.cidr).toBeNull();
    expect(server.leases()).toHaveLength(0);
    const b = addClient(net, 2);
    expect(String((await drive(net, b.client.start())).address.address)).toBe('10.0.1.100');
  });

  it('remembers a client by chaddr and offers it the same address again', async () => {
    const { net } = setup();
    const first = addClient(net, 7);
    const lease = await drive(net, first.client.start());
    await drive(net, addClient(net, 8).client.start());
    first.client.stop(); // no RELEASE: the server still holds the lease
    first.host.udp.sockets.clear();
    const again = new DhcpClient(first.host.udp, first.host.configurator, { iface: 'eth0', mac: first.client.mac, node: first.host.context });
    expect(String((await drive(net, again.start())).address)).toBe(String(lease.address));
  });

  it('stops offering when the pool is exhausted and retries with back-off', async () => {
    const { net, router } = setup('1h', { from: '10.0.1.100', to: '10.0.1.101' });
    const clients = [1, 2, 3].map((n) => addClient(net, n));
    const bound: number[] = [];
    clients.forEach((c, i) => c.client.on('bound', () => bound.push(i)));
    for (const c of clients) c.client.start().catch(() => undefined); // the third is stopped unbound
    net.scheduler.runFor(30 * NS_PER_S);
    expect(bound).toHaveLength(2);
    const third = clients.find((_, i) => !bound.includes(i))!;
    expect(third.client.state).toBe('SELECTING');
    expect(router.context.counters.get('drop.application.buffer-full')).toBeGreaterThanOrEqual(2);
    const discovers = net.datagrams.filter((d) => d.from.port === 68 && (parseDhcpMessage(d.data) as DhcpMessage).chaddr.equals(third.client.mac));
    expect(discovers.length).toBeGreaterThanOrEqual(3); // 4 s, 8 s, 16 s back-off
    for (const c of clients) c.client.stop();
  });

  it('NAKs a REQUEST for an address it did not offer, and ignores garbage', () => {
    const { net, router } = setup();
    const probe = net.addHost('probe', null);
    const socket = probe.udp.bind({ port: 68 });
    socket.setBroadcast(true);
    const replies: DhcpMessage[] = [];
    socket.on('message', (data) => {
      const m = parseDhcpMessage(data);
      if (!isWireError(m)) replies.push(m);
    });
    socket.send(new Uint8Array(100), 67, '255.255.255.255');
    const request = dhcpMessage({
      op: BOOTREQUEST,
      xid: 99,
      chaddr: MacAddress.parse('02:00:00:00:00:99'),
      options: { messageType: DhcpMessageType.DHCPREQUEST, serverId: Ipv4Address.parse('10.0.1.1'), requestedIp: Ipv4Address.parse('10.0.1.150') },
    });
    socket.send(emitDhcpMessage(request), 67, '255.255.255.255');
    const wrongNet = dhcpMessage({ ...request, xid: 100, options: { messageType: DhcpMessageType.DHCPREQUEST, requestedIp: Ipv4Address.parse('192.168.0.5') } });
    socket.send(emitDhcpMessage(wrongNet), 67, '255.255.255.255');
    net.scheduler.runUntilIdle();
    expect(replies.map((r) => [r.xid, r.options.messageType])).toEqual([
      [99, DhcpMessageType.DHCPNAK],
      [100, DhcpMessageType.DHCPNAK],
    ]);
    expect(router.context.counters.get('drop.application.truncated')).toBe(1);
  });

  it('rejects bad configuration with typed errors', () => {
    const net = new FakeNetwork();
    const r = net.addHost('r', '10.0.1.1');
    expect(() => new DhcpServer(r.udp, { pool: { from: '10.0.1.200', to: '10.0.1.100' }, subnet: '10.0.1.0/24', router: '10.0.1.1', node: r.context })).toThrow(/starts after/);
    expect(() => new DhcpServer(r.udp, { pool: { from: '10.0.2.1', to: '10.0.2.9' }, subnet: '10.0.1.0/24', router: '10.0.1.1', node: r.context })).toThrow(/not inside/);
    const c = net.addHost('c', null);
    expect(() => new DhcpClient(c.udp, c.configurator, { iface: 'eth9', mac: '02:00:00:00:00:01', node: c.context })).toThrow(/eth9/);
  });
});
