// Which echoed timestamps make RTT samples (RFC 7323 §4.1, RFC 6298 §3). A TSecr is used
// only from an ACK that advances SND.UNA (the caller's rule) and, while retransmitted data is
// outstanding, only if it echoes a TSval from that retransmission or later. An older echo
// answers an earlier transmission: it happens when our data arrived but its ACK was lost,
// the timeout resent a segment the receiver already had, and the receiver's duplicate ACK
// echoes TS.Recent from the last segment that advanced its window (RFC 7323 §4.3 forbids it
// to take TS.Recent from an out-of-window segment). Timing from it measures our own timeout,
// not the path: RTT samples of many seconds on a 4 ms path, an RTO pinned at its maximum,
// and a transfer that stalls. The same old echo tells Eifel (RFC 3522) that the
// retransmission was spurious (undo.ts).
//
// One exception, with the transmission log (RACK or TLP on, the 'linux' profile): after at
// most one timeout, an echo no older than the original transmission of the oldest data that
// was in flight when retransmission began is timed. It answers this episode's own data, so
// the sample is at most one RTO plus a round trip, never an echo from long ago; it is how a
// receiver that held its ACK (a delayed ACK while its reader lags: Linux waits up to its
// RTO) teaches the estimator that wait, so the next timeout does not fire just before that
// ACK again. Linux times such an ACK too (tcp_ack_update_rtt() falls back to TSecr when
// retransmitted data is acknowledged), and RFC 4015 §2 adapts the RTO from the same sample
// after a spurious timeout.

import { seqGeq, seqLt } from '../seq.ts';
import type { Tcb } from '../tcb.ts';

/** May `echo` (a TSecr on an ACK advancing SND.UNA) be timed? */
export function echoTimesRoundTrip(tcb: Tcb, echo: number): boolean {
  const r = tcb.recoveryOrNull;
  if (r === null || !(r.rtxStampValid && seqLt(echo, r.rtxStamp))) return true;
  return r.rtxOrigValid && tcb.retries <= 1 && seqGeq(echo, r.rtxOrigStamp);
}

/** SND.UNA advanced to `ack`: once every retransmitted byte is acknowledged, forget the retransmission stamp. */
export function rttOnAck(tcb: Tcb, ack: number): void {
  const r = tcb.recoveryOrNull;
  if (r !== null && r.rtxStampValid && seqGeq(ack, r.rtxHigh)) r.rtxStampValid = false;
}
