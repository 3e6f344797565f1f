// A DHCP server (RFC 2131 §4.3) for one subnet: DISCOVER -> OFFER (the client's previous
// address if it has one, else the requested address if free, else the lowest free one;
// the offer is reserved for a while), REQUEST -> ACK or NAK (SELECTING with our server id,
// INIT-REBOOT, RENEWING and REBINDING, §4.3.2), DECLINE (the address is set aside),
// RELEASE, INFORM, and lease expiry in virtual time. Clients are remembered by chaddr.
// Replies go where §4.1 says: to giaddr, to ciaddr, or broadcast.

import { EventEmitter } from 'eventemitter3';
import {
  DropReason,
  InvalidArgumentError,
  Ipv4Address,
  Ipv4Cidr,
  NS_PER_S,
  parseDuration,
  type DatagramRemote,
  type DatagramSocket,
  type DatagramTransport,
  type MacAddress,
  type NodeContext,
  type TimerHandle,
} from '@netlayers/core';
import {
  BOOTREPLY,
  BOOTREQUEST,
  BROADCAST_FLAG,
  DHCP_CLIENT_PORT,
  DHCP_SERVER_PORT,
  DhcpMessageType,
  dhcpMessage,
  dhcpMessageTypeName,
  type DhcpMessage,
  type DhcpOptions,
} from './message.ts';
import { openDhcpSocket, receiveDhcpMessage, sendDhcpMessage } from './endpoint.ts';
import { traceDrop, traceNote, traceTimer } from '../util/trace.ts';

export interface DhcpServerOptions {
  /** Inclusive range of addresses to hand out. */
  readonly pool: { readonly from: string | Ipv4Address; readonly to: string | Ipv4Address };
  /** The subnet the pool lies in ("10.0.1.0/24"); its mask goes to clients. */
  readonly subnet: string | Ipv4Cidr;
  readonly router?: string | Ipv4Address;
  readonly dnsServers?: readonly (string | Ipv4Address)[];
  /** Lease duration (default "1h"). */
  readonly leaseTime?: number | string;
  /** Serve only on this interface. */
  readonly iface?: string;
  /** Our address, sent as the server identifier (default: the router address). */
  readonly serverAddress?: string | Ipv4Address;
  /** How long an offered address stays reserved for the client (default "60s"). */
  readonly offerHold?: number | string;
  readonly node: NodeContext;
}

export interface DhcpBinding {
  readonly chaddr: MacAddress;
  readonly address: Ipv4Address;
  readonly state: 'offered' | 'bound';
  /** Virtual time the lease or offer ends, ns. */
  readonly expires: number;
}

interface MutableBinding {
  chaddr: MacAddress;
  address: Ipv4Address;
  state: 'offered' | 'bound';
  expires: number;
  timer: TimerHandle | null;
}

export interface DhcpServerEvents {
  lease: [binding: DhcpBinding];
  release: [binding: DhcpBinding];
  expire: [binding: DhcpBinding];
  decline: [address: Ipv4Address, chaddr: MacAddress];
}

export class DhcpServer extends EventEmitter<DhcpServerEvents> {
  readonly socket: DatagramSocket;
  readonly subnet: Ipv4Cidr;
  readonly serverAddress: Ipv4Address;
  private readonly from: number;
  private readonly to: number;
  private readonly router: Ipv4Address | undefined;
  private readonly dnsServers: Ipv4Address[];
  private readonly leaseSeconds: number;
  private readonly offerHold: number;
  private readonly node: NodeContext;
  private readonly byClient = new Map<number, MutableBinding>();
  private readonly byAddress = new Map<number, MutableBinding>();
  /** Addresses a client declined (in use by someone else), until the time given. */
  private readonly declined = new Map<number, number>();
  private readonly reserved = new Set<number>();

