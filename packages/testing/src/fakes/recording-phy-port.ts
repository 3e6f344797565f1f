// A recording PhyPort (the physical contract in @netlayers/core) for testing a link layer
// alone: it records every frame it is asked to transmit, lets a test deliver frames as if
// they arrived from the medium and take the link down; two of them can be joined by a wire
// that carries each frame to the other after a fixed virtual delay. It has no line rate or
// queue (FakeMedium has both): frames leave at once, which keeps link tests exact.

import type { FrameReceiver, PhyCapabilities, PhyPort, PhyPortStats, Scheduler } from '@netlayers/core';

export const GIGABIT_ETHERNET_CAPABILITIES: PhyCapabilities = {
  mtu: 1500,
  maxFrameBytes: 1518,
  bitsPerSecond: 1e9,
  propagationDelay: 0,
};

/** A PhyPort that records what it is asked to transmit and lets a test deliver frames. */
export class RecordingPhyPort implements PhyPort {
  readonly stats: PhyPortStats = { txFrames: 0, txBytes: 0, rxFrames: 0, rxBytes: 0, drops: 0 };
  /** Every frame handed to `transmit`, in order (copies). */
  readonly sent: Uint8Array[] = [];
  /** Called with each accepted frame (the wire uses it). */
  onTransmit: ((frame: Uint8Array) => void) | null = null;
  private receiver: FrameReceiver | null = null;
  private readonly linkListeners: ((up: boolean) => void)[] = [];
  private up: boolean;

  constructor(
    readonly name: string,
    readonly capabilities: PhyCapabilities = GIGABIT_ETHERNET_CAPABILITIES,
    up = true,
  ) {
    this.up = up;
  }

  get isUp(): boolean {
    return this.up;
  }

  transmit(frame: Uint8Array): boolean {
    if (!this.up || frame.length > this.capabilities.maxFrameBytes) {
      this.stats.drops++;
      return false;
    }
    this.stats.txFrames++;
    this.stats.txBytes += frame.length;
    this.sent.push(frame.slice());
    this.onTransmit?.(frame.slice());
    return true;
  }

  setReceiver(receiver: FrameReceiver | null): void {
    this.receiver = receiver;
  }

  onLinkChange(listener: (up: boolean) => void): void {
    this.linkListeners.push(listener);
  }

  /** A frame arrives from the medium. */
  deliver(frame: Uint8Array): void {
    this.stats.rxFrames++;
    this.stats.rxBytes += frame.length;
    this.receiver?.(frame);
  }

  setUp(up: boolean): void {
    if (up === this.up) return;
    this.up = up;
    for (const l of this.linkListeners) l(up);
  }
}

/** Two ports joined by a wire that delivers after `delayNs` of virtual time. */
export function joinedRecordingPorts(scheduler: Scheduler, delayNs: number, names: [string, string] = ['a', 'b']): [RecordingPhyPort, RecordingPhyPort] {
  const a = new RecordingPhyPort(names[0]);
  const b = new RecordingPhyPort(names[1]);
  a.onTransmit = (frame) => void scheduler.schedule(delayNs, () => b.isUp && b.deliver(frame));
  b.onTransmit = (frame) => void scheduler.schedule(delayNs, () => a.isUp && a.deliver(frame));
  return [a, b];
}
