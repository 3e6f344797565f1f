// Trace recording: a TraceRecorder listens to a TraceBus and keeps every event in the order
// it was published; TraceQuery filters them (by node, role, protocol, kind, interface,
// direction, connection in either direction, time range) and composes, so scripts and
// tests can ask "every TCP segment client sent on this connection in the first second".

import { parseDuration, type FrameEvent, type Nanoseconds, type Role, type TraceBus, type TraceEvent, type TraceEventKind, type Direction } from '@netlayers/core';
import { canonicalConnectionKey, parseConnectionKey, formatConnectionKey, requireConnectionKey } from './connection.ts';
import { dissect } from './dissectors.ts';
import { conversationKey, conversationOf } from './frames.ts';

type EventOfKind<K extends TraceEventKind> = Extract<TraceEvent, { kind: K }>;

/** An instant given as nanoseconds or as a duration string since the start ("1.5ms"). */
export type TimeInput = Nanoseconds | string;

function toNs(time: TimeInput): Nanoseconds {
  return typeof time === 'number' ? time : parseDuration(time);
}

/** The connection an event belongs to (canonical, direction-free), or undefined. */
export function connectionOf(event: TraceEvent): string | undefined {
  switch (event.kind) {
    case 'pdu':
    case 'drop':
      if (event.connection !== undefined) return canonicalConnectionKey(event.connection);
      return undefined;
    case 'state':
    case 'timer':
    case 'metric':
    case 'note':
      return event.entity !== undefined && parseConnectionKey(event.entity) !== undefined ? canonicalConnectionKey(event.entity) : undefined;
    case 'frame':
      return frameConnection(event);
  }
  return undefined;
}

/** The conversation a frame carries (canonical), from the registered dissectors. */
function frameConnection(event: FrameEvent): string | undefined {
  const layer = conversationOf(dissect(event));
  const key = layer === undefined ? undefined : conversationKey(layer);
  return key !== undefined && parseConnectionKey(key) !== undefined ? canonicalConnectionKey(key) : undefined;
}

/**
 * An immutable, composable filter over recorded events. Every method returns a new query;
 * `events()` (or iterating) evaluates it against the recorder's events in recorded order.
 */
export class TraceQuery<E extends TraceEvent = TraceEvent> implements Iterable<E> {
  constructor(
    private readonly source: () => readonly TraceEvent[],
    private readonly predicates: readonly ((event: TraceEvent) => boolean)[] = [],
  ) {}

  /** Keep events that satisfy `predicate` as well. */
  where(predicate: (event: E) => boolean): TraceQuery<E> {
    return new TraceQuery<E>(this.source, [...this.predicates, predicate as (event: TraceEvent) => boolean]);
  }

  /** Events on one of these nodes. */
  node(...names: string[]): TraceQuery<E> {
    const set = new Set(names);
    return this.where((e) => set.has(e.node));
  }

  /** Events produced by one of these roles. */
  role(...roles: Role[]): TraceQuery<E> {
    const set = new Set<string>(roles);
    return this.where((e) => set.has(e.role));
  }

  /** Events of one of these protocols ('tcp', 'ipv4', 'arp', 'ethernet', 'phy'...). */
  protocol(...protocols: string[]): TraceQuery<E> {
    const set = new Set(protocols);
    return this.where((e) => set.has(e.protocol));
  }

  /** Events of one kind, typed as that kind: `.kind('pdu')` gives PduEvents. */
  kind<K extends TraceEventKind>(kind: K): TraceQuery<Extract<E, { kind: K }>> {
    return new TraceQuery<Extract<E, { kind: K }>>(this.source, [...this.predicates, (e) => e.kind === kind]);
  }

  /** Events on one interface or port. */
  iface(...names: string[]): TraceQuery<E> {
    const set = new Set(names);
    return this.where((e) => e.iface !== undefined && set.has(e.iface));
  }

  /** PDU events travelling this way ('down' sending, 'up' receiving, 'forward' relaying). */
  direction(direction: Direction): TraceQuery<Extract<E, { kind: 'pdu' }>> {
    return this.kind('pdu').where((e) => e.direction === direction);
  }

  /**
   * Events of one connection, either direction of its 4-tuple: transport PDUs and drops by
   * their connection key, states and timers by their entity, frames by the 4-tuple they carry.
   */
  connection(key: string): TraceQuery<E> {
    const wanted = canonicalConnectionKey(formatConnectionKey(requireConnectionKey(key)));
    return this.where((e) => connectionOf(e) === wanted);
  }

