// A reference NetworkConfigurator (core's configuration contract) for one interface, for
// tests of what configures a host (a DHCP client, RFC 2131): it records every address it is
// given, tells its owner, and keeps a routing table with longest-prefix-match lookup (the
// lower metric winning among equal prefixes), which a router's control plane can run on.

import { Ipv4Cidr, type IpInterfaceInfo, type Ipv4Address, type NetworkConfigurator, type Route, type RouteSource, type RoutingTable } from '@netlayers/core';

export class FakeRoutingTable implements RoutingTable {
  private routes: Route[] = [];
  private readonly listeners: (() => void)[] = [];
  lookup(destination: Ipv4Address): Route | undefined {
    return this.entries().find((r) => r.prefix.contains(destination));
  }
  add(route: Route): void {
    this.routes = this.routes.filter((r) => !(samePrefix(r.prefix, route.prefix) && r.source === route.source));
    this.routes.push(route);
    this.notify();
  }
  /** Removes the routes for `prefix` (from `source` only, if given); listeners hear only of a change. */
  remove(prefix: Ipv4Cidr, source?: RouteSource): number {
    const before = this.routes.length;
    this.routes = this.routes.filter((r) => !(samePrefix(r.prefix, prefix) && (source === undefined || r.source === source)));
    if (before !== this.routes.length) this.notify();
    return before - this.routes.length;
  }
  entries(): readonly Route[] {
    return [...this.routes].sort((a, b) => b.prefix.prefixLength - a.prefix.prefixLength || a.metric - b.metric);
  }
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }
  private notify(): void {
    for (const l of this.listeners) l();
  }
}

function samePrefix(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  return a.prefixLength === b.prefixLength && a.network.equals(b.network);
}

export interface FakeConfiguratorOptions {
  /** The interface's name (default 'eth0'). */
  readonly iface?: string;
  /** Its address to start with (default none). */
  readonly cidr?: Ipv4Cidr | string | null;
  /** Default 1500. */
  readonly mtu?: number;
  /** Called with each new address (null: removed). */
  readonly onAddress?: (cidr: Ipv4Cidr | null) => void;
}

export class FakeConfigurator implements NetworkConfigurator {
  readonly routes = new FakeRoutingTable();
  /** Every setInterfaceAddress call, in order ('10.0.1.100/24', or null). */
  readonly history: (string | null)[] = [];
  readonly iface: string;
  cidr: Ipv4Cidr | null;

  constructor(private readonly options: FakeConfiguratorOptions = {}) {
    this.iface = options.iface ?? 'eth0';
    this.cidr = options.cidr === undefined || options.cidr === null ? null : typeof options.cidr === 'string' ? Ipv4Cidr.parse(options.cidr) : options.cidr;
  }

  interfaces(): readonly IpInterfaceInfo[] {
    return [this.info()];
  }

  setInterfaceAddress(iface: string, cidr: Ipv4Cidr | null): void {
    if (iface !== this.iface) throw new Error(`no interface ${iface}`);
    this.cidr = cidr;
    this.history.push(cidr === null ? null : cidr.toString());
    this.options.onAddress?.(cidr);
  }

  /** The interface never goes down, so listeners are never called. */
  onInterfaceChange(): void {}

  private info(): IpInterfaceInfo {
    return { name: this.iface, cidr: this.cidr, mtu: this.options.mtu ?? 1500, isUp: true };
  }
}
