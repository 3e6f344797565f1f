import { describe, expect, it } from 'vitest';
import { Ipv4Address } from '@netlayers/core';
import { DnsServer } from '../src/dns/server.ts';
import { DnsResolver } from '../src/dns/resolver.ts';
import { DnsType, dnsMessage, emitDnsMessage, parseDnsMessage, type DnsMessage } from '../src/dns/message.ts';
import { FakeNetwork } from '@netlayers/testing';
import { drive } from './support/drive.ts';

function setup() {
  const net = new FakeNetwork();
  const ns = net.addHost('ns', '10.0.2.53');
  const ns2 = net.addHost('ns2', '10.0.2.54');
  const client = net.addHost('client', '10.0.1.10');
  const zone = { 'server.lab': '10.0.2.10' };
  new DnsServer(ns.udp, { zone, records: [{ name: 'www.lab', class: 1, ttl: 30, data: { type: DnsType.CNAME, host: 'server.lab' } }] });
  new DnsServer(ns2.udp, { zone });
  return { net, ns, ns2, client };
}

describe('DnsResolver', () => {
  it('resolves names, follows CNAMEs, and answers address literals locally', async () => {
    const { net, client } = setup();
    const resolver = new DnsResolver(client.udp, { servers: ['10.0.2.53'], node: client.context });
    expect(String(await drive(net, resolver.resolve('server.lab')))).toBe('10.0.2.10');
    expect(String(await drive(net, resolver.resolve('www.lab')))).toBe('10.0.2.10');
    expect(String(await resolver.resolve('192.0.2.1'))).toBe('192.0.2.1');
    expect(await drive(net, resolver.reverse('10.0.2.10'))).toBe('server.lab');
  });

  it('fails with ENOTFOUND for NXDOMAIN and ENODATA when there is no A record', async () => {
    const { net, client } = setup();
    const resolver = new DnsResolver(client.udp, { servers: ['10.0.2.53'], node: client.context });
    await expect(drive(net, resolver.resolve('missing.lab'))).rejects.toMatchObject({ code: 'ENOTFOUND', hostname: 'missing.lab' });
    await expect(drive(net, resolver.resolve('lab'))).rejects.toMatchObject({ code: 'ENODATA' });
    await expect(drive(net, resolver.resolve('example.com'))).rejects.toMatchObject({ code: 'EREFUSED' });
  });

  it('retransmits after the timeout, rotating to the next server, in virtual time', async () => {
    const { net, client } = setup();
    let lost = 0;
    net.datagramFilter = (d) => !(d.to.address.toString() === '10.0.2.53' && ++lost <= 5);
    const resolver = new DnsResolver(client.udp, { servers: ['10.0.2.53', '10.0.2.54'], timeout: '1s', retries: 2, node: client.context });
    const start = net.scheduler.now();
    const address = await drive(net, resolver.resolve('server.lab'));
    expect(String(address)).toBe('10.0.2.10');
    const queries = net.datagrams.filter((d) => d.to.port === 53).map((d) => d.to.address.toString());
    expect(queries).toEqual(['10.0.2.53', '10.0.2.54']);
    expect(net.scheduler.now() - start).toBeGreaterThanOrEqual(1e9);
    expect(resolver.stats.retransmissions).toBe(1);
  });

  it('gives up with ETIMEOUT after 1 + retries attempts', async () => {
    const { net, client } = setup();
    net.datagramFilter = (d) => d.to.port !== 53;
    const resolver = new DnsResolver(client.udp, { servers: ['10.0.2.53'], timeout: '500ms', retries: 3, node: client.context });
    const start = net.scheduler.now();
    await expect(drive(net, resolver.resolve('server.lab'))).rejects.toMatchObject({ code: 'ETIMEOUT' });
    expect(net.datagrams.filter((d) => d.to.port === 53)).toHaveLength(4);
    expect(net.scheduler.now() - start).toBe(2e9);
  });

  it('ignores spoofed answers: wrong id, wrong question, wrong source', async () => {
    const net = new FakeNetwork();
    const ns = net.addHost('ns', '10.0.2.53');
    const attacker = net.addHost('attacker', '10.0.9.9');
    const client = net.addHost('client', '10.0.1.10');
    const real = ns.udp.bind({ port: 53 });
    const evil = attacker.udp.bind({ port: 53 });
    const answer = (q: DnsMessage, id: number, name: string, address: string) =>
      emitDnsMessage(dnsMessage({ id, response: true, questions: [{ ...q.questions[0]!, name }], answers: [{ name, class: 1, ttl: 60, data: { type: DnsType.A, address: Ipv4Address.parse(address) } }] }));
    real.on('message', (data, remote) => {
      const q = parseDnsMessage(data) as DnsMessage;
      // Three forgeries arrive first, then the real answer.
      evil.send(answer(q, q.id, 'server.lab', '6.6.6.6'), remote.port, remote.address);
      real.send(answer(q, (q.id + 1) & 0xffff, 'server.lab', '6.6.6.7'), remote.port, remote.address);
      real.send(answer(q, q.id, 'other.lab', '6.6.6.8'), remote.port, remote.address);
      net.scheduler.schedule(1e6, () => real.send(answer(q, q.id, 'server.lab', '10.0.2.10'), remote.port, remote.address));
    });
    const resolver = new DnsResolver(client.udp, { servers: ['10.0.2.53'], node: client.context });
    expect(String(await drive(net, resolver.resolve('server.lab')))).toBe('10.0.2.10');
    expect(resolver.stats.mismatched).toBe(3);
    expect(client.context.counters.get('drop.application.not-for-us')).toBe(3);
  });

  it('caches answers for their TTL of virtual time', async () => {
    const { net, client } = setup();
    const resolver = new DnsResolver(client.udp, { servers: ['10.0.2.53'], node: client.context });
    await drive(net, resolver.resolve('www.lab'));
    await drive(net, resolver.resolve('www.lab'));
    expect(resolver.stats).toMatchObject({ queries: 1, cacheHits: 1 });
    net.scheduler.runFor(31e9); // the CNAME's TTL is 30 s
    await drive(net, resolver.resolve('www.lab'));
    expect(resolver.stats.queries).toBe(2);
  });

  it('rejects bad arguments with typed errors', () => {
    const { client } = setup();
    expect(() => new DnsResolver(client.udp, { servers: [], node: client.context })).toThrow(/servers/);
    expect(() => new DnsResolver(client.udp, { servers: ['10.0.0.300'], node: client.context })).toThrow(/10\.0\.0\.300/);
    const resolver = new DnsResolver(client.udp, { servers: ['10.0.2.53'], node: client.context });
    expect(() => resolver.query('a..b')).toThrow(/empty label/);
  });
});