  constructor(udp: DatagramTransport, options: DhcpServerOptions) {
    super();
    if (options.node === undefined) throw new InvalidArgumentError('node', options.node, 'DhcpServer needs the node context (lease timers)');
    const subnet = Ipv4Cidr.from(options.subnet);
    this.subnet = Ipv4Cidr.of(subnet.network, subnet.prefixLength);
    const from = Ipv4Address.from(options.pool.from);
    const to = Ipv4Address.from(options.pool.to);
    if (from.value > to.value) throw new InvalidArgumentError('pool', `${from}-${to}`, 'starts after it ends');
    if (!this.subnet.contains(from) || !this.subnet.contains(to)) throw new InvalidArgumentError('pool', `${from}-${to}`, `is not inside the subnet ${this.subnet}`);
    this.from = from.value;
    this.to = to.value;
    this.router = options.router === undefined ? undefined : Ipv4Address.from(options.router);
    this.dnsServers = (options.dnsServers ?? []).map((a) => Ipv4Address.from(a));
    const serverAddress = options.serverAddress ?? options.router;
    if (serverAddress === undefined) throw new InvalidArgumentError('serverAddress', serverAddress, 'is needed when there is no router (it is the DHCP server identifier)');
    this.serverAddress = Ipv4Address.from(serverAddress);
    const leaseNs = parseDuration(options.leaseTime ?? '1h');
    this.leaseSeconds = Math.max(1, Math.round(leaseNs / NS_PER_S));
    this.offerHold = parseDuration(options.offerHold ?? '60s');
    this.node = options.node;
    for (const a of [this.router, this.serverAddress, ...this.dnsServers, this.subnet.network, this.subnet.broadcast]) if (a !== undefined) this.reserved.add(a.value);
    this.socket = openDhcpSocket(udp, this.node, 'server', DHCP_SERVER_PORT, options.iface, (data, remote) => this.onMessage(data, remote));
  }

  /** Current bindings (offers and leases), lowest address first. */
  bindings(): DhcpBinding[] {
    return [...this.byAddress.values()].sort((a, b) => a.address.value - b.address.value).map(({ chaddr, address, state, expires }) => ({ chaddr, address, state, expires }));
  }

  /** Addresses bound to clients now. */
  leases(): DhcpBinding[] {
    return this.bindings().filter((b) => b.state === 'bound');
  }

  close(): void {
    for (const b of this.byAddress.values()) b.timer?.cancel();
    this.socket.close();
  }

  private onMessage(data: Uint8Array, remote: DatagramRemote): void {
    const message = receiveDhcpMessage(this.node, data, (m) => (m.op !== BOOTREQUEST || m.options.messageType === undefined ? 'not a DHCP request' : null));
    if (message === null) return;
    switch (message.options.messageType) {
      case DhcpMessageType.DHCPDISCOVER: return this.onDiscover(message);
      case DhcpMessageType.DHCPREQUEST: return this.onRequest(message);
      case DhcpMessageType.DHCPDECLINE: return this.onDecline(message);
      case DhcpMessageType.DHCPRELEASE: return this.onRelease(message);
      case DhcpMessageType.DHCPINFORM: return this.onInform(message, remote);
      default:
        traceDrop(this.node, 'dhcp', DropReason.NotForUs, `${dhcpMessageTypeName(message.options.messageType)} (${message.options.messageType}) is not a type this server answers`, data.length);
    }
  }

  private onDiscover(m: DhcpMessage): void {
    const address = this.chooseAddress(m);
    if (address === null) {
      traceDrop(this.node, 'dhcp', DropReason.BufferFull, `address pool exhausted; no offer for ${m.chaddr}`, 0);
      return;
    }
    const existing = this.byClient.get(m.chaddr.key);
    if (existing === undefined || existing.state !== 'bound') this.bind(m.chaddr, address, 'offered', this.offerHold);
    this.reply(m, DhcpMessageType.DHCPOFFER, address);
  }

