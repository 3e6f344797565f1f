// The edge between the simulation and a real network: a Medium with one emulated side (a
// host's interface or a switch port) whose far side is outside (a TAP device, a VXLAN
// tunnel). It gives every bridge the same options as an emulated link (one-way delay, the
// physical package's impairment wrappers in both directions, MTU), per-direction
// statistics, and visible drops: a frame lost at the boundary is counted here and on the
// port, and traced as a drop (core DropReason) on the attached node.
//
// Real peers send Ethernet frames without the FCS; the emulator's frames carry one (IEEE
// 802.3 clause 3.2.9). Going out the FCS is stripped; coming in, short frames are padded to
// the 60-byte minimum and a computed FCS is appended.

import {
  DropReason,
  InvalidArgumentError,
  InvalidStateError,
  crc32,
  parseDuration,
  type FrameReceiver,
  type Medium,
  type NodeContext,
  type PhyCapabilities,
  type PhyPort,
  type PhyPortStats,
  type Scheduler,
} from '@netlayers/core';
import { impair, traceFrame, traceLostFrame, validateImpairments, type ImpairmentOptions } from '@netlayers/physical';
import { noteDeparture, scheduleArrival } from './realtime.ts';

export interface BoundaryOptions {
  /** MTU of the emulated side (default 1500). */
  readonly mtu?: number;
  /** Extra one-way delay in each direction ("2ms" or ns; default 0). */
  readonly delay?: string | number;
  /** Impairments as on any emulated link, applied in each direction (loss, jitter, rate limit...). */
  readonly impairments?: ImpairmentOptions;
  /** Frames from outside that may wait for the simulation before it takes them (default 8192); beyond it they drop with QueueFull. */
  readonly queueLimit?: number;
}

export interface BoundaryDirectionStats {
  frames: number;
  bytes: number;
  /** Frames dropped at the boundary in this direction (all reasons, impairments included). */
  drops: number;
  /** Of those, frames the impairments lost (loss, rate limit); also under `impairment` in dropsByReason. */
  impairmentDrops: number;
  readonly dropsByReason: Partial<Record<DropReason, number>>;
}

/** outbound: emulator -> real network; inbound: real network -> emulator. */
export interface BoundaryStats {
  readonly outbound: BoundaryDirectionStats;
  readonly inbound: BoundaryDirectionStats;
  /** Inbound frames waiting for the simulation right now. */
  readonly inboundQueued: number;
  /** Largest inbound backlog seen. */
  readonly inboundQueuedPeak: number;
}

const ETHERNET_MIN_NO_FCS = 60;

/** The frame with a computed FCS appended (and padded to the minimum size first). */
export function withFcs(body: Uint8Array): Uint8Array {
  const padded = Math.max(ETHERNET_MIN_NO_FCS, body.length);
  const frame = new Uint8Array(padded + 4);
  frame.set(body);
  const fcs = crc32(frame, 0, padded);
  frame[padded] = fcs & 0xff;
  frame[padded + 1] = (fcs >>> 8) & 0xff;
  frame[padded + 2] = (fcs >>> 16) & 0xff;
  frame[padded + 3] = fcs >>> 24;
  return frame;
}

function directionStats(): BoundaryDirectionStats {
  return { frames: 0, bytes: 0, drops: 0, impairmentDrops: 0, dropsByReason: {} };
}

export abstract class BoundaryMedium implements Medium {
  readonly capabilities: PhyCapabilities;
  /** Added one-way delay in ns. */
  readonly delay: number;
  readonly queueLimit: number;
  private readonly impairments: ImpairmentOptions | undefined;
  private readonly directions = { outbound: directionStats(), inbound: directionStats() };
  private queued = 0;
  private queuedPeak = 0;
  private attached: BoundaryPort | null = null;
  /** Where inbound frames enter: the impairments (if any) in front of the port's delivery. */
  private inboundEntry: PhyPort | null = null;
  /** What the node transmits into: the impairments (if any) in front of the port. */
  private outboundEntry: PhyPort | null = null;

