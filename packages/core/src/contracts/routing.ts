// The routing contracts: the forwarding table an IPv4 layer consults (longest-prefix match,
// RFC 1812 §5.2.4.3) and the configuration surface that control-plane code uses: a DHCP
// client setting an interface address, a routing protocol installing routes.

import type { Ipv4Address, Ipv4Cidr } from '../address/ipv4.ts';

export type RouteSource = 'connected' | 'static' | 'dynamic';

export interface Route {
  /** Destination prefix (network address and length). */
  readonly prefix: Ipv4Cidr;
  /** Gateway, or null for a directly connected prefix. */
  readonly nextHop: Ipv4Address | null;
  /** Outgoing interface name. */
  readonly iface: string;
  /** Lower wins among equal prefix lengths. */
  readonly metric: number;
  readonly source: RouteSource;
}

export interface RoutingTable {
  /** Longest-prefix match, then lowest metric; undefined when nothing matches. */
  lookup(destination: Ipv4Address): Route | undefined;
  /** Add or replace the route with the same prefix and source. */
  add(route: Route): void;
  /** Remove routes for `prefix` (only those of `source`, when given). Returns how many. */
  remove(prefix: Ipv4Cidr, source?: RouteSource): number;
  /** Every route, longest prefix first. */
  entries(): readonly Route[];
  /** Called after any change. */
  onChange(listener: () => void): void;
}

export interface IpInterfaceInfo {
  readonly name: string;
  /** Address and prefix, or null while unconfigured (before DHCP). */
  readonly cidr: Ipv4Cidr | null;
  readonly mtu: number;
  readonly isUp: boolean;
}

/** What control-plane code (DHCP client, routing protocols) may change on a node. */
export interface NetworkConfigurator {
  interfaces(): readonly IpInterfaceInfo[];
  /** Assign (or with null, remove) an interface's address; connected routes follow. */
  setInterfaceAddress(iface: string, cidr: Ipv4Cidr | null): void;
  readonly routes: RoutingTable;
  /** Called when an interface goes up or down. */
  onInterfaceChange(listener: (iface: string, up: boolean) => void): void;
}
