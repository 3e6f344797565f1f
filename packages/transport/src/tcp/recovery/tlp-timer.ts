// Arming the Tail Loss Probe timer (RFC 8985 §7.2): after new data is sent or an ACK
// advances SND.UNA, with data outstanding, not in recovery or after a timeout, and no probe
// outstanding. PTO by `ptoFormula`: 'rfc8985' is 2 * SRTT (1 s before any sample), plus
// WCDelAckT (200 ms) when only one segment is in flight; 'linux' is 2 * SRTT + 2 ms
// (TCP_TIMEOUT_MIN), plus the minimum RTO instead when one segment is in flight, as Linux's
// tcp_schedule_loss_probe(). Either way, when the RTO would expire first the PTO is set to
// the RTO's expiration (TLP_calc_PTO()): the probe goes in the timeout's place, and tlpTimeout
// restarts the RTO (§7.3).

import type { Tcb } from '../tcb.ts';
import { startTimer, stopTimer, timerDeadline } from '../timers.ts';

/** RFC 8985 §7.2 WCDelAckT: the worst-case delayed ACK timer of the peer. */
export const WC_DEL_ACK_T = 200e6;

/** Linux's TCP_TIMEOUT_MIN_US: added to 2*SRTT when more than one segment is in flight. */
export const LINUX_TLP_TIMEOUT_MIN = 2e6;

export function tlpEnabled(tcb: Tcb): boolean {
  return tcb.host.config.tlp && tcb.sackOk;
}

/** PTO before the cap at the RTO's expiration. */
export function probeTimeout(tcb: Tcb): number {
  const srtt = tcb.rto.srtt;
  if (srtt === undefined) return 1e9;
  const oneSegment = tcb.recovery.log.size <= 1;
  if (tcb.host.config.ptoFormula === 'linux') return 2 * srtt + (oneSegment ? tcb.host.config.rtoMin : LINUX_TLP_TIMEOUT_MIN);
  return 2 * srtt + (oneSegment ? WC_DEL_ACK_T : 0);
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
  let pto = probeTimeout(tcb);
  const rtoAt = timerDeadline(tcb, 'RTO');
  if (rtoAt >= 0 && tcb.now + pto > rtoAt) pto = rtoAt - tcb.now;
  startTimer(tcb, 'TLP', Math.max(1, Math.round(pto)));
}

/**
 * The RTO fired: if the probe was due at this same time (its PTO was capped at the RTO's
 * expiration), the probe goes instead of the timeout. Returns true when it did.
 */
export function probeInsteadOfTimeout(tcb: Tcb, probe: (tcb: Tcb) => boolean): boolean {
  if (!tlpEnabled(tcb)) return false;
  const at = timerDeadline(tcb, 'TLP');
  if (at < 0 || at > tcb.now) return false;
  stopTimer(tcb, 'TLP');
  return probe(tcb);
}
