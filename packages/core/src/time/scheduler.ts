// The discrete-event scheduler: one per simulation, in virtual time (integer nanoseconds).
// Layers schedule every timer here (RTO, delayed ACK, TIME-WAIT, ARP, reassembly) and never
// touch Date.now/setTimeout. The run loop jumps straight to the next event; events at the
// same instant run in the order they were scheduled.

import { InvalidArgumentError } from '../errors.ts';
import { CalendarEntry, CalendarQueue, NOT_QUEUED } from './calendar-queue.ts';

/** Virtual time in integer nanoseconds since the simulation started. */
export type Nanoseconds = number;

export const NS_PER_US = 1_000;
export const NS_PER_MS = 1_000_000;
export const NS_PER_S = 1_000_000_000;

/** Read-only view of virtual time. */
export interface Clock {
  now(): Nanoseconds;
}

/** A scheduled event that can be cancelled before it runs. */
export interface TimerHandle {
  /** Cancel the event; a no-op if it already ran or was cancelled. */
  cancel(): void;
  /** True until the event runs or is cancelled. */
  readonly pending: boolean;
  /** The virtual time at which the event runs. */
  readonly time: Nanoseconds;
}

/** What layers need of time: read the clock and schedule callbacks. */
export interface Timers extends Clock {
  /** Run `callback` after `delay` nanoseconds (0 = later at this same instant). */
  schedule(delay: Nanoseconds, callback: () => void): TimerHandle;
  /** Run `callback` at absolute virtual time `time` (not before now). */
  scheduleAt(time: Nanoseconds, callback: () => void): TimerHandle;
}

/** `slot` of an event waiting in the now-queue (a bucket index >= 0 in the calendar, NOT_QUEUED when neither). */
const IN_NOW_QUEUE = -2;

class ScheduledEvent extends CalendarEntry implements TimerHandle {
  callback: (() => void) | null;
  constructor(
    time: Nanoseconds,
    seq: number,
    callback: () => void,
    private readonly owner: Scheduler,
  ) {
    super(time, seq);
    this.callback = callback;
  }
  get pending(): boolean {
    return this.callback !== null;
  }
  cancel(): void {
    if (this.callback === null) return;
    this.callback = null;
    this.owner.noteCancelled(this);
  }
}

/**
 * A calendar queue of events ordered by (time, insertion sequence), plus a FIFO for events
 * scheduled at the current instant (the common zero-delay case skips the calendar entirely).
 * A cancelled event leaves the calendar at once; in the now-queue it is skipped when reached.
 */
export class Scheduler implements Timers {
  private current: Nanoseconds = 0;
  private seq = 0;
  private readonly calendar = new CalendarQueue<ScheduledEvent>();
  private nowQueue: ScheduledEvent[] = [];
  private nowHead = 0;
  private cancelledInNowQueue = 0;
  private live = 0;
  private executed = 0;

  now(): Nanoseconds {
    return this.current;
  }

  /** Number of events waiting to run (cancelled ones excluded). */
  get pendingCount(): number {
    return this.live;
  }

  /** Total events run so far. */
  get executedCount(): number {
    return this.executed;
  }

  schedule(delay: Nanoseconds, callback: () => void): TimerHandle {
    if (!(delay >= 0) || !Number.isFinite(delay)) {
      throw new InvalidArgumentError('delay', delay, 'must be a finite number of nanoseconds >= 0');
    }
    return this.insert(this.current + Math.round(delay), callback);
  }

  scheduleAt(time: Nanoseconds, callback: () => void): TimerHandle {
    if (!Number.isFinite(time) || time < this.current) {
      throw new InvalidArgumentError('time', time, `must be finite and not before now (${this.current} ns)`);
    }
    return this.insert(Math.round(time), callback);
  }

