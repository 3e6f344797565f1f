// The send buffer: writes of any size, ACKs from the front, copies of any range.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SendBuffer } from '../../src/tcp/send-buffer.ts';

describe('SendBuffer', () => {
  it('keeps the bytes in order across blocks as they are written and acknowledged', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 40_000 }), { minLength: 1, maxLength: 12 }), fc.array(fc.nat(), { maxLength: 12 }), (writes, acks) => {
        const b = new SendBuffer();
        const all: number[] = [];
        let front = 0;
        let v = 0;
        for (const [i, n] of writes.entries()) {
          const chunk = new Uint8Array(n).map(() => v++ & 0xff);
          b.push(chunk);
          all.push(...chunk);
          const ack = Math.min(b.length, acks[i] ?? 0);
          b.consume(ack);
          front += ack;
          expect(b.length).toBe(all.length - front);
          const take = Math.min(b.length, 3000);
          const out = new Uint8Array(take);
          b.copyOut(Math.floor((b.length - take) / 2), take, out);
          const start = front + Math.floor((b.length - take) / 2);
          expect(Array.from(out)).toEqual(all.slice(start, start + take));
        }
      }),
      { numRuns: 50 },
    );
  });
});
