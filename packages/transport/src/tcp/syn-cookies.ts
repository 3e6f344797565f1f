// SYN cookies (RFC 4987 §3.6), used when a listener's SYN queue is full: the SYN,ACK is sent
// without keeping any state, and the connection is rebuilt from the ACK that completes the
// handshake. The layout follows Linux's (net/ipv4/syncookies.c) in spirit, with our own bits:
//
//   ISS = time slot (5 bits) | MSS index (3 bits) | MAC (24 bits)
//
// where the time slot counts 64 s periods (a cookie is accepted for two periods after the
// one it was made in, as Linux's MAX_SYNCOOKIE_AGE), the MSS index picks the largest entry of
// COOKIE_MSS not above the peer's MSS, and the MAC is HalfSipHash-2-4 with a per-layer secret
// over the 4-tuple, the peer's ISN, the slot and the index. As Linux does, when the SYN
// carried timestamps (RFC 7323) the low 6 bits of our TSval carry the options the ISS has no
// room for: window scale (4 bits, 15 = none) and SACK-permitted (1 bit); the peer echoes
// TSval in the ACK. Without timestamps a cookie connection has no window scaling and no SACK
// (the options are lost, as on Linux).

import type { Random } from '@netlayers/core';
import { halfSipHash, type ConnectionTuple } from './isn.ts';

/** The MSS values a cookie can name (Linux's msstab for IPv4 plus two smaller ones). */
export const COOKIE_MSS = [216, 536, 1200, 1300, 1440, 1460, 4312, 8960] as const;

/** One time slot in nanoseconds (64 s). */
const SLOT_NS = 64_000_000_000;
/** Cookies made this many slots ago (or fewer) are accepted. */
const MAX_AGE_SLOTS = 2;
const NO_WSCALE = 0xf;

/** What the cookie remembers of the SYN. */
export interface CookieOptions {
  readonly mss: number;
  /** The peer's window scale, when it offered one and the options survived (timestamps). */
  readonly windowScale?: number;
  readonly sackPermitted: boolean;
}

export class SynCookies {
  private readonly k0: number;
  private readonly k1: number;

  constructor(random: Random) {
    this.k0 = random.nextUint32();
    this.k1 = random.nextUint32();
  }

  /** The ISS for a SYN from `tuple` with initial sequence number `peerIsn` at time `now`. */
  make(tuple: ConnectionTuple, peerIsn: number, peerMss: number, now: number): number {
    let index = 0;
    for (let i = COOKIE_MSS.length - 1; i >= 0; i--) {
      if (COOKIE_MSS[i]! <= peerMss) {
        index = i;
        break;
      }
    }
    const slot = Math.floor(now / SLOT_NS) & 0x1f;
    return ((slot << 27) | (index << 24) | this.mac(tuple, peerIsn, slot, index)) >>> 0;
  }

  /**
   * Check the cookie an ACK returns (`cookie` = SEG.ACK - 1, `peerIsn` = SEG.SEQ - 1): the
   * MSS it names, or undefined if it is forged or too old.
   */
  check(tuple: ConnectionTuple, peerIsn: number, cookie: number, now: number): number | undefined {
    const slot = cookie >>> 27;
    const index = (cookie >>> 24) & 0x7;
    const age = (Math.floor(now / SLOT_NS) - slot) & 0x1f;
    if (age > MAX_AGE_SLOTS) return undefined;
    if ((cookie & 0xffffff) !== this.mac(tuple, peerIsn, slot, index)) return undefined;
    return COOKIE_MSS[index];
  }

  private mac(tuple: ConnectionTuple, peerIsn: number, slot: number, index: number): number {
    return halfSipHash(this.k0, this.k1, [tuple.localAddress, tuple.localPort, tuple.remoteAddress, tuple.remotePort, peerIsn >>> 0, (slot << 8) | index]) & 0xffffff;
  }
}

/** Our TSval with the options folded into its low 6 bits (as Linux's cookie_init_timestamp). */
export function encodeTsOptions(tsval: number, windowScale: number | undefined, sackPermitted: boolean): number {
  const bits = (windowScale === undefined ? NO_WSCALE : windowScale & 0xf) | (sackPermitted ? 0x10 : 0);
  // Never ahead of the clock (the peer's RTT sample from the echo would go negative).
  const folded = ((tsval & ~0x3f) | bits) >>> 0;
  return (tsval & 0x3f) < bits ? (folded - 0x40) >>> 0 : folded;
}

/** The options folded into an echoed TSval. */
export function decodeTsOptions(echo: number): { windowScale?: number; sackPermitted: boolean } {
  const ws = echo & 0xf;
  const sackPermitted = (echo & 0x10) !== 0;
  return ws === NO_WSCALE ? { sackPermitted } : { windowScale: Math.min(ws, 14), sackPermitted };
}
