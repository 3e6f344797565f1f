// Per-connection state for modern loss recovery: the transmission log RACK and TLP read
// (RFC 8985 §6.1 per-segment transmit times), RACK's variables (§6.2), the TLP episode
// (§7), Proportional Rate Reduction's counters (RFC 6937 §3), the D-SACK block the receiver
// owes (RFC 2883 §4), and what undoing a spurious retransmission needs (RFC 3522 Eifel
// detection with timestamps, RFC 3708 detection with D-SACK). Logic lives in the sibling
// files; this one only holds state.

import type { Nanoseconds } from '@netlayers/core';
import { TransmissionLog } from './segments.ts';

export class RecoveryState {
  readonly log = new TransmissionLog();

  // ---- Timestamps and retransmissions (RFC 7323 §4.1, RFC 3522) ---------------------------
  /** TSval of the first retransmission of data still outstanding (Linux's retrans_stamp); valid when rtxStampValid. */
  rtxStamp = 0;
  rtxStampValid = false;
  /** The sequence number after the highest byte retransmitted while rtxStampValid. */
  rtxHigh = 0;
  /**
   * TSval of the original transmission of the oldest data in flight when rtxStamp was taken
   * (read from the log before the retransmission overwrote it); valid when rtxOrigValid
   * (only with the log, i.e. RACK or TLP on). An echo from rtxOrigStamp up to rtxStamp
   * answers an original transmission of this episode's data (rtt.ts).
   */
  rtxOrigStamp = 0;
  rtxOrigValid = false;

  /** RFC 6675 RescueRxt (valid once a rescue retransmission was sent). */
  rescueRxt = 0;
  rescueValid = false;

  /** From a retransmission timeout until SND.UNA reaches `recover` (Linux's Loss state). */
  afterTimeout = false;
  /** After that timeout, the un-SACKed segments were marked lost and are resent from the log (RACK). */
  lossMarked = false;

  // ---- RACK (RFC 8985 §6.2) --------------------------------------------------------------
  /** RACK.xmit_ts / RACK.end_seq: the most recently sent segment known delivered. */
  rackXmit = -1;
  rackEndSeq = 0;
  /** RACK.rtt: RTT of that segment. */
  rackRtt: Nanoseconds = 0;
  /** Highest end sequence number delivered (RACK.fack). */
  rackFack = 0;
  rackFackValid = false;
  /** RACK.min_RTT (a running minimum; RFC 8985 allows a windowed one). */
  minRtt: Nanoseconds = 0;
  reorderingSeen = false;
  /** RACK.reo_wnd_mult and the recoveries counted to reset it (§6.2 step 4). */
  reoWndMult = 1;
  reoWndPersist = 16;
  /** SND.MAX when reo_wnd_mult last grew (grow once per round trip). */
  dsackRound = 0;
  dsackRoundValid = false;

  // ---- TLP (RFC 8985 §7) -------------------------------------------------------------------
  /** TLP.end_seq of the outstanding probe, valid while tlpOutstanding. */
  tlpEndSeq = 0;
  tlpOutstanding = false;
  tlpIsRetrans = false;

  // ---- PRR (RFC 6937 §3) -------------------------------------------------------------------
  prrActive = false;
  prrDelivered = 0;
  prrOut = 0;
  recoverFs = 0;
  /** The congestion window PRR allows now (bytes), while prrActive. */
  prrCwnd = 0;

  // ---- D-SACK (RFC 2883) -------------------------------------------------------------------
  /** A duplicate range [left, right) to report in the first SACK block of the next ACK. */
  dsackLeft = 0;
  dsackRight = 0;
  dsackPending = false;

  // ---- Undo (RFC 3708, RFC 3522/4015) -----------------------------------------------------
  /** cwnd/ssthresh state from before the last reduction, while it may still be undone. */
  undoSnapshot: unknown = undefined;
  /** Retransmissions of this episode not yet shown spurious by a D-SACK (Linux's undo_retrans). */
  undoRetrans = 0;
  /** SND.MAX when the reduction happened: the episode ends when SND.UNA reaches it. */
  undoMarker = 0;
  /** The reduction came from a retransmission timeout (Eifel response differs). */
  undoFromTimeout = false;
}
