// The IPv4 layer of one node (RFC 791, RFC 1122 §3.3 for hosts, RFC 1812 §5 for routers):
// interfaces and their addresses, the routing table, sending (route lookup, source
// selection, limited and directed broadcast, local delivery through the scheduler,
// fragmentation), receiving (validation, local acceptance, reassembly, demultiplexing by
// protocol number) and the decision to forward (RFC 1812 §5.3.7 martian filtering); how a
// datagram is forwarded (TTL decrement, next hop, fragmentation or ICMP errors) lives in
// forwarding.ts. ICMP (RFC 792) echo, errors and ping live in icmp-service.ts.

import {
  DropReason,
  EtherType,
  InvalidAddressError,
  InvalidArgumentError,
  IpProtocol,
  Ipv4Address,
  Ipv4Cidr,
  Packet,
  assertIntegerInRange,
  isWireError,
  parseDuration,
  parseSize,
  type IcmpErrorHandler,
  type IpInterfaceInfo,
  type IpProtocolHandler,
  type IpReceiveInfo,
  type IpSendOptions,
  type IpSendResult,
  type IpService,
  type LinkDestination,
  type LinkInterface,
  type NetworkConfigurator,
  type NodeContext,
  type RouteSource,
  type UnreachableCode,
} from '@netlayers/core';
import { fragmentDatagram } from './fragmentation.ts';
import { forwardDatagram, type Forwarder, type ForwardingInterface } from './forwarding.ts';
import { IcmpService, type IcmpErrorToSend } from './icmp-service.ts';
import type { IcmpRateLimit } from './icmp-errors.ts';
import { IcmpType, TimeExceededCode, parseQuotedDatagram } from './icmp-wire.ts';
import { traceDatagram, traceNote } from './ipv4-trace.ts';
import {
  DEFAULT_TTL,
  IPV4_MAX_DATAGRAM_LENGTH,
  emitIpv4Header,
  makeIpv4Header,
  parseIpv4,
  type Ipv4Header,
} from './ipv4-wire.ts';
import { Reassembler } from './reassembly.ts';
import { Ipv4RoutingTable } from './routing-table.ts';
import type { PingOptions, PingResult, TracerouteHop, TracerouteOptions } from './ping.ts';

export interface Ipv4LayerOptions {
  /** Forward datagrams not addressed to this node (a router). Default false. */
  readonly forwarding?: boolean;
  /** TTL of datagrams this node originates (default 64). */
  readonly defaultTtl?: number;
  /** How long fragments wait for the rest of their datagram (default '30s'). */
  readonly reassemblyTimeout?: string | number;
  /** Bytes of fragments held across all pending datagrams (default 256 KiB). */
  readonly reassemblyMemoryLimit?: number | string;
  /** Token bucket for ICMP errors (default burst 50, 1000 per second). */
  readonly icmpRateLimit?: IcmpRateLimit;
}

/** Counters of what the layer did (cheap plain numbers, read them any time). */
export interface Ipv4Stats {
  received: number;
  delivered: number;
  forwarded: number;
  sent: number;
  fragmentsCreated: number;
  reassembled: number;
  icmpErrorsSent: number;
}

/** The name local (loopback) deliveries carry as their interface. */
export const LOOPBACK_INTERFACE = 'lo';
const LOOPBACK_ADDRESS = Ipv4Address.parse('127.0.0.1');
const LIMITED_BROADCAST = 0xffffffff;
const LINK_BROADCAST: LinkDestination = Object.freeze({ kind: 'broadcast' });
const OK: IpSendResult = Object.freeze({ ok: true });

interface IpInterface {
  readonly name: string;
  readonly link: LinkInterface;
  cidr: Ipv4Cidr | null;
}

interface ProtocolEntry {
  readonly handler: IpProtocolHandler;
  readonly onError: IcmpErrorHandler | undefined;
}

