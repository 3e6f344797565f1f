// A reference LinkInterface: interfaces attached to one segment that carries network-layer
// packets between them after a fixed delay. It resolves 'ipv4' next hops by looking at the
// addresses each interface was given (an oracle standing in for ARP, RFC 826), so a network
// layer under test needs nothing below it. Tests can watch every packet on the segment,
// inject raw bytes as if received, and take interfaces down. For exact network-layer tests
// it also keeps a log of every frame sent (resolved or not), lets a filter lose or alter
// frames, can pad delivered packets (as Ethernet pads short frames, so a layer must trust
// its own length field, RFC 791 §3.1 Total Length), gives each interface its own MTU, and can
// throw on an oversize packet instead of dropping it.

import {
  DropReason,
  EtherType,
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
  /** One-way delay (default 100 µs; a number is nanoseconds). */
  readonly delay?: string | number;
  /** Zero bytes appended to every delivered packet, as link padding (default 0). */
  readonly padding?: number;
  /** A packet over the interface's MTU: 'drop' it with a trace (default), or 'throw' (a bug in the layer above). */
  readonly oversize?: 'drop' | 'throw';
}

/** One frame as sent on the segment, in the segment's log; a filter may change `bytes` in place. */
export interface SegmentFrame {
  /** Virtual time it was sent, ns. */
  readonly time: number;
  /** The sending interface's name. */
  readonly from: string;
  readonly iface: FakeLinkInterface;
  readonly etherType: number;
  readonly destination: LinkDestination;
  /** A copy of the network-layer packet as sent. */
  readonly bytes: Uint8Array;
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
  readonly padding: number;
  readonly oversize: 'drop' | 'throw';
  /** Every frame sent, in order, whether or not anything received it. */
  readonly frames: SegmentFrame[] = [];
  /** Return false to lose a frame (after it is logged); may change `frame.bytes` in place. */
  filter: ((frame: SegmentFrame) => boolean) | null = null;
  /** Frames whose destination no interface on the segment had. */
  unresolved = 0;
  private readonly members: FakeLinkInterface[] = [];
  private readonly taps: ((t: SegmentTransfer) => void)[] = [];
  private nextMac = 1;

  constructor(options: FakeLinkSegmentOptions = {}) {
    this.mtu = options.mtu ?? 1500;
    this.delay = parseDuration(options.delay ?? '100us');
    this.padding = options.padding ?? 0;
    this.oversize = options.oversize ?? 'drop';
  }

  /** Attach `node` with an interface called `name` (default "eth0"), of MTU `options.mtu` (default the segment's). */
  attach(node: NodeContext, name = 'eth0', options: { readonly mtu?: number } = {}): FakeLinkInterface {
    const mac = MacAddress.fromKey(0x020000000000 + this.nextMac++ + (this.members.length << 8));
    const iface = new FakeLinkInterface(node, name, mac, this, options.mtu ?? this.mtu);
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
    const frame: SegmentFrame = { time: from.node.scheduler.now(), from: from.name, iface: from, etherType, destination, bytes: packet.toBytes() };
    this.frames.push(frame);
    const targets = this.targetsFor(from, destination);
    if (targets === null) {
      this.unresolved++;
      from.node.tracer.drop('link', 'fake-link', DropReason.ArpFailed, `no interface on the segment has ${describe(destination)}`, packet.length, { iface: from.name });
      from.stats.drops++;
      return;
    }
    from.stats.txFrames++;
    from.stats.txBytes += frame.bytes.length;
    if (this.filter !== null && !this.filter(frame)) return;
    const bytes = frame.bytes;
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
    readonly mtu: number,
  ) {}

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
      if (this.segment.oversize === 'throw') throw new InvalidArgumentError('packet', packet.length, `exceeds the MTU of ${this.name} (${this.mtu} bytes)`);
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

  /** Hand `bytes` to the protocol registered for `etherType` (default IPv4), as if they arrived from the segment. */
  inject(bytes: Uint8Array, etherType: number = EtherType.IPv4, options: { source?: MacAddress; broadcast?: boolean } = {}): void {
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
    const padding = this.segment.padding;
    let delivered = bytes;
    if (padding > 0) {
      delivered = new Uint8Array(bytes.length + padding);
      delivered.set(bytes);
    }
    handler(Packet.wrap(delivered), { iface: this, source, destination, broadcast });
  }
}