  private onRequest(m: DhcpMessage): void {
    const serverId = m.options.serverId;
    const binding = this.byClient.get(m.chaddr.key);
    if (serverId !== undefined) {
      // SELECTING (RFC 2131 §4.3.2): the client answers an offer.
      if (!serverId.equals(this.serverAddress)) {
        if (binding !== undefined && binding.state === 'offered') this.unbind(binding);
        return; // it chose another server
      }
      const requested = m.options.requestedIp;
      if (binding !== undefined && requested !== undefined && binding.address.equals(requested)) {
        this.bind(m.chaddr, requested, 'bound', this.leaseSeconds * NS_PER_S);
        this.reply(m, DhcpMessageType.DHCPACK, requested);
      } else {
        this.nak(m, 'requested address was not offered to this client');
      }
      return;
    }
    const requested = m.options.requestedIp ?? (m.ciaddr.isUnspecified ? undefined : m.ciaddr);
    if (requested === undefined) {
      this.nak(m, 'REQUEST without server identifier, requested address or ciaddr');
      return;
    }
    if (!this.subnet.contains(requested)) {
      this.nak(m, `${requested} is not on this network`);
      return;
    }
    if (binding === undefined) {
      // INIT-REBOOT from an unknown client: RFC 2131 §4.3.2 says remain silent.
      traceNote(this.node, 'dhcp', `no record of ${m.chaddr}; not answering its REQUEST for ${requested}`);
      return;
    }
    if (!binding.address.equals(requested)) {
      this.nak(m, `${requested} is not the address of this client`);
      return;
    }
    this.bind(m.chaddr, requested, 'bound', this.leaseSeconds * NS_PER_S);
    this.reply(m, DhcpMessageType.DHCPACK, requested);
  }

  private onDecline(m: DhcpMessage): void {
    const address = m.options.requestedIp;
    const binding = this.byClient.get(m.chaddr.key);
    if (address === undefined || binding === undefined || !binding.address.equals(address)) return;
    this.unbind(binding);
    this.declined.set(address.value, this.node.scheduler.now() + this.leaseSeconds * NS_PER_S);
    this.emit('decline', address, m.chaddr);
  }

  private onRelease(m: DhcpMessage): void {
    const binding = this.byClient.get(m.chaddr.key);
    if (binding === undefined || !binding.address.equals(m.ciaddr)) return;
    if (m.options.serverId !== undefined && !m.options.serverId.equals(this.serverAddress)) return;
    this.unbind(binding);
    this.emit('release', { ...binding });
  }

  private onInform(m: DhcpMessage, remote: DatagramRemote): void {
    // RFC 2131 §4.3.5: configuration only, no yiaddr, no lease time, unicast to ciaddr.
    const reply = this.buildReply(m, DhcpMessageType.DHCPACK, Ipv4Address.ANY, false);
    this.send(reply, m.ciaddr.isUnspecified ? remote.address : m.ciaddr, DHCP_CLIENT_PORT);
  }

  /** RFC 2131 §4.3.1: the client's current or previous address, the requested one, else a free one. */
  private chooseAddress(m: DhcpMessage): Ipv4Address | null {
    const existing = this.byClient.get(m.chaddr.key);
    if (existing !== undefined) return existing.address;
    const requested = m.options.requestedIp;
    if (requested !== undefined && this.isFree(requested.value)) return requested;
    for (let v = this.from; v <= this.to; v++) if (this.isFree(v)) return Ipv4Address.fromUint32(v);
    return null;
  }

  private isFree(value: number): boolean {
    if (value < this.from || value > this.to || this.reserved.has(value) || this.byAddress.has(value)) return false;
    const declinedUntil = this.declined.get(value);
    return declinedUntil === undefined || declinedUntil <= this.node.scheduler.now();
  }

