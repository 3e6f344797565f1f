// A reference IpService (the network contract in @netlayers/core) for testing transports:
// every node added to a FakeIpNetwork reaches every other node's address directly, after a
// delay, through the scheduler, with seeded loss, reordering and duplication. Datagrams
// carry a real IPv4 header (RFC 791) and ICMP destination-unreachable (RFC 792) reports
// reach the sender's onError handler, as RFC 1122 §4.1.3.3 / §4.2.3.9 ask of a host.
// A test can rewrite or swallow payloads in flight through `tamper`.

import {
  DropReason,
  InvalidArgumentError,
  Ipv4Address,
  IpProtocol,
  Packet,
  UnreachableCode,
  parseDuration,
  type IcmpErrorHandler,
  type IcmpErrorReport,
  type IpProtocolHandler,
  type IpReceiveInfo,
  type IpSendOptions,
  type Ipv4HeaderInfo,
  type IpSendResult,
  type IpService,
  type NodeContext,
  type Random,
  type SimulationContext,
} from '@netlayers/core';
import { buildDatagram, readQuotedHeader, type FakeDatagramHeader } from './ipv4-datagram.ts';

export interface FakeIpNetworkOptions {
  /** One-way delay (default 1 ms). */
  readonly delay?: string | number;
  /** Probability each datagram is lost (default 0). */
  readonly loss?: number;
  /** Probability a datagram is held back by up to `reorderDelay` so later ones overtake it (default 0). */
  readonly reorder?: number;
  /** Longest extra hold for a reordered datagram (default 4 × delay). */
  readonly reorderDelay?: string | number;
  /** Probability a datagram is delivered twice (default 0). */
  readonly duplicate?: number;
  /** Each member's sending rate in bit/s: datagrams (payload + 20-byte header) are serialized one after another (default: infinitely fast). */
  readonly bandwidth?: number;
  /** The MTU mtuTowards reports (default 1500). Larger payloads still arrive whole, as if fragmented and reassembled. */
  readonly mtu?: number;
  /** Label of the random stream forked from the simulation (default "fake-ip-network"). */
  readonly randomLabel?: string;
}

/** Rewrites a payload in flight (what the sender handed to send()), or swallows it by returning null. */
export type FakeIpTamper = (payload: Uint8Array, from: FakeIpService, to: FakeIpService) => Uint8Array | null;

const MAX_PAYLOAD = 65535 - 20;

export class FakeIpNetwork {
  readonly delay: number;
  readonly mtu: number;
  private readonly loss: number;
  private readonly reorder: number;
  private readonly reorderDelay: number;
  private readonly duplicate: number;
  private readonly random: Random;
  private readonly members = new Map<number, FakeIpService>();
  private readonly bandwidth: number | undefined;
  private readonly busyUntil = new Map<FakeIpService, number>();
  private identification = 0;
  /** Runs on every copy as it arrives, after the impairments; a swallowed copy counts as lost. */
  tamper: FakeIpTamper | undefined;
  /** Datagrams handed to the network, and how many the impairments (or `tamper`) lost, duplicated or reordered. */
  readonly stats = { sent: 0, delivered: 0, lost: 0, duplicated: 0, reordered: 0 };

  constructor(private readonly sim: SimulationContext, options: FakeIpNetworkOptions = {}) {
    this.delay = parseDuration(options.delay ?? '1ms');
    if (options.bandwidth !== undefined && !(options.bandwidth > 0)) throw new InvalidArgumentError('bandwidth', options.bandwidth, 'must be a positive number of bits per second');
    this.bandwidth = options.bandwidth;
    this.mtu = options.mtu ?? 1500;
    this.loss = probability('loss', options.loss);
    this.reorder = probability('reorder', options.reorder);
    this.duplicate = probability('duplicate', options.duplicate);
    this.reorderDelay = options.reorderDelay === undefined ? 4 * this.delay : parseDuration(options.reorderDelay);
    this.random = sim.random.fork(options.randomLabel ?? 'fake-ip-network');
  }

  /** Give `node` an IpService with `address` on this network. */
  addNode(node: NodeContext, address: Ipv4Address | string): FakeIpService {
    const ip = Ipv4Address.from(address);
    if (this.members.has(ip.value)) throw new InvalidArgumentError('address', ip.toString(), 'is already on this network');
    const service = new FakeIpService(node, ip, this);
    this.members.set(ip.value, service);
    return service;
  }

