// When an ICMP error may be sent (RFC 1122 §3.2.2, RFC 1812 §4.3.2.7): never about an ICMP
// error, a non-first fragment, a datagram sent to a broadcast or multicast address (IP or
// link level), or one whose source does not name a single host. And how often: a per-node
// token bucket in virtual time (RFC 1812 §4.3.2.8).

import { InvalidArgumentError, IpProtocol, assertIntegerInRange, type Ipv4Address } from '@netlayers/core';
import { isIcmpErrorType } from './icmp-wire.ts';

/** What is known about the datagram an error would answer. */
export interface OffendingDatagram {
  readonly source: Ipv4Address;
  readonly destination: Ipv4Address;
  readonly protocol: number;
  readonly fragmentOffset: number;
  /** The datagram's data (at least its first byte tells an ICMP message's type). */
  readonly payload: Uint8Array;
  /** It arrived in a link-layer broadcast or multicast frame. */
  readonly linkBroadcast: boolean;
  /** Its destination is a (directed) broadcast address of one of our subnets. */
  readonly destinationIsBroadcast: boolean;
}

/** null when an ICMP error may answer `datagram`, else why not. */
export function icmpErrorForbidden(datagram: OffendingDatagram): string | null {
  if (datagram.fragmentOffset !== 0) return 'not the first fragment';
  if (datagram.protocol === IpProtocol.ICMP) {
    const type = datagram.payload[0];
    if (type === undefined || isIcmpErrorType(type)) return 'about an ICMP error';
  }
  if (datagram.linkBroadcast) return 'arrived as a link-layer broadcast';
  const destination = datagram.destination;
  if (datagram.destinationIsBroadcast || destination.isBroadcast || destination.isMulticast) return 'sent to a broadcast or multicast address';
  const source = datagram.source;
  if (source.isUnspecified || source.isBroadcast || source.isMulticast || source.isLoopback) return `source ${source} is not a single host`;
  return null;
}

export interface IcmpRateLimit {
  /** Errors that may be sent back to back (default 50). */
  readonly burst?: number;
  /** Sustained errors per second of virtual time (default 1000). */
  readonly perSecond?: number;
}

/** A token bucket refilled continuously in virtual time. */
export class IcmpRateLimiter {
  readonly burst: number;
  readonly perSecond: number;
  private tokens: number;
  private last = 0;

  constructor(limit: IcmpRateLimit = {}) {
    this.burst = limit.burst ?? 50;
    this.perSecond = limit.perSecond ?? 1000;
    assertIntegerInRange('icmpRateLimit.burst', this.burst, 0, 1_000_000);
    if (!(this.perSecond >= 0) || !Number.isFinite(this.perSecond)) {
      throw new InvalidArgumentError('icmpRateLimit.perSecond', this.perSecond, 'must be a finite number >= 0');
    }
    this.tokens = this.burst;
  }

  /** Take one token at virtual time `now` (ns); false when the bucket is empty. */
  take(now: number): boolean {
    if (now > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.perSecond) / 1e9);
      this.last = now;
    }
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