export class Ipv4Layer implements IpService, NetworkConfigurator {
  readonly routes = new Ipv4RoutingTable();
  readonly forwarding: boolean;
  readonly defaultTtl: number;
  readonly stats: Ipv4Stats = { received: 0, delivered: 0, forwarded: 0, sent: 0, fragmentsCreated: 0, reassembled: 0, icmpErrorsSent: 0 };
  private readonly interfaceMap = new Map<string, IpInterface>();
  /** Our unicast addresses. */
  private readonly ownAddresses = new Set<number>();
  /** Directed broadcast addresses of our subnets. */
  private readonly directedBroadcasts = new Set<number>();
  /** Everything accepted as "for us": own addresses, directed broadcasts, 255.255.255.255. */
  private readonly acceptedAddresses = new Set<number>([LIMITED_BROADCAST]);
  private readonly protocols = new Map<number, ProtocolEntry>();
  private readonly interfaceListeners: ((iface: string, up: boolean) => void)[] = [];
  private readonly reassembler: Reassembler;
  private readonly icmp: IcmpService;
  private nextIdentification = 1;
  private readonly forwarder: Forwarder;

  constructor(
    readonly node: NodeContext,
    options: Ipv4LayerOptions = {},
  ) {
    this.forwarder = {
      node,
      stats: this.stats,
      route: (destination) => {
        const route = this.routes.lookupValue(destination.value);
        const out = route === undefined ? undefined : this.interfaceMap.get(route.iface);
        return route === undefined || out === undefined ? undefined : { out, nextHop: route.nextHop };
      },
      answerWithError: (error, header, datagram, linkBroadcast) => this.answerWithError(error, header, datagram, linkBroadcast),
      sendFragments: (header, payload, iface, to, direction) => this.sendFragments(header, payload, iface, to, direction),
    };
    this.forwarding = options.forwarding ?? false;
    this.defaultTtl = options.defaultTtl ?? DEFAULT_TTL;
    assertIntegerInRange('defaultTtl', this.defaultTtl, 1, 255);
    const timeout = parseDuration(options.reassemblyTimeout ?? '30s');
    if (timeout <= 0) throw new InvalidArgumentError('reassemblyTimeout', options.reassemblyTimeout, 'must be longer than zero');
    const memoryLimit = parseSize(options.reassemblyMemoryLimit ?? 256 * 1024);
    if (memoryLimit < 1) throw new InvalidArgumentError('reassemblyMemoryLimit', options.reassemblyMemoryLimit, 'must be at least 1 byte');
    this.reassembler = new Reassembler(node, { timeout, memoryLimit }, (firstFragment, header) => {
      this.answerWithError(
        { type: IcmpType.TimeExceeded, code: TimeExceededCode.FragmentReassemblyTimeExceeded },
        header,
        firstFragment,
        false,
      );
    });
    this.icmp = new IcmpService(node, this, options.icmpRateLimit ?? {});
  }

  // ---- configuration (NetworkConfigurator) -------------------------------------------

  /** Attach a link interface, optionally with its address ("10.0.0.1/24"); adds the connected route. */
  addInterface(link: LinkInterface, cidr: Ipv4Cidr | string | null = null): void {
    if (link === null || typeof link !== 'object' || typeof link.name !== 'string' || link.name === '') {
      throw new InvalidArgumentError('link', link, 'must be a LinkInterface with a name');
    }
    if (this.interfaceMap.has(link.name) || link.name === LOOPBACK_INTERFACE) {
      throw new InvalidArgumentError('interface', link.name, 'this node already has an interface of that name');
    }
    const address = cidr === null ? null : checkInterfaceAddress(cidr);
    const iface: IpInterface = { name: link.name, link, cidr: null };
    this.interfaceMap.set(link.name, iface);
    link.registerProtocol(EtherType.IPv4, (packet, info) => this.receive(packet, iface, info.broadcast));
    link.onStateChange((up) => this.interfaceChanged(iface, up));
    this.applyAddress(iface, address);
  }

  setInterfaceAddress(name: string, cidr: Ipv4Cidr | string | null): void {
    const iface = this.requireInterface(name);
    this.applyAddress(iface, cidr === null ? null : checkInterfaceAddress(cidr));
  }