  /** @internal */
  member(address: Ipv4Address): FakeIpService | undefined {
    return this.members.get(address.value);
  }

  /** @internal send a datagram from `from`: apply the impairments and schedule delivery. */
  carry(from: FakeIpService, payload: Uint8Array, options: IpSendOptions): void {
    const destinations = options.destination.isBroadcast ? [...this.members.values()].filter((m) => m !== from) : [this.members.get(options.destination.value)!];
    const header: FakeDatagramHeader = {
      source: options.source ?? from.address,
      destination: options.destination,
      protocol: options.protocol,
      ttl: options.ttl ?? 64,
      tos: options.tos ?? 0,
      identification: this.identification++ & 0xffff,
    };
    const datagram = buildDatagram(header, payload);
    const departure = this.departure(from, datagram.length) - this.sim.scheduler.now();
    for (const to of destinations) {
      this.stats.sent++;
      if (this.random.chance(this.loss)) {
        this.stats.lost++;
        from.node.tracer.drop('network', 'ipv4', DropReason.Impairment, `fake network lost a datagram to ${to.address}`, datagram.length);
        continue;
      }
      const copies = this.random.chance(this.duplicate) ? 2 : 1;
      if (copies === 2) this.stats.duplicated++;
      for (let i = 0; i < copies; i++) {
        let delay = departure + this.delay;
        if (this.random.chance(this.reorder)) {
          this.stats.reordered++;
          delay += this.random.int(1, Math.max(1, this.reorderDelay));
        }
        const copy = datagram.slice();
        this.sim.scheduler.schedule(delay, () => {
          const arriving = this.tamper === undefined ? copy : this.tampered(header, copy, from, to);
          if (arriving === null) {
            this.stats.lost++;
            from.node.tracer.drop('network', 'ipv4', DropReason.Impairment, `tamper swallowed a datagram to ${to.address}`, copy.length);
            return;
          }
          this.stats.delivered++;
          to.deliver(arriving);
        });
      }
    }
  }

  /** When a datagram of `length` bytes sent now by `from` has left it (now, without a bandwidth). */
  private departure(from: FakeIpService, length: number): number {
    const now = this.sim.scheduler.now();
    if (this.bandwidth === undefined) return now;
    const start = Math.max(now, this.busyUntil.get(from) ?? 0);
    const done = start + Math.round((length * 8 * 1e9) / this.bandwidth);
    this.busyUntil.set(from, done);
    return done;
  }

  private tampered(header: FakeDatagramHeader, datagram: Uint8Array, from: FakeIpService, to: FakeIpService): Uint8Array | null {
    const payload = this.tamper!(datagram.slice(20), from, to);
    return payload === null ? null : buildDatagram(header, payload);
  }

  /** @internal carry an ICMP error report to the node that sent the quoted datagram. */
  carryError(to: FakeIpService, report: IcmpErrorReport): void {
    this.sim.scheduler.schedule(this.delay, () => to.deliverError(report));
  }
}

function probability(name: string, value: number | undefined): number {
  const p = value ?? 0;
  if (!(p >= 0 && p <= 1)) throw new InvalidArgumentError(name, p, 'must be a probability from 0 to 1');
  return p;
}

/** One node's view of a FakeIpNetwork. */
export class FakeIpService implements IpService {
  private readonly handlers = new Map<number, { handler: IpProtocolHandler; onError?: IcmpErrorHandler }>();
  /** ICMP errors this node sent (what sendUnreachable produced). */
  readonly unreachablesSent: { code: number; to: Ipv4Address }[] = [];

  constructor(
    readonly node: NodeContext,
    readonly address: Ipv4Address,
    private readonly network: FakeIpNetwork,
  ) {}

