// A reference LinkInterface: interfaces attached to one segment that carries network-layer
// packets between them after a fixed delay. It resolves 'ipv4' next hops by looking at the
// addresses each interface was given (an oracle standing in for ARP, RFC 826), so a network
// layer under test needs nothing below it. Tests can watch every packet on the segment,
// inject raw bytes as if received, and take interfaces down.

import {
  DropReason,
  InvalidArgumentError,
  MacAddress,
  Packet,
  parseDuration,
  type Ipv4Address,
  type LinkDestination,
  type LinkInterface,
  type LinkInterfaceStats,
  type LinkProtocolHandler,
  type NodeContext,
} from '@netlayers/core';

export interface FakeLinkSegmentOptions {
  /** Largest network-layer packet (default 1500). */
  readonly mtu?: number;
  /** One-way delay (default 100 µs). */
  readonly delay?: string | number;
}

/** One packet crossing the segment, as a tap sees it. */
export interface SegmentTransfer {
  readonly from: FakeLinkInterface;
  readonly to: FakeLinkInterface;
  readonly etherType: number;
  readonly bytes: Uint8Array;
}

export class FakeLinkSegment {
  readonly mtu: number;
  readonly delay: number;
  private readonly members: FakeLinkInterface[] = [];
  private readonly taps: ((t: SegmentTransfer) => void)[] = [];
  private nextMac = 1;

  constructor(options: FakeLinkSegmentOptions = {}) {
    this.mtu = options.mtu ?? 1500;
    this.delay = parseDuration(options.delay ?? '100us');
  }

  /** Attach `node` with an interface called `name` (default "eth0"). */
  attach(node: NodeContext, name = 'eth0'): FakeLinkInterface {
    const mac = MacAddress.fromKey(0x020000000000 + this.nextMac++ + (this.members.length << 8));
    const iface = new FakeLinkInterface(node, name, mac, this);
    this.members.push(iface);
    return iface;
  }

  /** See every packet the segment carries (after it is accepted for sending). */
  onTransfer(tap: (t: SegmentTransfer) => void): void {
    this.taps.push(tap);
  }

  get interfaces(): readonly FakeLinkInterface[] {
    return this.members;
  }

  /** @internal */
  carry(from: FakeLinkInterface, packet: Packet, etherType: number, destination: LinkDestination): void {
    const targets = this.targetsFor(from, destination);
    if (targets === null) {
      from.node.tracer.drop('link', 'fake-link', DropReason.ArpFailed, `no interface on the segment has ${describe(destination)}`, packet.length, { iface: from.name });
      from.stats.drops++;
      return;
    }
    const bytes = packet.toBytes();
    from.stats.txFrames++;
    from.stats.txBytes += bytes.length;
    const broadcast = destination.kind === 'broadcast' || (destination.kind === 'hardware' && destination.address.isMulticast);
    for (const to of targets) {
      for (const tap of this.taps) tap({ from, to, etherType, bytes });
      const copy = bytes.slice();
      from.node.scheduler.schedule(this.delay, () => to.receive(copy, etherType, from.hardwareAddress, broadcast ? MacAddress.BROADCAST : to.hardwareAddress, broadcast));
    }
  }

  private targetsFor(from: FakeLinkInterface, destination: LinkDestination): FakeLinkInterface[] | null {
    const others = this.members.filter((m) => m !== from && m.isUp);
    switch (destination.kind) {
      case 'broadcast':
        return others;
      case 'hardware':
        if (destination.address.isMulticast) return others;
        return nonEmpty(others.filter((m) => m.hardwareAddress.equals(destination.address)));
      case 'ipv4':
        if (destination.nextHop.isBroadcast) return others;
        return nonEmpty(others.filter((m) => m.owns(destination.nextHop)));
    }
  }
}

function nonEmpty<T>(list: T[]): T[] | null {
  return list.length === 0 ? null : list;
}

function describe(destination: LinkDestination): string {
  switch (destination.kind) {
    case 'broadcast': return 'broadcast';
    case 'hardware': return destination.address.toString();
    case 'ipv4': return destination.nextHop.toString();
  }
}

export class FakeLinkInterface implements LinkInterface {
  readonly stats: LinkInterfaceStats = { txFrames: 0, rxFrames: 0, txBytes: 0, rxBytes: 0, drops: 0 };
  private readonly handlers = new Map<number, LinkProtocolHandler>();
  private readonly listeners: ((up: boolean) => void)[] = [];
  private addresses: readonly Ipv4Address[] = [];
  private up = true;

  constructor(
    readonly node: NodeContext,
    readonly name: string,
    readonly hardwareAddress: MacAddress,
    private readonly segment: FakeLinkSegment,
  ) {}

  get mtu(): number {
    return this.segment.mtu;
  }

  get isUp(): boolean {
    return this.up;
  }

  get ipv4Addresses(): readonly Ipv4Address[] {
    return this.addresses;
  }

  setIpv4Addresses(addresses: readonly Ipv4Address[]): void {
    this.addresses = [...addresses];
  }

  owns(address: Ipv4Address): boolean {
    return this.addresses.some((a) => a.equals(address));
  }

  send(packet: Packet, etherType: number, destination: LinkDestination): void {
    if (!this.up) {
      this.stats.drops++;
      this.node.tracer.drop('link', 'fake-link', DropReason.InterfaceDown, `${this.name} is down`, packet.length, { iface: this.name });
      return;
    }
    if (packet.length > this.mtu) {
      this.stats.drops++;
      this.node.tracer.drop('link', 'fake-link', DropReason.TooBig, `${packet.length} bytes exceed the MTU of ${this.mtu}`, packet.length, { iface: this.name });
      return;
    }
    this.segment.carry(this, packet, etherType, destination);
  }

  registerProtocol(etherType: number, handler: LinkProtocolHandler): void {
    if (!Number.isInteger(etherType) || etherType < 0 || etherType > 0xffff) {
      throw new InvalidArgumentError('etherType', etherType, 'must be an integer from 0 to 0xffff');
    }
    this.handlers.set(etherType, handler);
  }

  onStateChange(listener: (up: boolean) => void): void {
    this.listeners.push(listener);
  }

  /** Take the interface down or up; listeners hear about it. */
  setUp(up: boolean): void {
    if (this.up === up) return;
    this.up = up;
    for (const listener of this.listeners) listener(up);
  }

  /** Hand `bytes` to the protocol registered for `etherType`, as if they arrived from the segment. */
  inject(bytes: Uint8Array, etherType: number, options: { source?: MacAddress; broadcast?: boolean } = {}): void {
    this.receive(bytes.slice(), etherType, options.source ?? MacAddress.ZERO, options.broadcast ? MacAddress.BROADCAST : this.hardwareAddress, options.broadcast ?? false);
  }

  /** @internal */
  receive(bytes: Uint8Array, etherType: number, source: MacAddress, destination: MacAddress, broadcast: boolean): void {
    if (!this.up) {
      this.stats.drops++;
      return;
    }
    const handler = this.handlers.get(etherType);
    if (handler === undefined) {
      this.stats.drops++;
      this.node.tracer.drop('link', 'fake-link', DropReason.UnknownProtocol, `no handler for EtherType 0x${etherType.toString(16)}`, bytes.length, { iface: this.name });
      return;
    }
    this.stats.rxFrames++;
    this.stats.rxBytes += bytes.length;
    handler(Packet.wrap(bytes), { iface: this, source, destination, broadcast });
  }
}
