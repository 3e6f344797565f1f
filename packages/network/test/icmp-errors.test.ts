// When an ICMP error may be sent (RFC 1122 §3.2.2) and the token-bucket rate limit (RFC 1812 §4.3.2.8).

import { describe, expect, it } from 'vitest';
import { Ipv4Address, NS_PER_MS, NS_PER_S } from '@netlayers/core';
import { IcmpRateLimiter, icmpErrorForbidden, type OffendingDatagram } from '../src/index.ts';

const base: OffendingDatagram = {
  source: Ipv4Address.parse('10.0.0.1'),
  destination: Ipv4Address.parse('10.0.0.2'),
  protocol: 17,
  fragmentOffset: 0,
  payload: new Uint8Array(8),
  linkBroadcast: false,
  destinationIsBroadcast: false,
};

describe('icmpErrorForbidden', () => {
  it('allows an error about an ordinary unicast datagram', () => {
    expect(icmpErrorForbidden(base)).toBeNull();
  });

  it.each([
    ['an ICMP error (port unreachable)', { protocol: 1, payload: Uint8Array.from([3, 3, 0, 0]) }, /ICMP error/],
    ['an ICMP time exceeded', { protocol: 1, payload: Uint8Array.from([11, 0]) }, /ICMP error/],
    ['ICMP with no type byte', { protocol: 1, payload: new Uint8Array(0) }, /ICMP error/],
    ['a non-first fragment', { fragmentOffset: 1480 }, /first fragment/],
    ['a link-layer broadcast', { linkBroadcast: true }, /link-layer broadcast/],
    ['a directed broadcast', { destinationIsBroadcast: true }, /broadcast/],
    ['255.255.255.255', { destination: Ipv4Address.BROADCAST }, /broadcast/],
    ['a multicast destination', { destination: Ipv4Address.parse('224.0.0.5') }, /multicast/],
    ['source 0.0.0.0', { source: Ipv4Address.ANY }, /not a single host/],
    ['a multicast source', { source: Ipv4Address.parse('239.1.1.1') }, /not a single host/],
    ['a loopback source', { source: Ipv4Address.parse('127.0.0.1') }, /not a single host/],
  ])('forbids an error about %s', (_name, patch, why) => {
    expect(icmpErrorForbidden({ ...base, ...patch })).toMatch(why);
  });

  it('allows an error about an ICMP echo request', () => {
    expect(icmpErrorForbidden({ ...base, protocol: 1, payload: Uint8Array.from([8, 0]) })).toBeNull();
  });
});

describe('IcmpRateLimiter', () => {
  it('allows a burst, then refills at the configured rate in virtual time', () => {
    const limiter = new IcmpRateLimiter({ burst: 3, perSecond: 10 });
    expect([1, 2, 3, 4].map(() => limiter.take(0))).toEqual([true, true, true, false]);
    expect(limiter.take(99 * NS_PER_MS)).toBe(false); // 0.99 of a token
    expect(limiter.take(100 * NS_PER_MS)).toBe(true);
    expect(limiter.take(100 * NS_PER_MS)).toBe(false);
    // Never more than the burst, however long it was idle.
    const after = 100 * NS_PER_S;
    expect([1, 2, 3, 4].map(() => limiter.take(after))).toEqual([true, true, true, false]);
  });

  it('defaults to a burst of 50 and 1000 per second', () => {
    const limiter = new IcmpRateLimiter();
    let sent = 0;
    for (let i = 0; i < 100; i++) if (limiter.take(0)) sent++;
    expect(sent).toBe(50);
    expect(limiter.take(NS_PER_MS)).toBe(true);
    expect(limiter.take(NS_PER_MS)).toBe(false);
  });
});
