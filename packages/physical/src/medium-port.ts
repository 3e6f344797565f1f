// A port of a built-in medium (point-to-point link or hub): the PhyPort a node's link layer
// sits on. It checks each frame (port up, size), hands it to its transmitter, counts it,
// traces it, and delivers what the medium brings in to the receiver above.

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

export class MediumPort implements PhyPort {
  /** "h1:eth0": node and interface. */
  readonly name: string;
  /** The interface name ("eth0"); frame events carry it as `iface`. */
  readonly iface: string;
  readonly stats: PhyPortStats = { txFrames: 0, txBytes: 0, rxFrames: 0, rxBytes: 0, drops: 0 };
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
    /** Called when the last bit of a frame this port sent reaches the far end. */
    private readonly carry: (from: MediumPort, frame: Uint8Array) => void,
    /** Whether the medium is up when this port is attached. */
    initiallyUp = true,
  ) {
    this.up = initiallyUp;
    const prefix = `${node.name}:`;
    this.iface = portName.startsWith(prefix) ? portName.slice(prefix.length) : portName;
    this.name = prefix + this.iface;
    this.transmitter = new SerialTransmitter(node.scheduler, capabilities, queueLimit, {
      started: (frame) => {
        this.stats.txFrames++;
        this.stats.txBytes += frame.length;
        traceFrame(this.node, this.iface, 'tx', frame);
      },
      arrived: (frame) => this.carry(this, frame),
    });
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
    this.stats.rxFrames++;
    this.stats.rxBytes += frame.length;
    traceFrame(this.node, this.iface, 'rx', frame);
    this.receiver?.(frame);
  }

  /** @internal Count and trace a frame this port sent that the medium lost. */
  lose(frame: Uint8Array, reason: DropReason, detail: string): void {
    this.stats.drops++;
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
      for (const frame of inFlight) this.lose(frame, DropReason.InterfaceDown, 'link went down with the frame on the wire');
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
