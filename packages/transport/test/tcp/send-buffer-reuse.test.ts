// The send buffer recycles blocks the ACKs emptied: whatever the write and ACK pattern, the
// bytes copied out must be exactly the bytes written, in order, never a recycled block's old data.
import { describe, it, expect } from 'vitest';
import { Random } from '@netlayers/core';
import { SendBuffer } from '../../src/tcp/send-buffer.ts';

describe('SendBuffer block reuse', () => {
  it('copies out exactly what was written across many fill/acknowledge cycles', () => {
    const random = new Random(5);
    const buffer = new SendBuffer();
    let written = 0; // stream offset of the next byte written
    let acked = 0; // stream offset of the first byte held
    const byteAt = (offset: number): number => (offset * 131 + (offset >>> 9)) & 0xff;
    for (let step = 0; step < 400; step++) {
      const n = 1 + (random.nextUint32() % 90_000);
      const chunk = new Uint8Array(n);
      for (let i = 0; i < n; i++) chunk[i] = byteAt(written + i);
      buffer.push(chunk);
      chunk.fill(0); // the caller may reuse its array at once
      written += n;
      expect(buffer.length).toBe(written - acked);
      const at = random.nextUint32() % buffer.length;
      const length = Math.min(buffer.length - at, 1 + (random.nextUint32() % 3000));
      const out = new Uint8Array(length);
      buffer.copyOut(at, length, out);
      for (let i = 0; i < length; i++) if (out[i] !== byteAt(acked + at + i)) throw new Error(`byte ${acked + at + i} differs at step ${step}`);
      const ack = step % 7 === 6 ? buffer.length : random.nextUint32() % (buffer.length + 1);
      buffer.consume(ack);
      acked += ack;
    }
    expect(buffer.length).toBe(written - acked);
  });
});
