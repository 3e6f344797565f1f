import { describe, expect, it } from 'vitest';
import { DropReason, Ipv4Address, MacAddress, NS_PER_MS, NS_PER_S, Packet } from '@netlayers/core';
import { ArpOperation, encodeArpPacket, type ArpPacket } from '../src/arp-packet.ts';
import { buildEthernetFrame } from '../src/ethernet.ts';
import {
  IP_A,
  IP_B,
  IP_C,
  MAC_A,
  MAC_B,
  MAC_C,
  WIRE_DELAY,
  arpOf,
  ipv4Like,
  isArpFrame,
  ofKind,
  textOf,
  twoHosts,
} from './support/two-hosts.ts';

type Hosts = ReturnType<typeof twoHosts>;

/** Assign 10.0.0.1 / 10.0.0.2, let the gratuitous ARPs pass, and forget what was recorded. */
function ready(options: Parameters<typeof twoHosts>[0] = {}): Hosts & { t0: number } {
  const h = twoHosts(options);
  h.a.setIpv4Addresses([IP_A]);
  h.b.setIpv4Addresses([IP_B]);
  h.scheduler.runUntilIdle();
  h.sentA.length = 0;
  h.sentB.length = 0;
  h.events.length = 0;
  return { ...h, t0: h.scheduler.now() };
}

/** An ARP frame from `mac` delivered straight into `port`. */
function arpFrame(arp: ArpPacket, destination: MacAddress): Uint8Array {
  return buildEthernetFrame({ destination, source: arp.senderHardware, etherType: 0x0806 }, encodeArpPacket(arp));
}

