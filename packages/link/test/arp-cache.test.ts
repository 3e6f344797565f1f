import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, InvalidUnitError, Ipv4Address, MacAddress, NS_PER_MS, NS_PER_S } from '@netlayers/core';
import { resolveArpOptions } from '../src/arp-cache.ts';
import { encodeArpPacket } from '../src/arp-packet.ts';
import { buildEthernetFrame } from '../src/ethernet.ts';
import { IP_A, IP_B, MAC_B, WIRE_DELAY, ipv4Like, isArpFrame, ofKind, textOf, twoHosts } from './support/two-hosts.ts';

/** h1 resolves h2; returns the hosts and the time h1's entry became REACHABLE. */
function resolved(entryTimeout?: string) {
  const h = twoHosts({ arpA: entryTimeout === undefined ? {} : { entryTimeout } });
  h.a.setIpv4Addresses([IP_A]);
  h.b.setIpv4Addresses([IP_B]);
  h.scheduler.runFor(NS_PER_MS);
  const start = h.scheduler.now();
  h.a.send(ipv4Like(IP_A, 'first'), 0x0800, { kind: 'ipv4', nextHop: IP_B });
  h.scheduler.runFor(NS_PER_MS);
  h.sentA.length = 0;
  return { ...h, learnedAt: start + 2 * WIRE_DELAY };
}

function gratuitousFromB(): Uint8Array {
  return buildEthernetFrame(
    { destination: MacAddress.BROADCAST, source: MAC_B, etherType: 0x0806 },
    encodeArpPacket({ operation: 1, senderHardware: MAC_B, senderProtocol: IP_B, targetHardware: MacAddress.ZERO, targetProtocol: IP_B }),
  );
}

describe('ARP cache expiry', () => {
  it('keeps a REACHABLE entry exactly 60 s by default, then removes it as EXPIRED', () => {
    const h = resolved();
    const expiresAt = h.learnedAt + 60 * NS_PER_S;
    expect(h.a.arpCache.lookup(IP_B)?.expiresAt).toBe(expiresAt);
    h.scheduler.runUntil(expiresAt - 1);
    expect(h.a.arpCache.lookup(IP_B)?.state).toBe('REACHABLE');
    h.scheduler.runUntil(expiresAt);
    expect(h.a.arpCache.lookup(IP_B)).toBeUndefined();
    const expired = ofKind(h.events, 'state', 'h1').filter((e) => e.to === 'EXPIRED');
    expect(expired.map((e) => [e.entity, e.from, e.time])).toEqual([['10.0.0.2', 'REACHABLE', expiresAt]]);
  });

  it('asks again after the entry expired', () => {
    const h = resolved('5s');
    h.scheduler.runUntil(h.learnedAt + 5 * NS_PER_S);
    h.a.send(ipv4Like(IP_A, 'second'), 0x0800, { kind: 'ipv4', nextHop: IP_B });
    expect(h.sentA).toHaveLength(1);
    expect(isArpFrame(h.sentA[0]!.bytes)).toBe(true);
    h.scheduler.runFor(NS_PER_MS);
    expect(h.deliveredB.map((d) => textOf(d.payload))).toEqual(['first', 'second']);
  });

  it('any ARP packet from the neighbour refreshes the entry; it then expires a full timeout later', () => {
    const h = resolved('5s');
    const refreshAt = h.learnedAt + 3 * NS_PER_S;
    h.scheduler.runUntil(refreshAt);
    h.portA.deliver(gratuitousFromB());
    expect(h.a.arpCache.lookup(IP_B)?.expiresAt).toBe(refreshAt + 5 * NS_PER_S);
    h.scheduler.runUntil(h.learnedAt + 5 * NS_PER_S); // the original expiry passes
    expect(h.a.arpCache.lookup(IP_B)?.state).toBe('REACHABLE');
    h.scheduler.runUntil(refreshAt + 5 * NS_PER_S - 1);
    expect(h.a.arpCache.size).toBe(1);
    h.scheduler.runUntil(refreshAt + 5 * NS_PER_S);
    expect(h.a.arpCache.size).toBe(0);
    // a refresh is not a state change: one NONE→INCOMPLETE→REACHABLE→EXPIRED story
    expect(ofKind(h.events, 'state', 'h1').filter((e) => e.protocol === 'arp').map((e) => e.to)).toEqual(['INCOMPLETE', 'REACHABLE', 'EXPIRED']);
  });

  it('uses the entry while it is valid: traffic alone does not refresh it (no upper-layer confirmation)', () => {
    const h = resolved('5s');
    for (let s = 1; s <= 4; s++) {
      h.scheduler.runUntil(h.learnedAt + s * NS_PER_S);
      h.a.send(ipv4Like(IP_A, `t${s}`), 0x0800, { kind: 'ipv4', nextHop: IP_B });
    }
    expect(h.sentA.every((s) => !isArpFrame(s.bytes))).toBe(true);
    h.scheduler.runUntil(h.learnedAt + 5 * NS_PER_S);
    expect(h.a.arpCache.size).toBe(0);
  });

  it('lists entries sorted by address with their state, MAC, expiry and queue', () => {
    const h = resolved();
    h.a.send(ipv4Like(IP_A, 'q'), 0x0800, { kind: 'ipv4', nextHop: Ipv4Address.parse('10.0.0.1') });
    h.a.send(ipv4Like(IP_A, 'q'), 0x0800, { kind: 'ipv4', nextHop: Ipv4Address.parse('10.0.0.9') });
    const rows = h.a.arpCache.entries().map((e) => [e.address.toString(), e.state, e.mac?.toString() ?? null, e.expiresAt, e.queued]);
    expect(rows).toEqual([
      ['10.0.0.1', 'INCOMPLETE', null, null, 1],
      ['10.0.0.2', 'REACHABLE', '02:00:00:00:00:02', h.learnedAt + 60 * NS_PER_S, 0],
      ['10.0.0.9', 'INCOMPLETE', null, null, 1],
    ]);
  });
});

describe('ARP options', () => {
  it('defaults to 60 s entries, 3 requests 1 s apart and 3 queued packets', () => {
    expect(resolveArpOptions()).toEqual({ entryTimeout: 60 * NS_PER_S, retries: 3, retryInterval: NS_PER_S, queueLength: 3 });
    expect(resolveArpOptions({ entryTimeout: '20min', retryInterval: 250 * NS_PER_MS, retries: 1, queueLength: 0 })).toEqual({
      entryTimeout: 1200 * NS_PER_S,
      retries: 1,
      retryInterval: 250 * NS_PER_MS,
      queueLength: 0,
    });
  });
  it.each([
    [{ entryTimeout: '0s' }, InvalidArgumentError, /arp\.entryTimeout "0s"/],
    [{ entryTimeout: 'soon' }, InvalidUnitError, /"soon"/],
    [{ retryInterval: 0 }, InvalidArgumentError, /arp\.retryInterval 0/],
    [{ retries: 0 }, InvalidArgumentError, /arp\.retries 0/],
    [{ retries: 1.5 }, InvalidArgumentError, /arp\.retries 1\.5/],
    [{ queueLength: -1 }, InvalidArgumentError, /arp\.queueLength -1/],
  ])('rejects %o', (options, type, message) => {
    expect(() => resolveArpOptions(options)).toThrow(type);
    expect(() => resolveArpOptions(options)).toThrow(message);
  });
});
