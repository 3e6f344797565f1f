// Proportional Rate Reduction (RFC 6937 §3): during fast recovery the sender paces its
// transmissions so that, by the end of recovery, cwnd has come down to ssthresh smoothly:
// while pipe > ssthresh it sends in proportion to what the receiver reports delivered
// (prr_delivered * ssthresh / RecoverFS - prr_out); below ssthresh it grows back towards it
// no faster than slow start (the PRR-SSRB bound). The window output() uses during recovery
// is pipe + sndcnt, as Linux does.

import type { Tcb } from '../tcb.ts';

/** Recovery starts: RecoverFS = the flight at that moment (§3, "RecoverFS = snd.nxt - snd.una"). */
export function prrStart(tcb: Tcb, flight: number): void {
  const r = tcb.recovery;
  r.prrActive = true;
  r.prrDelivered = 0;
  r.prrOut = 0;
  r.recoverFs = Math.max(flight, 1);
  r.prrCwnd = tcb.cc.ssthresh;
}

/** On each ACK in recovery: `delivered` bytes newly cumulatively ACKed or SACKed, `pipe` after the ACK. */
export function prrOnAck(tcb: Tcb, delivered: number, pipe: number): void {
  const r = tcb.recovery;
  if (!r.prrActive) return;
  const ssthresh = tcb.cc.ssthresh;
  const mss = tcb.smss;
  r.prrDelivered += delivered;
  let sndcnt: number;
  if (pipe > ssthresh) {
    // Proportional part: ceil(prr_delivered * ssthresh / RecoverFS) - prr_out.
    sndcnt = Math.ceil((r.prrDelivered * ssthresh) / r.recoverFs) - r.prrOut;
  } else {
    // Slow-start reduction bound (PRR-SSRB).
    const limit = Math.max(r.prrDelivered - r.prrOut, delivered) + mss;
    sndcnt = Math.min(ssthresh - pipe, limit);
  }
  // Always allow one segment when recovery would otherwise starve (RFC 6937 §3: fast retransmit).
  if (sndcnt < 0) sndcnt = 0;
  if (r.prrOut === 0 && sndcnt < mss) sndcnt = mss;
  r.prrCwnd = pipe + sndcnt;
}

/** Bytes sent during recovery (new data or retransmissions) count as prr_out. */
export function prrOnSend(tcb: Tcb, bytes: number): void {
  const r = tcb.recovery;
  if (r.prrActive) r.prrOut += bytes;
}

export function prrStop(tcb: Tcb): void {
  tcb.recovery.prrActive = false;
}

/** The congestion window output() may fill: PRR's during recovery, else the algorithm's. */
export function sendWindow(tcb: Tcb): number {
  const r = tcb.recoveryOrNull;
  return r !== null && r.prrActive && tcb.inRecovery ? r.prrCwnd : tcb.cc.cwnd;
}
