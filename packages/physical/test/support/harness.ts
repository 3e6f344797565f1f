// Test helpers for the physical layer: numbered frames,
// arrival recorders, a trace recorder, and a fake inner PhyPort that records what an
// impairment hands it (so impairments are tested without any medium).

import {
  type FrameReceiver,
  type NodeContext,
  type PhyCapabilities,
  type PhyPort,
  type PhyPortStats,
  type SimulationContext,
  type TraceEvent,
  type FrameEvent,
} from '@netlayers/core';
import { createWorld, type TestWorld } from '@netlayers/testing';

export type { TestWorld };

/** A simulation with named nodes: @netlayers/testing's, with nobody listening to the trace (tests that want it call recordTrace). */
export function world(seed: number | string = 1): TestWorld {
  return createWorld(seed, { recordTrace: false });
}

/** A frame of `length` bytes whose first four bytes hold `seq` (big-endian) and the rest a pattern. */
export function numberedFrame(seq: number, length = 64): Uint8Array {
  const f = new Uint8Array(length);
  for (let i = 4; i < length; i++) f[i] = (i * 7 + seq) & 0xff;
  new DataView(f.buffer).setUint32(0, seq);
  return f;
}

export function seqOf(frame: Uint8Array): number {
  return new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getUint32(0);
}

export interface Arrival {
  time: number;
  frame: Uint8Array;
}

/** Record every frame `port` receives, with the virtual time it arrived. */
export function recordArrivals(port: PhyPort, sim: SimulationContext): Arrival[] {
  const arrivals: Arrival[] = [];
  port.setReceiver((frame) => arrivals.push({ time: sim.scheduler.now(), frame }));
  return arrivals;
}

export function recordTrace(sim: SimulationContext): TraceEvent[] {
  const events: TraceEvent[] = [];
  sim.trace.on('event', (e) => events.push(e));
  return events;
}

export function frameEvents(events: TraceEvent[]): FrameEvent[] {
  return events.filter((e): e is FrameEvent => e.kind === 'frame');
}

/** Hamming distance between two equal-length byte arrays. */
export function bitDifference(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) throw new Error('length mismatch');
  let bits = 0;
  for (let i = 0; i < a.length; i++) {
    let x = a[i]! ^ b[i]!;
    while (x !== 0) {
      bits += x & 1;
      x >>>= 1;
    }
  }
  return bits;
}

export interface Sent {
  time: number;
  frame: Uint8Array;
}

/** A fake inner port: accepts everything and records the time and bytes of each transmit. */
export class RecordingPort implements PhyPort {
  readonly sent: Sent[] = [];
  readonly stats: PhyPortStats = { txFrames: 0, txBytes: 0, rxFrames: 0, rxBytes: 0, drops: 0 };
  readonly capabilities: PhyCapabilities;
  receiver: FrameReceiver | null = null;
  readonly listeners: ((up: boolean) => void)[] = [];
  isUp = true;

  constructor(
    readonly name: string,
    private readonly node: NodeContext,
    maxFrameBytes = 1522,
  ) {
    this.capabilities = { mtu: maxFrameBytes - 22, maxFrameBytes, bitsPerSecond: 1e9, propagationDelay: 0 };
  }

  transmit(frame: Uint8Array): boolean {
    this.stats.txFrames++;
    this.stats.txBytes += frame.length;
    this.sent.push({ time: this.node.scheduler.now(), frame });
    return true;
  }

  setReceiver(receiver: FrameReceiver | null): void {
    this.receiver = receiver;
  }

  onLinkChange(listener: (up: boolean) => void): void {
    this.listeners.push(listener);
  }
}