  /** Add a static route. Without `iface`, the interface whose subnet holds `nextHop` is used. */
  addRoute(prefix: string | Ipv4Cidr, nextHop: string | Ipv4Address | null, iface?: string, metric = 0): void {
    const destination = Ipv4Cidr.from(prefix);
    const gateway = nextHop === null ? null : Ipv4Address.from(nextHop);
    assertIntegerInRange('metric', metric, 0, 0xffffffff);
    if (gateway !== null && (gateway.isUnspecified || gateway.isBroadcast || gateway.isMulticast)) {
      throw new InvalidAddressError(gateway.toString(), 'a next hop must be a unicast address');
    }
    let ifaceName: string;
    if (iface !== undefined) {
      ifaceName = this.requireInterface(iface).name;
    } else if (gateway === null) {
      throw new InvalidArgumentError('iface', iface, `a route to ${destination} without a next hop must name its interface`);
    } else {
      const onLink = [...this.interfaceMap.values()].find((i) => i.cidr !== null && i.cidr.contains(gateway));
      if (onLink === undefined) {
        throw new InvalidArgumentError('nextHop', gateway.toString(), 'is on no connected subnet; name the interface to use');
      }
      ifaceName = onLink.name;
    }
    this.routes.add({ prefix: destination, nextHop: gateway, iface: ifaceName, metric, source: 'static' });
  }

  /** Remove routes for `prefix` (static ones unless `source` says otherwise). Returns how many. */
  removeRoute(prefix: string | Ipv4Cidr, source: RouteSource = 'static'): number {
    return this.routes.remove(Ipv4Cidr.from(prefix), source);
  }

  /** The default route 0.0.0.0/0 via `gateway`. */
  setDefaultGateway(gateway: Ipv4Address | string, iface?: string): void {
    this.addRoute('0.0.0.0/0', Ipv4Address.from(gateway), iface);
  }

  interfaces(): readonly IpInterfaceInfo[] {
    return [...this.interfaceMap.values()].map((i) => ({ name: i.name, cidr: i.cidr, mtu: i.link.mtu, isUp: i.link.isUp }));
  }

  onInterfaceChange(listener: (iface: string, up: boolean) => void): void {
    this.interfaceListeners.push(listener);
  }

  // ---- ping and traceroute ------------------------------------------------------------

  /** Ping `destination`; settles during the scheduler run at the virtual time of the answer or timeout. */
  ping(destination: Ipv4Address | string, options: PingOptions = {}): Promise<PingResult> {
    let settle!: (result: PingResult) => void;
    const promise = new Promise<PingResult>((resolve) => (settle = resolve));
    this.icmp.pinger.ping(destination, options, (result) => settle(result));
    return promise;
  }

  /** Callback form of `ping`: `onResult` runs inside the scheduler run. */
  pingWith(destination: Ipv4Address | string, options: PingOptions, onResult: (result: PingResult) => void): void {
    this.icmp.pinger.ping(destination, options, onResult);
  }

  /** Probe with increasing TTL; resolves with one hop per probe. */
  traceroute(destination: Ipv4Address | string, options: TracerouteOptions = {}): Promise<TracerouteHop[]> {
    let settle!: (hops: TracerouteHop[]) => void;
    const promise = new Promise<TracerouteHop[]>((resolve) => (settle = resolve));
    this.icmp.pinger.traceroute(destination, options, (hops) => settle(hops));
    return promise;
  }

  /** Callback form of `traceroute`. */
  tracerouteWith(destination: Ipv4Address | string, options: TracerouteOptions, onDone: (hops: TracerouteHop[]) => void): void {
    this.icmp.pinger.traceroute(destination, options, onDone);
  }

  // ---- IpService ----------------------------------------------------------------------

  registerProtocol(protocol: number, handler: IpProtocolHandler, onError?: IcmpErrorHandler): void {
    assertIntegerInRange('protocol', protocol, 0, 255);
    if (typeof handler !== 'function') throw new InvalidArgumentError('handler', handler, 'must be a function');
    this.protocols.set(protocol, { handler, onError });
  }

  /** The handler registered for `protocol` (the ICMP service delivers errors through it). */
  protocolEntry(protocol: number): ProtocolEntry | undefined {
    return this.protocols.get(protocol);
  }

  isLocalAddress(address: Ipv4Address): boolean {
    return this.acceptedAddresses.has(address.value) || address.isLoopback;
  }

  /** Whether `address` is one of this node's unicast addresses (loopback included). */
  isOwnAddress(address: Ipv4Address): boolean {
    return this.ownAddresses.has(address.value) || address.isLoopback;
  }

  /** Whether `address` is 255.255.255.255 or the directed broadcast of one of our subnets. */
  isBroadcastAddress(address: Ipv4Address): boolean {
    return address.value === LIMITED_BROADCAST || this.directedBroadcasts.has(address.value);
  }

