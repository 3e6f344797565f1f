// An Ethernet NIC on a physical port: the LinkInterface the network layer sends through.
// Receive: check the frame (length, FCS), filter on the destination address (our unicast
// address, broadcast, multicast; everything in promiscuous mode), check the 802.1Q VLAN,
// and hand the payload to the protocol registered for its EtherType. Send: resolve the
// next hop (ARP, RFC 826; IPv4 multicast per RFC 1112 section 6.4), frame it (Ethernet II,
// padded, FCS) and transmit it on the port.

import {
  DropReason,
  EtherType,
  InvalidAddressError,
  InvalidArgumentError,
  Ipv4Address,
  MacAddress,
  Packet,
  isWireError,
  type LinkDestination,
  type LinkInterface,
  type LinkInterfaceStats,
  type LinkProtocolHandler,
  type NodeContext,
  type PhyPort,
} from '@netlayers/core';
import { resolveArpOptions, type ArpCacheView, type ArpOptions } from './arp-cache.ts';
import { ArpResolver } from './arp-resolver.ts';
import { ArpOperation } from './arp-packet.ts';
import {
  ETHERNET_HEADER_LENGTH,
  FCS_LENGTH,
  MAX_802_3_LENGTH,
  VLAN_TAG_LENGTH,
  describeEtherType,
  encapsulate,
  ethernetHeaderInfo,
  ethernetSummary,
  parseEthernetFrame,
  type EthernetFrame,
  type EthernetHeader,
  type VlanTag,
} from './ethernet.ts';

export interface EthernetInterfaceOptions {
  /** "eth0". */
  name: string;
  /** Default: a random locally administered address from `node.random.fork('mac:' + name)`. */
  mac?: MacAddress | undefined;
  /** Accept unicast frames for any destination (a sniffer or a bridge port). */
  promiscuous?: boolean | undefined;
  /** Send 802.1Q frames tagged with this VLAN ID (1..4094) and accept only that VLAN. */
  vlan?: number | undefined;
  arp?: ArpOptions | undefined;
}

export interface EthernetInterfaceStats extends LinkInterfaceStats {
  arpRequestsSent: number;
  arpRepliesSent: number;
}

export class EthernetInterface implements LinkInterface {
  readonly name: string;
  readonly hardwareAddress: MacAddress;
  readonly stats: EthernetInterfaceStats = { txFrames: 0, rxFrames: 0, txBytes: 0, rxBytes: 0, drops: 0, arpRequestsSent: 0, arpRepliesSent: 0 };
  /** Accept unicast frames addressed to other stations. */
  promiscuous: boolean;
  readonly vlan: number | null;

  private readonly arp: ArpResolver;
  private readonly handlers = new Map<number, LinkProtocolHandler>();
  private readonly listeners: ((up: boolean) => void)[] = [];
  private addresses: Ipv4Address[] = [];
  private readonly vlanTag: VlanTag | undefined;
  private readonly headerLength: number;

  constructor(
    private readonly node: NodeContext,
    private readonly port: PhyPort,
    options: EthernetInterfaceOptions,
  ) {
    if (typeof options?.name !== 'string' || options.name.length === 0) {
      throw new InvalidArgumentError('name', options?.name, 'must be a non-empty interface name such as "eth0"');
    }
    this.name = options.name;
    const mac = options.mac ?? MacAddress.random(node.random.fork(`mac:${options.name}`));
    if (!(mac instanceof MacAddress)) throw new InvalidAddressError(String(mac), 'mac must be a MacAddress');
    if (mac.isMulticast) throw new InvalidAddressError(mac.toString(), 'an interface address must be unicast (group bit clear)');
    this.hardwareAddress = mac;
    this.promiscuous = options.promiscuous ?? false;
    if (options.vlan !== undefined && (!Number.isInteger(options.vlan) || options.vlan < 1 || options.vlan > 4094)) {
      throw new InvalidArgumentError('vlan', options.vlan, 'must be an integer VLAN ID from 1 to 4094');
    }
    this.vlan = options.vlan ?? null;
    this.vlanTag = this.vlan === null ? undefined : { pcp: 0, dei: false, vid: this.vlan };
    this.headerLength = ETHERNET_HEADER_LENGTH + (this.vlan === null ? 0 : VLAN_TAG_LENGTH);
    this.arp = new ArpResolver(
      {
        node,
        name: this.name,
        hardwareAddress: mac,
        ownAddresses: () => this.addresses,
        ownsAddress: (a) => this.ownsAddress(a),
        transmitArp: (packet, destination, operation) => {
          if (this.transmit(packet, EtherType.ARP, destination)) {
            if (operation === ArpOperation.Reply) this.stats.arpRepliesSent++;
            else this.stats.arpRequestsSent++;
          }
        },
        transmitResolved: (packet, etherType, destination) => void this.transmit(packet, etherType, destination),
        drop: (protocol, reason, detail, length) => this.drop(protocol, reason, detail, length),
      },
      resolveArpOptions(options.arp),
    );
    port.setReceiver((frame) => this.receiveFrame(frame));
    port.onLinkChange((up) => this.linkChanged(up));
  }