  /** Events with `from <= time <= to` (either bound may be omitted). */
  between(from?: TimeInput, to?: TimeInput): TraceQuery<E> {
    const lo = from === undefined ? -Infinity : toNs(from);
    const hi = to === undefined ? Infinity : toNs(to);
    return this.where((e) => e.time >= lo && e.time <= hi);
  }

  /** Every matching event, in recorded order. */
  events(): E[] {
    const out: E[] = [];
    for (const e of this.source()) if (this.predicates.every((p) => p(e))) out.push(e as E);
    return out;
  }

  toArray(): E[] {
    return this.events();
  }

  count(): number {
    return this.events().length;
  }

  first(): E | undefined {
    for (const e of this.source()) if (this.predicates.every((p) => p(e))) return e as E;
    return undefined;
  }

  last(): E | undefined {
    const all = this.events();
    return all[all.length - 1];
  }

  [Symbol.iterator](): Iterator<E> {
    return this.events()[Symbol.iterator]();
  }
}

/**
 * Records the events of one or more trace buses, in publication order.
 *
 *   const recorder = new TraceRecorder().record(net.trace);
 *   net.runUntilIdle();
 *   recorder.query().node('client').protocol('tcp').kind('pdu').events();
 */
export class TraceRecorder {
  private readonly recorded: TraceEvent[] = [];
  private readonly attached = new Map<TraceBus, (event: TraceEvent) => void>();
  /** Stop after this many events (a guard for long runs); undefined for no limit. */
  readonly limit: number | undefined;
  private overflow = 0;

  constructor(options: { limit?: number } = {}) {
    this.limit = options.limit;
  }

  /** Start recording `bus` (it becomes active, so layers start emitting). Returns this. */
  record(bus: TraceBus): this {
    if (this.attached.has(bus)) return this;
    const listener = (event: TraceEvent): void => {
      if (this.limit !== undefined && this.recorded.length >= this.limit) {
        this.overflow++;
        return;
      }
      // A frame event's bytes are already a snapshot (the Tracer copies them when it
      // publishes), so a router rewriting its buffer in place later cannot change them.
      this.recorded.push(event);
    };
    bus.on('event', listener);
    this.attached.set(bus, listener);
    return this;
  }

  /** Stop recording every bus (events kept). */
  detach(): void {
    for (const [bus, listener] of this.attached) bus.off('event', listener);
    this.attached.clear();
  }

  get recording(): boolean {
    return this.attached.size > 0;
  }

  /** Every recorded event, in order (a read-only view). */
  get events(): readonly TraceEvent[] {
    return this.recorded;
  }

  /** Events not kept because the limit was reached. */
  get dropped(): number {
    return this.overflow;
  }

  get size(): number {
    return this.recorded.length;
  }

  clear(): void {
    this.recorded.length = 0;
    this.overflow = 0;
  }

  /** A query over everything recorded (also over what is recorded later). */
  query(): TraceQuery {
    return new TraceQuery(() => this.recorded);
  }

  /** Shorthand for `query().kind(kind)`. */
  ofKind<K extends TraceEventKind>(kind: K): TraceQuery<EventOfKind<K>> {
    return this.query().kind(kind) as TraceQuery<EventOfKind<K>>;
  }

  /** The node names seen so far, in first-seen order. */
  nodes(): string[] {
    return [...new Set(this.recorded.map((e) => e.node))];
  }

  /**
   * Conversation keys (as first sent), in first-seen order: from transport PDUs, and from
   * frames whose dissector names a conversation (a transport that traces no PDUs of its own).
   */
  connections(): string[] {
    const seen = new Map<string, string>();
    const add = (key: string | undefined): void => {
      if (key === undefined || parseConnectionKey(key) === undefined) return;
      const canonical = canonicalConnectionKey(key);
      if (!seen.has(canonical)) seen.set(canonical, key);
    };
    for (const e of this.recorded) {
      if (e.kind === 'pdu' && e.connection !== undefined) add(e.connection);
      else if (e.kind === 'frame' && e.action === 'tx') {
        const layer = conversationOf(dissect(e));
        if (layer !== undefined) add(conversationKey(layer));
      }
    }
    return [...seen.values()];
  }
}

/** Start a recorder on `bus`: `const rec = record(net.trace)`. */
export function record(bus: TraceBus, options: { limit?: number } = {}): TraceRecorder {
  return new TraceRecorder(options).record(bus);
}

/** A query over a plain array of events (for events that were not recorded here). */
export function queryEvents(events: readonly TraceEvent[]): TraceQuery {
  return new TraceQuery(() => events);
}
