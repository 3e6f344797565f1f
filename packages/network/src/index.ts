// @netlayers/network: the network layer. IPv4 (RFC 791) wire format, ICMP (RFC 792),
// the routing table (longest-prefix match, RFC 1812 §5.2.4.3), forwarding, fragmentation
// and reassembly (RFC 791 §3.2, RFC 815), ping and traceroute.

export * from './ipv4-wire.ts';
export * from './icmp-wire.ts';
export * from './routing-table.ts';
export * from './fragmentation.ts';
export * from './reassembly.ts';
export * from './icmp-errors.ts';
export * from './ping.ts';
export { IcmpService, type IcmpErrorToSend, type IcmpHost } from './icmp-service.ts';
export { traceDatagram } from './ipv4-trace.ts';
export { Ipv4Layer, LOOPBACK_INTERFACE, type Ipv4LayerOptions, type Ipv4Stats } from './ipv4-layer.ts';
export { registerDissectors, ipv4Dissector, icmpDissector } from './dissectors.ts';
export { decrementTtl, forwardDatagram, routeNote, type Forwarder, type ForwardingInterface } from './forwarding.ts';