describe('ARP resolution between two interfaces', () => {
  it('queues the packet, asks, learns the reply and then sends it', () => {
    const h = ready();
    h.a.send(ipv4Like(IP_A, 'ping'), 0x0800, { kind: 'ipv4', nextHop: IP_B });

    expect(h.a.arpCache.entries()).toEqual([{ address: IP_B, mac: null, state: 'INCOMPLETE', expiresAt: null, queued: 1 }]);
    expect(h.sentA).toHaveLength(1);
    const request = arpOf(h.sentA[0]!.bytes);
    expect(request.operation).toBe(ArpOperation.Request);
    expect(request.senderHardware.equals(MAC_A)).toBe(true);
    expect(request.senderProtocol.equals(IP_A)).toBe(true);
    expect(request.targetHardware.equals(MacAddress.ZERO)).toBe(true);
    expect(request.targetProtocol.equals(IP_B)).toBe(true);

    h.scheduler.runFor(NS_PER_MS);

    // h2 answered at 10 µs, and as the target it learned h1 (RFC 826 merge).
    expect(h.sentB).toHaveLength(1);
    expect(h.sentB[0]!.time - h.t0).toBe(WIRE_DELAY);
    const reply = arpOf(h.sentB[0]!.bytes);
    expect(reply.operation).toBe(ArpOperation.Reply);
    expect(reply.senderHardware.equals(MAC_B)).toBe(true);
    expect(reply.senderProtocol.equals(IP_B)).toBe(true);
    expect(reply.targetHardware.equals(MAC_A)).toBe(true);
    expect(reply.targetProtocol.equals(IP_A)).toBe(true);
    expect(h.b.arpCache.lookup(IP_A)).toMatchObject({ state: 'REACHABLE', expiresAt: h.t0 + WIRE_DELAY + 60 * NS_PER_S });
    expect(h.b.arpCache.lookup(IP_A)!.mac!.equals(MAC_A)).toBe(true);

    // The reply reached h1 at 20 µs; the queued packet left at once, unicast to h2.
    expect(h.a.arpCache.entries()).toEqual([{ address: IP_B, mac: MAC_B, state: 'REACHABLE', expiresAt: h.t0 + 2 * WIRE_DELAY + 60 * NS_PER_S, queued: 0 }]);
    expect(h.sentA).toHaveLength(2);
    expect(h.sentA[1]!.time - h.t0).toBe(2 * WIRE_DELAY);
    expect(h.deliveredB).toHaveLength(1);
    expect(h.deliveredB[0]!.time - h.t0).toBe(3 * WIRE_DELAY);
    expect(textOf(h.deliveredB[0]!.payload)).toBe('ping');
    expect(h.deliveredB[0]!.info.source!.equals(MAC_A)).toBe(true);
    expect(h.deliveredB[0]!.info.broadcast).toBe(false);
  });

  it('sends straight away, without ARP, once the entry is REACHABLE', () => {
    const h = ready();
    h.a.send(ipv4Like(IP_A, 'one'), 0x0800, { kind: 'ipv4', nextHop: IP_B });
    h.scheduler.runFor(NS_PER_MS);
    h.sentA.length = 0;
    h.a.send(ipv4Like(IP_A, 'two'), 0x0800, { kind: 'ipv4', nextHop: IP_B });
    expect(h.sentA).toHaveLength(1);
    expect(isArpFrame(h.sentA[0]!.bytes)).toBe(false);
    h.scheduler.runFor(NS_PER_MS);
    expect(h.deliveredB.map((d) => textOf(d.payload))).toEqual(['one', 'two']);
  });

  it('traces ARP PDUs, cache state changes, the retry timer and a learning note', () => {
    const h = ready();
    h.a.send(ipv4Like(IP_A, 'ping'), 0x0800, { kind: 'ipv4', nextHop: IP_B });
    h.scheduler.runFor(NS_PER_MS);
    const arpPdus = ofKind(h.events, 'pdu').filter((e) => e.protocol === 'arp');
    expect(arpPdus.map((e) => [e.node, e.direction, e.text])).toEqual([
      ['h1', 'down', 'ARP, Request who-has 10.0.0.2 tell 10.0.0.1'],
      ['h2', 'up', 'ARP, Request who-has 10.0.0.2 tell 10.0.0.1'],
      ['h2', 'down', 'ARP, Reply 10.0.0.2 is-at 02:00:00:00:00:02'],
      ['h1', 'up', 'ARP, Reply 10.0.0.2 is-at 02:00:00:00:00:02'],
    ]);
    expect(arpPdus.every((e) => e.role === 'link' && e.length === 28 && e.iface === 'eth0')).toBe(true);
    expect(arpPdus[0]!.header).toMatchObject({ protocol: 'arp', operation: 'request', senderProtocol: '10.0.0.1', targetProtocol: '10.0.0.2' });

    const states = ofKind(h.events, 'state').filter((e) => e.protocol === 'arp');
    expect(states.map((e) => [e.node, e.entity, e.from, e.to, e.time - h.t0])).toEqual([
      ['h1', '10.0.0.2', 'NONE', 'INCOMPLETE', 0],
      ['h2', '10.0.0.1', 'NONE', 'REACHABLE', WIRE_DELAY],
      ['h1', '10.0.0.2', 'INCOMPLETE', 'REACHABLE', 2 * WIRE_DELAY],
    ]);
    const timers = ofKind(h.events, 'timer');
    expect(timers.map((e) => [e.node, e.action, e.timer, e.entity, e.duration])).toEqual([
      ['h1', 'set', 'ARP-retry', '10.0.0.2', NS_PER_S],
      ['h1', 'cancelled', 'ARP-retry', '10.0.0.2', undefined],
    ]);
    const notes = ofKind(h.events, 'note').map((e) => `${e.node}: ${e.message}`);
    expect(notes).toContain('h1: ARP cache: 10.0.0.2 is-at 02:00:00:00:00:02');
    expect(notes).toContain('h2: ARP cache: 10.0.0.1 is-at 02:00:00:00:00:01');
  });

  it('asks with the source address of the waiting IPv4 packet when it is one of ours', () => {
    const h = ready();
    const second = Ipv4Address.parse('192.168.1.1');
    h.a.setIpv4Addresses([IP_A, second]);
    h.sentA.length = 0;
    h.a.send(ipv4Like(second, 'x'), 0x0800, { kind: 'ipv4', nextHop: Ipv4Address.parse('192.168.1.2') });
    expect(arpOf(h.sentA[0]!.bytes).senderProtocol.equals(second)).toBe(true);
    h.a.send(ipv4Like(IP_C, 'x'), 0x0800, { kind: 'ipv4', nextHop: Ipv4Address.parse('192.168.1.3') });
    expect(arpOf(h.sentA[1]!.bytes).senderProtocol.equals(IP_A)).toBe(true);
  });
});