  protected constructor(
    readonly name: string,
    protected readonly scheduler: Scheduler,
    options: BoundaryOptions,
    /** The protocol name frame and drop events carry ('tap', 'vxlan'). */
    protected readonly protocol: string,
  ) {
    const mtu = options.mtu ?? 1500;
    if (!Number.isInteger(mtu) || mtu < 68 || mtu > 65000) throw new InvalidArgumentError('mtu', mtu, 'must be an integer from 68 to 65000');
    this.capabilities = { mtu, maxFrameBytes: mtu + 22, bitsPerSecond: 1e9, propagationDelay: 0 };
    this.delay = options.delay === undefined ? 0 : parseDuration(options.delay);
    if (options.impairments !== undefined) validateImpairments(options.impairments);
    this.impairments = options.impairments;
    this.queueLimit = options.queueLimit ?? 8192;
    if (!Number.isInteger(this.queueLimit) || this.queueLimit < 1) throw new InvalidArgumentError('queueLimit', this.queueLimit, 'must be a positive integer');
  }

  get stats(): BoundaryStats {
    const port = this.attached;
    const impaired = (entry: PhyPort | null): number => (port === null || entry === null ? 0 : entry.stats.drops - port.stats.drops);
    const view = (d: BoundaryDirectionStats, lost: number): BoundaryDirectionStats => ({
      ...d,
      drops: d.drops + lost,
      impairmentDrops: lost,
      dropsByReason: lost === 0 ? { ...d.dropsByReason } : { ...d.dropsByReason, [DropReason.Impairment]: (d.dropsByReason[DropReason.Impairment] ?? 0) + lost },
    });
    return {
      outbound: view(this.directions.outbound, impaired(this.outboundEntry)),
      inbound: view(this.directions.inbound, impaired(this.inboundEntry)),
      inboundQueued: this.queued,
      inboundQueuedPeak: this.queuedPeak,
    };
  }

  attach(node: NodeContext, portName: string): PhyPort {
    if (this.attached !== null) throw new InvalidStateError('ERR_PORT_IN_USE', `${this.name} has one emulated side only; it is attached to ${this.attached.name}`);
    const port = new BoundaryPort(node, portName, this.capabilities, this.protocol, (frame) => this.outbound(frame));
    this.attached = port;
    const inner: PhyPort = {
      name: `${port.name}<-${this.protocol}`,
      capabilities: this.capabilities,
      isUp: true,
      stats: port.stats,
      transmit: (frame) => {
        this.countFrame('inbound', frame);
        port.deliver(frame);
        return true;
      },
      setReceiver: () => undefined,
      onLinkChange: () => undefined,
    };
    this.inboundEntry = this.impairments === undefined ? inner : impair(inner, node, this.impairments);
    this.outboundEntry = this.impairments === undefined ? port : impair(port, node, this.impairments);
    return this.outboundEntry;
  }

  /** Send a frame (FCS already stripped) to the real network. */
  protected abstract sendOut(body: Uint8Array): void;

  /** Bytes the real side has not taken yet (the outbound backlog), or 0. */
  protected outboundBacklog(): number {
    return 0;
  }

  /** Largest outbound backlog in bytes before frames drop with QueueFull. */
  protected readonly outboundBacklogLimit = 32 << 20;

  /** A frame (no FCS) came in from the real network at CLOCK_MONOTONIC `arrival`. */
  protected receiveFromOutside(body: Uint8Array, arrival: bigint): void {
    if (body.length > this.capabilities.maxFrameBytes - 4) {
      this.dropInbound(DropReason.TooBig, `${body.length}-byte frame exceeds the MTU ${this.capabilities.mtu}`, body.length);
      return;
    }
    if (this.queued >= this.queueLimit) {
      this.dropInbound(DropReason.QueueFull, `${this.queued} frames already wait for the simulation (queueLimit ${this.queueLimit})`, body.length);
      return;
    }
    const frame = withFcs(body);
    this.queued++;
    if (this.queued > this.queuedPeak) this.queuedPeak = this.queued;
    scheduleArrival(this.scheduler, arrival, this.delay, () => {
      this.queued--;
      if (this.inboundEntry === null) this.dropInbound(DropReason.InterfaceDown, `${this.name} is not attached yet`, frame.length);
      else this.inboundEntry.transmit(frame);
    });
  }

