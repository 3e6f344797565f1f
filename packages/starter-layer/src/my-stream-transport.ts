// YOUR stream transport: a reliable, ordered byte stream over the IpService contract, in
// the place TCP usually takes. Every method throws "not implemented yet" until you write it.
// Contracts: packages/core/src/contracts/transport.ts (what you provide) and
// packages/core/src/contracts/network.ts (what you use). Worked examples to read:
// packages/swaps/src/transport (stop-and-wait and go-back-N).
//
// House rules that the suite and the reviewers check:
// - time only from node.scheduler (integer ns); randomness only from node.random.fork('...');
// - bytes from the network go through a parse function that returns a WireError, never throws;
//   drop bad ones with node.tracer.drop('transport', this.name, reason, detail, length);
// - bad arguments from a caller throw a typed error naming the value (assertPort, SocketError).

import {
  type IpService,
  type NodeContext,
  type StreamConnectOptions,
  type StreamListenOptions,
  type StreamListener,
  type StreamSocket,
  type StreamTransport,
} from '@netlayers/core';

/** The IP protocol number your segments travel under (253 is reserved for experiments, RFC 3692). */
export const MY_PROTOCOL_NUMBER = 253;

export class NotImplementedYet extends Error {
  constructor(what: string) {
    super(`${what}: not implemented yet`);
    this.name = 'NotImplementedYet';
  }
}

export class MyStreamTransport implements StreamTransport {
  /** A short name for traces. Change it to your protocol's. */
  readonly name = 'my-stream';

  constructor(
    readonly node: NodeContext,
    readonly ip: IpService,
  ) {
    // TODO 1: register for your protocol number, so datagrams for it reach you:
    //   ip.registerProtocol(MY_PROTOCOL_NUMBER, (payload, info) => this.receive(payload, info), (report) => ...);
    //   Connections are keyed by (local address, local port, remote address, remote port).
  }

  /** Active open: returns a socket at once; it emits 'connect' when the peer agreed, or 'error' (ECONNREFUSED...). */
  connect(_options: StreamConnectOptions): StreamSocket {
    // TODO 2: check the port (assertPort from @netlayers/core), pick an ephemeral local port,
    //   send your "open" segment with ip.send(...), retransmit it on a scheduler timer.
    throw new NotImplementedYet('MyStreamTransport.connect');
  }

  /** Passive open: a listener that emits 'connection' with a socket for each peer that connects. */
  listen(_options: StreamListenOptions): StreamListener {
    // TODO 3: reserve the port (EADDRINUSE if taken); answer incoming "open" segments.
    throw new NotImplementedYet('MyStreamTransport.listen');
  }
}