  send(payload: Packet, options: IpSendOptions): IpSendResult {
    const destination = options.destination;
    if (!destination.isBroadcast && this.network.member(destination) === undefined) {
      this.node.tracer.drop('network', 'ipv4', DropReason.NoRoute, `no route to ${destination}`, payload.length);
      return { ok: false, reason: 'no-route', detail: `no route to ${destination}` };
    }
    if (payload.length > MAX_PAYLOAD || (options.dontFragment === true && payload.length + 20 > this.network.mtu)) {
      this.node.tracer.drop('network', 'ipv4', DropReason.TooBig, `${payload.length}-byte payload`, payload.length);
      return { ok: false, reason: 'too-big', detail: `a ${payload.length}-byte payload does not fit` };
    }
    if (this.node.tracer.active) {
      this.node.tracer.emit({
        kind: 'pdu', role: 'network', protocol: 'ipv4', direction: 'down', length: payload.length + 20, headerLength: 20,
        text: `${options.source ?? this.address} > ${destination}: proto ${options.protocol}, length ${payload.length}`,
        header: fakeIpv4Info((options.source ?? this.address).toString(), destination.toString(), options.protocol, payload.length + 20, options.ttl ?? 64),
      });
    }
    this.network.carry(this, payload.toBytes(), options);
    return { ok: true };
  }

  registerProtocol(protocol: number, handler: IpProtocolHandler, onError?: IcmpErrorHandler): void {
    if (!Number.isInteger(protocol) || protocol < 0 || protocol > 255) {
      throw new InvalidArgumentError('protocol', protocol, 'must be an IP protocol number from 0 to 255');
    }
    this.handlers.set(protocol, onError === undefined ? { handler } : { handler, onError });
  }

  sourceAddressFor(destination: Ipv4Address): Ipv4Address | null {
    return destination.isBroadcast || this.network.member(destination) !== undefined ? this.address : null;
  }

  isLocalAddress(address: Ipv4Address): boolean {
    return address.equals(this.address) || address.isBroadcast;
  }

  mtuTowards(_destination: Ipv4Address): number {
    return this.network.mtu;
  }

  sendUnreachable(info: IpReceiveInfo, code: UnreachableCode): void {
    const quoted = readQuotedHeader(info.datagram);
    if (quoted === null || info.destination.isBroadcast) return; // RFC 1122 §3.2.2: never about a broadcast
    const origin = this.network.member(quoted.source);
    if (origin === undefined) return;
    this.unreachablesSent.push({ code, to: quoted.source });
    this.network.carryError(origin, {
      type: 'destination-unreachable',
      icmpType: 3,
      icmpCode: code,
      reporter: this.address,
      originalSource: quoted.source,
      originalDestination: quoted.destination,
      originalProtocol: quoted.protocol,
      originalPayload: info.datagram.slice(quoted.headerLength, quoted.headerLength + 64),
    });
  }

  /** @internal */
  deliver(datagram: Uint8Array): void {
    const header = readQuotedHeader(datagram);
    if (header === null) return;
    const entry = this.handlers.get(header.protocol);
    const info: IpReceiveInfo = {
      source: header.source,
      destination: header.destination,
      protocol: header.protocol,
      ttl: datagram[8]!,
      tos: datagram[1]!,
      iface: 'fake0',
      datagram,
    };
    if (entry === undefined) {
      this.node.tracer.drop('network', 'ipv4', DropReason.UnknownProtocol, `no handler for protocol ${header.protocol}`, datagram.length);
      if (header.protocol !== IpProtocol.ICMP) this.sendUnreachable(info, UnreachableCode.Protocol);
      return;
    }
    if (this.node.tracer.active) {
      this.node.tracer.emit({
        kind: 'pdu', role: 'network', protocol: 'ipv4', direction: 'up', length: datagram.length, headerLength: 20,
        text: `${header.source} > ${header.destination}: proto ${header.protocol}, length ${datagram.length - 20}`,
        header: fakeIpv4Info(header.source.toString(), header.destination.toString(), header.protocol, datagram.length, datagram[8]!),
      });
    }
    entry.handler(Packet.wrap(datagram.slice(20)), info);
  }

  /** Hand an ICMP error report to the handler registered for its `originalProtocol`, as if it arrived now. */
  injectIcmpError(report: IcmpErrorReport): void {
    this.deliverError(report);
  }

  /** @internal */
  deliverError(report: IcmpErrorReport): void {
    this.handlers.get(report.originalProtocol)?.onError?.(report);
  }
}

/** The typed trace payload of the fake's datagram: a plain IPv4 header, never fragmented. */
function fakeIpv4Info(source: string, destination: string, ipProtocol: number, totalLength: number, ttl: number): Ipv4HeaderInfo {
  return { protocol: 'ipv4', source, destination, ipProtocol, ttl, identification: 0, totalLength, headerLength: 20, dontFragment: false, moreFragments: false, fragmentOffset: 0 };
}
