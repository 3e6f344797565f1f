// A port of a built-in medium (point-to-point link or hub): the PhyPort a node's link layer
// sits on, and the node's capture point. It checks each frame (port up, size, queue), hands
// it to its transmitter, traces 'tx' when serialization starts (the frame is handed to the
// medium, before anything the medium does to it) and 'rx' when the medium delivers one.

import {
  DropReason,
  InvalidArgumentError,
  type FrameReceiver,
  type NodeContext,
  type PhyPort,
  type PhyPortStats,
} from '@netlayers/core';
import type { PhysicalCapabilities } from './options.ts';
import { SerialTransmitter } from './transmitter.ts';
import { traceFrame, traceLostFrame } from './trace.ts';

/** What a port needs of its medium: take a frame whose last bit has left, or record one it lost. */
export interface MediumSide {
  /** The frame's last bit has left `from`'s line: the medium carries it on. */
  carry(from: MediumPort, frame: Uint8Array): void;
  /** The medium lost a frame `from` had handed it (link down with the frame on the wire). */
  lose(from: MediumPort, frame: Uint8Array, reason: DropReason, detail: string): void;
  /** Frames the medium dropped of those `from` handed it. */
  drops(from: MediumPort): number;
}

export class MediumPort implements PhyPort {
  /** "h1:eth0": node and interface. */
  readonly name: string;
  /** The interface name ("eth0"); frame events carry it as `iface`. */
  readonly iface: string;
  private readonly counts: PhyPortStats = { txFrames: 0, txBytes: 0, rxFrames: 0, rxBytes: 0, drops: 0 };
  private readonly transmitter: SerialTransmitter;
  private receiver: FrameReceiver | null = null;
  private readonly linkListeners: ((up: boolean) => void)[] = [];
  private up: boolean;

  constructor(
    /** The node this port belongs to (its tracer and counters record what happens here). */
    readonly node: NodeContext,
    /** The name given to attach: "eth0", or already qualified as "h1:eth0". */
    portName: string,
    readonly capabilities: PhysicalCapabilities,
    queueLimit: number,
    /** The medium: carries what this port sends, and records what it loses of it. */
    private readonly medium: MediumSide,
    /** Whether the medium is up when this port is attached. */
    initiallyUp = true,
  ) {
    this.up = initiallyUp;
    const prefix = `${node.name}:`;
    this.iface = portName.startsWith(prefix) ? portName.slice(prefix.length) : portName;
    this.name = prefix + this.iface;
    this.transmitter = new SerialTransmitter(node.scheduler, capabilities, queueLimit, {
      started: (frame) => {
        this.counts.txFrames++;
        this.counts.txBytes += frame.length;
        traceFrame(this.node, this.iface, 'tx', frame);
      },
      arrived: (frame) => this.medium.carry(this, frame),
    });
  }

  /** Counters: drops are this port's refusals plus what the medium lost of its frames. */
  get stats(): PhyPortStats {
    return { ...this.counts, drops: this.counts.drops + this.medium.drops(this) };
  }

  get isUp(): boolean {
    return this.up;
  }

  /** Frames waiting behind the one being serialized. */
  get queueLength(): number {
    return this.transmitter.queueLength;
  }

  transmit(frame: Uint8Array): boolean {
    if (!(frame instanceof Uint8Array)) throw new InvalidArgumentError('frame', frame, 'must be a Uint8Array');
    if (!this.up) return this.reject(DropReason.InterfaceDown, `${this.name} is down`, frame);
    if (frame.length > this.capabilities.maxFrameBytes) {
      return this.reject(DropReason.TooBig, `${frame.length}-byte frame exceeds the ${this.capabilities.maxFrameBytes}-byte maximum`, frame);
    }
    if (!this.transmitter.offer(frame)) {
      return this.reject(DropReason.QueueFull, `transmit queue full (${this.transmitter.queueLength} frames)`, frame);
    }
    return true;
  }

  setReceiver(receiver: FrameReceiver | null): void {
    this.receiver = receiver;
  }

  onLinkChange(listener: (up: boolean) => void): void {
    this.linkListeners.push(listener);
  }

  /** @internal The medium delivers a frame's last bit here. */
  deliver(frame: Uint8Array): void {
    this.counts.rxFrames++;
    this.counts.rxBytes += frame.length;
    traceFrame(this.node, this.iface, 'rx', frame);
    this.receiver?.(frame);
  }

  /** @internal Count and trace a frame this port refused or dropped before the medium had it. */
  lose(frame: Uint8Array, reason: DropReason, detail: string): void {
    this.counts.drops++;
    traceLostFrame(this.node, this.iface, reason, detail, frame);
  }

  /**
   * @internal Change the carrier state without notifying listeners yet. Going down loses the
   * frame on the line, those in flight and those queued. Returns true when the state changed.
   */
  setCarrier(up: boolean): boolean {
    if (up === this.up) return false;
    this.up = up;
    if (!up) {
      const { inFlight, queued } = this.transmitter.flush();
      for (const frame of inFlight) this.medium.lose(this, frame, DropReason.InterfaceDown, 'link went down with the frame on the wire');
      for (const frame of queued) this.lose(frame, DropReason.InterfaceDown, 'link went down with the frame queued');
    }
    if (this.node.tracer.active) {
      this.node.tracer.emit({ kind: 'state', role: 'physical', protocol: 'phy', iface: this.iface, entity: this.name, from: up ? 'down' : 'up', to: up ? 'up' : 'down' });
    }
    return true;
  }

  /** @internal Tell the listeners (after every port of the medium has changed state). */
  notifyLinkChange(): void {
    for (const listener of this.linkListeners) listener(this.up);
  }

  private reject(reason: DropReason, detail: string, frame: Uint8Array): false {
    this.lose(frame, reason, detail);
    return false;
  }
}
