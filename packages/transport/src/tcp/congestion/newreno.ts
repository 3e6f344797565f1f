// NewReno congestion control, RFC 6582 §3.2: Reno's window arithmetic (RFC 5681) with
// partial-ACK deflation (step 5) and the burst-avoiding window on a full ACK (step 6,
// option 1: cwnd = min(ssthresh, max(FlightSize, SMSS) + SMSS)).

import type { Nanoseconds } from '@netlayers/core';
import { RenoCongestionControl } from './reno.ts';

export class NewRenoCongestionControl extends RenoCongestionControl {
  override readonly name: string = 'newreno';

  /** RFC 6582 §3.2 step 5: deflate by the newly acknowledged bytes; add back SMSS if >= SMSS. */
  override onPartialAck(ackedBytes: number): void {
    const acked = Math.max(0, ackedBytes);
    this.window = Math.max(this.window - acked, 0);
    if (acked >= this.smss) this.window += this.smss;
    this.window = Math.max(this.window, this.smss);
  }

  /** RFC 6582 §3.2 step 6, option 1. */
  override onExitRecovery(bytesInFlight: number, _now: Nanoseconds): void {
    this.window = Math.min(this.threshold, Math.max(bytesInFlight, this.smss) + this.smss);
    this.bytesAcked = 0;
  }
}