  sourceAddressFor(destination: Ipv4Address): Ipv4Address | null {
    if (this.ownAddresses.has(destination.value)) return destination;
    if (destination.isLoopback) return LOOPBACK_ADDRESS;
    if (destination.value === LIMITED_BROADCAST) {
      for (const i of this.interfaceMap.values()) if (i.cidr !== null && i.link.isUp) return i.cidr.address;
      return Ipv4Address.ANY;
    }
    const route = this.routes.lookupValue(destination.value);
    if (route === undefined) return null;
    return this.interfaceMap.get(route.iface)?.cidr?.address ?? null;
  }

  mtuTowards(destination: Ipv4Address): number {
    if (this.isOwnAddress(destination)) return IPV4_MAX_DATAGRAM_LENGTH;
    const route = this.routes.lookupValue(destination.value);
    const iface = route === undefined ? undefined : this.interfaceMap.get(route.iface);
    return iface?.link.mtu ?? 576;
  }

  sendUnreachable(info: IpReceiveInfo, code: UnreachableCode): void {
    assertIntegerInRange('code', code, 0, 15);
    // Only datagrams addressed to one of our unicast addresses are answered (not broadcasts
    // accepted on an unaddressed interface, RFC 1122 §3.2.2).
    if (!this.isOwnAddress(info.destination)) return;
    const quoted = parseQuotedDatagram(info.datagram);
    if (isWireError(quoted)) return;
    this.icmp.sendError(
      { type: IcmpType.DestinationUnreachable, code },
      { source: info.source, destination: info.destination, protocol: quoted.protocol, fragmentOffset: quoted.fragmentOffset, payload: quoted.payload },
      info.datagram,
      false,
    );
  }

  send(payload: Packet, options: IpSendOptions): IpSendResult {
    const destination = options.destination;
    if (!(destination instanceof Ipv4Address)) throw new InvalidAddressError(String(destination), 'destination must be an Ipv4Address');
    if (options.source !== undefined && !(options.source instanceof Ipv4Address)) {
      throw new InvalidAddressError(String(options.source), 'source must be an Ipv4Address');
    }
    assertIntegerInRange('protocol', options.protocol, 0, 255);
    const ttl = options.ttl ?? this.defaultTtl;
    assertIntegerInRange('ttl', ttl, 1, 255);
    if (options.tos !== undefined) assertIntegerInRange('tos', options.tos, 0, 255);
    let via: IpInterface | undefined;
    if (options.viaInterface !== undefined) via = this.requireInterface(options.viaInterface);

    if (destination.value === LIMITED_BROADCAST) return this.sendLimitedBroadcast(payload, options, ttl, via);
    if (this.isOwnAddress(destination)) return this.sendToSelf(payload, options, ttl);

    let iface: IpInterface | undefined = via;
    let nextHop = destination;
    const route = this.routes.lookupValue(destination.value);
    if (iface === undefined) {
      iface = route === undefined ? undefined : this.interfaceMap.get(route.iface);
      if (route === undefined || iface === undefined) {
        const detail = `no route to ${destination}`;
        this.node.tracer.drop('network', 'ipv4', DropReason.NoRoute, detail, payload.length);
        return { ok: false, reason: 'no-route', detail };
      }
      if (route.nextHop !== null) nextHop = route.nextHop;
    } else if (route !== undefined && route.iface === iface.name && route.nextHop !== null) {
      nextHop = route.nextHop;
    }
    if (!iface.link.isUp) {
      const detail = `${iface.name} is down`;
      this.node.tracer.drop('network', 'ipv4', DropReason.InterfaceDown, detail, payload.length, { iface: iface.name });
      return { ok: false, reason: 'interface-down', detail };
    }
    const cidr = iface.cidr;
    const directedBroadcast = cidr !== null && cidr.prefixLength < 31 && ((cidr.address.value | ~cidr.mask) >>> 0) === destination.value;
    const header = this.originHeader(payload.length, options, ttl, options.source ?? cidr?.address ?? Ipv4Address.ANY);
    return this.transmit(payload, header, iface, directedBroadcast ? LINK_BROADCAST : { kind: 'ipv4', nextHop });
  }

  // ---- sending ------------------------------------------------------------------------

