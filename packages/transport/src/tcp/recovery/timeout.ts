// What loss recovery does when the retransmission timer expires (RFC 6298 §5.4-5.7): save
// the window for a possible Eifel undo (RFC 3522) before congestion control reduces it, end
// PRR and any TLP episode (RFC 8985 §7: the RTO supersedes the probe), forget SACK and
// loss marks (RFC 2018 §8: the receiver may have reneged; everything is resent from
// SND.UNA), and stay out of fast recovery until SND.UNA passes `recover`.

import type { Tcb } from '../tcb.ts';
import { stopTimer } from '../timers.ts';
import { prrStop } from './prr.ts';
import { beforeReduction } from './undo.ts';

export function beforeTimeoutReduction(tcb: Tcb): void {
  beforeReduction(tcb, true);
}

export function afterTimeout(tcb: Tcb): void {
  const r = tcb.recovery;
  r.afterTimeout = true;
  r.tlpOutstanding = false;
  r.rescueValid = false;
  r.log.resetMarks();
  prrStop(tcb);
  stopTimer(tcb, 'TLP');
  stopTimer(tcb, 'RACK-reorder');
}
