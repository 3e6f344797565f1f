// A DHCP client (RFC 2131 §4.4, state diagram Figure 5): INIT -> SELECTING (DISCOVER
// broadcast from 0.0.0.0:68, first OFFER taken) -> REQUESTING (REQUEST with the offer's
// server identifier) -> BOUND (interface address, default route and DNS servers set
// through the NetworkConfigurator) -> RENEWING at T1 (unicast REQUEST to the server) ->
// REBINDING at T2 (broadcast) -> INIT when the lease expires or a NAK arrives.
// Retransmission uses the §4.1 exponential back-off (4 s, 8 s, ... 64 s, ±1 s).

import { EventEmitter } from 'eventemitter3';
import {
  InvalidArgumentError,
  Ipv4Address,
  Ipv4Cidr,
  MacAddress,
  NS_PER_S,
  type DatagramSocket,
  type DatagramTransport,
  type NetworkConfigurator,
  type NodeContext,
  type Random,
  type TimerHandle,
} from '@netlayers/core';
import {
  BOOTREPLY,
  BOOTREQUEST,
  BROADCAST_FLAG,
  DHCP_CLIENT_PORT,
  DHCP_SERVER_PORT,
  DhcpMessageType,
  DhcpOption,
  describeDhcpMessage,
  dhcpMessage,
  type DhcpMessage,
  type DhcpOptions,
} from './message.ts';
import { openDhcpSocket, receiveDhcpMessage, sendDhcpMessage } from './endpoint.ts';
import { traceState, traceTimer } from '../util/trace.ts';

export type DhcpClientState = 'INIT' | 'SELECTING' | 'REQUESTING' | 'BOUND' | 'RENEWING' | 'REBINDING' | 'STOPPED';

export interface DhcpLease {
  readonly address: Ipv4Cidr;
  readonly router: Ipv4Address | null;
  readonly dnsServers: readonly Ipv4Address[];
  readonly serverId: Ipv4Address;
  /** Seconds. */
  readonly leaseTime: number;
  readonly renewalTime: number;
  readonly rebindingTime: number;
  /** Virtual time the lease was (last) granted, ns. */
  readonly obtainedAt: number;
}

export interface DhcpClientOptions {
  readonly iface: string;
  readonly mac: MacAddress | string;
  readonly node: NodeContext;
  readonly hostName?: string;
}

export interface DhcpClientEvents {
  bound: [lease: DhcpLease];
  renewed: [lease: DhcpLease];
  expired: [];
  nak: [message: string];
  state: [from: DhcpClientState, to: DhcpClientState];
}

const INFINITE = 0xffffffff;
const REQUEST_ATTEMPTS = 4;

export class DhcpClient extends EventEmitter<DhcpClientEvents> {
  readonly iface: string;
  readonly mac: MacAddress;
  private readonly node: NodeContext;
  private readonly random: Random;
  private readonly hostName: string | undefined;
  private socket: DatagramSocket | null = null;
  private currentState: DhcpClientState = 'INIT';
  private xid = 0;
  private startedAt = 0;
  private attempts = 0;
  private offer: DhcpMessage | null = null;
  private currentLease: DhcpLease | null = null;
  private retransmitTimer: TimerHandle | null = null;
  private leaseTimers: TimerHandle[] = [];
  private waiters: { resolve: (lease: DhcpLease) => void; reject: (error: Error) => void }[] = [];

  constructor(private readonly udp: DatagramTransport, private readonly configurator: NetworkConfigurator, options: DhcpClientOptions) {
    super();
    if (options.node === undefined) throw new InvalidArgumentError('node', options.node, 'DhcpClient needs the node context (timers and random xids)');
    if (!configurator.interfaces().some((i) => i.name === options.iface)) throw new InvalidArgumentError('iface', options.iface, 'is not an interface of this node');
    this.iface = options.iface;
    this.mac = MacAddress.from(options.mac);
    this.node = options.node;
    this.random = options.node.random.fork(`dhcp-client:${options.iface}`);
    this.hostName = options.hostName;
  }

  get state(): DhcpClientState {
    return this.currentState;
  }

  get lease(): DhcpLease | null {
    return this.currentLease;
  }

  /** DNS servers from the current lease (for a resolver). */
  get dnsServers(): readonly Ipv4Address[] {
    return this.currentLease?.dnsServers ?? [];
  }

  /** Start (if not started) and resolve at the next ACK, or now when already bound. */
  start(): Promise<DhcpLease> {
    if (this.currentState === 'STOPPED') return Promise.reject(new InvalidArgumentError('DhcpClient', 'stopped', 'cannot be restarted; create a new client'));
    const promise = this.currentLease !== null ? Promise.resolve(this.currentLease) : new Promise<DhcpLease>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (this.socket === null) {
      this.socket = openDhcpSocket(this.udp, this.node, 'client', DHCP_CLIENT_PORT, this.iface, (data) => this.onMessage(data));
      this.init();
    }
    return promise;
  }

