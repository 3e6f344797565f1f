// The IPv4 forwarding table: longest-prefix match, then lowest metric (RFC 1812 §5.2.4.3).
// One Map per prefix length keyed by the masked network number, searched from the longest
// populated length down: a lookup is a handful of integer Map probes and allocates nothing.

import { InvalidArgumentError, Ipv4Address, Ipv4Cidr, prefixMask, type Route, type RouteSource, type RoutingTable } from '@netlayers/core';

/** Routes for one prefix, lowest metric first. */
type RouteList = Route[];

export class Ipv4RoutingTable implements RoutingTable {
  /** byLength[len]: masked network number → routes for that prefix. */
  private readonly byLength: Map<number, RouteList>[] = [];
  /** Prefix lengths that hold routes, longest first. */
  private populated: number[] = [];
  private readonly masks: number[] = [];
  private readonly listeners: (() => void)[] = [];
  private count = 0;

  constructor() {
    for (let len = 0; len <= 32; len++) {
      this.byLength.push(new Map());
      this.masks.push(prefixMask(len));
    }
  }

  /** Number of routes. */
  get size(): number {
    return this.count;
  }

  lookup(destination: Ipv4Address): Route | undefined {
    return this.lookupValue(destination.value);
  }

  /** Longest-prefix match on an address as an unsigned 32-bit integer (the forwarding hot path). */
  lookupValue(destination: number): Route | undefined {
    const populated = this.populated;
    for (let i = 0; i < populated.length; i++) {
      const len = populated[i]!;
      const list = this.byLength[len]!.get((destination & this.masks[len]!) >>> 0);
      if (list !== undefined) return list[0];
    }
    return undefined;
  }

  add(route: Route): void {
    if (!(route.prefix instanceof Ipv4Cidr)) throw new InvalidArgumentError('route.prefix', route.prefix, 'must be an Ipv4Cidr');
    if (typeof route.iface !== 'string' || route.iface === '') {
      throw new InvalidArgumentError('route.iface', route.iface, 'must name an interface');
    }
    if (!Number.isInteger(route.metric) || route.metric < 0) {
      throw new InvalidArgumentError('route.metric', route.metric, 'must be an integer >= 0');
    }
    const len = route.prefix.prefixLength;
    const key = (route.prefix.address.value & this.masks[len]!) >>> 0;
    // Store the prefix in canonical form (host bits cleared): "10.0.0.7/24" is 10.0.0.0/24.
    const normalized: Route =
      key === route.prefix.address.value ? route : { ...route, prefix: Ipv4Cidr.of(Ipv4Address.fromUint32(key), len) };
    const map = this.byLength[len]!;
    let list = map.get(key);
    if (list === undefined) {
      list = [];
      map.set(key, list);
      if (map.size === 1) this.refreshPopulated();
    }
    const existing = list.findIndex((r) => r.source === normalized.source);
    if (existing >= 0) list.splice(existing, 1);
    else this.count++;
    // Stable insertion: after every route with a metric <= this one.
    let at = 0;
    while (at < list.length && list[at]!.metric <= normalized.metric) at++;
    list.splice(at, 0, normalized);
    this.changed();
  }

  remove(prefix: Ipv4Cidr, source?: RouteSource): number {
    const len = prefix.prefixLength;
    const key = (prefix.address.value & this.masks[len]!) >>> 0;
    const map = this.byLength[len]!;
    const list = map.get(key);
    if (list === undefined) return 0;
    const kept = source === undefined ? [] : list.filter((r) => r.source !== source);
    const removed = list.length - kept.length;
    if (removed === 0) return 0;
    this.count -= removed;
    if (kept.length === 0) {
      map.delete(key);
      if (map.size === 0) this.refreshPopulated();
    } else {
      map.set(key, kept);
    }
    this.changed();
    return removed;
  }

  /** Remove every route that leaves by `iface` (of `source`, when given). Returns how many. */
  removeByInterface(iface: string, source?: RouteSource): number {
    let removed = 0;
    for (const route of this.entries()) {
      if (route.iface === iface && (source === undefined || route.source === source)) {
        removed += this.remove(route.prefix, route.source);
      }
    }
    return removed;
  }

  entries(): readonly Route[] {
    const out: Route[] = [];
    for (const len of this.populated) {
      const keys = [...this.byLength[len]!.keys()].sort((a, b) => a - b);
      for (const key of keys) out.push(...this.byLength[len]!.get(key)!);
    }
    return out;
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** `ip route`-style text, one route a line. */
  toString(): string {
    return this.entries()
      .map((r) => {
        const prefix = r.prefix.prefixLength === 0 ? 'default' : r.prefix.toString();
        const via = r.nextHop === null ? '' : ` via ${r.nextHop}`;
        return `${prefix}${via} dev ${r.iface} proto ${r.source} metric ${r.metric}`;
      })
      .join('\n');
  }

  private refreshPopulated(): void {
    const lengths: number[] = [];
    for (let len = 32; len >= 0; len--) if (this.byLength[len]!.size > 0) lengths.push(len);
    this.populated = lengths;
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
