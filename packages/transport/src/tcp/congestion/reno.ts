// Reno congestion control, RFC 5681: slow start and congestion avoidance (§3.1), fast
// retransmit / fast recovery window arithmetic (§3.2), the loss window after a timeout
// (§3.1 equation 4), with Appropriate Byte Counting (RFC 3465 §2.1-2.3: L = 2*SMSS in slow
// start, 1*SMSS in the slow start that follows a retransmission timeout).

import { InvalidArgumentError, assertIntegerInRange, type Nanoseconds } from '@netlayers/core';
import type { CongestionControl } from './types.ts';
import { initialWindow, type InitialWindowPolicy } from './initial-window.ts';

/** ssthresh before the first loss: "arbitrarily high" (RFC 5681 §3.1); 2^31-1 as Linux. */
export const INITIAL_SSTHRESH = 0x7fffffff;

/** The SMSS used until `init` is called: the RFC 9293 §3.7.1 default MSS. */
export const DEFAULT_SMSS = 536;

export interface CongestionControlOptions {
  /** Initial window policy (RFC 5681 §3.1 by default, or 'rfc6928', or a segment count). */
  readonly initialWindow?: InitialWindowPolicy;
  /** ssthresh before the first congestion event, bytes (default: INITIAL_SSTHRESH). */
  readonly initialSsthresh?: number;
  /** RFC 3465 limit L in segments for slow start (default 2). */
  readonly byteCountingLimit?: number;
}

export class RenoCongestionControl implements CongestionControl {
  readonly name: string = 'reno';
  /** Sender maximum segment size, bytes. */
  protected smss = DEFAULT_SMSS;
  /** The window in bytes; subclasses may keep a fraction (exposed floored as `cwnd`). */
  protected window = 0;
  protected threshold: number;
  /** RFC 3465 bytes_acked: bytes acknowledged in congestion avoidance since cwnd last grew. */
  protected bytesAcked = 0;
  /** True from an RTO until slow start ends: L is 1*SMSS then (RFC 3465 §2.3). */
  protected slowStartAfterTimeout = false;
  /** True from an RTO until new data is acknowledged: a backed-off RTO keeps ssthresh (RFC 5681 §3.1). */
  private holdSsthreshOnTimeout = false;
  protected readonly options: CongestionControlOptions;

  constructor(options: CongestionControlOptions = {}) {
    this.options = options;
    if (options.byteCountingLimit !== undefined) assertIntegerInRange('byteCountingLimit', options.byteCountingLimit, 1, 64);
    if (options.initialSsthresh !== undefined) assertIntegerInRange('initialSsthresh', options.initialSsthresh, 1, Number.MAX_SAFE_INTEGER);
    this.threshold = options.initialSsthresh ?? INITIAL_SSTHRESH;
    this.init(DEFAULT_SMSS, 0);
  }

  get cwnd(): number {
    return Math.floor(this.window);
  }

  get ssthresh(): number {
    return this.threshold;
  }

  /** Sender maximum segment size in use, bytes. */
  get senderMss(): number {
    return this.smss;
  }

  /** True while cwnd < ssthresh (RFC 5681 §3.1). */
  get inSlowStart(): boolean {
    return this.window < this.threshold;
  }

  init(smss: number, _now: Nanoseconds): void {
    if (typeof smss !== 'number' || !Number.isInteger(smss) || smss < 1) {
      throw new InvalidArgumentError('smss', smss, 'must be a whole number of bytes >= 1');
    }
    this.smss = smss;
    this.window = initialWindow(smss, this.options.initialWindow);
    this.threshold = this.options.initialSsthresh ?? INITIAL_SSTHRESH;
    this.bytesAcked = 0;
    this.slowStartAfterTimeout = false;
    this.holdSsthreshOnTimeout = false;
    this.resetAlgorithmState();
  }

  onAck(ackedBytes: number, bytesInFlight: number, now: Nanoseconds, rtt: Nanoseconds | undefined): void {
    if (rtt !== undefined && rtt >= 0) this.observeRtt(rtt);
    if (!(ackedBytes > 0)) return;
    this.holdSsthreshOnTimeout = false;
    let remaining = ackedBytes;
    if (this.window < this.threshold) {
      // Slow start, RFC 5681 eq. 2 with RFC 3465 byte counting: cwnd += min(N, L).
      const limit = (this.slowStartAfterTimeout ? 1 : (this.options.byteCountingLimit ?? 2)) * this.smss;
      const increase = Math.min(remaining, limit);
      const room = this.threshold - this.window;
      if (increase < room) {
        this.window += increase;
        return;
      }
      // Reaching ssthresh ends slow start; bytes beyond it count towards avoidance.
      this.window = this.threshold;
      this.slowStartAfterTimeout = false;
      remaining = increase - room;
      if (remaining <= 0) return;
    }
    this.congestionAvoidance(remaining, bytesInFlight, now);
  }

  /** RFC 5681 §3.1 with RFC 3465 §2.1: +1 SMSS each time a full cwnd of bytes is acknowledged. */
  protected congestionAvoidance(ackedBytes: number, _bytesInFlight: number, _now: Nanoseconds): void {
    this.bytesAcked += ackedBytes;
    if (this.bytesAcked >= this.window) {
      this.bytesAcked -= this.window;
      this.window += this.smss;
    }
  }

  onEnterRecovery(bytesInFlight: number, now: Nanoseconds): void {
    this.onCongestionEvent(now);
    // RFC 5681 §3.2 step 4 (eq. 4) and the artificial inflation by the three duplicates.
    this.threshold = this.reducedSsthresh(bytesInFlight);
    this.window = this.threshold + 3 * this.smss;
    this.bytesAcked = 0;
  }

  onDupAckInRecovery(): void {
    // RFC 5681 §3.2 step 5: each further duplicate ACK means a segment left the network.
    this.window += this.smss;
  }

  /** Reno has no partial ACKs: RFC 5681 §3.2 step 6 deflates to ssthresh on any new ACK. */
  onPartialAck(_ackedBytes: number): void {
    this.window = this.threshold;
  }

  onExitRecovery(_bytesInFlight: number, _now: Nanoseconds): void {
    this.window = this.threshold;
    this.bytesAcked = 0;
  }

  onRetransmitTimeout(bytesInFlight: number, now: Nanoseconds): void {
    if (!this.holdSsthreshOnTimeout) {
      this.onCongestionEvent(now);
      this.threshold = this.reducedSsthresh(bytesInFlight);
    }
    this.holdSsthreshOnTimeout = true;
    this.window = this.smss; // the loss window, LW = 1 SMSS
    this.bytesAcked = 0;
    this.slowStartAfterTimeout = true;
    this.onTimeoutWindow(now);
  }

  /** A copy of every field (subclasses' too), for undo of a spurious reduction. */
  saveState(): unknown {
    return { ...this };
  }

  restoreState(state: unknown): void {
    if (typeof state === 'object' && state !== null) Object.assign(this, state);
  }

  /** RFC 5681 eq. 4: ssthresh = max(FlightSize / 2, 2*SMSS). */
  protected reducedSsthresh(bytesInFlight: number): number {
    return Math.max(Math.floor(Math.max(0, bytesInFlight) / 2), 2 * this.smss);
  }

  /** Hooks for subclasses (CUBIC). */
  protected resetAlgorithmState(): void {}
  protected observeRtt(_rtt: Nanoseconds): void {}
  protected onCongestionEvent(_now: Nanoseconds): void {}
  protected onTimeoutWindow(_now: Nanoseconds): void {}
}
