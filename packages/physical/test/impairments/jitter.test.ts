import { describe, expect, it } from 'vitest';
import { NS_PER_MS, NS_PER_US } from '@netlayers/core';
import { JitterImpairment } from '../../src/index.ts';
import { numberedFrame, RecordingPort, seqOf, world } from '../support/harness.ts';

function run(max: string | number, count: number, spacing: number, seed = 1) {
  const w = world(seed);
  const node = w.node('a');
  const inner = new RecordingPort('a:eth0', node);
  const port = new JitterImpairment(inner, node, max);
  for (let i = 0; i < count; i++) w.sim.scheduler.scheduleAt(i * spacing, () => port.transmit(numberedFrame(i)));
  w.sim.scheduler.runUntilIdle();
  const extra = inner.sent.map((s) => s.time - seqOf(s.frame) * spacing);
  return { inner, port, extra };
}

describe('JitterImpairment', () => {
  it('adds a uniform 0..max delay: over 10,000 frames every delay is in range and each quarter holds 25% ± 1.5%', () => {
    const { extra } = run('1ms', 10_000, 2 * NS_PER_MS);
    expect(extra).toHaveLength(10_000);
    expect(Math.min(...extra)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...extra)).toBeLessThanOrEqual(NS_PER_MS);
    const mean = extra.reduce((a, b) => a + b, 0) / extra.length;
    expect(Math.abs(mean - NS_PER_MS / 2)).toBeLessThan(0.02 * NS_PER_MS);
    for (let q = 0; q < 4; q++) {
      const inQuarter = extra.filter((d) => d >= (q * NS_PER_MS) / 4 && d < ((q + 1) * NS_PER_MS) / 4).length;
      expect(Math.abs(inQuarter / 10_000 - 0.25)).toBeLessThan(0.015);
    }
  });

  it('reorders frames sent closer together than the jitter (as netem does)', () => {
    const { inner } = run('1ms', 1000, 100 * NS_PER_US);
    const seqs = inner.sent.map((s) => seqOf(s.frame));
    expect(seqs.some((s, i) => i > 0 && s < seqs[i - 1]!)).toBe(true);
  });

  it('keeps order when frames are spaced wider than the jitter', () => {
    const { inner } = run('1ms', 1000, NS_PER_MS + 1);
    const seqs = inner.sent.map((s) => seqOf(s.frame));
    expect(seqs).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('with a zero maximum passes frames straight through', () => {
    const { extra, port } = run(0, 100, 1000);
    expect(port.max).toBe(0);
    expect(extra.every((d) => d === 0)).toBe(true);
  });

  it('rejects a negative maximum, naming it', () => {
    expect(() => run('-1ms', 1, 1)).toThrow(/"-1ms"/);
  });
});
