import { describe, expect, it } from 'vitest';
import { Ipv4Address, NS_PER_S, isWireError } from '@netlayers/core';
import { DnsServer } from '../src/dns/server.ts';
import { DnsRcode, DnsType, dnsMessage, emitDnsMessage, parseDnsMessage, type DnsMessage } from '../src/dns/message.ts';
import { FakeNetwork, type FakeHost } from '@netlayers/testing';

function setup() {
  const net = new FakeNetwork();
  const ns = net.addHost('ns', '10.0.2.53');
  const client = net.addHost('client', '10.0.1.10');
  const server = new DnsServer(ns.udp, {
    zone: { 'server.lab': '10.0.2.10', 'multi.lab': ['10.0.2.20', '10.0.2.21'] },
    records: [
      { name: 'www.lab', class: 1, ttl: 60, data: { type: DnsType.CNAME, host: 'server.lab' } },
      { name: 'lab', class: 1, ttl: 60, data: { type: DnsType.TXT, texts: ['netlayers test zone'] } },
    ],
    node: ns.context,
  });
  return { net, ns, client, server };
}

/** Send raw bytes to the server and return what it answered (or null). */
function ask(net: FakeNetwork, client: FakeHost, bytes: Uint8Array): Uint8Array | null {
  const socket = client.udp.bind({});
  let reply: Uint8Array | null = null;
  socket.on('message', (data) => (reply = data));
  socket.send(bytes, 53, '10.0.2.53');
  net.scheduler.runUntilIdle();
  socket.close();
  return reply;
}

function query(net: FakeNetwork, client: FakeHost, name: string, type: number = DnsType.A, id = 0x4242): DnsMessage {
  const reply = ask(net, client, emitDnsMessage(dnsMessage({ id, recursionDesired: true, questions: [{ name, type, class: 1 }] })));
  expect(reply).not.toBeNull();
  const parsed = parseDnsMessage(reply!);
  if (isWireError(parsed)) throw new Error(parsed.detail);
  return parsed;
}

describe('DnsServer', () => {
  it('answers A queries authoritatively, case-insensitively, echoing id, question and RD', () => {
    const { net, client } = setup();
    const r = query(net, client, 'SERVER.Lab');
    expect(r).toMatchObject({ id: 0x4242, response: true, authoritative: true, recursionDesired: true, recursionAvailable: false, rcode: DnsRcode.NOERROR });
    expect(r.questions).toEqual([{ name: 'SERVER.Lab', type: 1, class: 1 }]);
    expect(r.answers.map((a) => String((a.data as { address: Ipv4Address }).address))).toEqual(['10.0.2.10']);
    expect(query(net, client, 'multi.lab').answers).toHaveLength(2);
  });

  it('chases a CNAME inside the zone', () => {
    const { net, client } = setup();
    const r = query(net, client, 'www.lab');
    expect(r.answers.map((a) => a.data.type)).toEqual([DnsType.CNAME, DnsType.A]);
  });

  it('answers NXDOMAIN with the SOA for unknown names and NODATA for other types', () => {
    const { net, client } = setup();
    const nx = query(net, client, 'nothing.lab');
    expect(nx.rcode).toBe(DnsRcode.NXDOMAIN);
    expect(nx.authoritative).toBe(true);
    expect(nx.authorities[0]?.data.type).toBe(DnsType.SOA);
    const nodata = query(net, client, 'server.lab', DnsType.MX);
    expect(nodata.rcode).toBe(DnsRcode.NOERROR);
    expect(nodata.answers).toHaveLength(0);
    expect(query(net, client, 'lab', DnsType.TXT).answers[0]?.data).toEqual({ type: DnsType.TXT, texts: ['netlayers test zone'] });
  });

  it('serves PTR records for reverse lookups', () => {
    const { net, client } = setup();
    const r = query(net, client, '10.2.0.10.in-addr.arpa', DnsType.PTR);
    expect(r.answers[0]?.data).toEqual({ type: DnsType.PTR, host: 'server.lab' });
  });

  it('refuses names outside its zones', () => {
    const { net, client } = setup();
    const r = query(net, client, 'example.com');
    expect(r.rcode).toBe(DnsRcode.REFUSED);
    expect(r.authoritative).toBe(false);
  });

  it('answers FORMERR to garbage that has a header, drops shorter garbage and responses', () => {
    const { net, ns, client, server } = setup();
    const garbage = Uint8Array.of(0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0xc0, 0x0c, 0, 1, 0, 1);
    const r = parseDnsMessage(ask(net, client, garbage)!) as DnsMessage;
    expect(r).toMatchObject({ id: 0x1234, response: true, rcode: DnsRcode.FORMERR });
    expect(ask(net, client, Uint8Array.of(1, 2, 3))).toBeNull();
    const response = emitDnsMessage(dnsMessage({ id: 5, response: true, questions: [{ name: 'server.lab', type: 1, class: 1 }] }));
    expect(ask(net, client, response)).toBeNull();
    expect(ns.context.counters.get('drop.application.malformed')).toBe(1);
    expect(ns.context.counters.get('drop.application.truncated')).toBe(1);
    // Still serving.
    expect(query(net, client, 'server.lab').answers).toHaveLength(1);
    expect(server.stats.dropped).toBe(2);
  });

  it('answers NOTIMP for other opcodes and FORMERR for two questions', () => {
    const { net, client } = setup();
    const status = parseDnsMessage(ask(net, client, emitDnsMessage(dnsMessage({ id: 1, opcode: 2 })))!) as DnsMessage;
    expect(status.rcode).toBe(DnsRcode.NOTIMP);
    const two = dnsMessage({ id: 2, questions: [{ name: 'server.lab', type: 1, class: 1 }, { name: 'multi.lab', type: 1, class: 1 }] });
    expect((parseDnsMessage(ask(net, client, emitDnsMessage(two))!) as DnsMessage).rcode).toBe(DnsRcode.FORMERR);
  });

  it('sets TC instead of sending more than 512 bytes', () => {
    const net = new FakeNetwork();
    const ns = net.addHost('ns', '10.0.2.53');
    const client = net.addHost('client', '10.0.1.10');
    const many = Array.from({ length: 40 }, (_, i) => `10.0.3.${i + 1}`);
    new DnsServer(ns.udp, { zone: { 'big.lab': many } });
    const r = query(net, client, 'big.lab');
    expect(r.truncated).toBe(true);
    expect(r.answers).toHaveLength(0);
    expect(net.datagrams[net.datagrams.length - 1]!.data.length).toBeLessThanOrEqual(512);
  });

  it('uses the TTL it is given', () => {
    const net = new FakeNetwork();
    const ns = net.addHost('ns', '10.0.2.53');
    const client = net.addHost('client', '10.0.1.10');
    new DnsServer(ns.udp, { zone: { 'a.lab': '10.0.0.1' }, ttl: 42 });
    expect(query(net, client, 'a.lab').answers[0]?.ttl).toBe(42);
    expect(NS_PER_S).toBeGreaterThan(0);
  });
});
