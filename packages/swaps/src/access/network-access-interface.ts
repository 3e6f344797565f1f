// The four-layer network-access module (RFC 1122 §1.1.3: the "link layer" of the Internet
// architecture): one component that is both link and physical. It implements the
// LinkInterface contract directly over its own SerialWire with PPP in HDLC-like framing
// (RFC 1661 §2 encapsulation, RFC 1662 §3–4 framing and FCS-16). A point-to-point link needs
// no address resolution: every destination is the peer. It traces with role
// 'network-access', so a run shows application, transport, internet and network access.
//
// Not implemented: LCP/IPCP negotiation (RFC 1661 §4–6, RFC 1332) — the link uses the
// defaults those would agree on (MRU 1500, ACCM 0xffffffff, no compression, FCS-16) and is
// Opened whenever the wire is up; Protocol-Reject is replaced by a traced drop.

import {
  DropReason,
  InvalidArgumentError,
  Packet,
  etherTypeName,
  isWireError,
  type LinkDestination,
  type LinkInterface,
  type LinkInterfaceStats,
  type LinkProtocolHandler,
  type MacAddress,
  type NodeContext,
  type Ipv4Address,
} from '@netlayers/core';
import { DEFAULT_ACCM, PPP_FCS_LENGTH, PPP_HEADER_LENGTH, buildPppFrame, parsePppFrame, splitAtFlags, stuffPppFrame } from './ppp-frame.ts';
import { etherTypeFor, pppProtocolFor, pppProtocolName } from './ppp-protocols.ts';
import type { SerialWire, WireEndpoint, WireSide } from './wire.ts';

const ROLE = 'network-access';
const PROTOCOL = 'ppp';

export interface NetworkAccessInterfaceOptions {
  /** Interface name (default "ppp0"). */
  readonly name?: string;
  /** Largest network-layer packet; the MRU (default 1500, RFC 1661 §6.1). */
  readonly mtu?: number;
  /** Async-Control-Character-Map for the octets this end sends (default 0xffffffff). */
  readonly accm?: number;
}

export class NetworkAccessInterface implements LinkInterface, WireEndpoint {
  readonly name: string;
  /** PPP has no hardware addresses. */
  readonly hardwareAddress: MacAddress | null = null;
  readonly mtu: number;
  readonly stats: LinkInterfaceStats = { txFrames: 0, rxFrames: 0, txBytes: 0, rxBytes: 0, drops: 0 };
  private readonly handlers = new Map<number, LinkProtocolHandler>();
  private readonly listeners: ((up: boolean) => void)[] = [];
  private readonly accm: number;
  private addresses: readonly Ipv4Address[] = [];

  constructor(
    readonly node: NodeContext,
    private readonly wire: SerialWire,
    private readonly side: WireSide,
    options: NetworkAccessInterfaceOptions = {},
  ) {
    this.name = options.name ?? 'ppp0';
    const mtu = options.mtu ?? 1500;
    if (!Number.isInteger(mtu) || mtu < 68 || mtu > 65535) throw new InvalidArgumentError('mtu', mtu, 'must be an integer from 68 to 65535');
    this.mtu = mtu;
    this.accm = options.accm ?? DEFAULT_ACCM;
    wire.connect(side, this);
  }

  get isUp(): boolean {
    return this.wire.isUp;
  }

  /** The IPv4 addresses the network layer gave this interface (PPP resolves nothing with them). */
  get ipv4Addresses(): readonly Ipv4Address[] {
    return this.addresses;
  }

  setIpv4Addresses(addresses: readonly Ipv4Address[]): void {
    this.addresses = [...addresses];
  }

  registerProtocol(etherType: number, handler: LinkProtocolHandler): void {
    if (pppProtocolFor(etherType) === undefined) {
      throw new InvalidArgumentError('etherType', etherType, 'has no PPP protocol number (PPP carries IPv4 0x0800 and IPv6 0x86dd)');
    }
    this.handlers.set(etherType, handler);
  }

  onStateChange(listener: (up: boolean) => void): void {
    this.listeners.push(listener);
  }

