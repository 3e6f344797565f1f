// The medium between two capture points. A node's port traces 'tx' when it hands a frame to
// the medium (serialization starts) and 'rx' when the medium delivers one, as tcpdump taps a
// NIC; everything the medium does in between happens here, on a Wire per sending port:
// the impairments of the medium's options (loss, duplication, corruption, reordering,
// jitter, rate limit), then delivery. What the wire does is traced with the medium's name
// as the event's node and the sending port ("a:eth0") as its iface; drops are counted on
// the sending node (drop.physical.<reason>) and in its port's stats.

import { DropReason, Tracer, type FrameReceiver, type NodeContext, type PhyCapabilities, type PhyPort, type PhyPortStats } from '@netlayers/core';
import { impair } from './impairments/impair.ts';
import type { ImpairmentOptions } from './impairments/options.ts';
import { traceLostFrame } from './trace.ts';

/** What a wire needs of its medium. */
export interface WireMedium {
  readonly name: string;
  readonly isUp: boolean;
}

/**
 * The medium as seen by one sending port: a NodeContext whose tracer stamps the medium's
 * name, whose counters are the sending node's, and whose random stream is the sending
 * node's (so impairment draws fork as "impair:<kind>:<port name>", as they always have).
 */
export function mediumContext(mediumName: string, sender: NodeContext): NodeContext {
  return {
    name: mediumName,
    scheduler: sender.scheduler,
    tracer: new Tracer(sender.tracer.bus, sender.scheduler, mediumName, sender.counters),
    random: sender.random,
    counters: sender.counters,
  };
}

/** The end of a wire: hands what survived the impairments to the medium for delivery. */
class WireEnd implements PhyPort {
  readonly stats: PhyPortStats = { txFrames: 0, txBytes: 0, rxFrames: 0, rxBytes: 0, drops: 0 };

  constructor(
    /** The sending port's name ("a:eth0"); also the iface of the medium's events. */
    readonly name: string,
    readonly capabilities: PhyCapabilities,
    private readonly medium: WireMedium,
    private readonly context: NodeContext,
    private readonly deliver: (frame: Uint8Array) => void,
  ) {}

  get iface(): string {
    return this.name;
  }

  get isUp(): boolean {
    return this.medium.isUp;
  }

  transmit(frame: Uint8Array): boolean {
    if (!this.medium.isUp) {
      this.lose(frame, DropReason.InterfaceDown, 'the link went down while the medium held the frame');
      return true;
    }
    this.deliver(frame);
    return true;
  }

  lose(frame: Uint8Array, reason: DropReason, detail: string): void {
    this.stats.drops++;
    traceLostFrame(this.context, this.name, reason, detail, frame);
  }

  setReceiver(_receiver: FrameReceiver | null): void {}

  onLinkChange(_listener: (up: boolean) => void): void {}
}

/** One sending port's way across the medium: impairments, then delivery. */
export class Wire {
  private readonly end: WireEnd;
  private readonly head: PhyPort;

  constructor(medium: WireMedium, portName: string, capabilities: PhyCapabilities, sender: NodeContext, impairments: ImpairmentOptions | undefined, deliver: (frame: Uint8Array) => void) {
    const context = mediumContext(medium.name, sender);
    this.end = new WireEnd(portName, capabilities, medium, context, deliver);
    this.head = impairments === undefined ? this.end : impair(this.end, context, impairments);
  }

  /** The frame's last bit has left the sending port's line: the medium takes it from here. */
  carry(frame: Uint8Array): void {
    this.head.transmit(frame);
  }

  /** The medium lost a frame it was carrying (link down with the frame on the wire, no far end). */
  lose(frame: Uint8Array, reason: DropReason, detail: string): void {
    this.end.lose(frame, reason, detail);
  }

  /** Frames the medium dropped on this port's way (impairments and losses). */
  get drops(): number {
    return this.head.stats.drops;
  }
}
