// The calendar queue and the scheduler built on it, checked against a reference: a sorted
// array ordered by (time, insertion sequence). fast-check drives random mixes of inserts
// (equal times on purpose), cancellations, pops, runs to a deadline and nested scheduling.

import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { CalendarEntry, CalendarQueue } from '../src/time/calendar-queue.ts';
import { Scheduler, type TimerHandle } from '../src/index.ts';

class Item extends CalendarEntry {
  constructor(time: number, seq: number, readonly id: number) {
    super(time, seq);
  }
}

/** The reference queue: a plain array kept sorted by (time, seq). */
class SortedArray {
  items: Item[] = [];
  insert(e: Item): void {
    let i = this.items.length;
    while (i > 0 && (this.items[i - 1]!.time > e.time || (this.items[i - 1]!.time === e.time && this.items[i - 1]!.seq > e.seq))) i--;
    this.items.splice(i, 0, e);
  }
  remove(e: Item): boolean {
    const i = this.items.indexOf(e);
    if (i < 0) return false;
    this.items.splice(i, 1);
    return true;
  }
  pop(): Item | undefined {
    return this.items.shift();
  }
}

type QueueOp =
  | { op: 'insert'; dt: number }
  | { op: 'remove'; pick: number }
  | { op: 'pop' };

/** Times drawn from a few scales so equal times, dense runs and far outliers all occur. */
const delta = fc.oneof(
  fc.constantFrom(0, 0, 1, 5),
  fc.integer({ min: 0, max: 100 }),
  fc.integer({ min: 0, max: 100_000 }),
  fc.integer({ min: 0, max: 2 ** 40 }),
);

const queueOp: fc.Arbitrary<QueueOp> = fc.oneof(
  { weight: 5, arbitrary: delta.map((dt) => ({ op: 'insert' as const, dt })) },
  { weight: 2, arbitrary: fc.nat().map((pick) => ({ op: 'remove' as const, pick })) },
  { weight: 3, arbitrary: fc.constant({ op: 'pop' as const }) },
);

