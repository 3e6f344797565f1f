// A fake network layer for the transport swaps' tests (a copy of the transport package's test fake): hosts implementing the IpService contract,
// joined by one seeded link through the simulation's scheduler, with optional propagation
// delay, bandwidth, loss, duplication and reordering. It builds a real 20-byte IPv4 header
// for IpReceiveInfo.datagram and answers sendUnreachable with an ICMP error report to the
// sender's registered handler, as an IP layer would. No real routing: every host reaches
// every other host directly.

import {
  Ipv4Address,
  Random,
  Packet,
  internetChecksum,
  type IcmpErrorHandler,
  type IpProtocolHandler,
  type IpReceiveInfo,
  type IpSendOptions,
  type IpSendResult,
  type IpService,
  type Scheduler,
  type UnreachableCode,
} from '@netlayers/core';

export interface FakeLinkOptions {
  /** One-way propagation delay, ns (default 1 ms). */
  readonly delay?: number;
  /** Bits per second; absent = infinitely fast (no serialization delay or queueing). */
  readonly bandwidth?: number;
  /** Probability that a datagram is lost. */
  readonly lossRate?: number;
  /** Probability that a datagram is held back by `reorderDelay` so later ones overtake it. */
  readonly reorderRate?: number;
  /** Extra delay of a reordered datagram, ns (default 3 * delay). */
  readonly reorderDelay?: number;
  /** Probability that a datagram is delivered twice. */
  readonly duplicateRate?: number;
  readonly mtu?: number;
  readonly seed?: number;
}

export interface FakeLinkStats {
  sent: number;
  delivered: number;
  lost: number;
  reordered: number;
  duplicated: number;
}

export interface UnreachableRecord {
  readonly info: IpReceiveInfo;
  readonly code: UnreachableCode;
}

export class FakeIpNetwork {
  readonly stats: FakeLinkStats = { sent: 0, delivered: 0, lost: 0, reordered: 0, duplicated: 0 };
  private readonly hosts = new Map<number, FakeIpService>();
  private readonly random: Random;
  /** Rewrite or swallow (return null) a datagram in flight; for corruption tests. */
  tamper: ((bytes: Uint8Array, from: FakeIpService, to: FakeIpService) => Uint8Array | null) | undefined;
  /** Impairments apply only while this is true (handshakes can be kept clean by toggling it). */
  impaired = true;

  constructor(
    readonly scheduler: Scheduler,
    readonly options: FakeLinkOptions = {},
  ) {
    this.random = new Random(options.seed ?? 1);
  }

  host(address: string | Ipv4Address, iface = 'eth0'): FakeIpService {
    const host = new FakeIpService(this, Ipv4Address.from(address), iface);
    this.hosts.set(host.address.value, host);
    return host;
  }

  find(address: Ipv4Address): FakeIpService | undefined {
    return this.hosts.get(address.value);
  }

  others(from: FakeIpService): FakeIpService[] {
    return [...this.hosts.values()].filter((h) => h !== from);
  }

  get delay(): number {
    return this.options.delay ?? 1_000_000;
  }

  /** @internal schedule one datagram's delivery, applying impairments. */
  carry(from: FakeIpService, to: FakeIpService, bytes: Uint8Array, protocol: number, source: Ipv4Address, destination: Ipv4Address): void {
    this.stats.sent++;
    const departure = from.transmitTime(bytes.length + 20);
    const o = this.options;
    if (this.impaired && this.random.chance(o.lossRate ?? 0)) {
      this.stats.lost++;
      return;
    }
    let arrival = departure + this.delay;
    if (this.impaired && this.random.chance(o.reorderRate ?? 0)) {
      this.stats.reordered++;
      arrival += o.reorderDelay ?? 3 * this.delay;
    }
    const copies = this.impaired && this.random.chance(o.duplicateRate ?? 0) ? 2 : 1;
    if (copies === 2) this.stats.duplicated++;
    for (let i = 0; i < copies; i++) {
      const at = arrival + i * 1000;
      this.scheduler.scheduleAt(at, () => {
        const delivered = this.tamper === undefined ? bytes : this.tamper(bytes, from, to);
        if (delivered === null) {
          this.stats.lost++;
          return;
        }
        this.stats.delivered++;
        to.deliver(delivered.slice(), protocol, source, destination);
      });
    }
  }
}