  /** The ARP cache, for inspection: `entries()` gives address, mac, state and expiresAt. */
  get arpCache(): ArpCacheView {
    return this.arp.cache;
  }

  get isUp(): boolean {
    return this.port.isUp;
  }

  /** The port's MTU, less the VLAN tag when it would not fit in the port's largest frame. */
  get mtu(): number {
    const caps = this.port.capabilities;
    return Math.max(0, Math.min(caps.mtu, caps.maxFrameBytes - this.headerLength - FCS_LENGTH));
  }

  get ipv4Addresses(): readonly Ipv4Address[] {
    return this.addresses;
  }

  setIpv4Addresses(addresses: readonly Ipv4Address[]): void {
    for (const a of addresses) {
      if (!(a instanceof Ipv4Address)) throw new InvalidAddressError(String(a), 'expected Ipv4Address values');
    }
    const added = addresses.filter((a) => !this.ownsAddress(a));
    this.addresses = [...addresses];
    if (this.isUp) for (const a of added) this.arp.announce(a);
  }

  registerProtocol(etherType: number, handler: LinkProtocolHandler): void {
    if (!Number.isInteger(etherType) || etherType <= MAX_802_3_LENGTH || etherType > 0xffff) {
      throw new InvalidArgumentError('etherType', etherType, 'must be an integer from 0x0600 to 0xffff');
    }
    if (etherType === EtherType.ARP) {
      throw new InvalidArgumentError('etherType', etherType, 'ARP (0x0806) is handled by the interface itself');
    }
    if (typeof handler !== 'function') throw new InvalidArgumentError('handler', handler, 'must be a function');
    this.handlers.set(etherType, handler);
  }

  onStateChange(listener: (up: boolean) => void): void {
    this.listeners.push(listener);
  }

  send(packet: Packet, etherType: number, destination: LinkDestination): void {
    if (!Number.isInteger(etherType) || etherType <= MAX_802_3_LENGTH || etherType > 0xffff) {
      throw new InvalidArgumentError('etherType', etherType, 'must be an integer from 0x0600 to 0xffff');
    }
    if (!this.isUp) {
      this.drop('ethernet', DropReason.InterfaceDown, `${this.name} is down`, packet.length);
      return;
    }
    if (packet.length > this.mtu) {
      this.drop('ethernet', DropReason.TooBig, `${packet.length} bytes exceed the MTU of ${this.name} (${this.mtu})`, packet.length);
      return;
    }
    switch (destination.kind) {
      case 'hardware':
        this.transmit(packet, etherType, destination.address);
        return;
      case 'broadcast':
        this.transmit(packet, etherType, MacAddress.BROADCAST);
        return;
      case 'ipv4': {
        const hop = destination.nextHop;
        if (hop.isBroadcast) this.transmit(packet, etherType, MacAddress.BROADCAST);
        else if (hop.isMulticast) this.transmit(packet, etherType, ipv4MulticastMac(hop));
        else this.arp.resolve(hop, packet, etherType);
        return;
      }
      default:
        throw new InvalidArgumentError('destination.kind', (destination as { kind: unknown }).kind, 'must be "ipv4", "broadcast" or "hardware"');
    }
  }

  private ownsAddress(address: Ipv4Address): boolean {
    for (const a of this.addresses) if (a.value === address.value) return true;
    return false;
  }

