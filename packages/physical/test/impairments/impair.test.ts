import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, NS_PER_MS, type PhyPort } from '@netlayers/core';
import {
  CorruptImpairment,
  DuplicateImpairment,
  ImpairmentPort,
  impair,
  IMPAIRMENT_ORDER,
  JitterImpairment,
  LossImpairment,
  PointToPointLink,
  RateLimitImpairment,
  ReorderImpairment,
} from '../../src/index.ts';
import { bitDifference, numberedFrame, recordArrivals, RecordingPort, seqOf, world } from '../support/harness.ts';

function chain(port: PhyPort): string[] {
  const names: string[] = [];
  let p: PhyPort = port;
  while (p instanceof ImpairmentPort) {
    names.push(p.constructor.name);
    p = p.inner;
  }
  return names;
}

function setup(options: Parameters<typeof impair>[2], seed = 1) {
  const w = world(seed);
  const node = w.node('a');
  const inner = new RecordingPort('a:eth0', node);
  return { w, node, inner, port: impair(inner, node, options) };
}

describe('impair', () => {
  it('composes in the documented order: loss, duplicate, corrupt, reorder, jitter, rate limit', () => {
    const { port, inner } = setup({ loss: 0.1, duplicate: 0.1, corrupt: 0.1, reorder: 0.1, jitter: '1ms', rateLimit: '1Mbps' });
    expect(IMPAIRMENT_ORDER).toEqual(['loss', 'duplicate', 'corrupt', 'reorder', 'jitter', 'rateLimit']);
    expect(chain(port)).toEqual([LossImpairment, DuplicateImpairment, CorruptImpairment, ReorderImpairment, JitterImpairment, RateLimitImpairment].map((c) => c.name));
    let p: PhyPort = port;
    while (p instanceof ImpairmentPort) p = p.inner;
    expect(p).toBe(inner);
  });

  it('skips absent and zero impairments, returning the port itself when nothing applies', () => {
    const { port, inner } = setup({});
    expect(port).toBe(inner);
    expect(chain(setup({ loss: 0, duplicate: 0.5, jitter: 0 }).port)).toEqual(['DuplicateImpairment']);
  });

  it('loses before duplicating: a lost frame is never copied', () => {
    const { port, inner } = setup({ loss: 1, duplicate: 1 });
    for (let i = 0; i < 100; i++) port.transmit(numberedFrame(i));
    expect(inner.sent).toHaveLength(0);
    expect((port as LossImpairment).lost).toBe(100);
    expect(((port as LossImpairment).inner as DuplicateImpairment).duplicated).toBe(0);
  });

  it('duplicates before corrupting: each copy is corrupted on its own', () => {
    const { port, inner } = setup({ duplicate: 1, corrupt: 1 });
    for (let i = 0; i < 200; i++) port.transmit(numberedFrame(i));
    expect(inner.sent).toHaveLength(400);
    for (let i = 0; i < 200; i++) {
      const [a, b] = [inner.sent[2 * i]!.frame, inner.sent[2 * i + 1]!.frame];
      expect(bitDifference(a, numberedFrame(i))).toBe(1);
      expect(bitDifference(b, numberedFrame(i))).toBe(1);
    }
    const identicalPairs = Array.from({ length: 200 }, (_, i) => bitDifference(inner.sent[2 * i]!.frame, inner.sent[2 * i + 1]!.frame) === 0).filter(Boolean).length;
    expect(identicalPairs).toBeLessThan(5);
  });

  it('rate-limits after jitter: output never exceeds the rate however jitter bunches frames', () => {
    const { w, port, inner } = setup({ jitter: '5ms', rateLimit: { rate: '1Mbps', burst: 1000, queueLimit: 1000 } });
    for (let i = 0; i < 200; i++) w.sim.scheduler.scheduleAt(i * 8 * NS_PER_MS, () => port.transmit(numberedFrame(i, 1000)));
    w.sim.scheduler.runUntilIdle();
    expect(inner.sent).toHaveLength(200);
    const gaps = inner.sent.slice(1).map((s, i) => s.time - inner.sent[i]!.time);
    // 1000 B at 1 Mbit/s = 8 ms of tokens per frame.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(8 * NS_PER_MS);
  });

  it('forks a distinct stream per impairment and port', () => {
    const w = world(5);
    const node = w.node('a');
    const i1 = new RecordingPort('a:eth0', node);
    const i2 = new RecordingPort('a:eth1', node);
    const p1 = impair(i1, node, { loss: 0.5 });
    const p2 = impair(i2, node, { loss: 0.5 });
    for (let i = 0; i < 200; i++) {
      p1.transmit(numberedFrame(i));
      p2.transmit(numberedFrame(i));
    }
    expect(i1.sent.map((s) => seqOf(s.frame))).not.toEqual(i2.sent.map((s) => seqOf(s.frame)));
  });

  it('throws before wrapping anything when an option is invalid', () => {
    expect(() => setup({ loss: 1.5 })).toThrow(InvalidArgumentError);
    expect(() => setup({ loss: 1.5 })).toThrow(/loss 1\.5/);
    expect(() => setup({ corrupt: -1 })).toThrow(/corrupt -1/);
    expect(() => setup(null as never)).toThrow(InvalidArgumentError);
  });
});

describe('impaired links are deterministic', () => {
  const options = { loss: 0.2, duplicate: 0.1, corrupt: 0.1, reorder: { probability: 0.1, delay: '300us' }, jitter: '100us' };

  function run(seed: number) {
    const w = world(seed);
    const link = new PointToPointLink(w.sim, { impairments: options });
    const pa = link.attach(w.node('a'), 'eth0');
    const pb = link.attach(w.node('b'), 'eth0');
    const atB = recordArrivals(pb, w.sim);
    for (let i = 0; i < 2000; i++) w.sim.scheduler.scheduleAt(i * 20_000, () => pa.transmit(numberedFrame(i, 200)));
    w.sim.scheduler.runUntilIdle();
    return atB.map((x) => `${x.time}:${Buffer.from(x.frame).toString('hex')}`);
  }

  it('the same seed gives the identical sequence of frames and times', () => {
    const first = run(7);
    expect(first.length).toBeGreaterThan(1500);
    expect(run(7)).toEqual(first);
  });

  it('a different seed gives a different sequence', () => {
    expect(run(8)).not.toEqual(run(7));
  });
});
