// The runner's contract with the stack under test. Any transport implementing core's
// StreamTransport with TCP's wire format (RFC 9293) can be tested: the runner gives a
// factory a node context and the IpService it stands behind, and drives the returned
// transport through its socket API. The runner never imports a TCP implementation.

import type { DatagramTransport, IpService, Ipv4Address, NodeContext, StreamTransport } from '@netlayers/core';

export interface StackHost {
  readonly node: NodeContext;
  /** The IP boundary the runner plays the remote side behind. */
  readonly ip: IpService;
  readonly localAddress: Ipv4Address;
}

export interface StackUnderTest {
  readonly stream: StreamTransport;
  /** Optional: a datagram transport for UDP lines and SOCK_DGRAM sockets. */
  readonly datagram?: DatagramTransport;
}

/**
 * Build the stack under test. `options` are the script's `--name=value` lines the runner
 * itself does not use; return a string naming any the stack cannot honour (it is reported
 * as "unsupported: option ...").
 */
export type StackFactory = (host: StackHost, options: ReadonlyMap<string, string>) => StackUnderTest | string;

/** The options the runner consumes itself; every other option goes to the factory. */
export const RUNNER_OPTIONS: ReadonlySet<string> = new Set(['tolerance_usecs', 'tcp_ts_tick_usecs', 'local_ip', 'remote_ip', 'mtu']);
