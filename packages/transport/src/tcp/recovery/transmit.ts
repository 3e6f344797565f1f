// What the send path tells loss recovery about each segment it emits (called from
// output.ts's transmit): the transmission log RACK and TLP read, the first-retransmission
// timestamp that keeps RTT samples honest (RFC 7323 §4.1 with Karn's rule, see rtt.ts),
// PRR's prr_out (RFC 6937), and the retransmission count undo needs (RFC 3708).

import { seqAdd, seqGt } from '../seq.ts';
import type { Tcb } from '../tcb.ts';
import { prrOnSend } from './prr.ts';

/** Does this connection keep the per-segment log (RACK or TLP on)? */
export function logging(tcb: Tcb): boolean {
  const c = tcb.host.config;
  return c.rack || c.tlp;
}

/** A segment occupying [seq, seq + span) (data plus FIN) left now, carrying TSval `tsval` (0 without timestamps). */
export function noteTransmit(tcb: Tcb, seq: number, span: number, tsval: number, retransmission: boolean): void {
  if (span <= 0) return;
  // An original transmission without the log and outside recovery changes nothing here: no
  // recovery state is made for it (a short connection may never need one).
  if (!retransmission && tcb.recoveryOrNull === null && !logging(tcb)) return;
  const r = tcb.recovery;
  const end = seqAdd(seq, span);
  if (retransmission) {
    if (!r.rtxStampValid) {
      r.rtxStampValid = true;
      r.rtxStamp = tsval;
      r.rtxHigh = end;
      const oldest = logging(tcb) ? r.log.first : undefined;
      r.rtxOrigValid = oldest !== undefined && !oldest.retransmitted && oldest.tsval !== 0;
      r.rtxOrigStamp = oldest?.tsval ?? 0;
    } else if (seqGt(end, r.rtxHigh)) r.rtxHigh = end;
    r.undoRetrans++;
  }
  if (logging(tcb)) r.log.sent(seq, end, tcb.now, tsval, retransmission);
  prrOnSend(tcb, span);
}
