// The retransmission timeout of RFC 6298: SRTT and RTTVAR from RTT samples (§2, with
// alpha = 1/8, beta = 1/4, K = 4 and clock granularity G), the initial RTO (§2.1), the
// lower and upper bounds (§2.4-2.5), and exponential backoff on expiry (§5.5). Karn's rule
// (§3: no samples from retransmitted segments) is the caller's job.

import type { Nanoseconds } from '@netlayers/core';

export interface RtoBounds {
  readonly initial: Nanoseconds;
  readonly min: Nanoseconds;
  readonly max: Nanoseconds;
  /** Clock granularity G. */
  readonly granularity: Nanoseconds;
}

export class RtoEstimator {
  /** Smoothed RTT; undefined before the first sample. */
  srtt: Nanoseconds | undefined = undefined;
  rttvar: Nanoseconds = 0;
  /** The RTO before backoff. */
  private base: Nanoseconds;
  /** How many times the current RTO has been doubled (§5.5). */
  backoffs = 0;

  constructor(private readonly bounds: RtoBounds) {
    this.base = bounds.initial;
  }

  /** The current RTO, backoff included, within [min, max]. */
  get rto(): Nanoseconds {
    const bounded = Math.max(this.bounds.min, this.base); // §2.4: the minimum applies before backoff
    return Math.min(this.bounds.max, bounded * 2 ** this.backoffs);
  }

  /** Take an RTT measurement R (RFC 6298 §2.2 and §2.3). Clears the backoff (§5.7 note). */
  sample(r: Nanoseconds): void {
    if (this.srtt === undefined) {
      this.srtt = r;
      this.rttvar = r / 2;
    } else {
      this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - r);
      this.srtt = 0.875 * this.srtt + 0.125 * r;
    }
    this.base = Math.round(this.srtt + Math.max(this.bounds.granularity, 4 * this.rttvar));
    this.backoffs = 0;
  }

  /** The timer expired: back off (RFC 6298 §5.5), up to the maximum. */
  backoff(): void {
    if (Math.max(this.bounds.min, this.base) * 2 ** this.backoffs < this.bounds.max) this.backoffs++;
  }

  /** Drop the backoff once new data is acknowledged (RFC 6298 §5.7 allows keeping it; Linux clears it). */
  clearBackoff(): void {
    this.backoffs = 0;
  }
}
