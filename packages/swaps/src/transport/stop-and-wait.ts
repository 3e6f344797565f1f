// Stop-and-wait: the alternating-bit protocol (Bartlett, Scantlebury & Wilkinson, 1969),
// one segment in flight, sequence numbers 0 and 1, retransmission on a fixed timeout. It is
// correct only while no segment outlives the timeout (a duplicate from two rounds ago
// carries the same bit), so the timeout must exceed the longest round trip including any
// reordering delay. Runs over IpService as IP protocol 253 (RFC 3692 experimental).

import type { IpService, NodeContext } from '@netlayers/core';
import { ArqTransport } from './arq-transport.ts';
import { arqConfig, type ArqOptions } from './options.ts';
import { STOP_AND_WAIT_PROTOCOL } from './wire.ts';

export type StopAndWaitOptions = ArqOptions;

export class StopAndWaitTransport extends ArqTransport {
  constructor(node: NodeContext, ip: IpService, options: StopAndWaitOptions = {}) {
    super(node, ip, arqConfig('stop-and-wait', STOP_AND_WAIT_PROTOCOL, 2, 1, options));
  }
}
