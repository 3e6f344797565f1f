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
});
