// A PhyPort for benchmarks: frames handed to `deliver` go straight up to whoever listens
// (a switch, a NIC); frames the node transmits are counted and passed to `onTransmit`.
// No medium, no scheduler: the benchmark measures the layer, not the wire.

import type { FrameReceiver, PhyCapabilities, PhyPort, PhyPortStats } from '@netlayers/core';

export class BenchPort implements PhyPort {
  readonly capabilities: PhyCapabilities = { mtu: 1500, maxFrameBytes: 1522, bitsPerSecond: 1e10, propagationDelay: 0 };
  readonly stats: PhyPortStats = { txFrames: 0, txBytes: 0, rxFrames: 0, rxBytes: 0, drops: 0 };
  readonly isUp = true;
  onTransmit: ((frame: Uint8Array) => void) | null = null;
  private receiver: FrameReceiver | null = null;

  constructor(readonly name: string) {}

  transmit(frame: Uint8Array): boolean {
    this.stats.txFrames++;
    this.stats.txBytes += frame.length;
    this.onTransmit?.(frame);
    return true;
  }

  setReceiver(receiver: FrameReceiver | null): void {
    this.receiver = receiver;
  }

  onLinkChange(): void {}

  deliver(frame: Uint8Array): void {
    this.stats.rxFrames++;
    this.receiver?.(frame);
  }
}
