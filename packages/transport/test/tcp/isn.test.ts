// Initial sequence numbers per RFC 6528: a 4 µs clock plus a keyed hash of the 4-tuple.
import { describe, expect, it } from 'vitest';
import { Random } from '@netlayers/core';
import { halfSipHash, IsnGenerator } from '../../src/tcp/index.ts';

const tuple = { localAddress: 0x0a000001, localPort: 49152, remoteAddress: 0x0a000002, remotePort: 80 };

describe('IsnGenerator (RFC 6528)', () => {
  it('advances with the 4 µs clock for the same 4-tuple', () => {
    const isn = new IsnGenerator(new Random(1));
    const a = isn.next(tuple, 0);
    expect(isn.next(tuple, 4_000)).toBe((a + 1) >>> 0);
    expect(isn.next(tuple, 4_000_000)).toBe((a + 1000) >>> 0);
    expect(isn.next(tuple, 3_999)).toBe(a);
  });

  it('differs between 4-tuples and between secrets, and repeats with the same seed', () => {
    const one = new IsnGenerator(new Random(1));
    const same = new IsnGenerator(new Random(1));
    const other = new IsnGenerator(new Random(2));
    expect(one.next(tuple, 0)).toBe(same.next(tuple, 0));
    expect(one.next(tuple, 0)).not.toBe(other.next(tuple, 0));
    expect(one.next({ ...tuple, localPort: 49153 }, 0)).not.toBe(one.next(tuple, 0));
  });

  it('HalfSipHash-2-4 spreads single-bit input changes', () => {
    const base = halfSipHash(1, 2, [1, 2, 3, 4]);
    let flipped = 0;
    for (let bit = 0; bit < 32; bit++) {
      const h = halfSipHash(1, 2, [1 ^ (1 << bit), 2, 3, 4]);
      let x = (h ^ base) >>> 0;
      while (x) {
        flipped += x & 1;
        x >>>= 1;
      }
    }
    // About half of the 32 output bits flip on average.
    expect(flipped / 32).toBeGreaterThan(12);
    expect(flipped / 32).toBeLessThan(20);
  });
});
