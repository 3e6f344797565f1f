// RACK (RFC 8985 §6): time-based loss detection. Each ACK updates RACK.xmit_ts/end_seq/rtt
// from the most recently sent segment it newly delivers (§6.2 step 2, skipping ambiguous
// retransmissions), notes reordering (step 3), sets the reordering window (step 4:
// min(reo_wnd_mult * min_RTT / 4, SRTT), 0 when no reordering has been seen and DupThresh
// segments are SACKed or we are in recovery; reo_wnd_mult grows on D-SACK, once per round
// trip, and resets after 16 recoveries), then marks lost every un-SACKed segment sent before
// RACK.xmit_ts whose time is up (step 5), arming the reordering timer for the rest. Lost
// marks drive retransmission (output.ts) and the RFC 6675-style pipe during recovery.

import { seqDiff, seqGt, seqLt } from '../seq.ts';
import { DUP_THRESH } from '../scoreboard.ts';
import type { Tcb } from '../tcb.ts';
import { startTimer, stopTimer } from '../timers.ts';
import type { LoggedSegment } from './segments.ts';

/** RACK runs on this connection (the option is on and SACK was negotiated, §4). */
export function rackActive(tcb: Tcb): boolean {
  return tcb.host.config.rack && tcb.sackOk;
}

/** Step 2: a segment was newly delivered (cumulatively ACKed or SACKed). `tsecr` is the ACK's echo (or undefined). */
export function rackDelivered(tcb: Tcb, e: LoggedSegment, tsecr: number | undefined): void {
  const r = tcb.recovery;
  const now = tcb.now;
  const rtt = now - e.xmit;
  if (e.retransmitted) {
    // Ambiguous: use it only if the echo shows it answers this (re)transmission, or it is
    // not faster than any RTT seen (§6.2 step 2).
    if (tsecr !== undefined && tcb.tsOk ? seqLt(tsecr, e.tsval) : rtt < r.minRtt) return;
  }
  if (r.minRtt === 0 || rtt < r.minRtt) r.minRtt = Math.max(1, rtt);
  // Step 3: reordering, if this segment ends below the highest one already delivered and was never retransmitted.
  if (r.rackFackValid && seqLt(e.end, r.rackFack) && !e.retransmitted) r.reorderingSeen = true;
  if (!r.rackFackValid || seqGt(e.end, r.rackFack)) {
    r.rackFack = e.end;
    r.rackFackValid = true;
  }
  if (e.xmit > r.rackXmit || (e.xmit === r.rackXmit && seqGt(e.end, r.rackEndSeq))) {
    r.rackXmit = e.xmit;
    r.rackEndSeq = e.end;
    r.rackRtt = rtt;
  }
}

/** Step 4 input: a D-SACK arrived. Grow reo_wnd_mult at most once per round trip. */
export function rackOnDsack(tcb: Tcb): void {
  const r = tcb.recovery;
  if (r.dsackRoundValid && seqLt(tcb.sndUna, r.dsackRound)) return;
  r.reoWndMult = Math.min(r.reoWndMult + 1, 64);
  r.reoWndPersist = 16;
  r.dsackRound = tcb.sndMax;
  r.dsackRoundValid = true;
  r.reorderingSeen = true;
}

/** A recovery ended: count down towards resetting reo_wnd_mult (§6.2 step 4). */
export function rackOnRecoveryEnd(tcb: Tcb): void {
  const r = tcb.recovery;
  if (--r.reoWndPersist <= 0) {
    r.reoWndMult = 1;
    r.reoWndPersist = 16;
  }
}

/** RACK.reo_wnd (§6.2 step 4). */
export function reorderingWindow(tcb: Tcb): number {
  const r = tcb.recovery;
  if (!r.reorderingSeen) {
    if (tcb.inRecovery) return 0;
    let sacked = 0;
    for (const e of r.log) if (e.sacked && ++sacked >= DUP_THRESH) return 0;
  }
  const srtt = tcb.rto.srtt ?? r.rackRtt;
  return Math.round(Math.min((r.reoWndMult * r.minRtt) / 4, srtt));
}

/** Step 5: mark lost what the time says is lost; arm the reordering timer for the rest. Returns segments newly marked. */
export function rackDetectLoss(tcb: Tcb): number {
  const r = tcb.recovery;
  if (r.rackXmit < 0) return 0;
  const reoWnd = reorderingWindow(tcb);
  const now = tcb.now;
  let timeout = 0;
  let marked = 0;
  for (const e of r.log) {
    if (e.sacked || e.lost) continue;
    const sentBefore = e.xmit < r.rackXmit || (e.xmit === r.rackXmit && seqLt(e.end, r.rackEndSeq));
    if (!sentBefore) continue;
    const remaining = e.xmit + r.rackRtt + reoWnd - now;
    if (remaining <= 0) {
      e.lost = true;
      marked++;
    } else if (remaining > timeout) timeout = remaining;
  }
  if (timeout > 0) startTimer(tcb, 'RACK-reorder', Math.ceil(timeout));
  else stopTimer(tcb, 'RACK-reorder');
  return marked;
}

/** RFC 6675-style pipe from the log: segments in flight, not SACKed, not lost (a retransmitted one counts again). */
export function rackPipe(tcb: Tcb): number {
  let pipe = 0;
  for (const e of tcb.recovery.log) if (!e.sacked && !e.lost) pipe += seqDiff(e.end, e.start);
  return pipe;
}

/** The first segment marked lost, or undefined. */
export function firstLost(tcb: Tcb): LoggedSegment | undefined {
  for (const e of tcb.recovery.log) if (e.lost) return e;
  return undefined;
}

/**
 * In recovery, resend segments RACK marked lost, in sequence order, while `room()` allows
 * (RFC 8985 §6.2 with RFC 6675's pipe; PRR sets the window). `resend(seq, length)` returns
 * the sequence space sent.
 */
export function retransmitRackLost(tcb: Tcb, room: () => number, resend: (seq: number, length: number) => number): void {
  for (let guard = 0; guard < 10_000; guard++) {
    if (room() < 1) return;
    const e = firstLost(tcb);
    if (e === undefined) return;
    const sent = resend(e.start, seqDiff(e.end, e.start));
    if (sent === 0 || e.lost) return; // nothing sent, or the entry was not covered: stop rather than spin
    tcb.stats.fastRetransmits++;
  }
}