  /** Give the address back (DHCPRELEASE), unconfigure the interface and stop. */
  release(): void {
    const lease = this.currentLease;
    if (lease !== null && this.socket !== null) {
      const message = this.request(DhcpMessageType.DHCPRELEASE, { serverId: lease.serverId }, lease.address.address);
      this.send(message, lease.serverId);
      this.unconfigure();
    }
    this.stop();
  }

  /** Stop all timers and close the socket; the interface keeps its address unless released. */
  stop(): void {
    this.clearTimers();
    this.socket?.close();
    this.socket = null;
    this.setState('STOPPED', 'stop()');
    for (const w of this.waiters.splice(0)) w.reject(new InvalidArgumentError('DhcpClient', 'stopped', 'stopped before a lease was bound'));
  }

  // ------------------------------------------------------------------ states

  private init(): void {
    this.clearTimers();
    this.offer = null;
    this.xid = this.random.nextUint32();
    this.startedAt = this.node.scheduler.now();
    this.attempts = 0;
    this.setState('SELECTING', 'send DHCPDISCOVER');
    this.sendDiscover();
  }

  private sendDiscover(): void {
    const message = this.request(DhcpMessageType.DHCPDISCOVER, {
      parameterRequestList: [DhcpOption.SubnetMask, DhcpOption.Router, DhcpOption.DomainNameServer, DhcpOption.IpAddressLeaseTime],
      ...(this.currentLease !== null ? { requestedIp: this.currentLease.address.address } : {}),
    });
    this.send(message, Ipv4Address.BROADCAST);
    this.retransmitAfter(this.backoff(), () => this.sendDiscover());
  }

  private sendSelectingRequest(): void {
    const offer = this.offer!;
    if (this.attempts++ >= REQUEST_ATTEMPTS) {
      this.init();
      return;
    }
    const message = this.request(DhcpMessageType.DHCPREQUEST, {
      requestedIp: offer.yiaddr,
      serverId: offer.options.serverId!,
      parameterRequestList: [DhcpOption.SubnetMask, DhcpOption.Router, DhcpOption.DomainNameServer],
    });
    this.send(message, Ipv4Address.BROADCAST);
    this.retransmitAfter(this.backoff(), () => this.sendSelectingRequest());
  }

  private sendRenewal(): void {
    const lease = this.currentLease!;
    const renewing = this.currentState === 'RENEWING';
    const message = this.request(DhcpMessageType.DHCPREQUEST, {}, lease.address.address);
    this.send(message, renewing ? lease.serverId : Ipv4Address.BROADCAST);
    // RFC 2131 §4.4.5: wait half the time remaining until T2 (or expiry), at least 60 s.
    const now = this.node.scheduler.now();
    const until = lease.obtainedAt + (renewing ? lease.rebindingTime : lease.leaseTime) * NS_PER_S;
    const wait = Math.max(60 * NS_PER_S, Math.floor((until - now) / 2));
    if (now + wait < until) this.retransmitAfter(wait, () => this.sendRenewal());
  }

  private onMessage(data: Uint8Array): void {
    const message = receiveDhcpMessage(this.node, data, (m) =>
      m.op !== BOOTREPLY || m.xid !== this.xid || !m.chaddr.equals(this.mac) ? `${describeDhcpMessage(m)} is not for this transaction` : null,
    );
    if (message === null) return;
    const type = message.options.messageType;
    if (this.currentState === 'SELECTING' && type === DhcpMessageType.DHCPOFFER) {
      if (message.yiaddr.isUnspecified || message.options.serverId === undefined) return;
      this.offer = message;
      this.attempts = 0;
      this.clearRetransmit();
      this.setState('REQUESTING', `rcv DHCPOFFER ${message.yiaddr}`);
      this.sendSelectingRequest();
      return;
    }
    const waitingForAck = this.currentState === 'REQUESTING' || this.currentState === 'RENEWING' || this.currentState === 'REBINDING';
    if (!waitingForAck) return;
    if (type === DhcpMessageType.DHCPACK && !message.yiaddr.isUnspecified) {
      this.bound(message);
    } else if (type === DhcpMessageType.DHCPNAK) {
      this.emit('nak', message.options.message ?? '');
      this.unconfigure();
      this.setState('INIT', 'rcv DHCPNAK');
      this.init();
    }
  }

