// The send buffer recycles blocks the ACKs emptied: whatever the write and ACK pattern, the
// bytes copied out must be exactly the bytes written, in order, never a recycled block's old data.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { SendBuffer } from '../../src/tcp/send-buffer.ts';

describe('SendBuffer block reuse', () => {
  it('copies out exactly what was written across many fill/acknowledge cycles', () => {
    // fast-check: 400 steps of (write n bytes, copy out a random range, acknowledge a random
    // prefix, everything every 7th step); a failure shrinks to the smallest sizes that break it.
    const step = fc.record({ n: fc.integer({ min: 1, max: 90_000 }), at: fc.nat(), length: fc.integer({ min: 1, max: 3000 }), ack: fc.nat() });
    const byteAt = (offset: number): number => (offset * 131 + (offset >>> 9)) & 0xff;
    fc.assert(
      fc.property(fc.array(step, { minLength: 400, maxLength: 400 }), (steps) => {
        const buffer = new SendBuffer();
        let written = 0; // stream offset of the next byte written
        let acked = 0; // stream offset of the first byte held
        steps.forEach((s, index) => {
          const chunk = new Uint8Array(s.n);
          for (let i = 0; i < s.n; i++) chunk[i] = byteAt(written + i);
          buffer.push(chunk);
          chunk.fill(0); // the caller may reuse its array at once
          written += s.n;
          expect(buffer.length).toBe(written - acked);
          const at = s.at % buffer.length;
          const length = Math.min(buffer.length - at, s.length);
          const out = new Uint8Array(length);
          buffer.copyOut(at, length, out);
          for (let i = 0; i < length; i++) if (out[i] !== byteAt(acked + at + i)) throw new Error(`byte ${acked + at + i} differs at step ${index}`);
          const ack = index % 7 === 6 ? buffer.length : s.ack % (buffer.length + 1);
          buffer.consume(ack);
          acked += ack;
        });
        expect(buffer.length).toBe(written - acked);
      }),
      { numRuns: 3 },
    );
  });
});