describe('ARP retries and failure', () => {
  it('sends 3 requests 1 s apart, then drops the queued packets with arp-failed at 3 s', () => {
    const h = ready();
    h.portB.setUp(false); // nobody will answer
    h.events.length = 0;
    h.a.send(ipv4Like(IP_A, 'lost'), 0x0800, { kind: 'ipv4', nextHop: IP_B });
    h.scheduler.runUntilIdle();

    expect(h.sentA.map((s) => s.time - h.t0)).toEqual([0, NS_PER_S, 2 * NS_PER_S]);
    expect(h.sentA.every((s) => arpOf(s.bytes).targetProtocol.equals(IP_B))).toBe(true);
    const drops = ofKind(h.events, 'drop', 'h1');
    expect(drops.map((d) => [d.time - h.t0, d.reason, d.protocol, d.length])).toEqual([[3 * NS_PER_S, DropReason.ArpFailed, 'arp', 24]]);
    expect(drops[0]!.detail).toBe('no ARP reply from 10.0.0.2 after 3 requests');
    expect(h.a.arpCache.size).toBe(0);
    expect(ofKind(h.events, 'state', 'h1').map((e) => [e.from, e.to, e.time - h.t0])).toEqual([
      ['NONE', 'INCOMPLETE', 0],
      ['INCOMPLETE', 'FAILED', 3 * NS_PER_S],
    ]);
    expect(ofKind(h.events, 'timer', 'h1').map((e) => [e.action, e.time - h.t0])).toEqual([
      ['set', 0],
      ['fired', NS_PER_S],
      ['set', NS_PER_S],
      ['fired', 2 * NS_PER_S],
      ['set', 2 * NS_PER_S],
      ['fired', 3 * NS_PER_S],
    ]);
    expect(h.a.stats.drops).toBe(1);
    expect(h.a.stats.arpRequestsSent).toBe(1 + 3); // the announcement in ready(), then three requests
  });

  it('follows configured retries and interval', () => {
    const h = ready({ arpA: { retries: 5, retryInterval: '500ms' } });
    h.portB.setUp(false);
    h.events.length = 0;
    h.a.send(ipv4Like(IP_A, 'lost'), 0x0800, { kind: 'ipv4', nextHop: IP_B });
    h.scheduler.runUntilIdle();
    expect(h.sentA.map((s) => (s.time - h.t0) / NS_PER_MS)).toEqual([0, 500, 1000, 1500, 2000]);
    expect(ofKind(h.events, 'drop', 'h1').map((d) => [(d.time - h.t0) / NS_PER_MS, d.reason])).toEqual([[2500, 'arp-failed']]);
  });

  it('a reply to the third request still delivers the queue', () => {
    const h = ready();
    const deliver = h.portA.onTransmit!;
    let lost = 0;
    h.portA.onTransmit = (frame) => {
      if (lost < 2) lost++; // the first two requests vanish on the wire
      else deliver(frame);
    };
    h.a.send(ipv4Like(IP_A, 'late'), 0x0800, { kind: 'ipv4', nextHop: IP_B });
    h.scheduler.runFor(2 * NS_PER_S + 3 * WIRE_DELAY);
    // third request at 2 s, reply back 20 µs later, the packet delivered 10 µs after that
    expect(h.deliveredB.map((d) => [d.time - h.t0, textOf(d.payload)])).toEqual([[2 * NS_PER_S + 3 * WIRE_DELAY, 'late']]);
    expect(h.a.arpCache.lookup(IP_B)?.state).toBe('REACHABLE');
    h.scheduler.runFor(5 * NS_PER_S);
    expect(ofKind(h.events, 'drop', 'h1')).toEqual([]);
  });

  it("a gratuitous ARP from the next hop completes a pending resolution (merge of an existing entry)", () => {
    const h = ready();
    h.portB.setUp(false);
    h.a.send(ipv4Like(IP_A, 'waiting'), 0x0800, { kind: 'ipv4', nextHop: IP_B });
    h.scheduler.runFor(1.5 * NS_PER_S);
    h.portB.setUp(true); // h2 announces 10.0.0.2 as its port comes up
    h.scheduler.runFor(NS_PER_MS);
    expect(h.deliveredB.map((d) => [d.time - h.t0, textOf(d.payload)])).toEqual([[1.5 * NS_PER_S + 2 * WIRE_DELAY, 'waiting']]);
    expect(ofKind(h.events, 'state', 'h1').map((e) => [e.to, e.cause])).toEqual([
      ['INCOMPLETE', 'send to unresolved next hop'],
      ['REACHABLE', 'rcv gratuitous ARP'],
    ]);
  });

  it('starts afresh after a failure', () => {
    const h = ready();
    h.portB.setUp(false);
    h.a.send(ipv4Like(IP_A, 'lost'), 0x0800, { kind: 'ipv4', nextHop: IP_B });
    h.scheduler.runUntilIdle();
    h.portB.setUp(true);
    h.scheduler.runUntilIdle();
    h.sentA.length = 0;
    h.a.send(ipv4Like(IP_A, 'again'), 0x0800, { kind: 'ipv4', nextHop: IP_B });
    expect(h.a.arpCache.lookup(IP_B)?.state).toBe('INCOMPLETE');
    h.scheduler.runFor(NS_PER_MS);
    expect(h.deliveredB.map((d) => textOf(d.payload))).toEqual(['again']);
  });
});

