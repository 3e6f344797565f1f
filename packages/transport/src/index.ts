// @netlayers/transport: TCP (RFC 9293) and UDP (RFC 768) over the IpService contract,
// exposing the StreamTransport and DatagramTransport contracts. The Node stream adapters
// (node:stream, node:events) are a separate entry, `@netlayers/transport/node`, so a browser
// build never loads them.

export * from './tcp/index.ts';
export * from './tcp/congestion/index.ts';
export * from './udp/index.ts';