  private originHeader(payloadLength: number, options: IpSendOptions, ttl: number, source: Ipv4Address): Ipv4Header {
    const identification = this.nextIdentification;
    this.nextIdentification = (this.nextIdentification + 1) & 0xffff;
    return makeIpv4Header({
      source,
      destination: options.destination,
      protocol: options.protocol,
      payloadLength,
      ttl,
      tos: options.tos ?? 0,
      identification,
      dontFragment: options.dontFragment ?? false,
    });
  }

  /** 255.255.255.255: a link broadcast on `via`, or on every up interface (RFC 1122 §3.3.6). */
  private sendLimitedBroadcast(payload: Packet, options: IpSendOptions, ttl: number, via: IpInterface | undefined): IpSendResult {
    const targets = via !== undefined ? [via] : [...this.interfaceMap.values()].filter((i) => i.link.isUp);
    if (targets.length === 0) {
      const detail = 'no interface to broadcast on';
      this.node.tracer.drop('network', 'ipv4', DropReason.NoRoute, detail, payload.length);
      return { ok: false, reason: 'no-route', detail };
    }
    let result: IpSendResult = OK;
    const copies = targets.map((_, index) => (index === targets.length - 1 ? payload : payload.clone()));
    targets.forEach((iface, index) => {
      if (!iface.link.isUp) {
        const detail = `${iface.name} is down`;
        this.node.tracer.drop('network', 'ipv4', DropReason.InterfaceDown, detail, payload.length, { iface: iface.name });
        result = { ok: false, reason: 'interface-down', detail };
        return;
      }
      const source = options.source ?? iface.cidr?.address ?? Ipv4Address.ANY;
      const header = this.originHeader(payload.length, options, ttl, source);
      const sent = this.transmit(copies[index]!, header, iface, LINK_BROADCAST);
      if (!sent.ok) result = sent;
    });
    return result;
  }

  /** A datagram to one of our own addresses: delivered through the scheduler, never the link. */
  private sendToSelf(payload: Packet, options: IpSendOptions, ttl: number): IpSendResult {
    const source = options.source ?? (options.destination.isLoopback ? LOOPBACK_ADDRESS : options.destination);
    const header = this.originHeader(payload.length, options, ttl, source);
    if (header.totalLength > IPV4_MAX_DATAGRAM_LENGTH) return this.tooBig(header, payload.length, LOOPBACK_INTERFACE, IPV4_MAX_DATAGRAM_LENGTH);
    const payloadBytes = payload.bytes;
    const at = payload.prependAt(header.headerLength);
    emitIpv4Header(header, payload.storage, at);
    this.stats.sent++;
    if (this.node.tracer.active) traceDatagram(this.node.tracer, 'down', header, payloadBytes, LOOPBACK_INTERFACE);
    this.node.scheduler.schedule(0, () => this.receive(payload, null, false));
    return OK;
  }

  /** Write the header and hand the datagram to the link, fragmenting it when it exceeds the MTU. */
  private transmit(payload: Packet, header: Ipv4Header, iface: IpInterface, to: LinkDestination): IpSendResult {
    const mtu = iface.link.mtu;
    if (header.totalLength > IPV4_MAX_DATAGRAM_LENGTH || (header.totalLength > mtu && header.dontFragment)) {
      return this.tooBig(header, payload.length, iface.name, mtu);
    }
    if (header.totalLength > mtu) {
      return this.sendFragments(header, payload.bytes, iface, to, 'down') ? OK : this.tooBig(header, payload.length, iface.name, mtu);
    }
    // A view of the payload only for a trace listener (the header goes in place, no view).
    const payloadBytes = this.node.tracer.active ? payload.bytes : undefined;
    const at = payload.prependAt(header.headerLength);
    emitIpv4Header(header, payload.storage, at);
    this.stats.sent++;
    if (payloadBytes !== undefined) traceDatagram(this.node.tracer, 'down', header, payloadBytes, iface.name);
    iface.link.send(payload, EtherType.IPv4, to);
    return OK;
  }

  private tooBig(header: Ipv4Header, payloadLength: number, iface: string, mtu: number): IpSendResult {
    const detail = header.totalLength > IPV4_MAX_DATAGRAM_LENGTH
      ? `datagram of ${header.totalLength} bytes exceeds the IPv4 maximum of 65535`
      : `datagram of ${header.totalLength} bytes exceeds MTU ${mtu} of ${iface} and cannot be fragmented`;
    this.node.tracer.drop('network', 'ipv4', DropReason.TooBig, detail, payloadLength, { iface });
    return { ok: false, reason: 'too-big', detail };
  }

