import { describe, expect, it } from 'vitest';
import { crc32 } from '@netlayers/core';
import { CorruptImpairment } from '../../src/index.ts';
import { bitDifference, frameEvents, numberedFrame, RecordingPort, recordTrace, world } from '../support/harness.ts';

function setup(probability: number, seed = 1) {
  const w = world(seed);
  const node = w.node('a');
  const inner = new RecordingPort('a:eth0', node);
  return { w, inner, port: new CorruptImpairment(inner, node, probability) };
}

/** A frame ending in an IEEE 802.3 FCS (CRC-32, little-endian), like the link layer sends. */
function frameWithFcs(seq: number, length: number): Uint8Array {
  const f = numberedFrame(seq, length);
  new DataView(f.buffer).setUint32(length - 4, crc32(f, 0, length - 4), true);
  return f;
}

function fcsValid(f: Uint8Array): boolean {
  return new DataView(f.buffer, f.byteOffset).getUint32(f.length - 4, true) === crc32(f, 0, f.length - 4);
}

describe('CorruptImpairment', () => {
  it('corrupts 5% of 20,000 frames within ±0.6 percentage points', () => {
    const { inner, port } = setup(0.05);
    let changed = 0;
    for (let i = 0; i < 20_000; i++) {
      const f = numberedFrame(i);
      port.transmit(f);
      if (bitDifference(inner.sent[i]!.frame, numberedFrame(i)) !== 0) changed++;
    }
    expect(changed / 20_000).toBeGreaterThan(0.044);
    expect(changed / 20_000).toBeLessThan(0.056);
    expect(port.corrupted).toBe(changed);
  });

  it('flips exactly one bit, in a copy, leaving the sender\'s buffer alone', () => {
    const { inner, port } = setup(1);
    const problems: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const f = numberedFrame(i, 64);
      port.transmit(f);
      const sent = inner.sent[i]!.frame;
      if (sent === f) problems.push(`${i}: sent the sender's buffer`);
      if (bitDifference(f, numberedFrame(i, 64)) !== 0) problems.push(`${i}: sender's buffer changed`);
      if (bitDifference(sent, f) !== 1) problems.push(`${i}: ${bitDifference(sent, f)} bits flipped`);
    }
    expect(problems).toEqual([]);
  });

  it('spreads the flipped bit over every byte and bit position of the frame', () => {
    const { inner, port } = setup(1);
    const bytes = new Set<number>();
    const bits = new Set<number>();
    for (let i = 0; i < 4000; i++) {
      const f = numberedFrame(i, 64);
      port.transmit(f);
      const sent = inner.sent[i]!.frame;
      const at = sent.findIndex((b, k) => b !== f[k]);
      bytes.add(at);
      bits.add(Math.log2(sent[at]! ^ f[at]!));
    }
    expect(bytes.size).toBe(64);
    expect(bits.size).toBe(8);
  });

  it('is caught by the Ethernet FCS every time', () => {
    const { inner, port } = setup(1);
    for (let i = 0; i < 1000; i++) port.transmit(frameWithFcs(i, 100 + (i % 1400)));
    expect(inner.sent.every((s) => !fcsValid(s.frame))).toBe(true);
  });

  it('traces a corrupted frame event carrying the corrupted bytes and saying which bit; the port below gets them', () => {
    const { w, inner, port } = setup(1);
    const events = recordTrace(w.sim);
    port.transmit(numberedFrame(1));
    const frames = frameEvents(events);
    expect(frames).toHaveLength(1);
    expect(frames[0]).toMatchObject({ action: 'corrupted', node: 'a', iface: 'eth0' });
    expect(frames[0]!.detail).toMatch(/^flipped bit \d of byte \d+ \(of 64\)$/);
    expect(frames[0]!.bytes).toEqual(inner.sent[0]!.frame);
    expect(bitDifference(inner.sent[0]!.frame, numberedFrame(1))).toBe(1);
  });
});
