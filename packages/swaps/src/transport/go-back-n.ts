// Go-back-N: up to N segments in flight, cumulative ACKs, one timer for the oldest
// unacknowledged segment, and on its expiry the whole window is sent again. The receiver
// keeps no out-of-order segments. Sequence numbers are 32 bits, so N may be large and old
// duplicates are harmless. Runs over IpService as IP protocol 254 (RFC 3692 experimental).

import { assertIntegerInRange, type IpService, type NodeContext } from '@netlayers/core';
import { ArqTransport } from './arq-transport.ts';
import { arqConfig, type ArqOptions } from './options.ts';
import { GO_BACK_N_PROTOCOL } from './wire.ts';

export interface GoBackNOptions extends ArqOptions {
  /** Window size N in segments (default 8). */
  readonly window?: number;
}

export class GoBackNTransport extends ArqTransport {
  readonly window: number;
  constructor(node: NodeContext, ip: IpService, options: GoBackNOptions = {}) {
    const window = options.window ?? 8;
    assertIntegerInRange('window', window, 1, 65535);
    super(node, ip, arqConfig('go-back-n', GO_BACK_N_PROTOCOL, 2 ** 32, window, options));
    this.window = window;
  }
}
