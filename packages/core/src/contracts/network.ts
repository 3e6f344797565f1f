// The network-layer contract the transport layer uses: send a datagram to an address
// (the network layer picks the route, the source address and fragments if it must), and
// demultiplex received datagrams by IP protocol number (RFC 791). ICMP errors that quote a
// datagram a transport sent (RFC 792, RFC 1122 §4.2.3.9 / §4.1.3.3) come back to it too.

import type { Packet } from '../packet.ts';
import type { Ipv4Address } from '../address/ipv4.ts';

export interface IpSendOptions {
  readonly destination: Ipv4Address;
  readonly protocol: number;
  /** Source address; default: the address of the interface the route leaves by. */
  readonly source?: Ipv4Address;
  readonly ttl?: number;
  /** Type of service / DSCP+ECN byte. */
  readonly tos?: number;
  /** Set DF: never fragment; too big means ICMP fragmentation-needed and a drop. */
  readonly dontFragment?: boolean;
  /**
   * Leave by this interface, bypassing the routing table (DHCP before an address exists,
   * SO_BINDTODEVICE). Required for the limited broadcast 255.255.255.255 on multi-homed nodes.
   */
  readonly viaInterface?: string;
}

export type IpSendResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'no-route' | 'too-big' | 'interface-down'; readonly detail: string };

export interface IpReceiveInfo {
  readonly source: Ipv4Address;
  readonly destination: Ipv4Address;
  readonly protocol: number;
  readonly ttl: number;
  readonly tos: number;
  /** Interface the datagram arrived on. */
  readonly iface: string;
  /** The whole received datagram, IP header first (for quoting in ICMP errors). Do not keep. */
  readonly datagram: Uint8Array;
}

export type IpProtocolHandler = (payload: Packet, info: IpReceiveInfo) => void;

/** An ICMP error about a datagram this host sent, delivered to the protocol that sent it. */
export interface IcmpErrorReport {
  readonly type: 'destination-unreachable' | 'time-exceeded' | 'parameter-problem' | 'source-quench';
  /** ICMP type and code numbers as on the wire. */
  readonly icmpType: number;
  readonly icmpCode: number;
  /** Who sent the ICMP error (a router or the destination host). */
  readonly reporter: Ipv4Address;
  /** The quoted datagram's header fields. */
  readonly originalSource: Ipv4Address;
  readonly originalDestination: Ipv4Address;
  readonly originalProtocol: number;
  /** The quoted bytes after the IP header (at least the first 8: the ports). */
  readonly originalPayload: Uint8Array;
  /** Next-hop MTU for fragmentation-needed (RFC 1191), else undefined. */
  readonly mtu?: number;
}

export type IcmpErrorHandler = (report: IcmpErrorReport) => void;

/** ICMP destination-unreachable codes (RFC 792). */
export const UnreachableCode = {
  Net: 0,
  Host: 1,
  Protocol: 2,
  Port: 3,
  FragmentationNeeded: 4,
  SourceRouteFailed: 5,
  AdministrativelyProhibited: 13,
} as const;
export type UnreachableCode = (typeof UnreachableCode)[keyof typeof UnreachableCode];

export interface IpService {
  /** Send `payload` (the transport PDU, header written) in one or more IPv4 datagrams. */
  send(payload: Packet, options: IpSendOptions): IpSendResult;
  /** Deliver datagrams for `protocol` to `handler`, and ICMP errors quoting it to `onError`. */
  registerProtocol(protocol: number, handler: IpProtocolHandler, onError?: IcmpErrorHandler): void;
  /** The source address a datagram to `destination` would carry, or null when there is no route. */
  sourceAddressFor(destination: Ipv4Address): Ipv4Address | null;
  /** Whether `address` is one of this node's addresses (or a broadcast it accepts). */
  isLocalAddress(address: Ipv4Address): boolean;
  /** MTU of the first hop towards `destination` (for TCP's MSS); 576 when unknown. */
  mtuTowards(destination: Ipv4Address): number;
  /** Answer a received datagram with ICMP destination unreachable (a transport with no socket for it). */
  sendUnreachable(info: IpReceiveInfo, code: UnreachableCode): void;
}
