// Undoing a window reduction that turns out spurious. Before each reduction (fast recovery
// or a retransmission timeout) the algorithm's state is saved. RFC 3708-style detection
// with D-SACK: every retransmission of the episode that the receiver reports as a duplicate
// (RFC 2883) cancels one; when none is left, all were unnecessary and the saved window comes
// back. Eifel detection (RFC 3522) with timestamps: the first ACK after a timeout that
// echoes a TSval older than the retransmission answers the original transmission, so the
// timeout was spurious; the response (RFC 4015 §2) restores the window and continues with
// new data at SND.MAX instead of resending what already arrived. Both only when the
// `undo` option is on ('linux' profile).

import { seqGeq, seqLt } from '../seq.ts';
import type { Tcb } from '../tcb.ts';
import { traceNote } from '../trace.ts';
import { prrStop } from './prr.ts';

/** A reduction is about to happen (`fromTimeout`: an RTO). Save what undo would restore. */
export function beforeReduction(tcb: Tcb, fromTimeout: boolean): void {
  const r = tcb.recovery;
  if (!tcb.host.config.undo || tcb.cc.saveState === undefined) return;
  if (r.undoSnapshot === undefined) {
    r.undoSnapshot = tcb.cc.saveState();
    r.undoRetrans = 0;
    r.undoFromTimeout = fromTimeout;
  } else if (fromTimeout) r.undoFromTimeout = true;
  r.undoMarker = tcb.sndMax;
}

function undo(tcb: Tcb, why: string): void {
  const r = tcb.recovery;
  tcb.cc.restoreState?.(r.undoSnapshot);
  r.undoSnapshot = undefined;
  tcb.stats.spuriousUndos++;
  if (tcb.inRecovery) {
    tcb.inRecovery = false;
    tcb.dupAcks = 0;
  }
  prrStop(tcb);
  for (const e of r.log) e.lost = false;
  r.lossMarked = false;
  traceNote(tcb, `undo: ${why}; cwnd ${tcb.cc.cwnd}, ssthresh ${tcb.cc.ssthresh}`);
}

/**
 * Eifel (RFC 3522 §2): called for an ACK advancing SND.UNA, before the RTT rules forget the
 * retransmission stamp. Returns true when the timeout was undone.
 */
export function eifelCheck(tcb: Tcb, echo: number | undefined): boolean {
  const r = tcb.recoveryOrNull;
  if (r === null || r.undoSnapshot === undefined || !r.undoFromTimeout || !tcb.tsOk || echo === undefined || echo === 0) return false;
  if (!r.rtxStampValid || !seqLt(echo, r.rtxStamp)) return false;
  undo(tcb, 'spurious timeout (Eifel: the ACK echoes the original transmission)');
  // RFC 4015 §2: resume with new data; what was resent after the timeout had arrived already.
  if (seqLt(tcb.sndNxt, tcb.sndMax)) tcb.sndNxt = tcb.sndMax;
  tcb.recoverValid = false;
  tcb.rto.clearBackoff();
  return true;
}

/** A D-SACK arrived during an episode that may be undone (RFC 3708 §3). */
export function undoOnDsack(tcb: Tcb, left: number): void {
  const r = tcb.recovery;
  if (r.undoSnapshot === undefined || !seqLt(left, r.undoMarker)) return;
  r.undoRetrans--;
  if (r.undoRetrans <= 0) undo(tcb, 'every retransmission was reported as a duplicate (D-SACK)');
}

/** After each ACK: the episode is over once SND.UNA passes the marker; nothing to undo after that. */
export function undoOnAck(tcb: Tcb): void {
  const r = tcb.recoveryOrNull;
  if (r !== null && r.undoSnapshot !== undefined && seqGeq(tcb.sndUna, r.undoMarker) && r.undoRetrans > 0) r.undoSnapshot = undefined;
}
