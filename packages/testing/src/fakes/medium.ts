// A simple reference Medium (the physical contract in @netlayers/core): a wire with a line
// rate, a propagation delay and a frame limit, either point-to-point (two ports, full
// duplex) or shared (a bus: every frame reaches every other port; no collisions are
// modelled). Each port serializes its own frames in FIFO order. Suites use it as the
// neighbour of a link layer under test; students can use it to test a link layer alone.

import {
  InvalidArgumentError,
  parseBandwidth,
  parseDuration,
  type FrameReceiver,
  type Medium,
  type NodeContext,
  type PhyCapabilities,
  type PhyPort,
  type PhyPortStats,
  type Timers,
} from '@netlayers/core';

export interface FakeMediumOptions {
  readonly name?: string;
  /** 'point-to-point' (default) allows two ports; 'shared' any number. */
  readonly topology?: 'point-to-point' | 'shared';
  /** Line rate, e.g. "10Mbps" (default 100 Mbit/s). */
  readonly bandwidth?: string | number;
  /** Propagation delay, e.g. "1ms" (default 10 µs). */
  readonly delay?: string | number;
  /** Network-layer MTU (default 1500). */
  readonly mtu?: number;
  /** Largest whole frame (default mtu + 18: an Ethernet header and FCS). */
  readonly maxFrameBytes?: number;
  /** Frames waiting to be serialized per port before transmit() drops (default 1000). */
  readonly queueLimit?: number;
}

/** Serialization time of `bytes` at `bitsPerSecond`, in integer nanoseconds. */
export function serializationDelay(bytes: number, bitsPerSecond: number): number {
  return Math.round((bytes * 8 * 1e9) / bitsPerSecond);
}

export class FakeMedium implements Medium {
  readonly name: string;
  readonly capabilities: PhyCapabilities;
  readonly topology: 'point-to-point' | 'shared';
  private readonly ports: FakePhyPort[] = [];
  private readonly queueLimit: number;

  constructor(private readonly timers: Timers, options: FakeMediumOptions = {}) {
    this.name = options.name ?? 'fake-medium';
    this.topology = options.topology ?? 'point-to-point';
    const mtu = options.mtu ?? 1500;
    this.capabilities = {
      mtu,
      maxFrameBytes: options.maxFrameBytes ?? mtu + 18,
      bitsPerSecond: parseBandwidth(options.bandwidth ?? '100Mbps'),
      propagationDelay: parseDuration(options.delay ?? '10us'),
    };
    this.queueLimit = options.queueLimit ?? 1000;
  }

  attach(node: NodeContext, portName: string): PhyPort {
    if (this.topology === 'point-to-point' && this.ports.length >= 2) {
      throw new InvalidArgumentError('portName', portName, `point-to-point medium ${this.name} already has two ports`);
    }
    const port = new FakePhyPort(`${node.name}:${portName}`, this, this.timers, this.queueLimit);
    this.ports.push(port);
    return port;
  }

  /** Take a port down or up (both directions stop while down). */
  setPortUp(port: PhyPort, up: boolean): void {
    const found = this.ports.find((p) => p === port);
    if (found === undefined) throw new InvalidArgumentError('port', port.name, `is not attached to ${this.name}`);
    found.setUp(up);
  }

  /** @internal a port finished serializing `frame`: carry it to every other port. */
  propagate(from: FakePhyPort, frame: Uint8Array): void {
    for (const port of this.ports) {
      if (port === from) continue;
      const copy = frame.slice();
      this.timers.schedule(this.capabilities.propagationDelay, () => port.deliver(copy));
    }
  }
}

class FakePhyPort implements PhyPort {
  readonly stats: PhyPortStats = { txFrames: 0, txBytes: 0, rxFrames: 0, rxBytes: 0, drops: 0 };
  private receiver: FrameReceiver | null = null;
  private readonly listeners: ((up: boolean) => void)[] = [];
  private up = true;
  private readonly queue: Uint8Array[] = [];
  private busy = false;

  constructor(
    readonly name: string,
    private readonly medium: FakeMedium,
    private readonly timers: Timers,
    private readonly queueLimit: number,
  ) {}

  get capabilities(): PhyCapabilities {
    return this.medium.capabilities;
  }

  get isUp(): boolean {
    return this.up;
  }

  transmit(frame: Uint8Array): boolean {
    if (!this.up || frame.length > this.capabilities.maxFrameBytes || this.queue.length >= this.queueLimit) {
      this.stats.drops++;
      return false;
    }
    this.queue.push(frame);
    if (!this.busy) this.startNext();
    return true;
  }

  setReceiver(receiver: FrameReceiver | null): void {
    this.receiver = receiver;
  }

  onLinkChange(listener: (up: boolean) => void): void {
    this.listeners.push(listener);
  }

  setUp(up: boolean): void {
    if (this.up === up) return;
    this.up = up;
    if (!up) {
      this.stats.drops += this.queue.length;
      this.queue.length = 0;
    }
    for (const listener of this.listeners) listener(up);
  }

  deliver(frame: Uint8Array): void {
    if (!this.up) {
      this.stats.drops++;
      return;
    }
    this.stats.rxFrames++;
    this.stats.rxBytes += frame.length;
    this.receiver?.(frame);
  }

  private startNext(): void {
    const frame = this.queue.shift();
    if (frame === undefined) {
      this.busy = false;
      return;
    }
    this.busy = true;
    this.timers.schedule(serializationDelay(frame.length, this.capabilities.bitsPerSecond), () => {
      this.stats.txFrames++;
      this.stats.txBytes += frame.length;
      if (this.up) this.medium.propagate(this, frame);
      this.startNext();
    });
  }
}
