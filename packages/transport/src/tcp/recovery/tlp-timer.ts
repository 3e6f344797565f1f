// Arming the Tail Loss Probe timer (RFC 8985 §7.2): after new data is sent or an ACK
// advances SND.UNA, with data outstanding, not in recovery or after a timeout, and no probe
// outstanding, PTO = 2 * SRTT (1 s before any sample), plus WCDelAckT (200 ms) when only one
// segment is in flight, and no later than the retransmission timer would fire.

import type { Tcb } from '../tcb.ts';
import { startTimer, stopTimer, timerDeadline } from '../timers.ts';

/** RFC 8985 §7.2 WCDelAckT: the worst-case delayed ACK timer of the peer. */
export const WC_DEL_ACK_T = 200e6;

export function tlpEnabled(tcb: Tcb): boolean {
  return tcb.host.config.tlp && tcb.sackOk;
}

/** (Re)arm or stop the PTO as §7.2 says. */
export function armTlp(tcb: Tcb): void {
  if (!tlpEnabled(tcb)) return;
  const r = tcb.recovery;
  const s = tcb.state;
  const open = s === 'ESTABLISHED' || s === 'CLOSE-WAIT' || s === 'FIN-WAIT-1' || s === 'CLOSING' || s === 'LAST-ACK';
  if (!open || tcb.inRecovery || r.afterTimeout || r.tlpOutstanding || tcb.sndUna === tcb.sndMax || tcb.sndWnd === 0) {
    stopTimer(tcb, 'TLP');
    return;
  }
  const srtt = tcb.rto.srtt;
  let pto = srtt === undefined ? 1e9 : 2 * srtt;
  if (r.log.size <= 1) pto += WC_DEL_ACK_T;
  const rtoAt = timerDeadline(tcb, 'RTO');
  if (rtoAt >= 0 && tcb.now + pto >= rtoAt) {
    stopTimer(tcb, 'TLP');
    return;
  }
  startTimer(tcb, 'TLP', Math.max(1, Math.round(pto)));
}