  send(packet: Packet, etherType: number, _destination: LinkDestination): void {
    const protocol = pppProtocolFor(etherType);
    if (protocol === undefined) {
      this.drop(DropReason.UnknownProtocol, `PPP has no protocol number for EtherType ${etherTypeName(etherType)}`, packet.length);
      return;
    }
    if (!this.wire.isUp) {
      this.drop(DropReason.InterfaceDown, `${this.name} is down`, packet.length);
      return;
    }
    if (packet.length > this.mtu) {
      this.drop(DropReason.TooBig, `${packet.length} octets exceed the MTU of ${this.mtu}`, packet.length);
      return;
    }
    const frame = buildPppFrame(protocol, packet.bytes);
    if (this.node.tracer.active) {
      this.tracePdu('down', protocol, frame);
      this.node.tracer.emit({ kind: 'frame', role: ROLE, protocol: PROTOCOL, iface: this.name, action: 'tx', bytes: frame, linkType: 'ppp' });
    }
    const octets = stuffPppFrame(frame, this.accm);
    if (this.wire.transmit(this.side, octets)) {
      this.stats.txFrames++;
      this.stats.txBytes += frame.length;
    }
  }

  /** @internal WireEndpoint: octets of one or more frames arrived. */
  receive(octets: Uint8Array): void {
    const bodies = splitAtFlags(octets);
    if (bodies.length === 0) {
      this.drop(DropReason.Truncated, 'no octets between the flags', octets.length);
      return;
    }
    for (const body of bodies) this.receiveFrame(body);
  }

  /** @internal WireEndpoint */
  wireStateChanged(up: boolean): void {
    if (this.node.tracer.active) {
      this.node.tracer.emit({ kind: 'state', role: ROLE, protocol: PROTOCOL, iface: this.name, entity: this.name, from: up ? 'Down' : 'Opened', to: up ? 'Opened' : 'Down', cause: up ? 'carrier up' : 'carrier lost' });
    }
    for (const listener of this.listeners) listener(up);
  }

  /** @internal WireEndpoint */
  wireDropped(octets: Uint8Array, reason: typeof DropReason.QueueFull | typeof DropReason.InterfaceDown): void {
    this.drop(reason, reason === DropReason.QueueFull ? 'transmit queue full' : 'wire cut', octets.length);
  }

  private receiveFrame(body: Uint8Array): void {
    const parsed = parsePppFrame(body, this.mtu);
    if (isWireError(parsed)) {
      this.drop(parsed.reason, parsed.detail, body.length);
      return;
    }
    const etherType = etherTypeFor(parsed.protocol);
    const handler = etherType === undefined ? undefined : this.handlers.get(etherType);
    if (this.node.tracer.active) this.node.tracer.emit({ kind: 'frame', role: ROLE, protocol: PROTOCOL, iface: this.name, action: 'rx', bytes: parsed.frame.slice(), linkType: 'ppp' });
    if (etherType === undefined || handler === undefined) {
      this.drop(DropReason.UnknownProtocol, `no handler for PPP protocol ${pppProtocolName(parsed.protocol)}`, parsed.frame.length);
      return;
    }
    this.stats.rxFrames++;
    this.stats.rxBytes += parsed.frame.length;
    if (this.node.tracer.active) this.tracePdu('up', parsed.protocol, parsed.frame);
    handler(Packet.wrap(parsed.information.slice()), { iface: this, source: null, destination: null, broadcast: false });
  }

  private tracePdu(direction: 'down' | 'up', protocol: number, frame: Uint8Array): void {
    const information = frame.length - PPP_HEADER_LENGTH - PPP_FCS_LENGTH;
    this.node.tracer.emit({
      kind: 'pdu',
      role: ROLE,
      protocol: PROTOCOL,
      iface: this.name,
      direction,
      length: frame.length,
      headerLength: PPP_HEADER_LENGTH,
      text: `PPP ${pppProtocolName(protocol)}, length ${information}`,
      header: { protocol: 'ppp', address: 0xff, control: 0x03, pppProtocol: protocol, protocolName: pppProtocolName(protocol), informationLength: information },
    });
  }

  private drop(reason: DropReason, detail: string, length: number): void {
    this.stats.drops++;
    this.node.tracer.drop(ROLE, PROTOCOL, reason, detail, length, { iface: this.name });
  }
}