  /** Frames the real side reports it lost before we saw them (a relay's overflow). */
  protected lostOutside(count: number, reason: DropReason, detail: string): void {
    for (let i = 0; i < count; i++) this.dropInbound(reason, detail, 0);
  }

  private outbound(frame: Uint8Array): boolean {
    const backlog = this.outboundBacklog();
    if (backlog > this.outboundBacklogLimit) {
      this.drop('outbound', DropReason.QueueFull, `${backlog} bytes wait for the ${this.protocol} side`, frame);
      return false;
    }
    this.countFrame('outbound', frame);
    const body = frame.subarray(0, frame.length - 4);
    if (this.delay > 0) {
      this.scheduler.schedule(this.delay, () => this.sendOut(body));
    } else {
      noteDeparture(this.scheduler);
      this.sendOut(body);
    }
    return true;
  }

  private countFrame(direction: 'outbound' | 'inbound', frame: Uint8Array): void {
    const d = this.directions[direction];
    d.frames++;
    d.bytes += frame.length;
  }

  private dropInbound(reason: DropReason, detail: string, length: number): void {
    this.drop('inbound', reason, detail, new Uint8Array(length));
  }

  private drop(direction: 'outbound' | 'inbound', reason: DropReason, detail: string, frame: Uint8Array): void {
    const d = this.directions[direction];
    d.drops++;
    d.dropsByReason[reason] = (d.dropsByReason[reason] ?? 0) + 1;
    const port = this.attached;
    if (port === null) return;
    port.stats.drops++;
    traceLostFrame(port.node, port.iface, reason, `${direction}: ${detail}`, frame, this.protocol);
  }
}

/** The emulated side's port: checks and counts what it sends, delivers what comes in. */
export class BoundaryPort implements PhyPort {
  readonly stats: PhyPortStats = { txFrames: 0, txBytes: 0, rxFrames: 0, rxBytes: 0, drops: 0 };
  readonly isUp = true;
  readonly name: string;
  /** The interface name frame events carry ("eth0"). */
  readonly iface: string;
  private receiver: FrameReceiver | null = null;

  constructor(
    readonly node: NodeContext,
    portName: string,
    readonly capabilities: PhyCapabilities,
    private readonly protocol: string,
    private readonly out: (frame: Uint8Array) => boolean,
  ) {
    const prefix = `${node.name}:`;
    this.iface = portName.startsWith(prefix) ? portName.slice(prefix.length) : portName;
    this.name = prefix + this.iface;
  }

  transmit(frame: Uint8Array): boolean {
    if (frame.length > this.capabilities.maxFrameBytes) {
      this.stats.drops++;
      traceLostFrame(this.node, this.iface, DropReason.TooBig, `${frame.length}-byte frame exceeds the ${this.capabilities.maxFrameBytes}-byte maximum`, frame, this.protocol);
      return false;
    }
    if (!this.out(frame)) return false;
    this.stats.txFrames++;
    this.stats.txBytes += frame.length;
    traceFrame(this.node, this.iface, 'tx', frame, undefined, this.protocol);
    return true;
  }

  setReceiver(receiver: FrameReceiver | null): void {
    this.receiver = receiver;
  }

  onLinkChange(): void {
    // The far side of a bridge has no carrier we can see; the port stays up.
  }

  /** @internal A frame from the real network, now, at its arrival's virtual time. */
  deliver(frame: Uint8Array): void {
    this.stats.rxFrames++;
    this.stats.rxBytes += frame.length;
    traceFrame(this.node, this.iface, 'rx', frame, undefined, this.protocol);
    this.receiver?.(frame);
  }
}