  /** Fragment and send; false when the MTU is too small to carry a fragment. */
  private sendFragments(header: Ipv4Header, payload: Uint8Array, iface: ForwardingInterface, to: LinkDestination, direction: 'down' | 'forward'): boolean {
    const fragments = fragmentDatagram(header, payload, iface.link.mtu);
    if (fragments === null) return false;
    this.stats.fragmentsCreated += fragments.length;
    if (this.node.tracer.active) {
      traceNote(
        this.node.tracer,
        `fragmenting id ${header.identification} (${header.totalLength} bytes) into ${fragments.length} fragments for MTU ${iface.link.mtu}`,
        iface.name,
      );
    }
    for (const fragment of fragments) {
      const packet = Packet.from(fragment.payload);
      emitIpv4Header(fragment.header, packet.prepend(fragment.header.headerLength));
      if (direction === 'down') this.stats.sent++;
      if (this.node.tracer.active) traceDatagram(this.node.tracer, direction, fragment.header, fragment.payload, iface.name);
      iface.link.send(packet, EtherType.IPv4, to);
    }
    return true;
  }

  // ---- receiving and forwarding -------------------------------------------------------

  /** A datagram from `iface` (null: looped back from this node). */
  private receive(packet: Packet, iface: IpInterface | null, linkBroadcast: boolean): void {
    this.stats.received++;
    const ifaceName = iface === null ? LOOPBACK_INTERFACE : iface.name;
    const parsed = parseIpv4(packet.bytes);
    if (isWireError(parsed)) {
      this.node.tracer.drop('network', 'ipv4', parsed.reason, parsed.detail, packet.length, { iface: ifaceName });
      return;
    }
    const header = parsed.header;
    packet.truncate(header.totalLength);
    const destination = header.destination.value;
    if (
      iface === null ||
      this.acceptedAddresses.has(destination) ||
      (iface.cidr === null && (linkBroadcast || destination === LIMITED_BROADCAST))
    ) {
      this.deliverLocally(packet, header, parsed.payload, ifaceName, linkBroadcast);
      return;
    }
    if (!this.forwarding) {
      this.node.tracer.drop('network', 'ipv4', DropReason.NotForUs, `${header.destination} is not an address of this host`, header.totalLength, { iface: ifaceName });
      return;
    }
    if (linkBroadcast || header.destination.isMulticast || header.destination.isLoopback) {
      this.node.tracer.drop('network', 'ipv4', DropReason.NotForUs, `not forwarding ${header.destination} (link broadcast, multicast or loopback)`, header.totalLength, { iface: ifaceName });
      return;
    }
    const source = header.source;
    if (source.isUnspecified || source.isBroadcast || source.isMulticast || source.isLoopback) {
      this.node.tracer.drop('network', 'ipv4', DropReason.Filtered, `martian source ${source} (RFC 1812 §5.3.7)`, header.totalLength, { iface: ifaceName });
      return;
    }
    this.forward(packet, header, ifaceName);
  }

  private deliverLocally(packet: Packet, header: Ipv4Header, payload: Uint8Array, ifaceName: string, linkBroadcast: boolean): void {
    if (this.node.tracer.active) traceDatagram(this.node.tracer, 'up', header, payload, ifaceName);
    let whole = header;
    let datagram: Uint8Array;
    let data: Packet;
    if (header.moreFragments || header.fragmentOffset !== 0) {
      const reassembled = this.reassembler.add(header, payload, packet.bytes, ifaceName);
      if (reassembled === null) return;
      this.stats.reassembled++;
      whole = reassembled.header;
      datagram = reassembled.datagram;
      data = Packet.wrap(reassembled.payload);
    } else {
      datagram = packet.bytes;
      packet.pull(header.headerLength);
      data = packet;
    }
    this.stats.delivered++;
    const info: IpReceiveInfo = {
      source: whole.source,
      destination: whole.destination,
      protocol: whole.protocol,
      ttl: whole.ttl,
      tos: whole.tos,
      iface: ifaceName,
      datagram,
    };
    if (whole.protocol === IpProtocol.ICMP) {
      this.icmp.receive(data.bytes, whole, info, linkBroadcast || this.isBroadcastAddress(whole.destination));
      const raw = this.protocols.get(IpProtocol.ICMP);
      if (raw !== undefined) raw.handler(data, info);
      return;
    }
    const entry = this.protocols.get(whole.protocol);
    if (entry !== undefined) {
      entry.handler(data, info);
      return;
    }
    this.node.tracer.drop('network', 'ipv4', DropReason.UnknownProtocol, `no handler for protocol ${whole.protocol}`, whole.totalLength, { iface: ifaceName });
    this.answerWithError({ type: IcmpType.DestinationUnreachable, code: 2 }, whole, datagram, linkBroadcast);
  }

