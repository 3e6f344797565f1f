// The link-layer contract the network layer uses: an interface that sends a packet to a
// next hop (resolving it, e.g. with ARP) and demultiplexes received frames by EtherType.
// A four-layer "network access" module implements this same contract directly on a medium.

import type { Packet } from '../packet.ts';
import type { Ipv4Address } from '../address/ipv4.ts';
import type { MacAddress } from '../address/mac.ts';

/** Where on the link a packet goes. */
export type LinkDestination =
  | { readonly kind: 'ipv4'; readonly nextHop: Ipv4Address }
  | { readonly kind: 'broadcast' }
  | { readonly kind: 'hardware'; readonly address: MacAddress };

export interface LinkReceiveInfo {
  /** The interface it arrived on. */
  readonly iface: LinkInterface;
  readonly source: MacAddress | null;
  readonly destination: MacAddress | null;
  /** Sent to the link broadcast (or a multicast) address. */
  readonly broadcast: boolean;
}

export type LinkProtocolHandler = (packet: Packet, info: LinkReceiveInfo) => void;

export interface LinkInterfaceStats {
  txFrames: number;
  rxFrames: number;
  txBytes: number;
  rxBytes: number;
  drops: number;
}

export interface LinkInterface {
  /** "eth0". */
  readonly name: string;
  /** The interface's hardware address, or null on links that have none. */
  readonly hardwareAddress: MacAddress | null;
  /** Largest network-layer packet one frame carries. */
  readonly mtu: number;
  readonly isUp: boolean;
  readonly stats: LinkInterfaceStats;
  /** The IPv4 addresses the network layer assigned here; address resolution answers for them. */
  setIpv4Addresses(addresses: readonly Ipv4Address[]): void;
  /**
   * Send `packet` (a network-layer PDU, its header already written) to `destination`.
   * Resolution may queue it; failures are traced as drops, never thrown.
   */
  send(packet: Packet, etherType: number, destination: LinkDestination): void;
  /** Deliver received packets of this EtherType to `handler` (one handler per type). */
  registerProtocol(etherType: number, handler: LinkProtocolHandler): void;
  /** Called when the interface goes up or down. */
  onStateChange(listener: (up: boolean) => void): void;
}
