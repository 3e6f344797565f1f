import { describe, it, expect } from 'vitest';
import { Scheduler, InvalidArgumentError, NS_PER_MS } from '../src/index.ts';

describe('Scheduler', () => {
  it('runs events in time order and advances the clock to each', () => {
    const s = new Scheduler();
    const seen: [string, number][] = [];
    s.schedule(30, () => seen.push(['c', s.now()]));
    s.schedule(10, () => seen.push(['a', s.now()]));
    s.schedule(20, () => seen.push(['b', s.now()]));
    expect(s.runUntilIdle()).toBe(3);
    expect(seen).toEqual([['a', 10], ['b', 20], ['c', 30]]);
  });

  it('runs ties in insertion order, including zero-delay events scheduled from a callback', () => {
    const s = new Scheduler();
    const order: string[] = [];
    s.schedule(5, () => {
      order.push('first@5');
      s.schedule(0, () => order.push('nested@5'));
    });
    s.schedule(5, () => order.push('second@5'));
    s.schedule(0, () => order.push('now@0'));
    s.runUntilIdle();
    expect(order).toEqual(['now@0', 'first@5', 'second@5', 'nested@5']);
  });

  it('cancels events and counts only live ones as pending', () => {
    const s = new Scheduler();
    let ran = false;
    const h = s.schedule(10, () => (ran = true));
    s.schedule(20, () => {});
    expect(s.pendingCount).toBe(2);
    h.cancel();
    h.cancel();
    expect(h.pending).toBe(false);
    expect(s.pendingCount).toBe(1);
    s.runUntilIdle();
    expect(ran).toBe(false);
  });

  it('runUntil stops at the deadline and leaves later events pending', () => {
    const s = new Scheduler();
    const seen: number[] = [];
    for (const t of [5, 10, 15]) s.schedule(t, () => seen.push(t));
    expect(s.runUntil(10)).toBe(2);
    expect(s.now()).toBe(10);
    expect(seen).toEqual([5, 10]);
    expect(s.nextEventTime()).toBe(15);
    s.runFor(100);
    expect(s.now()).toBe(110);
    expect(seen).toEqual([5, 10, 15]);
  });

  it('step runs exactly one event', () => {
    const s = new Scheduler();
    const seen: number[] = [];
    s.schedule(1, () => seen.push(1));
    s.schedule(2, () => seen.push(2));
    expect(s.step()).toBe(true);
    expect(seen).toEqual([1]);
    expect(s.step()).toBe(true);
    expect(s.step()).toBe(false);
  });

  it('jumps straight over long idle gaps: four minutes of virtual time cost nothing', () => {
    const s = new Scheduler();
    let fired = -1;
    s.schedule(240_000 * NS_PER_MS, () => (fired = s.now()));
    s.runUntilIdle();
    expect(fired).toBe(240_000_000_000);
  });

  it('stays ordered under many random inserts and cancellations (heap compaction)', () => {
    const s = new Scheduler();
    const fired: number[] = [];
    const handles = [];
    let x = 12345;
    for (let i = 0; i < 20_000; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      const t = x % 100_000;
      handles.push(s.schedule(t, () => fired.push(s.now())));
    }
    for (let i = 0; i < handles.length; i += 3) handles[i]!.cancel();
    s.runUntilIdle();
    expect(fired.length).toBe(20_000 - Math.ceil(20_000 / 3));
    for (let i = 1; i < fired.length; i++) expect(fired[i]!).toBeGreaterThanOrEqual(fired[i - 1]!);
  });

  it('rejects negative, non-finite and past times with a typed error naming the value', () => {
    const s = new Scheduler();
    expect(() => s.schedule(-1, () => {})).toThrow(InvalidArgumentError);
    expect(() => s.schedule(-1, () => {})).toThrow(/-1/);
    expect(() => s.schedule(Number.NaN, () => {})).toThrow(InvalidArgumentError);
    s.runFor(100);
    expect(() => s.scheduleAt(50, () => {})).toThrow(/50/);
    expect(() => s.runUntil(10)).toThrow(InvalidArgumentError);
  });

  it('guards runaway simulations with maxEvents', () => {
    const s = new Scheduler();
    const tick = (): void => void s.schedule(1, tick);
    tick();
    expect(s.runUntilIdle(1000)).toBe(1000);
    expect(s.pendingCount).toBe(1);
  });
});
