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

import { seqGeq, seqLt } from '../seq.ts';
import type { Tcb } from '../tcb.ts';

/** May `echo` (a TSecr on an ACK advancing SND.UNA) be timed? */
export function echoTimesRoundTrip(tcb: Tcb, echo: number): boolean {
  const r = tcb.recoveryOrNull;
  return r === null || !(r.rtxStampValid && seqLt(echo, r.rtxStamp));
}

/** SND.UNA advanced to `ack`: once every retransmitted byte is acknowledged, forget the retransmission stamp. */
export function rttOnAck(tcb: Tcb, ack: number): void {
  const r = tcb.recoveryOrNull;
  if (r !== null && r.rtxStampValid && seqGeq(ack, r.rtxHigh)) r.rtxStampValid = false;
}
