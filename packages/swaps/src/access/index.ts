// The four-layer network-access module: PPP in HDLC-like framing (RFC 1661, RFC 1662) over
// its own serial wire, standing where link and physical stand in the five-layer shape.
// `createNetworkAccessLink` gives two LinkInterfaces joined by one wire.

import { type NodeContext, type SimulationContext } from '@netlayers/core';
import { NetworkAccessInterface } from './network-access-interface.ts';
import { SerialWire, type WireOptions, type WireSide } from './wire.ts';

export * from './ppp-frame.ts';
export * from './ppp-protocols.ts';
export { SerialWire, type WireOptions, type WireSide, type WireEndpoint } from './wire.ts';
export { NetworkAccessInterface, type NetworkAccessInterfaceOptions } from './network-access-interface.ts';

export interface NetworkAccessLinkOptions extends WireOptions {
  /** The node at each end. */
  readonly a: NodeContext;
  readonly b: NodeContext;
  /** Interface names (default "ppp0" at both ends). */
  readonly nameA?: string;
  readonly nameB?: string;
  /** MTU / MRU of both ends (default 1500). */
  readonly mtu?: number;
}

/** Two network-access interfaces joined by one serial wire. */
export interface NetworkAccessLink {
  readonly a: NetworkAccessInterface;
  readonly b: NetworkAccessInterface;
  readonly wire: SerialWire;
  /** Deliver raw octets to one side as if they came down the wire. */
  inject(side: WireSide, octets: Uint8Array): void;
  /** Watch the octets each side puts on the wire. */
  onWire(listener: (from: WireSide, octets: Uint8Array) => void): void;
  /** Cut (false) or restore (true) the wire. */
  setWireUp(up: boolean): void;
}

export function createNetworkAccessLink(sim: SimulationContext, options: NetworkAccessLinkOptions): NetworkAccessLink {
  const wire = new SerialWire(sim.scheduler, options);
  const mtu = options.mtu === undefined ? {} : { mtu: options.mtu };
  const a = new NetworkAccessInterface(options.a, wire, 'a', { name: options.nameA ?? 'ppp0', ...mtu });
  const b = new NetworkAccessInterface(options.b, wire, 'b', { name: options.nameB ?? 'ppp0', ...mtu });
  return {
    a,
    b,
    wire,
    inject: (side, octets) => wire.inject(side, octets),
    onWire: (listener) => wire.onTransmit(listener),
    setWireUp: (up) => wire.setUp(up),
  };
}

/** The two ends a composition hands `networkAccess`: a node and the interface name to use there. */
export interface NetworkAccessEnd {
  readonly node: NodeContext;
  readonly name: string;
}

/**
 * A four-layer connection factory for the lab: `net.connect(a, b, { access: networkAccess({ bandwidth: '10Mbps' }) })`
 * joins two hosts or routers with PPP over its own wire instead of Ethernet over a medium.
 */
export function networkAccess(options: WireOptions & { readonly mtu?: number } = {}): (a: NetworkAccessEnd, b: NetworkAccessEnd, sim: SimulationContext) => readonly [NetworkAccessInterface, NetworkAccessInterface] {
  return (a, b, sim) => {
    const link = createNetworkAccessLink(sim, { ...options, a: a.node, b: b.node, nameA: a.name, nameB: b.name });
    return [link.a, link.b] as const;
  };
}
