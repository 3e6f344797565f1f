import { describe, expect, it } from 'vitest';
import { DuplicateImpairment } from '../../src/index.ts';
import { numberedFrame, RecordingPort, seqOf, world } from '../support/harness.ts';

function setup(probability: number, seed = 1) {
  const w = world(seed);
  const node = w.node('a');
  const inner = new RecordingPort('a:eth0', node);
  return { inner, port: new DuplicateImpairment(inner, node, probability) };
}

describe('DuplicateImpairment', () => {
  it('duplicates 25% of 10,000 frames within ±1.5 percentage points', () => {
    const { inner, port } = setup(0.25);
    for (let i = 0; i < 10_000; i++) port.transmit(numberedFrame(i));
    const extra = inner.sent.length - 10_000;
    expect(extra / 10_000).toBeGreaterThan(0.235);
    expect(extra / 10_000).toBeLessThan(0.265);
    expect(port.duplicated).toBe(extra);
  });

  it('sends the copy right behind the original, as a separate buffer with the same bytes', () => {
    const { inner, port } = setup(1);
    const f = numberedFrame(5);
    port.transmit(f);
    expect(inner.sent).toHaveLength(2);
    expect(inner.sent[0]!.frame).toBe(f);
    expect(inner.sent[1]!.frame).not.toBe(f);
    expect(inner.sent[1]!.frame).toEqual(f);
  });

  it('keeps every frame and the order of originals', () => {
    const { inner, port } = setup(0.5);
    for (let i = 0; i < 500; i++) port.transmit(numberedFrame(i));
    const unique = [...new Set(inner.sent.map((s) => seqOf(s.frame)))];
    expect(unique).toEqual(Array.from({ length: 500 }, (_, i) => i));
  });

  it('rejects a bad probability', () => {
    expect(() => setup(2)).toThrow(/duplicate 2/);
  });
});
