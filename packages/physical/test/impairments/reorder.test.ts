import { describe, expect, it } from 'vitest';
import { NS_PER_MS, NS_PER_US } from '@netlayers/core';
import { ReorderImpairment } from '../../src/index.ts';
import { numberedFrame, RecordingPort, seqOf, world } from '../support/harness.ts';

function setup(options: ConstructorParameters<typeof ReorderImpairment>[2], seed = 1) {
  const w = world(seed);
  const node = w.node('a');
  const inner = new RecordingPort('a:eth0', node);
  return { w, inner, port: new ReorderImpairment(inner, node, options) };
}

/** Send `count` frames 10 µs apart and run to the end. */
function sendPaced(w: ReturnType<typeof world>, port: { transmit(f: Uint8Array): boolean }, count: number): void {
  for (let i = 0; i < count; i++) w.sim.scheduler.scheduleAt(i * 10 * NS_PER_US, () => port.transmit(numberedFrame(i)));
  w.sim.scheduler.runUntilIdle();
}

describe('ReorderImpairment', () => {
  it('holds back 10% of 10,000 frames within ±1 percentage point, each by exactly the delay', () => {
    const { w, inner, port } = setup({ probability: 0.1, delay: '1ms' });
    sendPaced(w, port, 10_000);
    expect(inner.sent).toHaveLength(10_000);
    const late = inner.sent.filter((s) => s.time !== seqOf(s.frame) * 10 * NS_PER_US);
    expect(late.every((s) => s.time === seqOf(s.frame) * 10 * NS_PER_US + NS_PER_MS)).toBe(true);
    expect(late.length / 10_000).toBeGreaterThan(0.09);
    expect(late.length / 10_000).toBeLessThan(0.11);
    expect(port.held).toBe(late.length);
  });

  it('lets later frames overtake a held one', () => {
    const { w, inner, port } = setup({ probability: 0.1, delay: '1ms' });
    sendPaced(w, port, 1000);
    const seqs = inner.sent.map((s) => seqOf(s.frame));
    const overtaken = seqs.filter((s, i) => i > 0 && s < seqs[i - 1]!).length;
    expect(overtaken).toBeGreaterThan(50);
    expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('accepts a bare probability with a 1 ms default delay', () => {
    const { port } = setup(0.5);
    expect(port.delay).toBe(NS_PER_MS);
    expect(port.probability).toBe(0.5);
  });

  it('rejects a bad probability or delay', () => {
    expect(() => setup({ probability: 1.1 })).toThrow(/reorder probability 1\.1/);
    expect(() => setup({ probability: 0.1, delay: '-3ms' })).toThrow(/"-3ms"/);
  });
});
