import { describe, it, expect } from 'vitest';
import { Random } from '../src/index.ts';

describe('Random', () => {
  it('gives the same stream for the same seed and a different one for another seed', () => {
    const a = new Random(42);
    const b = new Random(42);
    const c = new Random(43);
    const sa = Array.from({ length: 8 }, () => a.nextUint32());
    expect(Array.from({ length: 8 }, () => b.nextUint32())).toEqual(sa);
    expect(Array.from({ length: 8 }, () => c.nextUint32())).not.toEqual(sa);
  });

  it('forks by label: a fork does not depend on how far the parent has advanced, nor on other forks', () => {
    const p1 = new Random(7);
    const f1 = p1.fork('link:a');
    const p2 = new Random(7);
    for (let i = 0; i < 100; i++) p2.nextUint32();
    p2.fork('some-other-component');
    const f2 = p2.fork('link:a');
    expect(Array.from({ length: 5 }, () => f1.nextUint32())).toEqual(Array.from({ length: 5 }, () => f2.nextUint32()));
    expect(p1.fork('link:b').nextUint32()).not.toBe(new Random(7).fork('link:a').nextUint32());
  });

  it('is roughly uniform: 100,000 draws in [0,1) split evenly into ten buckets', () => {
    const r = new Random('uniformity');
    const buckets = new Array<number>(10).fill(0);
    let min = 1;
    let max = 0;
    for (let i = 0; i < 100_000; i++) {
      const v = r.next();
      min = Math.min(min, v);
      max = Math.max(max, v);
      buckets[Math.floor(v * 10)]!++;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    for (const n of buckets) expect(Math.abs(n - 10_000)).toBeLessThan(500);
  });

  it('int is inclusive and chance(p) hits about p of the time', () => {
    const r = new Random(1);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(r.int(3, 5));
    expect([...seen].sort()).toEqual([3, 4, 5]);
    let hits = 0;
    for (let i = 0; i < 100_000; i++) if (r.chance(0.1)) hits++;
    expect(hits).toBeGreaterThan(9_500);
    expect(hits).toBeLessThan(10_500);
    expect(r.chance(0)).toBe(false);
  });

  it('bytes gives four bytes per draw, low byte first, and the stream goes on where they stop', () => {
    for (const length of [0, 1, 3, 4, 5, 8, 1001]) {
      const a = new Random(11);
      const b = new Random(11);
      const expected: number[] = [];
      for (let i = 0; i < length; i += 4) {
        const v = b.nextUint32();
        for (let j = 0; j < 4 && i + j < length; j++) expected.push((v >>> (8 * j)) & 0xff);
      }
      expect([...a.bytes(length)], `length ${length}`).toEqual(expected);
      expect(a.nextUint32()).toBe(b.nextUint32());
    }
  });

  it('bytes gives the requested length', () => {
    expect(new Random(3).bytes(7).length).toBe(7);
  });
});
