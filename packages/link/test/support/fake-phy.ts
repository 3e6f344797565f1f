// Test fakes for the physical-layer contract (PhyPort): a port that records what it was
// asked to transmit and lets a test deliver frames, and a two-port wire that carries each
// frame to the other end after a fixed virtual delay. No @netlayers/physical here: a layer's
// tests stand on fakes of its neighbours' contracts.

import {
  createNodeContext,
  createSimulationContext,
  type FrameReceiver,
  type NodeContext,
  type PhyCapabilities,
  type PhyPort,
  type PhyPortStats,
  type Scheduler,
  type SimulationContext,
  type TraceEvent,
} from '@netlayers/core';

export const ETHERNET_CAPABILITIES: PhyCapabilities = {
  mtu: 1500,
  maxFrameBytes: 1518,
  bitsPerSecond: 1e9,
  propagationDelay: 0,
};

export class FakePort implements PhyPort {
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
    readonly capabilities: PhyCapabilities = ETHERNET_CAPABILITIES,
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
export function createWire(scheduler: Scheduler, delayNs: number, names: [string, string] = ['a', 'b']): [FakePort, FakePort] {
  const a = new FakePort(names[0]);
  const b = new FakePort(names[1]);
  a.onTransmit = (frame) => void scheduler.schedule(delayNs, () => b.isUp && b.deliver(frame));
  b.onTransmit = (frame) => void scheduler.schedule(delayNs, () => a.isUp && a.deliver(frame));
  return [a, b];
}

/** A simulation, named node contexts, and a recorder of every trace event. */
export function createTestSimulation(seed: number | string = 1): {
  sim: SimulationContext;
  node: (name: string) => NodeContext;
  events: TraceEvent[];
} {
  const sim = createSimulationContext(seed);
  const events: TraceEvent[] = [];
  sim.trace.on('event', (e) => events.push(e));
  return { sim, node: (name) => createNodeContext(sim, name), events };
}
