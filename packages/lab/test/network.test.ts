import { describe, it, expect } from 'vitest';
import { Network, Host } from '../src/index.ts';
import { InvalidAddressError, InvalidArgumentError, type PduEvent } from '@netlayers/core';

function lan(seed = 1, linkOptions = {}): { net: Network; a: Host; b: Host } {
  const net = new Network({ seed });
  const sw = net.addSwitch('sw1');
  const a = net.addHost('a');
  const b = net.addHost('b');
  net.connect([a, '10.0.0.1/24'], sw, linkOptions);
  net.connect([b, '10.0.0.2/24'], sw, linkOptions);
  return { net, a, b };
}

describe('Network composition', () => {
  it('pings across a switch: ARP first, then the echo', async () => {
    const { net, a } = lan();
    const events: PduEvent[] = [];
    net.trace.on('pdu', (e) => events.push(e));
    const result = await a.ping('10.0.0.2');
    expect(result.ok).toBe(true);
    const protocols = events.map((e) => `${e.node}:${e.protocol}:${e.direction}`);
    const firstArp = protocols.findIndex((p) => p.startsWith('a:arp:down'));
    const firstEcho = protocols.findIndex((p) => p === 'a:icmp:down');
    expect(firstArp).toBeGreaterThanOrEqual(0);
    expect(firstEcho).toBeGreaterThanOrEqual(0);
    expect(events.some((e) => e.node === 'sw1' && e.direction === 'forward')).toBe(true);
    expect(events.some((e) => e.node === 'b' && e.protocol === 'icmp' && e.direction === 'up')).toBe(true);
  });

  it('routes between subnets through a router, with TTL decremented', async () => {
    const net = new Network({ seed: 4 });
    const a = net.addHost('a', { gateway: '10.0.1.1' });
    const r = net.addRouter('r');
    const b = net.addHost('b', { gateway: '10.0.2.1' });
    net.connect([a, '10.0.1.10/24'], [r, '10.0.1.1/24'], { delay: '1ms' });
    net.connect([r, '10.0.2.1/24'], [b, '10.0.2.10/24'], { delay: '2ms' });
    const reply = await a.ping('10.0.2.10');
    expect(reply.ok).toBe(true);
    if (reply.ok) {
      expect(reply.ttl).toBe(63);
      // Two link delays each way plus serialization: at least 6 ms of virtual time.
      expect(reply.rtt).toBeGreaterThanOrEqual(6_000_000);
    }
  });

  it('is deterministic: the same seed gives the same trace; another seed differs under loss', async () => {
    const run = async (seed: number): Promise<string[]> => {
      const { net, a } = lan(seed, { impairments: { loss: 0.3 } });
      const lines: string[] = [];
      net.trace.on('event', (e) => lines.push(JSON.stringify({ ...e, bytes: undefined })));
      for (let i = 0; i < 10; i++) await a.ping('10.0.0.2', { timeout: '100ms' });
      return lines;
    };
    const first = await run(11);
    expect(await run(11)).toEqual(first);
    expect(await run(12)).not.toEqual(first);
  });

  it('describes a host stack in the five-layer, four-layer and OSI models', () => {
    const { a } = lan();
    const five = a.describeStack('tcpip-5');
    expect(five).toMatch(/Transport\s+TCP \(RFC 9293\), UDP \(RFC 768\)/);
    expect(five).toMatch(/Link\s+Ethernet II \+ ARP/);
    expect(five).toMatch(/Physical\s+point-to-point link, 100 Mbit\/s/);
    const four = a.describeStack('tcpip-4');
    expect(four).toMatch(/Internet\s+IPv4/);
    expect(four).toMatch(/Link \(network access\)\s+Ethernet II \+ ARP \(RFC 826\) \| point-to-point/);
    expect(four.split('\n').length).toBe(5);
    const osi = a.describeStack('osi-7');
    expect(osi).toMatch(/Session\s+\(inside the application in TCP\/IP\)/);
  });

  it('tells onCreate listeners about every new network, until unsubscribed', () => {
    const seen: Network[] = [];
    const off = Network.onCreate((n) => seen.push(n));
    const n1 = new Network();
    off();
    new Network();
    expect(seen).toEqual([n1]);
  });

  it('rejects bad topology input with typed errors naming the value', () => {
    const net = new Network();
    const a = net.addHost('a');
    const b = net.addHost('b');
    expect(() => net.connect([a, '10.0.0.300/24'], b)).toThrow(InvalidAddressError);
    expect(() => net.connect([a, '10.0.0.300/24'], b)).toThrow(/10\.0\.0\.300/);
    expect(() => net.connect(a, a)).toThrow(InvalidArgumentError);
    expect(() => net.addHost('a')).toThrow(/already used/);
    expect(() => net.addHost('1bad')).toThrow(InvalidArgumentError);
    expect(() => net.connect(a, b, { delay: '-5ms' })).toThrow(/-5ms/);
    const sw = net.addSwitch('sw');
    expect(() => net.connect(a, [sw, '10.0.0.9/24'])).toThrow(/switch/);
  });
});