describe('CalendarQueue', () => {
  it('pops in (time, seq) order like a sorted array, through inserts, removals and resizes', () => {
    fc.assert(
      fc.property(fc.array(queueOp, { maxLength: 600 }), (ops) => {
        const q = new CalendarQueue<Item>();
        const ref = new SortedArray();
        const all: Item[] = [];
        let now = 0;
        let seq = 0;
        for (const o of ops) {
          if (o.op === 'insert') {
            // Like the scheduler: never before the last time popped.
            const e = new Item(now + o.dt, seq, seq);
            seq++;
            all.push(e);
            q.insert(e);
            ref.insert(e);
          } else if (o.op === 'remove') {
            if (all.length === 0) continue;
            const e = all[o.pick % all.length]!;
            expect(q.remove(e)).toBe(ref.remove(e));
          } else {
            const want = ref.pop();
            expect(q.peek()).toBe(want);
            expect(q.pop()).toBe(want);
            if (want !== undefined) now = want.time;
          }
          expect(q.size).toBe(ref.items.length);
        }
        // Drain the rest.
        for (let want = ref.pop(); want !== undefined; want = ref.pop()) expect(q.pop()).toBe(want);
        expect(q.pop()).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it('keeps FIFO order among many equal times and across growth and shrinkage', () => {
    const q = new CalendarQueue<Item>();
    const items: Item[] = [];
    for (let i = 0; i < 5000; i++) items.push(new Item(i % 3 === 0 ? 1000 : 1000 + (i % 7) * 10, i, i));
    for (const e of items) q.insert(e);
    expect(q.shape.buckets).toBeGreaterThan(1000);
    const out: Item[] = [];
    for (let e = q.pop(); e !== undefined; e = q.pop()) out.push(e);
    const want = [...items].sort((a, b) => a.time - b.time || a.seq - b.seq);
    expect(out.map((e) => e.id)).toEqual(want.map((e) => e.id));
    expect(q.shape.buckets).toBe(16);
  });

  it('finds an event more than a year away, and re-samples its day width when events spread out', () => {
    const q = new CalendarQueue<Item>();
    let seq = 0;
    // Dense: 1 ns apart.
    for (let i = 0; i < 100; i++) q.insert(new Item(i, seq, seq++));
    const far = new Item(1e12, seq, seq++);
    q.insert(far);
    for (let i = 0; i < 100; i++) expect(q.pop()!.time).toBe(i);
    expect(q.pop()).toBe(far);
    // A hold model whose spacing grows by 1000×: the width follows.
    const before = q.shape.width;
    let now = 1e12;
    for (let i = 0; i < 200; i++) q.insert(new Item(now + i * 1000, seq, seq++));
    for (let i = 0; i < 20_000; i++) {
      now = q.pop()!.time;
      q.insert(new Item(now + 100_000 + ((i * 7919) % 100_000), seq, seq++));
    }
    expect(q.shape.width).toBeGreaterThan(before * 100);
  });
});

type SchedOp =
  | { op: 'schedule'; delay: number; children: number[] }
  | { op: 'cancel'; pick: number }
  | { op: 'step' }
  | { op: 'runFor'; d: number }
  | { op: 'peek' };

/** The reference scheduler: same API surface, a sorted array inside, no fast paths. */
class ReferenceScheduler {
  current = 0;
  seq = 0;
  queue: { time: number; seq: number; cb: (() => void) | null }[] = [];
  now(): number {
    return this.current;
  }
  schedule(delay: number, cb: () => void): { cancel(): void } {
    const e = { time: this.current + delay, seq: this.seq++, cb: cb as (() => void) | null };
    let i = this.queue.length;
    while (i > 0 && (this.queue[i - 1]!.time > e.time || (this.queue[i - 1]!.time === e.time && this.queue[i - 1]!.seq > e.seq))) i--;
    this.queue.splice(i, 0, e);
    return {
      cancel: () => {
        const k = this.queue.indexOf(e);
        if (k >= 0) this.queue.splice(k, 1);
      },
    };
  }
  nextEventTime(): number | undefined {
    return this.queue[0]?.time;
  }
  step(): boolean {
    const e = this.queue.shift();
    if (e === undefined) return false;
    this.current = e.time;
    e.cb!();
    return true;
  }
  runFor(d: number): number {
    const end = this.current + d;
    let n = 0;
    while (this.queue.length > 0 && this.queue[0]!.time <= end) {
      this.step();
      n++;
    }
    this.current = end;
    return n;
  }
  get pendingCount(): number {
    return this.queue.length;
  }
}

const schedOp: fc.Arbitrary<SchedOp> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({ op: fc.constant('schedule' as const), delay: delta, children: fc.array(fc.constantFrom(0, 0, 1, 3, 1000), { maxLength: 3 }) }),
  },
  { weight: 2, arbitrary: fc.nat().map((pick) => ({ op: 'cancel' as const, pick })) },
  { weight: 3, arbitrary: fc.constant({ op: 'step' as const }) },
  { weight: 1, arbitrary: fc.oneof(fc.constantFrom(0, 1), fc.integer({ min: 0, max: 200_000 })).map((d) => ({ op: 'runFor' as const, d })) },
  { weight: 1, arbitrary: fc.constant({ op: 'peek' as const }) },
);

interface Sched {
  now(): number;
  schedule(delay: number, cb: () => void): { cancel(): void };
  nextEventTime(): number | undefined;
  step(): boolean;
  runFor(d: number): number;
  readonly pendingCount: number;
}

/** Run a program on one scheduler; the log records every event run, with its time. */
function play(s: Sched, ops: readonly SchedOp[]): string[] {
  const log: string[] = [];
  const handles: { cancel(): void }[] = [];
  let id = 0;
  // An event may schedule children (zero delays hit the now-queue), which may be cancelled later.
  const make = (name: string, children: readonly number[]): (() => void) => () => {
    log.push(`${name}@${s.now()}`);
    children.forEach((c, k) => handles.push(s.schedule(c, make(`${name}.${k}`, []))));
  };
  for (const o of ops) {
    if (o.op === 'schedule') handles.push(s.schedule(o.delay, make(`e${id++}`, o.children)));
    else if (o.op === 'cancel') {
      if (handles.length > 0) handles[o.pick % handles.length]!.cancel();
    } else if (o.op === 'step') log.push(`step:${s.step()}`);
    else if (o.op === 'runFor') log.push(`ran:${s.runFor(o.d)}@${s.now()}`);
    else log.push(`next:${s.nextEventTime()}`);
    log.push(`pending:${s.pendingCount}`);
  }
  for (let guard = 0; s.step() && guard < 100_000; guard++);
  log.push(`end@${s.now()}`);
  return log;
}

describe('Scheduler against a sorted-array reference', () => {
  it('runs the same events at the same times in the same order', () => {
    fc.assert(
      fc.property(fc.array(schedOp, { maxLength: 300 }), (ops) => {
        const ours = play(new Scheduler() as unknown as Sched, ops);
        const ref = play(new ReferenceScheduler(), ops);
        expect(ours).toEqual(ref);
      }),
      { numRuns: 300 },
    );
  });

  it('a handle reports pending until its event runs or is cancelled', () => {
    const s = new Scheduler();
    const a: TimerHandle = s.schedule(10, () => {});
    const b = s.schedule(0, () => {});
    const c = s.schedule(20, () => {});
    b.cancel();
    expect([a.pending, b.pending, c.pending]).toEqual([true, false, true]);
    s.runFor(10);
    expect([a.pending, c.pending]).toEqual([false, true]);
    expect(s.pendingCount).toBe(1);
    c.cancel();
    expect(s.pendingCount).toBe(0);
    expect(s.nextEventTime()).toBeUndefined();
  });
});