describe('the queue of packets waiting for resolution', () => {
  it('holds 3 packets; a 4th and 5th push out the oldest with queue-full', () => {
    const h = ready();
    for (const word of ['p1', 'p2', 'p3', 'p4', 'p5']) h.a.send(ipv4Like(IP_A, word), 0x0800, { kind: 'ipv4', nextHop: IP_B });
    expect(h.a.arpCache.lookup(IP_B)?.queued).toBe(3);
    expect(h.sentA).toHaveLength(1); // one request, not one per packet
    const drops = ofKind(h.events, 'drop', 'h1');
    expect(drops.map((d) => [d.reason, d.time - h.t0])).toEqual([
      [DropReason.QueueFull, 0],
      [DropReason.QueueFull, 0],
    ]);
    expect(drops[0]!.detail).toBe('ARP queue for 10.0.0.2 is full (3 packets): dropped the oldest');
    h.scheduler.runFor(NS_PER_MS);
    expect(h.deliveredB.map((d) => textOf(d.payload))).toEqual(['p3', 'p4', 'p5']);
  });

  it('follows a configured queue length, including 0', () => {
    const h = ready({ arpA: { queueLength: 1 } });
    for (const word of ['p1', 'p2']) h.a.send(ipv4Like(IP_A, word), 0x0800, { kind: 'ipv4', nextHop: IP_B });
    h.scheduler.runFor(NS_PER_MS);
    expect(h.deliveredB.map((d) => textOf(d.payload))).toEqual(['p2']);

    const z = ready({ arpA: { queueLength: 0 } });
    z.a.send(ipv4Like(IP_A, 'p1'), 0x0800, { kind: 'ipv4', nextHop: IP_B });
    expect(ofKind(z.events, 'drop', 'h1').map((d) => d.reason)).toEqual([DropReason.QueueFull]);
    z.scheduler.runFor(NS_PER_MS);
    expect(z.deliveredB).toEqual([]);
    expect(z.a.arpCache.lookup(IP_B)?.state).toBe('REACHABLE'); // the request still went out
  });

  it('drops the queue with interface-down and empties the cache when the link goes down', () => {
    const h = ready();
    h.a.send(ipv4Like(IP_A, 'p1'), 0x0800, { kind: 'ipv4', nextHop: IP_B });
    h.portA.setUp(false);
    expect(ofKind(h.events, 'drop', 'h1').map((d) => d.reason)).toEqual([DropReason.InterfaceDown]);
    expect(h.a.arpCache.size).toBe(0);
    expect(ofKind(h.events, 'state', 'h1').filter((e) => e.protocol === 'arp').map((e) => e.to)).toEqual(['INCOMPLETE', 'FLUSHED']);
    h.scheduler.runUntilIdle();
    expect(h.sentA).toHaveLength(1); // no retries after the flush
  });
});

