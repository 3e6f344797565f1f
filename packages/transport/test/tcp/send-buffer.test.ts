// The send buffer: writes of any size, ACKs from the front, copies of any range.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SendBuffer } from '../../src/tcp/send-buffer.ts';

describe('SendBuffer', () => {
  it('keeps the bytes in order across blocks as they are written and acknowledged', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 40_000 }), { minLength: 1, maxLength: 12 }), fc.array(fc.nat(), { maxLength: 12 }), (writes, acks) => {
        const b = new SendBuffer();
        // Byte k of the stream is k & 0xff, so any range can be checked without a copy.
        let written = 0;
        let front = 0;
        for (const [i, n] of writes.entries()) {
          b.push(new Uint8Array(n).map((_, j) => (written + j) & 0xff));
          written += n;
          const ack = Math.min(b.length, acks[i] ?? 0);
          b.consume(ack);
          front += ack;
          expect(b.length).toBe(written - front);
          const take = Math.min(b.length, 3000);
          const offset = Math.floor((b.length - take) / 2);
          const out = new Uint8Array(take);
          b.copyOut(offset, take, out);
          for (let k = 0; k < take; k++) if (out[k] !== ((front + offset + k) & 0xff)) throw new Error(`byte ${front + offset + k} is wrong`);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('clear() empties it', () => {
    const b = new SendBuffer();
    b.push(new Uint8Array(20_000));
    b.clear();
    expect(b.length).toBe(0);
    b.push(new Uint8Array([9]));
    const out = new Uint8Array(1);
    b.copyOut(0, 1, out);
    expect(out[0]).toBe(9);
  });
});
