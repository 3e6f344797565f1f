// Forwarding a datagram that is not for this node (RFC 1812 §5.2, §5.3.1): refuse it with
// the ICMP error that is due when its TTL expires, there is no route, the way out is down or
// it cannot be fragmented; otherwise decrement the TTL (updating the header checksum
// incrementally, RFC 1624), look up the next hop by longest-prefix match and send it on,
// fragmenting when it is larger than the outgoing MTU. The IPv4 layer decides *whether* a
// datagram is forwarded (ipv4-layer.ts); this file is *how*.

import { DropReason, EtherType, updateChecksum, type Ipv4Address, type LinkDestination, type LinkInterface, type NodeContext, type Packet } from '@netlayers/core';
import type { IcmpErrorToSend } from './icmp-service.ts';
import { IcmpType, TimeExceededCode } from './icmp-wire.ts';
import { traceDatagram, traceNote } from './ipv4-trace.ts';
import type { Ipv4Header } from './ipv4-wire.ts';

/** An interface a datagram can leave by. */
export interface ForwardingInterface {
  readonly name: string;
  readonly link: LinkInterface;
}

/** What forwarding needs of the IPv4 layer it runs in. */
export interface Forwarder {
  readonly node: NodeContext;
  readonly stats: { forwarded: number };
  /** The longest-prefix route to `destination` and the interface it leaves by, if any. */
  route(destination: Ipv4Address): { readonly out: ForwardingInterface; readonly nextHop: Ipv4Address | null } | undefined;
  /** Send an ICMP error about `header`/`datagram` if the rules and the rate limit allow. */
  answerWithError(error: IcmpErrorToSend, header: Ipv4Header, datagram: Uint8Array, linkBroadcast: boolean): void;
  /** Fragment and send; false when the MTU is too small to carry a fragment. */
  sendFragments(header: Ipv4Header, payload: Uint8Array, iface: ForwardingInterface, to: LinkDestination, direction: 'forward'): boolean;
}

/**
 * The router decrements the TTL here: TTL - 1 written into the datagram's bytes, and the
 * header checksum updated for the changed 16-bit word (TTL shares it with the protocol
 * number), as RFC 1624 eqn. 3 does it. Returns the new TTL and checksum.
 */
export function decrementTtl(bytes: Uint8Array): { ttl: number; checksum: number } {
  const ttl = bytes[8]! - 1;
  const oldWord = (bytes[8]! << 8) | bytes[9]!;
  bytes[8] = ttl;
  const checksum = updateChecksum((bytes[10]! << 8) | bytes[11]!, oldWord, (ttl << 8) | bytes[9]!);
  bytes[10] = checksum >>> 8;
  bytes[11] = checksum & 0xff;
  return { ttl, checksum };
}

/** RFC 1812 §5.2: validate, decrement TTL, look up the route, fragment if needed, send. */
export function forwardDatagram(f: Forwarder, packet: Packet, header: Ipv4Header, inIface: string): void {
  const bytes = packet.bytes;
  const tracer = f.node.tracer;
  if (header.ttl <= 1) {
    f.answerWithError({ type: IcmpType.TimeExceeded, code: TimeExceededCode.TtlExceededInTransit }, header, bytes, false);
    tracer.drop('network', 'ipv4', DropReason.TtlExpired, `TTL ${header.ttl} expired in transit to ${header.destination}`, bytes.length, { iface: inIface });
    return;
  }
  const route = f.route(header.destination);
  if (route === undefined) {
    f.answerWithError({ type: IcmpType.DestinationUnreachable, code: 0 }, header, bytes, false);
    tracer.drop('network', 'ipv4', DropReason.NoRoute, `no route to ${header.destination}`, bytes.length, { iface: inIface });
    return;
  }
  const out = route.out;
  if (!out.link.isUp) {
    f.answerWithError({ type: IcmpType.DestinationUnreachable, code: 1 }, header, bytes, false);
    tracer.drop('network', 'ipv4', DropReason.InterfaceDown, `${out.name} towards ${header.destination} is down`, bytes.length, { iface: out.name });
    return;
  }
  const mtu = out.link.mtu;
  if (header.totalLength > mtu && header.dontFragment) {
    f.answerWithError({ type: IcmpType.DestinationUnreachable, code: 4, nextHopMtu: mtu }, header, bytes, false);
    tracer.drop('network', 'ipv4', DropReason.TooBig, `${header.totalLength} bytes with DF set exceed MTU ${mtu} of ${out.name}`, bytes.length, { iface: out.name });
    return;
  }
  const { ttl, checksum } = decrementTtl(bytes);
  const nextHop = route.nextHop ?? header.destination;
  f.stats.forwarded++;
  if (header.totalLength <= mtu) {
    if (tracer.active) {
      traceNote(tracer, routeNote(header.destination, nextHop, route.nextHop === null, out.name), out.name);
      traceDatagram(tracer, 'forward', { ...header, ttl, checksum }, bytes.subarray(header.headerLength), out.name);
    }
    out.link.send(packet, EtherType.IPv4, { kind: 'ipv4', nextHop });
    return;
  }
  const forwarded: Ipv4Header = { ...header, ttl, checksum };
  if (tracer.active) traceNote(tracer, routeNote(header.destination, nextHop, route.nextHop === null, out.name), out.name);
  if (!f.sendFragments(forwarded, bytes.subarray(header.headerLength), out, { kind: 'ipv4', nextHop }, 'forward')) {
    tracer.drop('network', 'ipv4', DropReason.TooBig, `MTU ${mtu} of ${out.name} cannot carry a fragment`, bytes.length, { iface: out.name });
  }
}

/** "10.0.2.10 via 10.0.1.1 on eth1", or "directly connected on eth1". */
export function routeNote(destination: Ipv4Address, nextHop: Ipv4Address, connected: boolean, iface: string): string {
  return connected ? `${destination} directly connected on ${iface}` : `${destination} via ${nextHop} on ${iface}`;
}