describe('gratuitous ARP', () => {
  it('announces each address assigned while up: sender = target = the address, to broadcast', () => {
    const h = twoHosts();
    h.a.setIpv4Addresses([IP_A]);
    expect(h.sentA).toHaveLength(1);
    const g = arpOf(h.sentA[0]!.bytes);
    expect(g.operation).toBe(ArpOperation.Request);
    expect(g.senderProtocol.equals(IP_A) && g.targetProtocol.equals(IP_A)).toBe(true);
    expect(g.senderHardware.equals(MAC_A)).toBe(true);
    expect(g.targetHardware.equals(MacAddress.ZERO)).toBe(true);
    const second = Ipv4Address.parse('10.0.0.11');
    h.a.setIpv4Addresses([IP_A, second]);
    expect(h.sentA).toHaveLength(2); // only the new address
    expect(arpOf(h.sentA[1]!.bytes).senderProtocol.equals(second)).toBe(true);
    expect(ofKind(h.events, 'pdu', 'h1').filter((e) => e.protocol === 'arp').map((e) => e.text)).toEqual([
      'ARP, Request who-has 10.0.0.1 tell 10.0.0.1',
      'ARP, Request who-has 10.0.0.11 tell 10.0.0.11',
    ]);
  });

  it('is silent while down and announces every address when the port comes up', () => {
    const h = twoHosts();
    h.portA.setUp(false);
    h.a.setIpv4Addresses([IP_A, IP_C]);
    expect(h.sentA).toEqual([]);
    h.scheduler.runFor(5 * NS_PER_S);
    h.portA.setUp(true);
    expect(h.sentA.map((s) => [s.time, arpOf(s.bytes).senderProtocol.toString(), arpOf(s.bytes).targetProtocol.toString()])).toEqual([
      [5 * NS_PER_S, '10.0.0.1', '10.0.0.1'],
      [5 * NS_PER_S, '10.0.0.3', '10.0.0.3'],
    ]);
  });

  it('updates an existing entry (merge) but adds no entry for a stranger', () => {
    const h = ready();
    h.a.send(ipv4Like(IP_A, 'x'), 0x0800, { kind: 'ipv4', nextHop: IP_B });
    h.scheduler.runFor(NS_PER_MS);
    // A new station takes over 10.0.0.2 and announces it; another announces 10.0.0.3.
    h.portA.deliver(arpFrame({ operation: 1, senderHardware: MAC_C, senderProtocol: IP_B, targetHardware: MacAddress.ZERO, targetProtocol: IP_B }, MacAddress.BROADCAST));
    h.portA.deliver(arpFrame({ operation: 1, senderHardware: MAC_C, senderProtocol: IP_C, targetHardware: MacAddress.ZERO, targetProtocol: IP_C }, MacAddress.BROADCAST));
    expect(h.a.arpCache.entries().map((e) => [e.address.toString(), e.mac?.toString()])).toEqual([['10.0.0.2', '02:00:00:00:00:03']]);
    expect(ofKind(h.events, 'note', 'h1').map((e) => e.message)).toContain('ARP cache: 10.0.0.2 moved from 02:00:00:00:00:02 to 02:00:00:00:00:03');
  });
});

