// Initial sequence numbers per RFC 6528 §3 (and RFC 9293 §3.4.1):
//   ISN = M + F(localip, localport, remoteip, remoteport, secretkey)
// where M is a clock ticking every 4 µs (here: virtual time) and F is a keyed pseudo-random
// function of the connection 4-tuple. F is HalfSipHash-2-4 (Aumasson & Bernstein's 32-bit
// SipHash) with a 64-bit secret drawn from the node's seeded Random, so runs are repeatable.

import type { Nanoseconds, Random } from '@netlayers/core';

export interface ConnectionTuple {
  readonly localAddress: number;
  readonly localPort: number;
  readonly remoteAddress: number;
  readonly remotePort: number;
}

function rotl(x: number, b: number): number {
  return ((x << b) | (x >>> (32 - b))) >>> 0;
}

/** HalfSipHash-2-4 of 32-bit words with a 64-bit key, giving a 32-bit value. */
export function halfSipHash(k0: number, k1: number, words: readonly number[]): number {
  let v0 = k0 >>> 0;
  let v1 = k1 >>> 0;
  let v2 = (0x6c796765 ^ k0) >>> 0;
  let v3 = (0x74656462 ^ k1) >>> 0;
  const round = (): void => {
    v0 = (v0 + v1) >>> 0;
    v1 = rotl(v1, 5) ^ v0;
    v0 = rotl(v0, 16);
    v2 = (v2 + v3) >>> 0;
    v3 = rotl(v3, 8) ^ v2;
    v0 = (v0 + v3) >>> 0;
    v3 = rotl(v3, 7) ^ v0;
    v2 = (v2 + v1) >>> 0;
    v1 = rotl(v1, 13) ^ v2;
    v2 = rotl(v2, 16);
  };
  for (const word of words) {
    v3 = (v3 ^ word) >>> 0;
    round();
    round();
    v0 = (v0 ^ word) >>> 0;
  }
  const last = ((words.length * 4) << 24) >>> 0;
  v3 = (v3 ^ last) >>> 0;
  round();
  round();
  v0 = (v0 ^ last) >>> 0;
  v2 = (v2 ^ 0xff) >>> 0;
  round();
  round();
  round();
  round();
  return (v1 ^ v3) >>> 0;
}

/** Generates RFC 6528 initial sequence numbers for one node. */
export class IsnGenerator {
  private readonly k0: number;
  private readonly k1: number;

  constructor(random: Random) {
    this.k0 = random.nextUint32();
    this.k1 = random.nextUint32();
  }

  /** The ISN for `tuple` at virtual time `now`. */
  next(tuple: ConnectionTuple, now: Nanoseconds): number {
    const m = Math.floor(now / 4000);
    const f = halfSipHash(this.k0, this.k1, [tuple.localAddress, tuple.localPort, tuple.remoteAddress, tuple.remotePort]);
    return (m + f) >>> 0;
  }
}
