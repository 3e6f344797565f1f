// A small fake of the link-layer contract (LinkInterface) for the network layer's tests: a
// shared segment ("wire") that delivers a copy of each packet after a fixed delay, resolves
// an IPv4 next hop to the link that holds that address (what ARP would do), and lets a test
// watch, lose or alter frames. No @netlayers/link or physical code is involved.

import {
  Ipv4Address,
  Packet,
  createNodeContext,
  createSimulationContext,
  type LinkDestination,
  type LinkInterface,
  type LinkInterfaceStats,
  type LinkProtocolHandler,
  type NodeContext,
  type SimulationContext,
} from '@netlayers/core';

export interface WireFrame {
  readonly time: number;
  readonly from: string;
  readonly etherType: number;
  readonly destination: LinkDestination;
  /** A copy of the network-layer packet as sent. */
  readonly bytes: Uint8Array;
}

/** Return false to lose the frame; may change `bytes` in place. */
export type WireFilter = (frame: WireFrame) => boolean;

export class FakeWire {
  readonly frames: WireFrame[] = [];
  readonly links: FakeLink[] = [];
  filter: WireFilter | null = null;
  unresolved = 0;

  constructor(
    readonly sim: SimulationContext,
    /** One-way delay in nanoseconds. */
    readonly delay: number,
  ) {}

  transmit(from: FakeLink, bytes: Uint8Array, etherType: number, destination: LinkDestination): void {
    const frame: WireFrame = { time: this.sim.scheduler.now(), from: from.name, etherType, destination, bytes };
    this.frames.push(frame);
    if (this.filter !== null && !this.filter(frame)) return;
    const others = this.links.filter((l) => l !== from && l.isUp);
    let targets: FakeLink[];
    if (destination.kind === 'broadcast') targets = others;
    else if (destination.kind === 'ipv4') targets = others.filter((l) => l.addresses.some((a) => a.equals(destination.nextHop)));
    else targets = [];
    if (targets.length === 0) this.unresolved++;
    for (const target of targets) {
      const copy = bytes.slice();
      this.sim.scheduler.schedule(this.delay, () => target.deliver(copy, etherType, destination.kind === 'broadcast'));
    }
  }
}

export class FakeLink implements LinkInterface {
  readonly hardwareAddress = null;
  readonly stats: LinkInterfaceStats = { txFrames: 0, rxFrames: 0, txBytes: 0, rxBytes: 0, drops: 0 };
  addresses: readonly Ipv4Address[] = [];
  isUp = true;
  private readonly handlers = new Map<number, LinkProtocolHandler>();
  private readonly stateListeners: ((up: boolean) => void)[] = [];

  constructor(
    readonly name: string,
    readonly wire: FakeWire,
    readonly mtu = 1500,
  ) {
    wire.links.push(this);
  }

  setIpv4Addresses(addresses: readonly Ipv4Address[]): void {
    this.addresses = [...addresses];
  }

  send(packet: Packet, etherType: number, destination: LinkDestination): void {
    if (packet.length > this.mtu) throw new Error(`fake link ${this.name}: ${packet.length} bytes exceed MTU ${this.mtu}`);
    this.stats.txFrames++;
    this.stats.txBytes += packet.length;
    this.wire.transmit(this, packet.toBytes(), etherType, destination);
  }

  registerProtocol(etherType: number, handler: LinkProtocolHandler): void {
    this.handlers.set(etherType, handler);
  }

  onStateChange(listener: (up: boolean) => void): void {
    this.stateListeners.push(listener);
  }

  setUp(up: boolean): void {
    this.isUp = up;
    for (const l of this.stateListeners) l(up);
  }

  /** Hand received bytes up, with 4 bytes of "link padding" after them as Ethernet would add. */
  deliver(bytes: Uint8Array, etherType: number, broadcast: boolean): void {
    this.stats.rxFrames++;
    this.stats.rxBytes += bytes.length;
    const handler = this.handlers.get(etherType);
    if (handler === undefined) return;
    const padded = new Uint8Array(bytes.length + 4);
    padded.set(bytes);
    const packet = Packet.wrap(padded);
    packet.truncate(bytes.length + 4);
    handler(packet, { iface: this, source: null, destination: null, broadcast });
  }

  /** Inject raw bytes as if they arrived on this link. */
  inject(bytes: Uint8Array, broadcast = false): void {
    this.deliver(bytes, 0x0800, broadcast);
  }
}

export function simulation(seed = 1): SimulationContext {
  return createSimulationContext(seed);
}

export function nodeIn(sim: SimulationContext, name: string): NodeContext {
  return createNodeContext(sim, name);
}