  /** Frame and put on the port. True when the port accepted it. */
  private transmit(packet: Packet, etherType: number, destination: MacAddress): boolean {
    if (!this.port.isUp) {
      this.drop('ethernet', DropReason.InterfaceDown, `${this.name} is down`, packet.length);
      return false;
    }
    const header: EthernetHeader =
      this.vlanTag === undefined
        ? { destination, source: this.hardwareAddress, etherType }
        : { destination, source: this.hardwareAddress, etherType, vlan: this.vlanTag };
    encapsulate(packet, header);
    const frame = packet.bytes;
    if (this.node.tracer.active) this.tracePdu('down', { ...header, headerLength: this.headerLength, payload: frame.subarray(this.headerLength, frame.length - FCS_LENGTH), fcs: readFcs(frame), length: frame.length });
    if (!this.port.transmit(frame)) {
      this.stats.drops++;
      return false;
    }
    this.stats.txFrames++;
    this.stats.txBytes += frame.length;
    return true;
  }

  private receiveFrame(bytes: Uint8Array): void {
    const frame = parseEthernetFrame(bytes);
    if (isWireError(frame)) {
      this.drop('ethernet', frame.reason, frame.detail, bytes.length);
      return;
    }
    const destination = frame.destination;
    const group = destination.isMulticast;
    if (!group && !destination.equals(this.hardwareAddress) && !this.promiscuous) {
      this.drop('ethernet', DropReason.NotForUs, `destination ${destination} is not ${this.hardwareAddress}`, bytes.length);
      return;
    }
    this.stats.rxFrames++;
    this.stats.rxBytes += bytes.length;
    if (this.node.tracer.active) this.tracePdu('up', frame);
    const vid = frame.vlan?.vid ?? 0;
    if (vid !== (this.vlan ?? 0)) {
      const detail = this.vlan === null ? `802.1Q VLAN ${vid} is not configured on ${this.name}` : `${this.name} is on VLAN ${this.vlan}; frame is ${frame.vlan === undefined ? 'untagged' : `on VLAN ${vid}`}`;
      this.drop('ethernet', DropReason.Filtered, detail, bytes.length);
      return;
    }
    if (frame.etherType === EtherType.ARP) {
      this.arp.receive(frame.payload);
      return;
    }
    const handler = this.handlers.get(frame.etherType);
    if (handler === undefined) {
      const what = frame.etherType <= MAX_802_3_LENGTH ? `an 802.3 length field (${frame.etherType}); LLC is not supported` : `no protocol registered for ethertype ${describeEtherType(frame.etherType)}`;
      this.drop('ethernet', DropReason.UnknownProtocol, what, bytes.length);
      return;
    }
    handler(Packet.wrap(frame.payload), { iface: this, source: frame.source, destination, broadcast: group });
  }

  private linkChanged(up: boolean): void {
    const tracer = this.node.tracer;
    if (tracer.active) {
      tracer.emit({ kind: 'state', role: 'link', protocol: 'ethernet', iface: this.name, entity: this.name, from: up ? 'DOWN' : 'UP', to: up ? 'UP' : 'DOWN', cause: 'link change' });
    }
    if (up) for (const a of this.addresses) this.arp.announce(a);
    else this.arp.flush(`${this.name} went down`);
    for (const listener of this.listeners) listener(up);
  }

  private drop(protocol: string, reason: DropReason, detail: string, length: number): void {
    this.stats.drops++;
    this.node.tracer.drop('link', protocol, reason, detail, length, { iface: this.name });
  }

  private tracePdu(direction: 'up' | 'down', frame: EthernetFrame): void {
    this.node.tracer.emit({
      kind: 'pdu',
      role: 'link',
      protocol: 'ethernet',
      iface: this.name,
      direction,
      length: frame.length,
      headerLength: frame.headerLength,
      text: ethernetSummary(frame),
      header: ethernetHeaderInfo(frame),
    });
  }
}

function readFcs(frame: Uint8Array): number {
  const n = frame.length;
  return (frame[n - 4]! | (frame[n - 3]! << 8) | (frame[n - 2]! << 16) | (frame[n - 1]! << 24)) >>> 0;
}

/** RFC 1112 section 6.4: 01:00:5e followed by the low 23 bits of the group address. */
export function ipv4MulticastMac(group: Ipv4Address): MacAddress {
  const v = group.value;
  return MacAddress.fromKey(0x01005e000000 + (v & 0x7fffff));
}