  private bound(ack: DhcpMessage): void {
    const o = ack.options;
    const leaseTime = o.leaseTime ?? 3600;
    const prefix = prefixFromMask(o.subnetMask, ack.yiaddr);
    const lease: DhcpLease = {
      address: Ipv4Cidr.of(ack.yiaddr, prefix),
      router: o.routers?.[0] ?? null,
      dnsServers: o.dnsServers ?? [],
      serverId: o.serverId ?? this.offer?.options.serverId ?? Ipv4Address.ANY,
      leaseTime,
      renewalTime: o.renewalTime ?? Math.floor(leaseTime / 2),
      rebindingTime: o.rebindingTime ?? Math.floor((leaseTime * 7) / 8),
      obtainedAt: this.node.scheduler.now(),
    };
    const renewal = this.currentState === 'RENEWING' || this.currentState === 'REBINDING';
    const previous = this.currentLease;
    this.currentLease = lease;
    this.clearTimers();
    if (previous === null || previous.address.toString() !== lease.address.toString() || previous.router?.value !== lease.router?.value) {
      this.configure(lease);
    }
    this.setState('BOUND', `rcv DHCPACK ${lease.address}`);
    if (leaseTime !== INFINITE) {
      this.leaseTimer('T1', lease.renewalTime, () => {
        this.setState('RENEWING', 'T1 expired');
        this.xid = this.random.nextUint32();
        this.sendRenewal();
      });
      this.leaseTimer('T2', lease.rebindingTime, () => {
        this.clearRetransmit();
        this.setState('REBINDING', 'T2 expired');
        this.sendRenewal();
      });
      this.leaseTimer('lease', leaseTime, () => {
        this.unconfigure();
        this.currentLease = null;
        this.emit('expired');
        this.setState('INIT', 'lease expired');
        this.init();
      });
    }
    if (renewal) this.emit('renewed', lease);
    else this.emit('bound', lease);
    for (const w of this.waiters.splice(0)) w.resolve(lease);
  }

  // ------------------------------------------------------------------ configuration

  private configure(lease: DhcpLease): void {
    this.configurator.setInterfaceAddress(this.iface, lease.address);
    if (lease.router !== null) {
      this.configurator.routes.add({ prefix: Ipv4Cidr.parse('0.0.0.0/0'), nextHop: lease.router, iface: this.iface, metric: 0, source: 'dynamic' });
    }
  }

  private unconfigure(): void {
    if (this.currentLease === null) return;
    if (this.currentLease.router !== null) this.configurator.routes.remove(Ipv4Cidr.parse('0.0.0.0/0'), 'dynamic');
    this.configurator.setInterfaceAddress(this.iface, null);
    this.currentLease = null;
  }

  // ------------------------------------------------------------------ helpers

  private request(type: DhcpMessageType, options: DhcpOptions, ciaddr: Ipv4Address = Ipv4Address.ANY): DhcpMessage {
    const secs = Math.min(0xffff, Math.floor((this.node.scheduler.now() - this.startedAt) / NS_PER_S));
    return dhcpMessage({
      op: BOOTREQUEST,
      xid: this.xid,
      chaddr: this.mac,
      secs,
      ciaddr,
      // Until we have an address we cannot receive unicast: ask for broadcast replies.
      flags: ciaddr.isUnspecified ? BROADCAST_FLAG : 0,
      options: { messageType: type, ...(this.hostName !== undefined ? { hostName: this.hostName } : {}), ...options },
    });
  }

  private send(message: DhcpMessage, destination: Ipv4Address): void {
    if (this.socket !== null) sendDhcpMessage(this.node, this.socket, message, destination, DHCP_SERVER_PORT);
  }

  /** RFC 2131 §4.1: 4 s doubling to 64 s, randomised by ±1 s. */
  private backoff(): number {
    const base = Math.min(64, 4 * 2 ** Math.min(this.attempts, 4));
    return (base - 1) * NS_PER_S + this.random.int(0, 2 * NS_PER_S);
  }

  private retransmitAfter(delay: number, fn: () => void): void {
    this.clearRetransmit();
    traceTimer(this.node, 'dhcp', 'set', 'retransmit', this.iface, delay);
    this.retransmitTimer = this.node.scheduler.schedule(delay, () => {
      this.retransmitTimer = null;
      traceTimer(this.node, 'dhcp', 'fired', 'retransmit', this.iface);
      if (this.currentState === 'SELECTING') this.attempts++;
      fn();
    });
  }

  private leaseTimer(name: string, seconds: number, fn: () => void): void {
    const delay = seconds * NS_PER_S;
    traceTimer(this.node, 'dhcp', 'set', name, this.iface, delay);
    this.leaseTimers.push(
      this.node.scheduler.schedule(delay, () => {
        traceTimer(this.node, 'dhcp', 'fired', name, this.iface);
        fn();
      }),
    );
  }

  private clearRetransmit(): void {
    this.retransmitTimer?.cancel();
    this.retransmitTimer = null;
  }

  private clearTimers(): void {
    this.clearRetransmit();
    for (const t of this.leaseTimers) t.cancel();
    this.leaseTimers = [];
  }

  private setState(to: DhcpClientState, cause: string): void {
    const from = this.currentState;
    if (from === to) return;
    this.currentState = to;
    traceState(this.node, 'dhcp', this.iface, from, to, cause);
    this.emit('state', from, to);
  }
}

/** Prefix length of a contiguous netmask; without a valid mask, the classful default (RFC 1122 §3.3.1.1 spirit). */
function prefixFromMask(mask: Ipv4Address | undefined, address: Ipv4Address): number {
  if (mask !== undefined) {
    const inverted = ~mask.value >>> 0;
    if ((inverted & (inverted + 1)) === 0) return 32 - Math.log2(inverted + 1);
  }
  const first = address.value >>> 24;
  return first < 128 ? 8 : first < 192 ? 16 : 24;
}
