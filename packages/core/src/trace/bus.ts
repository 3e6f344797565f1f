// The trace bus: one per simulation, an eventemitter3 emitter of typed TraceEvents.
// Producers check `active` before building an event, so an untraced run pays nothing.

import { EventEmitter } from 'eventemitter3';
import type { FrameAction, FrameEvent, TraceEvent, TraceEventKind, TraceInput } from './events.ts';
import type { Clock } from '../time/scheduler.ts';
import type { DropReason } from './drop-reasons.ts';

type ListenerMap = { [K in TraceEventKind]: [Extract<TraceEvent, { kind: K }>] } & { event: [TraceEvent] };

type Listener<K extends keyof ListenerMap> = (...args: ListenerMap[K]) => void;

/** Subscribe with `on('pdu', fn)`, `on('drop', fn)`, ... or `on('event', fn)` for everything. */
export class TraceBus {
  private readonly emitter = new EventEmitter<ListenerMap>();
  private anyListener = false;
  private readonly kindListener = new Set<string>();

  /** True when anyone listens; producers skip building events otherwise. */
  get active(): boolean {
    return this.anyListener;
  }

  /** Whether someone wants events of this kind (or all events). */
  wants(kind: TraceEventKind): boolean {
    return this.kindListener.has(kind) || this.kindListener.has('event');
  }

  on<K extends keyof ListenerMap>(kind: K, listener: Listener<K>): this {
    this.emitter.on(kind, listener as never);
    this.refresh();
    return this;
  }

  once<K extends keyof ListenerMap>(kind: K, listener: Listener<K>): this {
    this.emitter.once(kind, ((...args: ListenerMap[K]) => {
      (listener as (...a: unknown[]) => void)(...args);
      this.refresh();
    }) as never);
    this.refresh();
    return this;
  }

  off<K extends keyof ListenerMap>(kind: K, listener: Listener<K>): this {
    this.emitter.off(kind, listener as never);
    this.refresh();
    return this;
  }

  removeAllListeners(): this {
    this.emitter.removeAllListeners();
    this.refresh();
    return this;
  }

  publish(event: TraceEvent): void {
    this.emitter.emit(event.kind, event as never);
    this.emitter.emit('event', event);
  }

  private refresh(): void {
    this.kindListener.clear();
    for (const name of this.emitter.eventNames()) {
      if (this.emitter.listenerCount(name) > 0) this.kindListener.add(String(name));
    }
    this.anyListener = this.kindListener.size > 0;
  }
}

/** Per-node counters: drops by role and reason, and whatever else a layer counts. */
export class Counters {
  private readonly values = new Map<string, number>();

  increment(name: string, by = 1): void {
    this.values.set(name, (this.values.get(name) ?? 0) + by);
  }

  get(name: string): number {
    return this.values.get(name) ?? 0;
  }

  /** All counters whose name starts with `prefix`. */
  entries(prefix = ''): [string, number][] {
    return [...this.values].filter(([k]) => k.startsWith(prefix)).sort(([a], [b]) => a.localeCompare(b));
  }

  /** Count a drop: "drop.<role>.<reason>". */
  countDrop(role: string, reason: DropReason): void {
    this.increment(`drop.${role}.${reason}`);
  }

  toJSON(): Record<string, number> {
    return Object.fromEntries(this.entries());
  }
}

/**
 * Frame snapshots for the trace, carved out of shared 256 KiB slabs: one ArrayBuffer per
 * slab rather than one per frame, which is what a recorder keeping a whole run's frames pays
 * for most (every small ArrayBuffer has its own backing store for the collector to track;
 * a browser's structured clone copies each one apart). A frame larger than a quarter slab
 * gets its own buffer. A snapshot is a view (byteOffset may be non-zero); it keeps its slab
 * alive, so keeping one frame of a run keeps at most 256 KiB.
 */
const SLAB_BYTES = 256 * 1024;
let slab = new Uint8Array(SLAB_BYTES);
let slabUsed = 0;

/** A copy of `bytes` as they are now, in a slab. */
function snapshotBytes(bytes: Uint8Array): Uint8Array {
  const length = bytes.length;
  if (length > SLAB_BYTES / 4) return bytes.slice();
  if (slabUsed + length > SLAB_BYTES) {
    slab = new Uint8Array(SLAB_BYTES);
    slabUsed = 0;
  }
  // A view made by the constructor directly (subarray() looks up a species constructor first).
  const copy = new Uint8Array(slab.buffer, slabUsed, length);
  copy.set(bytes);
  // Keep each snapshot 8-byte aligned, so word-wise checksums over it take their fast path.
  slabUsed += (length + 7) & ~7;
  return copy;
}

/** A node's handle on the bus: stamps time and node name onto what layers publish. */
export class Tracer {
  constructor(
    readonly bus: TraceBus,
    readonly clock: Clock,
    readonly node: string,
    readonly counters: Counters,
  ) {}

  get active(): boolean {
    return this.bus.active;
  }

  wants(kind: TraceEventKind): boolean {
    return this.bus.wants(kind);
  }

  /** Publish an event stamped with this node and the time. A frame's bytes are copied (see frame()). */
  emit(event: TraceInput): void {
    if (!this.bus.active) return;
    const stamped = { ...event, time: this.clock.now(), node: this.node } as TraceEvent;
    if (stamped.kind === 'frame') (stamped as { bytes: Uint8Array }).bytes = snapshotBytes(stamped.bytes);
    this.bus.publish(stamped);
  }

  /**
   * Trace a whole frame on a port (what captures record). The event gets a copy of the
   * bytes as they are now: layers above may rewrite the buffer in place later (a router
   * decrementing TTL), and a capture must not see that. Costs nothing when nobody listens.
   */
  frame(role: TraceInput['role'], protocol: string, iface: string, action: FrameAction, bytes: Uint8Array, detail?: string, linkType?: string): void {
    if (!this.bus.active || !this.bus.wants('frame')) return;
    const event: FrameEvent = { kind: 'frame', role, protocol, iface, action, bytes: snapshotBytes(bytes), time: this.clock.now(), node: this.node, ...(detail === undefined ? {} : { detail }), ...(linkType === undefined ? {} : { linkType }) };
    this.bus.publish(event);
  }

  /** Count a drop and trace it. Layers call this for every packet they discard. */
  drop(role: TraceInput['role'], protocol: string, reason: DropReason, detail: string, length: number, extra: { iface?: string; connection?: string } = {}): void {
    this.counters.countDrop(role, reason);
    if (!this.bus.active) return;
    this.bus.publish({ kind: 'drop', role, protocol, reason, detail, length, ...extra, time: this.clock.now(), node: this.node });
  }
}
