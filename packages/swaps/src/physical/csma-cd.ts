// A shared half-duplex bus with CSMA/CD (IEEE 802.3 clause 4, "Ethernet" as it was on coax
// and repeater hubs): the swap for @netlayers/physical's full-duplex link. Every station is
// one propagation delay from every other (a repeater hub with equal cables). A station's
// carrier reaches the others `delay` after it starts and stays until `delay` after it
// stops; transmissions that overlap collide, and only a frame nothing overlapped is
// delivered, to every other station, `delay` after its last bit.

import {
  assertIntegerInRange,
  InvalidArgumentError,
  parseBandwidth,
  parseDuration,
  type Medium,
  type NodeContext,
  type PhyCapabilities,
  type Random,
  type SimulationContext,
} from '@netlayers/core';
import { CsmaCdStation, PREAMBLE_BYTES, type CsmaCdStationStats, type SharedBus, type Signal } from './csma-cd-station.ts';

export interface CsmaCdOptions {
  name?: string;
  /** Line rate (default "10Mbps", classic Ethernet). */
  bandwidth?: string | number;
  /** Propagation delay between any two stations (default "1us", about 200 m of coax). */
  delay?: string | number;
  /** Largest network-layer packet (default 1500; frames up to mtu + 22 bytes). */
  mtu?: number;
  /** Frames that may wait behind the one a station is attempting (default 100). */
  queueLimit?: number;
}

export interface CsmaCdCapabilities extends PhyCapabilities {
  /** Preamble + SFD bytes sent before each frame (the inter-frame gap is timed separately). */
  readonly framingOverhead: number;
}

/** "h1:eth0" from node h1 and "eth0" (or an already qualified "h1:eth0"). */
function qualified(node: NodeContext, portName: string): string {
  return portName.startsWith(`${node.name}:`) ? portName : `${node.name}:${portName}`;
}

export class CsmaCdBus implements Medium, SharedBus {
  readonly capabilities: CsmaCdCapabilities;
  private readonly stations: CsmaCdStation[] = [];
  /** Signals recent enough to matter for carrier sense and collision checks, oldest first. */
  private signals: Signal[] = [];
  private readonly explicitName: string | undefined;
  private readonly queueLimit: number;

  constructor(
    private readonly sim: SimulationContext,
    options: CsmaCdOptions = {},
  ) {
    const bitsPerSecond = parseBandwidth(options.bandwidth ?? '10Mbps');
    const propagationDelay = parseDuration(options.delay ?? '1us');
    const mtu = options.mtu ?? 1500;
    assertIntegerInRange('mtu', mtu, 68, 65535);
    this.queueLimit = options.queueLimit ?? 100;
    assertIntegerInRange('queueLimit', this.queueLimit, 0, 2 ** 31 - 1);
    this.explicitName = options.name;
    this.capabilities = { mtu, maxFrameBytes: mtu + 22, bitsPerSecond, propagationDelay, framingOverhead: PREAMBLE_BYTES };
  }

  get name(): string {
    return this.explicitName ?? `csma-cd[${this.stations.map((s) => s.name).join(', ')}]`;
  }

  /** The stations attached so far. */
  get ports(): readonly CsmaCdStation[] {
    return this.stations;
  }

  /** Totals over every station. */
  get stats(): CsmaCdStationStats {
    const total: CsmaCdStationStats = { collisions: 0, deferrals: 0, excessiveCollisionDrops: 0, lateCollisions: 0 };
    for (const s of this.stations) {
      total.collisions += s.csmaStats.collisions;
      total.deferrals += s.csmaStats.deferrals;
      total.excessiveCollisionDrops += s.csmaStats.excessiveCollisionDrops;
      total.lateCollisions += s.csmaStats.lateCollisions;
    }
    return total;
  }

  /**
   * Attach a station. Its backoff draws come from `random` (default: the node's stream forked
   * as "csma-cd:backoff:<node>:<port>"); passing two stations equal streams makes them collide
   * on every attempt, which is how the excessive-collision path is shown.
   */
  attach(node: NodeContext, portName: string, random: Random = node.random.fork(`csma-cd:backoff:${qualified(node, portName)}`)): CsmaCdStation {
    if (node.scheduler !== this.sim.scheduler) {
      throw new InvalidArgumentError('node', node.name, `belongs to another simulation than ${this.name}`);
    }
    const station = new CsmaCdStation(node, portName, this, this.queueLimit, random);
    this.stations.push(station);
    return station;
  }

  carrierSensed(station: CsmaCdStation): boolean {
    const now = this.sim.scheduler.now();
    const delay = this.capabilities.propagationDelay;
    return this.signals.some((s) => s.station !== station && s.start + delay <= now && now < s.end + delay);
  }

  lastCarrierEnd(station: CsmaCdStation): number {
    const now = this.sim.scheduler.now();
    const delay = this.capabilities.propagationDelay;
    let last = Number.NEGATIVE_INFINITY;
    for (const s of this.signals) {
      const quietAt = s.station === station ? s.end : s.end + delay;
      if (quietAt <= now && quietAt > last) last = quietAt;
    }
    return last;
  }

  startSignal(station: CsmaCdStation, frame: Uint8Array): Signal {
    this.prune();
    const signal: Signal = { station, start: this.sim.scheduler.now(), end: Number.POSITIVE_INFINITY, frame };
    this.signals.push(signal);
    this.sim.scheduler.schedule(this.capabilities.propagationDelay, () => {
      for (const other of this.stations) if (other !== station) other.carrierArrived(signal);
    });
    return signal;
  }

  endSignal(signal: Signal, complete: boolean): void {
    signal.end = this.sim.scheduler.now();
    this.sim.scheduler.schedule(this.capabilities.propagationDelay, () => {
      if (complete) this.deliver(signal);
      for (const other of this.stations) if (other !== signal.station) other.carrierDropped();
    });
  }

  /** The last bit of a completed frame has reached everyone: deliver it unless something overlapped it. */
  private deliver(signal: Signal): void {
    const collided = this.signals.some((s) => s !== signal && s.start < signal.end && s.end > signal.start);
    if (collided) {
      signal.station.lateCollision(signal.frame);
      return;
    }
    let first = true;
    for (const other of this.stations) {
      if (other === signal.station) continue;
      other.deliver(first ? signal.frame : signal.frame.slice());
      first = false;
    }
  }

  /** Forget signals that ended too long ago to overlap any frame still to be checked. */
  private prune(): void {
    const { propagationDelay, maxFrameBytes, bitsPerSecond } = this.capabilities;
    const longestFrame = ((maxFrameBytes + PREAMBLE_BYTES) * 8 * 1e9) / bitsPerSecond;
    const horizon = this.sim.scheduler.now() - 2 * propagationDelay - longestFrame - 1;
    if (this.signals.length > 0 && this.signals[0]!.end < horizon) {
      this.signals = this.signals.filter((s) => s.end >= horizon);
    }
  }
}
