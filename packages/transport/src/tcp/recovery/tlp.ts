// The Tail Loss Probe (RFC 8985 §7.3-7.4). When the PTO fires: send one segment of new data
// if the windows allow it, else resend the last segment sent; remember TLP.end_seq and
// whether the probe was a retransmission; restart the RTO. When the probe is acknowledged:
// if it was a retransmission and no D-SACK says the original arrived too, the probe repaired
// a real loss, and congestion control reduces the window once (§7.4.2).

import { output, retransmitFrom } from '../output.ts';
import { seqAdd, seqDiff, seqGeq, seqMax } from '../seq.ts';
import type { Tcb } from '../tcb.ts';
import { startTimer } from '../timers.ts';
import { traceNote } from '../trace.ts';
import { prrStart, prrStop } from './prr.ts';

/** The PTO fired (§7.3). Returns true when a probe was sent (the RTO is then restarted). */
export function tlpTimeout(tcb: Tcb): boolean {
  const r = tcb.recovery;
  const s = tcb.state;
  if (s !== 'ESTABLISHED' && s !== 'CLOSE-WAIT' && s !== 'FIN-WAIT-1' && s !== 'CLOSING' && s !== 'LAST-ACK') return false;
  if (tcb.sndUna === tcb.sndMax || tcb.inRecovery || r.afterTimeout || r.tlpOutstanding) return false;
  const maxBefore = tcb.sndMax;
  // New data first (§7.3): one segment beyond cwnd.
  const unsent = tcb.sendBuffered - seqDiff(tcb.sndNxt, tcb.bufferSeq);
  const windowRoom = seqDiff(seqAdd(tcb.sndUna, tcb.sndWnd), tcb.sndNxt);
  if (unsent > 0 && windowRoom > 0 && tcb.sndNxt === tcb.sndMax) {
    r.tlpOutstanding = true; // so that output() does not arm another PTO for the probe itself
    tcb.limitedTransmit = tcb.smss;
    output(tcb);
    tcb.limitedTransmit = 0;
    r.tlpOutstanding = false;
  }
  if (tcb.sndMax !== maxBefore) {
    r.tlpIsRetrans = false;
  } else {
    const last = r.log.last;
    const from = last !== undefined ? seqMax(last.start, tcb.sndUna) : seqMax(seqAdd(tcb.sndMax, -tcb.smss), tcb.sndUna);
    if (retransmitFrom(tcb, from, seqDiff(tcb.sndMax, from)) === 0) return false;
    r.tlpIsRetrans = true;
  }
  r.tlpOutstanding = true;
  r.tlpEndSeq = tcb.sndMax;
  tcb.stats.tailLossProbes++;
  traceNote(tcb, `tail loss probe (${r.tlpIsRetrans ? 'last segment resent' : 'new data'})`);
  startTimer(tcb, 'RTO', tcb.rto.rto);
  return true;
}

/** §7.4: an ACK arrived; `dsack` if it carried a D-SACK. */
export function tlpOnAck(tcb: Tcb, dsack: boolean): void {
  const r = tcb.recoveryOrNull;
  if (r === null || !r.tlpOutstanding) return;
  if (dsack) {
    r.tlpOutstanding = false; // the original and the probe both arrived: no loss
    return;
  }
  if (!seqGeq(tcb.sndUna, r.tlpEndSeq)) return;
  r.tlpOutstanding = false;
  if (!r.tlpIsRetrans || tcb.inRecovery) return;
  // The probe repaired a loss: one reduction, as a fast recovery that ended at once.
  const flight = seqDiff(tcb.sndMax, tcb.sndUna);
  tcb.cc.onEnterRecovery(flight + seqDiff(r.tlpEndSeq, tcb.sndUna), tcb.now);
  tcb.cc.onExitRecovery(flight, tcb.now);
  prrStart(tcb, flight);
  prrStop(tcb);
  traceNote(tcb, `tail loss probe repaired a loss: cwnd ${tcb.cc.cwnd}`);
}
