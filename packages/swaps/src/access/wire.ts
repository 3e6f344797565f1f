// The network-access module's own wire: a full-duplex serial line between exactly two ends.
// Each direction has a drop-tail FIFO and a serializer: an octet-stuffed frame occupies the
// line for (octets × 8 / rate) and arrives one propagation delay after its last bit. It can
// be cut and restored, watched, and fed raw octets (what the conformance suite corrupts).

import { DropReason, parseBandwidth, parseDuration, type NodeContext, type Timers } from '@netlayers/core';

export type WireSide = 'a' | 'b';

export interface WireOptions {
  /** Line rate (default "10Mbps"). */
  readonly bandwidth?: string | number;
  /** One-way propagation delay (default "1ms"). */
  readonly delay?: string | number;
  /** Frames that may wait behind the one on the line, per direction (default 100). */
  readonly queueLimit?: number;
}

/** What an end of the wire offers the interface on it. */
export interface WireEndpoint {
  readonly node: NodeContext;
  /** Called with the octets of one frame (Flag to Flag) when they have arrived. */
  receive(octets: Uint8Array): void;
  /** Called when the wire is cut or restored. */
  wireStateChanged(up: boolean): void;
  /** Called when the wire drops a queued frame (cut, queue full). */
  wireDropped(octets: Uint8Array, reason: typeof DropReason.QueueFull | typeof DropReason.InterfaceDown): void;
}

interface Direction {
  readonly queue: Uint8Array[];
  busy: boolean;
}

export class SerialWire {
  readonly bitsPerSecond: number;
  readonly propagationDelay: number;
  readonly queueLimit: number;
  private up = true;
  private readonly ends: Partial<Record<WireSide, WireEndpoint>> = {};
  private readonly directions: Record<WireSide, Direction> = { a: { queue: [], busy: false }, b: { queue: [], busy: false } };
  private readonly taps: ((from: WireSide, octets: Uint8Array) => void)[] = [];

  constructor(private readonly timers: Timers, options: WireOptions = {}) {
    this.bitsPerSecond = parseBandwidth(options.bandwidth ?? '10Mbps');
    this.propagationDelay = parseDuration(options.delay ?? '1ms');
    this.queueLimit = options.queueLimit ?? 100;
  }

  get isUp(): boolean {
    return this.up;
  }

  connect(side: WireSide, endpoint: WireEndpoint): void {
    this.ends[side] = endpoint;
  }

  /** Watch the octets each side puts on the line. */
  onTransmit(tap: (from: WireSide, octets: Uint8Array) => void): void {
    this.taps.push(tap);
  }

  /** Queue one stuffed frame from `side`. Returns false when it was dropped (wire cut, queue full). */
  transmit(side: WireSide, octets: Uint8Array): boolean {
    const direction = this.directions[side];
    if (!this.up) {
      this.ends[side]?.wireDropped(octets, DropReason.InterfaceDown);
      return false;
    }
    if (direction.queue.length >= this.queueLimit) {
      this.ends[side]?.wireDropped(octets, DropReason.QueueFull);
      return false;
    }
    direction.queue.push(octets);
    if (!direction.busy) this.serializeNext(side);
    return true;
  }

  /** Deliver raw octets to `side` as if they came down the line. */
  inject(side: WireSide, octets: Uint8Array): void {
    this.ends[side]?.receive(octets.slice());
  }

  /** Cut (false) or restore (true) the line; queued frames are lost when it is cut. */
  setUp(up: boolean): void {
    if (this.up === up) return;
    this.up = up;
    if (!up) {
      for (const side of ['a', 'b'] as const) {
        const lost = this.directions[side].queue.splice(0);
        for (const octets of lost) this.ends[side]?.wireDropped(octets, DropReason.InterfaceDown);
      }
    }
    this.ends.a?.wireStateChanged(up);
    this.ends.b?.wireStateChanged(up);
  }

  private serializeNext(side: WireSide): void {
    const direction = this.directions[side];
    const octets = direction.queue.shift();
    if (octets === undefined) {
      direction.busy = false;
      return;
    }
    direction.busy = true;
    for (const tap of this.taps) tap(side, octets);
    const serialization = Math.round((octets.length * 8 * 1e9) / this.bitsPerSecond);
    this.timers.schedule(serialization, () => {
      if (this.up) {
        const far = this.ends[side === 'a' ? 'b' : 'a'];
        this.timers.schedule(this.propagationDelay, () => {
          if (this.up) far?.receive(octets);
        });
      }
      this.serializeNext(side);
    });
  }
}
