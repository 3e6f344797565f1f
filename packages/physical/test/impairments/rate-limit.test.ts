import { describe, expect, it } from 'vitest';
import { DropReason, NS_PER_MS, NS_PER_S } from '@netlayers/core';
import { RateLimitImpairment } from '../../src/index.ts';
import { numberedFrame, RecordingPort, seqOf, world } from '../support/harness.ts';

function setup(options: ConstructorParameters<typeof RateLimitImpairment>[2]) {
  const w = world();
  const node = w.node('a');
  const inner = new RecordingPort('a:eth0', node);
  return { w, node, inner, port: new RateLimitImpairment(inner, node, options) };
}

describe('RateLimitImpairment', () => {
  it('releases a backlog at exactly the token rate (1250 B at 1 Mbit/s = one per 10 ms)', () => {
    const { w, inner, port } = setup({ rate: '1Mbps', burst: 1250, queueLimit: 10_000 });
    for (let i = 0; i < 1000; i++) expect(port.transmit(numberedFrame(i, 1250))).toBe(true);
    w.sim.scheduler.runUntilIdle();
    expect(inner.sent.map((s) => s.time)).toEqual(Array.from({ length: 1000 }, (_, k) => k * 10 * NS_PER_MS));
    expect(inner.sent.map((s) => seqOf(s.frame))).toEqual(Array.from({ length: 1000 }, (_, k) => k));
  });

  it('lets a burst through at once, then shapes to the rate', () => {
    const { w, inner, port } = setup({ rate: '1Mbps', burst: '5000B' });
    for (let i = 0; i < 8; i++) port.transmit(numberedFrame(i, 1000));
    w.sim.scheduler.runUntilIdle();
    // Five 1000-byte frames fit the bucket; then one per 8 ms.
    expect(inner.sent.map((s) => s.time)).toEqual([0, 0, 0, 0, 0, 8, 16, 24].map((ms) => ms * NS_PER_MS));
  });

  it('holds 10,000 frames offered at twice the rate to the rate within 1%, dropping the excess', () => {
    const { w, node, inner, port } = setup({ rate: '10Mbps', queueLimit: 50 });
    // 1000-byte frames every 400 µs = 20 Mbit/s offered for 4 s.
    for (let i = 0; i < 10_000; i++) w.sim.scheduler.scheduleAt(i * 400_000, () => port.transmit(numberedFrame(i, 1000)));
    w.sim.scheduler.runUntil(4 * NS_PER_S);
    const bits = inner.sent.length * 1000 * 8;
    const rate = bits / 4;
    expect(Math.abs(rate - 10e6) / 10e6).toBeLessThan(0.01);
    expect(port.limited).toBeGreaterThan(4800);
    expect(node.counters.get(`drop.physical.${DropReason.RateLimited}`)).toBe(port.limited);
  });

  it('drops beyond its queue with RateLimited and says so to the caller', () => {
    const { w, inner, port } = setup({ rate: '1Mbps', burst: 1000, queueLimit: 5 });
    const accepted = Array.from({ length: 10 }, (_, i) => port.transmit(numberedFrame(i, 1000)));
    expect(accepted).toEqual([true, true, true, true, true, true, false, false, false, false]);
    expect(port.queueLength).toBe(5);
    w.sim.scheduler.runUntilIdle();
    expect(inner.sent.map((s) => seqOf(s.frame))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(port.stats.drops).toBe(4);
  });

  it('drops a frame larger than the bucket', () => {
    const { inner, port } = setup({ rate: '1Mbps', burst: 500 });
    expect(port.transmit(numberedFrame(1, 501))).toBe(false);
    expect(inner.sent).toHaveLength(0);
    expect(port.limited).toBe(1);
  });

  it('defaults the bucket to one maximum-size frame and accepts a bare rate', () => {
    const { port } = setup('2Mbps');
    expect(port.burst).toBe(1522);
    expect(port.bitsPerSecond).toBe(2e6);
    expect(port.queueLimit).toBe(100);
  });

  it('rejects bad options with typed errors naming the value', () => {
    expect(() => setup({ rate: 0 })).toThrow(/"0"/);
    expect(() => setup({ rate: '1Mbps', burst: 0 })).toThrow(/burst 0/);
    expect(() => setup({ rate: '1Mbps', queueLimit: -2 })).toThrow(/queueLimit -2/);
  });
});
