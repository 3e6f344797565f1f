// @netlayers/transport: TCP (RFC 9293) and UDP (RFC 768) over the IpService contract,
// exposing the StreamTransport and DatagramTransport contracts, plus Node stream adapters.

export * from './tcp/index.ts';
export * from './tcp/congestion/index.ts';
export * from './udp/index.ts';
export * from './node/index.ts';
export { registerDissectors, tcpDissector, udpDissector, tcpLadderLabel } from './dissectors.ts';