  private bind(chaddr: MacAddress, address: Ipv4Address, state: 'offered' | 'bound', duration: number): void {
    const previous = this.byClient.get(chaddr.key);
    if (previous !== undefined) this.unbind(previous);
    const binding: MutableBinding = { chaddr, address, state, expires: this.node.scheduler.now() + duration, timer: null };
    const timerName = state === 'bound' ? 'lease' : 'offer-hold';
    traceTimer(this.node, 'dhcp', 'set', timerName, `${address} ${chaddr}`, duration);
    binding.timer = this.node.scheduler.schedule(duration, () => {
      traceTimer(this.node, 'dhcp', 'fired', timerName, `${address} ${chaddr}`);
      this.unbind(binding);
      if (state === 'bound') this.emit('expire', { ...binding });
    });
    this.byClient.set(chaddr.key, binding);
    this.byAddress.set(address.value, binding);
    if (state === 'bound') this.emit('lease', { chaddr, address, state, expires: binding.expires });
  }

  private unbind(binding: MutableBinding): void {
    binding.timer?.cancel();
    if (this.byClient.get(binding.chaddr.key) === binding) this.byClient.delete(binding.chaddr.key);
    if (this.byAddress.get(binding.address.value) === binding) this.byAddress.delete(binding.address.value);
  }

  private configOptions(): DhcpOptions {
    return {
      subnetMask: this.subnet.netmask,
      ...(this.router !== undefined ? { routers: [this.router] } : {}),
      ...(this.dnsServers.length > 0 ? { dnsServers: this.dnsServers } : {}),
    };
  }

  private buildReply(m: DhcpMessage, type: DhcpMessageType, yiaddr: Ipv4Address, withLease: boolean): DhcpMessage {
    const lease = withLease
      ? { leaseTime: this.leaseSeconds, renewalTime: Math.floor(this.leaseSeconds / 2), rebindingTime: Math.floor((this.leaseSeconds * 7) / 8) }
      : {};
    return dhcpMessage({
      op: BOOTREPLY,
      xid: m.xid,
      chaddr: m.chaddr,
      flags: m.flags,
      giaddr: m.giaddr,
      ciaddr: type === DhcpMessageType.DHCPACK && !m.ciaddr.isUnspecified ? m.ciaddr : Ipv4Address.ANY,
      yiaddr,
      options: { messageType: type, serverId: this.serverAddress, ...lease, ...(type === DhcpMessageType.DHCPNAK ? {} : this.configOptions()) },
    });
  }

  private reply(m: DhcpMessage, type: DhcpMessageType, address: Ipv4Address): void {
    const reply = this.buildReply(m, type, address, true);
    // RFC 2131 §4.1: relay agent, else the client's ciaddr, else broadcast (we cannot
    // unicast to an address the client does not have yet without touching its ARP entry).
    if (!m.giaddr.isUnspecified) this.send(reply, m.giaddr, DHCP_SERVER_PORT);
    else if (!m.ciaddr.isUnspecified) this.send(reply, m.ciaddr, DHCP_CLIENT_PORT);
    else this.send(reply, Ipv4Address.BROADCAST, DHCP_CLIENT_PORT);
  }

  private nak(m: DhcpMessage, why: string): void {
    const reply = dhcpMessage({
      op: BOOTREPLY,
      xid: m.xid,
      chaddr: m.chaddr,
      giaddr: m.giaddr,
      flags: m.giaddr.isUnspecified ? m.flags : m.flags | BROADCAST_FLAG,
      options: { messageType: DhcpMessageType.DHCPNAK, serverId: this.serverAddress, message: why },
    });
    this.send(reply, m.giaddr.isUnspecified ? Ipv4Address.BROADCAST : m.giaddr, m.giaddr.isUnspecified ? DHCP_CLIENT_PORT : DHCP_SERVER_PORT);
  }

  private send(message: DhcpMessage, address: Ipv4Address, port: number): void {
    sendDhcpMessage(this.node, this.socket, message, address, port);
  }
}
