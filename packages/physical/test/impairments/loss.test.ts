import { describe, expect, it } from 'vitest';
import { DropReason, Random } from '@netlayers/core';
import { LossImpairment } from '../../src/index.ts';
import { frameEvents, numberedFrame, RecordingPort, recordTrace, seqOf, world } from '../support/harness.ts';

function setup(probability: number, seed = 1) {
  const w = world(seed);
  const node = w.node('a');
  const inner = new RecordingPort('a:eth0', node);
  const port = new LossImpairment(inner, node, probability);
  return { w, node, inner, port };
}

describe('LossImpairment', () => {
  it('loses 10% of 20,000 frames within ±1 percentage point', () => {
    const { inner, port } = setup(0.1);
    const accepted = Array.from({ length: 20_000 }, (_, i) => port.transmit(numberedFrame(i)));
    expect(accepted.every(Boolean)).toBe(true);
    const lostRate = 1 - inner.sent.length / 20_000;
    expect(lostRate).toBeGreaterThan(0.09);
    expect(lostRate).toBeLessThan(0.11);
    expect(port.lost).toBe(20_000 - inner.sent.length);
  });

  it('passes everything at 0 and nothing at 1', () => {
    const none = setup(0);
    const all = setup(1);
    for (let i = 0; i < 1000; i++) {
      none.port.transmit(numberedFrame(i));
      all.port.transmit(numberedFrame(i));
    }
    expect(none.inner.sent).toHaveLength(1000);
    expect(all.inner.sent).toHaveLength(0);
  });

  it('keeps the order of the frames it lets through', () => {
    const { inner, port } = setup(0.3);
    for (let i = 0; i < 1000; i++) port.transmit(numberedFrame(i));
    const seqs = inner.sent.map((s) => seqOf(s.frame));
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
  });

  it('traces each loss as a lost frame with a detail, a drop event and a counter', () => {
    const { w, node, port } = setup(1);
    const events = recordTrace(w.sim);
    port.transmit(numberedFrame(7));
    const lost = frameEvents(events);
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatchObject({ action: 'lost', node: 'a', iface: 'eth0', role: 'physical', detail: 'loss (p=1)' });
    expect(seqOf(lost[0]!.bytes)).toBe(7);
    expect(events.find((e) => e.kind === 'drop')).toMatchObject({ reason: DropReason.Impairment });
    expect(node.counters.get('drop.physical.impairment')).toBe(1);
    expect(port.stats.drops).toBe(1);
  });

  it('draws from its own stream: the same seed loses the same frames, another seed others', () => {
    const pattern = (seed: number) => {
      const { inner, port } = setup(0.5, seed);
      for (let i = 0; i < 200; i++) port.transmit(numberedFrame(i));
      return inner.sent.map((s) => seqOf(s.frame));
    };
    expect(pattern(3)).toEqual(pattern(3));
    expect(pattern(3)).not.toEqual(pattern(4));
  });

  it('accepts an explicit Random', () => {
    const w = world();
    const node = w.node('a');
    const run = () => {
      const inner = new RecordingPort('a:eth0', node);
      const port = new LossImpairment(inner, node, 0.5, new Random(99));
      for (let i = 0; i < 100; i++) port.transmit(numberedFrame(i));
      return inner.sent.length;
    };
    expect(run()).toBe(run());
  });

  it('rejects a probability outside [0, 1], naming it', () => {
    const w = world();
    const node = w.node('a');
    expect(() => new LossImpairment(new RecordingPort('a:eth0', node), node, 1.5)).toThrow(/loss 1\.5/);
    expect(() => new LossImpairment(new RecordingPort('a:eth0', node), node, Number.NaN)).toThrow(/loss NaN/);
  });
});
