// Sequence arithmetic modulo 2^32 (RFC 9293 §3.4), including across the wrap.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { seqAdd, seqDiff, seqGeq, seqGt, seqInRange, seqLeq, seqLt, seqMax, seqMin } from '../../src/tcp/index.ts';

const MAX = 0xffffffff;

describe('sequence arithmetic', () => {
  it('wraps additions at 2^32', () => {
    expect(seqAdd(MAX, 1)).toBe(0);
    expect(seqAdd(MAX - 99, 200)).toBe(100);
    expect(seqAdd(5, -10)).toBe(MAX - 4);
  });

  it('compares across the wrap', () => {
    expect(seqLt(MAX - 10, 5)).toBe(true);
    expect(seqGt(5, MAX - 10)).toBe(true);
    expect(seqLeq(MAX, MAX)).toBe(true);
    expect(seqGeq(0, MAX)).toBe(true);
    expect(seqDiff(5, MAX - 10)).toBe(16);
    expect(seqDiff(MAX - 10, 5)).toBe(-16);
    expect(seqMax(MAX, 3)).toBe(3);
    expect(seqMin(MAX, 3)).toBe(MAX);
  });

  it('tests ranges across the wrap', () => {
    expect(seqInRange(2, MAX - 5, 10)).toBe(true);
    expect(seqInRange(MAX - 5, MAX - 5, 10)).toBe(true);
    expect(seqInRange(10, MAX - 5, 10)).toBe(false);
    expect(seqInRange(7, 7, 7)).toBe(false);
  });

  it('a + n is after a for 0 < n < 2^31, at any starting point', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (a, n) => {
        const b = seqAdd(a, n);
        return seqLt(a, b) && seqGt(b, a) && seqDiff(b, a) === n && !seqLt(b, a) && seqInRange(a, a, b) && !seqInRange(b, a, b);
      }),
    );
  });
});
