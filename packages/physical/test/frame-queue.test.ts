import { describe, expect, it } from 'vitest';
import { FifoQueue } from '../src/index.ts';

describe('FifoQueue', () => {
  it('returns items first in, first out, through many compactions', () => {
    const q = new FifoQueue<number>();
    const out: number[] = [];
    let next = 0;
    // Keep ~3000 items queued while pushing 20,000 through, so the head passes 1024 many times.
    for (let round = 0; round < 20_000; round++) {
      q.push(next++);
      if (round >= 3000) out.push(q.shift()!);
    }
    expect(q.length).toBe(3000);
    expect(q.peek()).toBe(17_000);
    out.push(...q.drain());
    expect(out).toEqual(Array.from({ length: 20_000 }, (_, i) => i));
    expect(q.length).toBe(0);
    expect(q.shift()).toBeUndefined();
    expect(q.peek()).toBeUndefined();
  });

  it('agrees with an array model when it grows while wrapped around its ring', () => {
    const q = new FifoQueue<number>();
    const model: number[] = [];
    let next = 0;
    // A deterministic mix of pushes and shifts whose depth rises and falls past 16, 32, 64...
    for (let step = 0; step < 5_000; step++) {
      const pushes = (step * 7) % 5;
      const shifts = (step * 3) % 4;
      for (let i = 0; i < pushes; i++) {
        q.push(next);
        model.push(next++);
      }
      for (let i = 0; i < shifts; i++) expect(q.shift()).toBe(model.shift());
      expect(q.length).toBe(model.length);
      expect(q.peek()).toBe(model[0]);
    }
    expect(q.drain()).toEqual(model);
    q.push(1);
    expect(q.shift()).toBe(1);
  });
});