  /** RFC 1812 §5.2, in forwarding.ts. */
  private forward(packet: Packet, header: Ipv4Header, inIface: string): void {
    forwardDatagram(this.forwarder, packet, header, inIface);
  }

  /** Send an ICMP error about `header`/`datagram` if the rules and the rate limit allow. */
  private answerWithError(error: IcmpErrorToSend, header: Ipv4Header, datagram: Uint8Array, linkBroadcast: boolean): void {
    this.icmp.sendError(
      error,
      { source: header.source, destination: header.destination, protocol: header.protocol, fragmentOffset: header.fragmentOffset, payload: datagram.subarray(header.headerLength) },
      datagram,
      linkBroadcast,
    );
  }

  // ---- interfaces ---------------------------------------------------------------------

  private requireInterface(name: string): IpInterface {
    const iface = this.interfaceMap.get(name);
    if (iface === undefined) {
      throw new InvalidArgumentError('iface', name, `no such interface (have: ${[...this.interfaceMap.keys()].join(', ') || 'none'})`);
    }
    return iface;
  }

  private applyAddress(iface: IpInterface, cidr: Ipv4Cidr | null): void {
    const old = iface.cidr;
    if (old !== null) {
      const stale = this.routes.entries().filter((r) => r.source === 'connected' && r.iface === iface.name);
      for (const route of stale) this.routes.remove(route.prefix, 'connected');
    }
    iface.cidr = cidr;
    this.rebuildAddressSets();
    iface.link.setIpv4Addresses(cidr === null ? [] : [cidr.address]);
    if (cidr !== null) this.routes.add({ prefix: cidr, nextHop: null, iface: iface.name, metric: 0, source: 'connected' });
    if (this.node.tracer.active) {
      traceNote(this.node.tracer, cidr === null ? `${iface.name}: address removed` : `${iface.name}: address ${cidr}`, iface.name);
    }
  }

  private rebuildAddressSets(): void {
    this.ownAddresses.clear();
    this.directedBroadcasts.clear();
    this.acceptedAddresses.clear();
    this.acceptedAddresses.add(LIMITED_BROADCAST);
    for (const iface of this.interfaceMap.values()) {
      const cidr = iface.cidr;
      if (cidr === null) continue;
      this.ownAddresses.add(cidr.address.value);
      this.acceptedAddresses.add(cidr.address.value);
      if (cidr.prefixLength < 31) {
        this.directedBroadcasts.add(cidr.broadcast.value);
        this.acceptedAddresses.add(cidr.broadcast.value);
      }
    }
  }

  private interfaceChanged(iface: IpInterface, up: boolean): void {
    if (this.node.tracer.active) {
      this.node.tracer.emit({ kind: 'state', role: 'network', protocol: 'ipv4', iface: iface.name, entity: iface.name, from: up ? 'DOWN' : 'UP', to: up ? 'UP' : 'DOWN' });
    }
    for (const listener of this.interfaceListeners) listener(iface.name, up);
  }
}

/** Parse an interface address and refuse what cannot name one host on its subnet. */
function checkInterfaceAddress(input: Ipv4Cidr | string): Ipv4Cidr {
  const cidr = Ipv4Cidr.from(input);
  const address = cidr.address;
  const text = cidr.toString();
  if (address.isUnspecified || address.isBroadcast || address.isMulticast || address.isLoopback) {
    throw new InvalidAddressError(text, 'an interface address must be a unicast host address');
  }
  if (cidr.prefixLength < 31) {
    if (address.value === cidr.network.value) throw new InvalidAddressError(text, `is the network address of ${cidr.network}/${cidr.prefixLength}, not a host`);
    if (address.value === cidr.broadcast.value) throw new InvalidAddressError(text, `is the broadcast address of ${cidr.network}/${cidr.prefixLength}, not a host`);
  }
  return cidr;
}