export class FakeIpService implements IpService {
  private readonly handlers = new Map<number, { handler: IpProtocolHandler; onError: IcmpErrorHandler | undefined }>();
  private busyUntil = 0;
  /** Every sendUnreachable call, for assertions. */
  readonly unreachableSent: UnreachableRecord[] = [];
  /** Datagrams for a protocol nobody registered. */
  undeliverable = 0;
  /** When false, sends fail with 'interface-down'. */
  up = true;

  constructor(
    readonly network: FakeIpNetwork,
    readonly address: Ipv4Address,
    readonly iface: string,
  ) {}

  send(payload: Packet, options: IpSendOptions): IpSendResult {
    if (!this.up) return { ok: false, reason: 'interface-down', detail: `${this.iface} is down` };
    const mtu = this.network.options.mtu ?? 1500;
    if (payload.length + 20 > 65535) return { ok: false, reason: 'too-big', detail: `${payload.length} bytes do not fit in an IPv4 datagram` };
    if (options.dontFragment === true && payload.length + 20 > mtu) return { ok: false, reason: 'too-big', detail: `DF set and MTU is ${mtu}` };
    const source = options.source ?? this.address;
    const bytes = payload.toBytes();
    if (options.destination.isBroadcast) {
      for (const to of this.network.others(this)) this.network.carry(this, to, bytes, options.protocol, source, options.destination);
      return { ok: true };
    }
    const to = this.network.find(options.destination);
    if (to === undefined) return { ok: false, reason: 'no-route', detail: `no host ${options.destination}` };
    this.network.carry(this, to, bytes, options.protocol, source, options.destination);
    return { ok: true };
  }

  registerProtocol(protocol: number, handler: IpProtocolHandler, onError?: IcmpErrorHandler): void {
    this.handlers.set(protocol, { handler, onError });
  }

  sourceAddressFor(destination: Ipv4Address): Ipv4Address | null {
    return destination.isBroadcast || this.network.find(destination) !== undefined ? this.address : null;
  }

  isLocalAddress(address: Ipv4Address): boolean {
    return address.equals(this.address) || address.isBroadcast;
  }

  mtuTowards(_destination: Ipv4Address): number {
    return this.network.options.mtu ?? 1500;
  }

  sendUnreachable(info: IpReceiveInfo, code: UnreachableCode): void {
    this.unreachableSent.push({ info, code });
    const origin = this.network.find(info.source);
    if (origin === undefined) return;
    const quoted = info.datagram.subarray(20, 28);
    const protocol = info.protocol;
    this.network.scheduler.schedule(this.network.delay, () => {
      origin.handlers.get(protocol)?.onError?.({
        type: 'destination-unreachable',
        icmpType: 3,
        icmpCode: code,
        reporter: this.address,
        originalSource: info.source,
        originalDestination: info.destination,
        originalProtocol: protocol,
        originalPayload: quoted.slice(),
      });
    });
  }

  /** Deliver an ICMP error report to this host's handler for `protocol` directly. */
  injectIcmpError(protocol: number, report: Parameters<IcmpErrorHandler>[0]): void {
    this.handlers.get(protocol)?.onError?.(report);
  }

  /** @internal when a datagram of `length` bytes finishes leaving this host. */
  transmitTime(length: number): number {
    const now = this.network.scheduler.now();
    const bandwidth = this.network.options.bandwidth;
    if (bandwidth === undefined) return now;
    const start = Math.max(now, this.busyUntil);
    this.busyUntil = start + Math.round((length * 8 * 1e9) / bandwidth);
    return this.busyUntil;
  }

  /** @internal */
  deliver(bytes: Uint8Array, protocol: number, source: Ipv4Address, destination: Ipv4Address): void {
    const entry = this.handlers.get(protocol);
    if (entry === undefined) {
      this.undeliverable++;
      return;
    }
    const datagram = new Uint8Array(20 + bytes.length);
    writeIpv4Header(datagram, bytes.length, protocol, source, destination);
    datagram.set(bytes, 20);
    const info: IpReceiveInfo = { source, destination, protocol, ttl: 64, tos: 0, iface: this.iface, datagram };
    entry.handler(Packet.wrap(datagram.subarray(20)), info);
  }
}

function writeIpv4Header(into: Uint8Array, payloadLength: number, protocol: number, source: Ipv4Address, destination: Ipv4Address): void {
  const total = 20 + payloadLength;
  into[0] = 0x45;
  into[2] = total >>> 8;
  into[3] = total & 0xff;
  into[8] = 64;
  into[9] = protocol;
  source.writeTo(into, 12);
  destination.writeTo(into, 16);
  const checksum = internetChecksum(into, 0, 20);
  into[10] = checksum >>> 8;
  into[11] = checksum & 0xff;
}
