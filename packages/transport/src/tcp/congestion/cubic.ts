// CUBIC congestion control, RFC 9438: the window grows as W_cubic(t) = C*(t-K)^3 + W_max
// (§4.2, eq. 1-2) towards target = W_cubic(t+RTT) clamped to [cwnd, 1.5*cwnd]; the
// Reno-friendly estimate W_est (§4.3) with alpha_cubic = 3(1-beta)/(1+beta), becoming 1 once
// W_est reaches cwnd_prior; multiplicative decrease by beta_cubic = 0.7 (§4.6); fast
// convergence (§4.7); and after a timeout K = 0, W_max = W_est = cwnd at the start of the
// next congestion avoidance stage (§4.8). Slow start and recovery inflation are NewReno's.
// Windows inside the formulas are in segments and t in seconds, as in the RFC.

import { type Nanoseconds, NS_PER_S } from '@netlayers/core';
import { NewRenoCongestionControl } from './newreno.ts';
import type { CongestionControlOptions } from './reno.ts';

/** RFC 9438 §5.1: C = 0.4 (segments / s^3). */
export const CUBIC_C = 0.4;
/** RFC 9438 §4.6: multiplicative decrease factor. */
export const CUBIC_BETA = 0.7;
/** RFC 9438 §4.3: alpha_cubic = 3 * (1 - beta) / (1 + beta). */
export const CUBIC_ALPHA = (3 * (1 - CUBIC_BETA)) / (1 + CUBIC_BETA);

/** RFC 9438 eq. 2: K = cbrt((W_max - cwnd_epoch) / C), seconds (0 when cwnd_epoch >= W_max). */
export function cubicK(wMax: number, cwndEpoch: number, c = CUBIC_C): number {
  return wMax > cwndEpoch ? Math.cbrt((wMax - cwndEpoch) / c) : 0;
}

/** RFC 9438 eq. 1: W_cubic(t) = C*(t-K)^3 + W_max, segments, t in seconds. */
export function cubicWindow(t: number, k: number, wMax: number, c = CUBIC_C): number {
  return c * (t - k) ** 3 + wMax;
}

export interface CubicOptions extends CongestionControlOptions {
  /** RFC 9438 §4.7 fast convergence (default true). */
  readonly fastConvergence?: boolean;
}

export class CubicCongestionControl extends NewRenoCongestionControl {
  override readonly name: string = 'cubic';
  private readonly fastConvergence: boolean;
  /** Segments: the window at the last congestion event (after fast convergence). */
  private maxWindow = 0;
  /** Segments: cwnd just before the last reduction. */
  private priorWindow = 0;
  /** Seconds. */
  private kSeconds = 0;
  /** Start of the current congestion avoidance stage, or undefined before it starts. */
  private epochStart: Nanoseconds | undefined = undefined;
  /** Segments: the Reno-friendly estimate. */
  private estimatedWindow = 0;
  /** Smoothed RTT (RFC 6298's 1/8 gain), ns; 0 until a sample arrives. */
  private smoothedRtt = 0;
  private timeoutEpochPending = false;

  constructor(options: CubicOptions = {}) {
    super(options);
    this.fastConvergence = options.fastConvergence ?? true;
  }

  /** W_max in segments (0 before the first congestion event). */
  get wMax(): number {
    return this.maxWindow;
  }
  /** K in seconds for the current congestion avoidance stage. */
  get k(): number {
    return this.kSeconds;
  }
  /** W_est in segments. */
  get wEst(): number {
    return this.estimatedWindow;
  }
  /** When the current congestion avoidance stage began (undefined outside one). */
  get epoch(): Nanoseconds | undefined {
    return this.epochStart;
  }

  protected override resetAlgorithmState(): void {
    this.maxWindow = 0;
    this.priorWindow = 0;
    this.kSeconds = 0;
    this.epochStart = undefined;
    this.estimatedWindow = 0;
    this.timeoutEpochPending = false;
  }

  protected override observeRtt(rtt: Nanoseconds): void {
    this.smoothedRtt = this.smoothedRtt === 0 ? rtt : this.smoothedRtt + (rtt - this.smoothedRtt) / 8;
  }

  protected override congestionAvoidance(ackedBytes: number, _bytesInFlight: number, now: Nanoseconds): void {
    const smss = this.smss;
    const w = this.window / smss;
    if (this.epochStart === undefined) this.startEpoch(now, w);
    const t = (now - this.epochStart!) / NS_PER_S;
    const rtt = this.smoothedRtt / NS_PER_S;
    const segmentsAcked = ackedBytes / smss;

    // §4.3: the Reno-friendly estimate grows alpha segments per cwnd of ACKed data.
    const alpha = this.estimatedWindow >= this.priorWindow ? 1 : CUBIC_ALPHA;
    this.estimatedWindow += (alpha * segmentsAcked) / w;

    const cubicNow = cubicWindow(t, this.kSeconds, this.maxWindow);
    if (cubicNow < this.estimatedWindow) {
      // Reno-friendly region: cwnd = W_est.
      this.window = Math.max(this.window, this.estimatedWindow * smss);
      return;
    }
    // §4.4/4.5 concave and convex regions: cwnd += (target - cwnd) / cwnd per segment ACKed.
    const target = Math.min(Math.max(cubicWindow(t + rtt, this.kSeconds, this.maxWindow), w), 1.5 * w);
    this.window += ((target - w) / w) * segmentsAcked * smss;
  }

  private startEpoch(now: Nanoseconds, w: number): void {
    this.epochStart = now;
    if (this.timeoutEpochPending || this.maxWindow <= w) {
      // §4.8 (after a timeout) and the no-loss-yet case: the curve starts at its plateau.
      this.maxWindow = this.timeoutEpochPending ? w : Math.max(this.maxWindow, w);
      this.kSeconds = 0;
    } else {
      this.kSeconds = cubicK(this.maxWindow, w);
    }
    this.timeoutEpochPending = false;
    this.estimatedWindow = w;
  }

  /** §4.6 and §4.7: remember W_max (with fast convergence) and end the stage. */
  protected override onCongestionEvent(_now: Nanoseconds): void {
    const w = this.window / this.smss;
    this.priorWindow = w;
    this.maxWindow = this.fastConvergence && w < this.maxWindow ? (w * (1 + CUBIC_BETA)) / 2 : w;
    this.epochStart = undefined;
  }

  /** §4.6: ssthresh = flight_size * beta_cubic, at least 2 SMSS. */
  protected override reducedSsthresh(bytesInFlight: number): number {
    return Math.max(Math.floor(Math.max(0, bytesInFlight) * CUBIC_BETA), 2 * this.smss);
  }

  protected override onTimeoutWindow(_now: Nanoseconds): void {
    this.epochStart = undefined;
    this.timeoutEpochPending = true;
  }
}
