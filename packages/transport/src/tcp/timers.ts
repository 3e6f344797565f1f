// Connection timers (RFC 9293 §3.8: retransmission, TIME-WAIT, persist, keepalive; RFC 1122
// §4.2.3.2 delayed ACK). Each is a deadline plus at most one scheduler event: restarting a
// running timer only moves the deadline, and the event re-arms itself when it fires early.
// That keeps the shared scheduler free of cancel/re-schedule churn on every ACK. A restart is
// not traced; starting, firing and stopping a timer are. Timer objects exist only while some
// timer of the connection runs: an idle connection holds none.

import type { Scheduler, TimerHandle } from '@netlayers/core';
import type { Tcb, TcpTimerName } from './tcb.ts';
import { traceTimer } from './trace.ts';

/**
 * A deadline with one lazily re-armed scheduler event. One closure per timer (made in the
 * constructor: a class-field arrow function would also carry an own `name` property, a
 * 256-byte property array per timer in V8), and no closure for what to do on expiry: the
 * timer knows its connection and name.
 */
export class LazyTimer {
  deadline = -1;
  private handle: TimerHandle | null = null;
  private readonly onEvent: () => void;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly tcb: Tcb,
    private readonly name: TcpTimerName,
  ) {
    this.onEvent = () => this.event();
  }

  get running(): boolean {
    return this.deadline >= 0;
  }

  start(at: number): void {
    this.deadline = at;
    const handle = this.handle;
    if (handle === null || !handle.pending) {
      this.handle = this.scheduler.scheduleAt(at, this.onEvent);
    } else if (handle.time > at) {
      handle.cancel();
      this.handle = this.scheduler.scheduleAt(at, this.onEvent);
    }
  }

  stop(): void {
    this.deadline = -1;
  }

  /** Stop and remove the scheduler event too (the connection is going away). */
  dispose(): void {
    this.deadline = -1;
    this.handle?.cancel();
    this.handle = null;
  }

  /** Running, or a scheduler event still pending. */
  get busy(): boolean {
    return this.deadline >= 0 || this.handle !== null;
  }

  private event(): void {
    this.handle = null;
    if (this.deadline < 0) {
      releaseIdleTimers(this.tcb);
      return;
    }
    if (this.scheduler.now() < this.deadline) {
      this.handle = this.scheduler.scheduleAt(this.deadline, this.onEvent);
      return;
    }
    this.deadline = -1;
    traceTimer(this.tcb, 'fired', this.name);
    this.tcb.host.timerExpired(this.tcb, this.name);
    if (!this.busy) releaseIdleTimers(this.tcb);
  }
}

type TimerTable = Partial<Record<TcpTimerName, LazyTimer>>;

/** Every timer name, for walking a connection's table (a for-in over it was a visible cost on every close). */
const EVERY_TIMER: Record<TcpTimerName, true> = { RTO: true, 'TIME-WAIT': true, 'delayed-ACK': true, persist: true, keepalive: true, connect: true, 'FIN-WAIT-2': true, TLP: true, 'RACK-reorder': true };
const TIMER_NAMES = Object.keys(EVERY_TIMER) as TcpTimerName[];

function timersOf(tcb: Tcb): TimerTable | null {
  return tcb.timers as TimerTable | null;
}

function timer(tcb: Tcb, name: TcpTimerName): LazyTimer {
  let all = timersOf(tcb);
  if (all === null) {
    all = {};
    tcb.timers = all;
  }
  let t = all[name];
  if (t === undefined) {
    t = new LazyTimer(tcb.host.node.scheduler, tcb, name);
    all[name] = t;
  }
  return t;
}

/**
 * Once no timer of the connection runs or waits for its scheduler event, drop them all: an
 * idle connection keeps no timer objects (they are made again on the next start).
 */
function releaseIdleTimers(tcb: Tcb): void {
  const all = timersOf(tcb);
  if (all === null) return;
  for (let i = 0; i < TIMER_NAMES.length; i++) if (all[TIMER_NAMES[i]!]?.busy === true) return;
  tcb.timers = null;
}

export function isTimerRunning(tcb: Tcb, name: TcpTimerName): boolean {
  return timersOf(tcb)?.[name]?.running ?? false;
}

/** The deadline of a running timer, or -1. */
export function timerDeadline(tcb: Tcb, name: TcpTimerName): number {
  return timersOf(tcb)?.[name]?.deadline ?? -1;
}

/** Start (or restart, if running) a timer to fire `duration` ns from now. */
export function startTimer(tcb: Tcb, name: TcpTimerName, duration: number): void {
  const t = timer(tcb, name);
  if (!t.running) traceTimer(tcb, 'set', name, duration);
  t.start(tcb.now + duration);
}

/** Start a timer only if it is not already running. */
export function ensureTimer(tcb: Tcb, name: TcpTimerName, duration: number): void {
  if (!isTimerRunning(tcb, name)) startTimer(tcb, name, duration);
}

export function stopTimer(tcb: Tcb, name: TcpTimerName): void {
  const t = timersOf(tcb)?.[name];
  if (t === undefined || !t.running) return;
  traceTimer(tcb, 'cancelled', name);
  t.stop();
}

/** Stop every timer and release their scheduler events (CLOSED, or entering TIME-WAIT). */
export function stopAllTimers(tcb: Tcb, except?: TcpTimerName): void {
  const all = timersOf(tcb);
  if (all === null) return;
  for (let i = 0; i < TIMER_NAMES.length; i++) {
    const name = TIMER_NAMES[i]!;
    const t = all[name];
    if (t === undefined || name === except) continue;
    if (t.running) traceTimer(tcb, 'cancelled', name);
    t.dispose();
  }
}
