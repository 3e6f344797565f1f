// What loss recovery does when the retransmission timer expires (RFC 6298 §5.4-5.7): save
// the window for a possible Eifel undo (RFC 3522) before congestion control reduces it, end
// PRR and any TLP episode (RFC 8985 §7: the RTO supersedes the probe), forget SACK and
// loss marks (RFC 2018 §8: the receiver may have reneged; everything is resent from
// SND.UNA), and stay out of fast recovery until SND.UNA passes `recover`.

import type { Tcb } from '../tcb.ts';
import { stopTimer } from '../timers.ts';
import { prrStop } from './prr.ts';
import { rackActive } from './rack.ts';
import { beforeReduction } from './undo.ts';

export function beforeTimeoutReduction(tcb: Tcb): void {
  beforeReduction(tcb, true);
}

/**
 * After the reduction. Returns true when the SACK information is kept: with RACK, on the
 * first timeout of a series, every un-SACKed segment is marked lost and only those are
 * resent (as Linux's tcp_timeout_mark_lost does; RFC 8985 §6.3 with RFC 6675 §5.1's
 * allowance to keep the scoreboard). A second consecutive timeout forgets SACK and goes
 * back to SND.UNA, in case the receiver reneged (RFC 2018 §8).
 */
export function afterTimeout(tcb: Tcb): boolean {
  const r = tcb.recovery;
  r.afterTimeout = true;
  r.tlpOutstanding = false;
  r.rescueValid = false;
  prrStop(tcb);
  stopTimer(tcb, 'TLP');
  stopTimer(tcb, 'RACK-reorder');
  const keepSack = rackActive(tcb) && tcb.retries === 1;
  r.lossMarked = keepSack;
  if (keepSack) {
    for (const e of r.log) if (!e.sacked) e.lost = true;
  } else r.log.resetMarks();
  return keepSack;
}
