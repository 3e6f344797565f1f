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

/** The four state words of HalfSipHash (Uint32 arithmetic wraps like the reference code). */
const v = new Uint32Array(4);

function sipRound(): void {
  v[0] = v[0]! + v[1]!;
  v[1] = rotl(v[1]!, 5) ^ v[0]!;
  v[0] = rotl(v[0]!, 16);
  v[2] = v[2]! + v[3]!;
  v[3] = rotl(v[3]!, 8) ^ v[2]!;
  v[0] = v[0]! + v[3]!;
  v[3] = rotl(v[3]!, 7) ^ v[0]!;
  v[2] = v[2]! + v[1]!;
  v[1] = rotl(v[1]!, 13) ^ v[2]!;
  v[2] = rotl(v[2]!, 16);
}

/** HalfSipHash-2-4 of 32-bit words with a 64-bit key, giving a 32-bit value. */
export function halfSipHash(k0: number, k1: number, words: readonly number[]): number {
  v[0] = k0;
  v[1] = k1;
  v[2] = 0x6c796765 ^ k0;
  v[3] = 0x74656462 ^ k1;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    v[3] = v[3]! ^ word;
    sipRound();
    sipRound();
    v[0] = v[0]! ^ word;
  }
  const last = (words.length * 4) << 24;
  v[3] = v[3]! ^ last;
  sipRound();
  sipRound();
  v[0] = v[0]! ^ last;
  v[2] = v[2]! ^ 0xff;
  sipRound();
  sipRound();
  sipRound();
  sipRound();
  return (v[1]! ^ v[3]!) >>> 0;
}

/** The hash input of nextFor, reused (halfSipHash keeps nothing). */
const words4 = [0, 0, 0, 0];

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
    return this.nextFor(tuple.localAddress, tuple.localPort, tuple.remoteAddress, tuple.remotePort, now);
  }

  /** The same from the four numbers (no tuple object: one per connection opened). */
  nextFor(localAddress: number, localPort: number, remoteAddress: number, remotePort: number, now: Nanoseconds): number {
    const m = Math.floor(now / 4000);
    const w = words4;
    w[0] = localAddress;
    w[1] = localPort;
    w[2] = remoteAddress;
    w[3] = remotePort;
    return (m + halfSipHash(this.k0, this.k1, w)) >>> 0;
  }
}