  private insert(time: Nanoseconds, callback: () => void): ScheduledEvent {
    const event = new ScheduledEvent(time, this.seq++, callback, this);
    this.live++;
    if (time === this.current) {
      event.slot = IN_NOW_QUEUE;
      this.nowQueue.push(event);
    } else {
      this.calendar.insert(event);
    }
    return event;
  }

  /** @internal called by an event when it is cancelled. */
  noteCancelled(event: ScheduledEvent): void {
    this.live--;
    if (event.slot >= 0) {
      this.calendar.remove(event);
    } else if (event.slot === IN_NOW_QUEUE) {
      this.cancelledInNowQueue++;
    }
  }

  /** Time of the next pending event, or undefined when idle. */
  nextEventTime(): Nanoseconds | undefined {
    this.skipCancelled();
    if (this.nowHead < this.nowQueue.length) return this.current;
    return this.calendar.peek()?.time;
  }

  /** Run exactly one event (advancing the clock to it). Returns false when idle. */
  step(): boolean {
    const event = this.popNext(Infinity);
    if (event === undefined) return false;
    this.runEvent(event);
    return true;
  }

  /** Run every event due at or before `time`, then set the clock to `time`. Returns events run. */
  runUntil(time: Nanoseconds): number {
    if (!Number.isFinite(time) || time < this.current) {
      throw new InvalidArgumentError('time', time, `must be finite and not before now (${this.current} ns)`);
    }
    let count = 0;
    for (;;) {
      const event = this.popNext(time);
      if (event === undefined) break;
      this.runEvent(event);
      count++;
    }
    this.current = time;
    this.compactNowQueue();
    return count;
  }

  /** Run for `duration` nanoseconds of virtual time from now. */
  runFor(duration: Nanoseconds): number {
    if (!(duration >= 0)) throw new InvalidArgumentError('duration', duration, 'must be >= 0');
    return this.runUntil(this.current + duration);
  }

  /**
   * Run until no events remain (or `maxEvents` have run, a guard against runaway
   * simulations such as a keepalive that never stops). Returns the number of events run.
   */
  runUntilIdle(maxEvents = Number.POSITIVE_INFINITY): number {
    let count = 0;
    while (count < maxEvents) {
      const event = this.popNext(Infinity);
      if (event === undefined) break;
      this.runEvent(event);
      count++;
    }
    this.compactNowQueue();
    return count;
  }

  private runEvent(event: ScheduledEvent): void {
    const callback = event.callback;
    event.callback = null;
    event.slot = NOT_QUEUED;
    this.live--;
    this.current = event.time;
    this.executed++;
    if (callback !== null) callback();
  }

  /** Remove and return the next live event with time <= limit. */
  private popNext(limit: Nanoseconds): ScheduledEvent | undefined {
    const calendar = this.calendar;
    for (;;) {
      const top = calendar.peek();
      // Calendar entries at the current instant were scheduled before any now-queue entry.
      if (top !== undefined && top.time <= this.current && top.time <= limit) {
        calendar.take(top);
        return top;
      }
      if (this.nowHead < this.nowQueue.length && this.current <= limit) {
        const event = this.nowQueue[this.nowHead]!;
        this.nowQueue[this.nowHead++] = undefined as unknown as ScheduledEvent;
        if (event.callback === null) {
          this.cancelledInNowQueue--;
          continue;
        }
        return event;
      }
      this.compactNowQueue();
      if (top === undefined || top.time > limit) return undefined;
      calendar.take(top);
      return top;
    }
  }

  private skipCancelled(): void {
    while (this.nowHead < this.nowQueue.length && this.nowQueue[this.nowHead]!.callback === null) {
      this.nowHead++;
      this.cancelledInNowQueue--;
    }
  }

  private compactNowQueue(): void {
    if (this.nowHead >= this.nowQueue.length) {
      if (this.nowHead !== 0) this.nowQueue.length = 0;
      this.nowHead = 0;
    } else if (this.nowHead > 4096) {
      this.nowQueue = this.nowQueue.slice(this.nowHead);
      this.nowHead = 0;
    }
  }
}