describe('answering requests (RFC 826 merge algorithm)', () => {
  it('answers only for its own addresses and learns only when it is the target', () => {
    const h = ready();
    h.portB.deliver(arpFrame({ operation: 1, senderHardware: MAC_C, senderProtocol: IP_C, targetHardware: MacAddress.ZERO, targetProtocol: Ipv4Address.parse('10.0.0.99') }, MacAddress.BROADCAST));
    expect(h.sentB).toEqual([]);
    expect(h.b.arpCache.size).toBe(0);
    h.portB.deliver(arpFrame({ operation: 1, senderHardware: MAC_C, senderProtocol: IP_C, targetHardware: MacAddress.ZERO, targetProtocol: IP_B }, MacAddress.BROADCAST));
    expect(h.sentB).toHaveLength(1);
    expect(h.b.arpCache.lookup(IP_C)?.mac?.equals(MAC_C)).toBe(true);
    expect(h.b.stats.arpRepliesSent).toBe(1);
    const frame = h.sentB[0]!.bytes;
    expect(MacAddress.fromBytes(frame, 0).equals(MAC_C)).toBe(true); // unicast back to the asker
  });

  it('does not answer a reply addressed to it, but learns from it', () => {
    const h = ready();
    h.portB.deliver(arpFrame({ operation: 2, senderHardware: MAC_C, senderProtocol: IP_C, targetHardware: MAC_B, targetProtocol: IP_B }, MAC_B));
    expect(h.sentB).toEqual([]);
    expect(h.b.arpCache.lookup(IP_C)?.state).toBe('REACHABLE');
  });

  it('answers an RFC 5227 probe (sender 0.0.0.0) without caching 0.0.0.0', () => {
    const h = ready();
    h.portB.deliver(arpFrame({ operation: 1, senderHardware: MAC_C, senderProtocol: Ipv4Address.ANY, targetHardware: MacAddress.ZERO, targetProtocol: IP_B }, MacAddress.BROADCAST));
    expect(h.sentB).toHaveLength(1);
    const reply = arpOf(h.sentB[0]!.bytes);
    expect(reply.targetProtocol.isUnspecified).toBe(true);
    expect(reply.targetHardware.equals(MAC_C)).toBe(true);
    expect(h.b.arpCache.size).toBe(0);
  });

  it('notes a conflict when another station claims one of its addresses, and caches nothing', () => {
    const h = ready();
    h.portB.deliver(arpFrame({ operation: 1, senderHardware: MAC_C, senderProtocol: IP_B, targetHardware: MacAddress.ZERO, targetProtocol: IP_B }, MacAddress.BROADCAST));
    expect(h.b.arpCache.size).toBe(0);
    expect(ofKind(h.events, 'note', 'h2').map((e) => e.message)).toEqual(['address conflict: 10.0.0.2 is ours but 02:00:00:00:00:03 claims it']);
  });

  it('drops a malformed ARP packet with its wire reason, and one with a group sender address', () => {
    const h = ready();
    const bad = encodeArpPacket({ operation: 1, senderHardware: MAC_C, senderProtocol: IP_C, targetHardware: MacAddress.ZERO, targetProtocol: IP_B });
    bad[1] = 6; // hardware type IEEE 802
    h.portB.deliver(buildEthernetFrame({ destination: MacAddress.BROADCAST, source: MAC_C, etherType: 0x0806 }, bad));
    const group = encodeArpPacket({ operation: 1, senderHardware: MacAddress.BROADCAST, senderProtocol: IP_C, targetHardware: MacAddress.ZERO, targetProtocol: IP_B });
    h.portB.deliver(buildEthernetFrame({ destination: MacAddress.BROADCAST, source: MAC_C, etherType: 0x0806 }, group));
    expect(ofKind(h.events, 'drop', 'h2').map((d) => [d.protocol, d.reason])).toEqual([
      ['arp', DropReason.Malformed],
      ['arp', DropReason.Malformed],
    ]);
    expect(h.sentB).toEqual([]);
    expect(h.b.arpCache.size).toBe(0);
  });

  it('lets a non-IPv4 packet wait for resolution too (it is sent with its own EtherType)', () => {
    const h = ready();
    const received: string[] = [];
    h.b.registerProtocol(0x88b5, (p) => received.push(new TextDecoder().decode(p.bytes.subarray(0, 5))));
    h.a.send(Packet.from('local'), 0x88b5, { kind: 'ipv4', nextHop: IP_B });
    h.scheduler.runFor(NS_PER_MS);
    expect(received).toEqual(['local']);
  });
});
