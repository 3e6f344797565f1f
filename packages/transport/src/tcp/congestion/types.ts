// The congestion-control contract between TCP's sender and a pluggable algorithm (RFC 5681
// window arithmetic, RFC 6582 NewReno recovery, RFC 9438 CUBIC). The sender owns the
// recovery state machine (when to enter and leave fast recovery, which segment to resend);
// the algorithm owns cwnd and ssthresh. All sizes are bytes; times are virtual nanoseconds.

import type { Nanoseconds } from '@netlayers/core';

export interface CongestionControl {
  /** "reno", "newreno", "cubic". */
  readonly name: string;
  /** Congestion window, bytes. */
  readonly cwnd: number;
  /** Slow-start threshold, bytes. */
  readonly ssthresh: number;
  /** Once the sender knows SMSS (after MSS negotiation): set the initial window (RFC 5681 §3.1). */
  init(smss: number, now: Nanoseconds): void;
  /**
   * New data was cumulatively acknowledged while not in recovery: grow cwnd (slow start
   * below ssthresh, congestion avoidance above). `rtt` is a valid sample if one was taken.
   */
  onAck(ackedBytes: number, bytesInFlight: number, now: Nanoseconds, rtt: Nanoseconds | undefined): void;
  /** Three duplicate ACKs: entering fast recovery (set ssthresh; cwnd = ssthresh + 3*SMSS). */
  onEnterRecovery(bytesInFlight: number, now: Nanoseconds): void;
  /** A further duplicate ACK in fast recovery: inflate cwnd by SMSS. */
  onDupAckInRecovery(): void;
  /** A partial ACK in NewReno recovery (RFC 6582 §3.2 step 5): deflate by `ackedBytes`, add back SMSS. */
  onPartialAck(ackedBytes: number): void;
  /** A full ACK ends recovery: deflate the window (RFC 6582 §3.2 step 6). */
  onExitRecovery(bytesInFlight: number, now: Nanoseconds): void;
  /** The retransmission timer expired (RFC 5681 §3.1 eq. 4): ssthresh from flight, cwnd = loss window. */
  onRetransmitTimeout(bytesInFlight: number, now: Nanoseconds): void;
  /**
   * Optional, for undoing a reduction found spurious (RFC 3708, RFC 4015): an opaque copy of
   * the algorithm's state, and putting such a copy back. Without them nothing is undone.
   */
  saveState?(): unknown;
  restoreState?(state: unknown): void;
}

export type CongestionControlName = 'reno' | 'newreno' | 'cubic';
export type CongestionControlFactory = () => CongestionControl;
