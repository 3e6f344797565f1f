// The retransmission timeout. Two formulas, chosen per stack with `rtoFormula`:
// - 'rfc6298': RFC 6298 as written: SRTT and RTTVAR from RTT samples (§2, alpha = 1/8,
//   beta = 1/4, K = 4, clock granularity G), the initial RTO (§2.1), RTO = max(min,
//   SRTT + max(G, 4*RTTVAR)) (§2.3-2.4) and the maximum (§2.5).
// - 'linux': Linux's tcp_rtt_estimator() and __tcp_set_rto() (net/ipv4/tcp_input.c): the
//   same SRTT, a mean deviation (mdev) that a falling RTT moves only an eighth as much, and
//   RTO = SRTT + max(4*mdev, min): the minimum floors the variance term, not the sum, so on
//   a short path the RTO is about SRTT + 200 ms, not 200 ms. The variance term keeps the
//   largest 4*mdev seen in the current round trip and decays a quarter of the way towards
//   it once per round trip (when SND.UNA passes the SND.NXT noted at the round's start).
// Both back off exponentially on expiry (RFC 6298 §5.5). Karn's rule (§3: no samples from
// retransmitted segments) is the caller's job.

import { seqGt } from './seq.ts';
import type { Nanoseconds } from '@netlayers/core';

export type RtoFormula = 'rfc6298' | 'linux';

export interface RtoBounds {
  readonly initial: Nanoseconds;
  readonly min: Nanoseconds;
  readonly max: Nanoseconds;
  /** Clock granularity G. */
  readonly granularity: Nanoseconds;
  /** Default 'rfc6298'. */
  readonly formula?: RtoFormula;
}

/** Where the connection stands when a sample is taken, for the Linux formula's once-per-round-trip step. */
export interface RtoRound {
  /** SND.UNA after this ACK. */
  readonly una: number;
  /** SND.NXT now. */
  readonly nxt: number;
}

export class RtoEstimator {
  /** Smoothed RTT; undefined before the first sample. */
  srtt: Nanoseconds | undefined = undefined;
  /** RFC 6298's RTTVAR; with the Linux formula, the variance term divided by 4 (so 4*rttvar is added). */
  rttvar: Nanoseconds = 0;
  /** The RTO before backoff. */
  private base: Nanoseconds;
  /** How many times the current RTO has been doubled (§5.5). */
  backoffs = 0;
  /** Linux: mean deviation (as tp->mdev_us / 4), the round's largest 4*mdev and the round's end. */
  private mdev: Nanoseconds = 0;
  private mdevMax: Nanoseconds = 0;
  private roundEnd: number | undefined = undefined;

  constructor(private readonly bounds: RtoBounds) {
    this.base = bounds.initial;
  }

  get formula(): RtoFormula {
    return this.bounds.formula ?? 'rfc6298';
  }

  /** The current RTO, backoff included, within [min, max]. */
  get rto(): Nanoseconds {
    const bounded = Math.max(this.bounds.min, this.base); // §2.4: the minimum applies before backoff
    return Math.min(this.bounds.max, bounded * 2 ** this.backoffs);
  }

  /**
   * Take an RTT measurement R (RFC 6298 §2.2 and §2.3, or Linux's estimator). Clears the
   * backoff (§5.7 note). `round` lets the Linux formula tell round trips apart; without it
   * every sample ends a round.
   */
  sample(r: Nanoseconds, round?: RtoRound): void {
    if (this.formula === 'linux') this.sampleLinux(r, round);
    else {
      if (this.srtt === undefined) {
        this.srtt = r;
        this.rttvar = r / 2;
      } else {
        this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - r);
        this.srtt = 0.875 * this.srtt + 0.125 * r;
      }
      this.base = Math.round(this.srtt + Math.max(this.bounds.granularity, 4 * this.rttvar));
    }
    this.backoffs = 0;
  }

  private sampleLinux(r: Nanoseconds, round: RtoRound | undefined): void {
    const floor = this.bounds.min;
    let variance: Nanoseconds; // 4 * rttvar, Linux's tp->rttvar_us
    if (this.srtt === undefined) {
      // First sample: srtt = m, mdev = m/2, rttvar = mdev_max = max(4*mdev, rto_min).
      this.srtt = r;
      this.mdev = r / 2;
      this.mdevMax = Math.max(4 * this.mdev, floor);
      variance = this.mdevMax;
      this.roundEnd = round?.nxt;
    } else {
      let err = r - this.srtt;
      this.srtt += err / 8;
      if (err < 0) {
        // The RTT fell: only an eighth of the usual weight, unless it is within mdev already.
        err = -err - this.mdev;
        if (err > 0) err /= 8;
      } else {
        err -= this.mdev;
      }
      this.mdev = Math.max(0, this.mdev + err / 4);
      variance = 4 * this.rttvar;
      if (4 * this.mdev > this.mdevMax) {
        this.mdevMax = 4 * this.mdev;
        if (this.mdevMax > variance) variance = this.mdevMax;
      }
      // Once per round trip, let the variance term decay towards this round's largest.
      if (round === undefined || this.roundEnd === undefined || seqGt(round.una, this.roundEnd)) {
        if (this.mdevMax < variance) variance -= (variance - this.mdevMax) / 4;
        this.roundEnd = round?.nxt;
        this.mdevMax = floor;
      }
    }
    this.rttvar = variance / 4;
    this.base = Math.round(this.srtt + variance);
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
