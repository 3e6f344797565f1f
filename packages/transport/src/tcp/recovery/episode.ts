// Entering and leaving fast recovery, shared by the duplicate-ACK path (RFC 5681 §3.2,
// RFC 6582, RFC 6675 §5), RACK (RFC 8985 §6.2: a segment marked lost) and the RACK
// reordering timer: set `recover`, let congestion control reduce (after undo saved its
// state), start PRR (RFC 6937), and resend SND.UNA at once unless RACK's marks say what to
// resend (then output() does it, within PRR's window).

import { inFlight, output, retransmitFrom } from '../output.ts';
import { seqAdd, seqDiff } from '../seq.ts';
import type { Tcb } from '../tcb.ts';
import { startTimer, stopTimer } from '../timers.ts';
import { prrOnAck, prrStart, prrStop } from './prr.ts';
import { rackActive, rackDetectLoss, rackOnRecoveryEnd, rackPipe } from './rack.ts';
import { beforeReduction } from './undo.ts';

export function enterRecovery(tcb: Tcb, delivered = 0): void {
  // RFC 5681 FlightSize (data sent and not cumulatively acknowledged) sets ssthresh
  // (RFC 6675 §5 step 4.2) and PRR's RecoverFS (RFC 6937 §3).
  const flight = seqDiff(tcb.sndMax, tcb.sndUna);
  tcb.inRecovery = true;
  tcb.limitedTransmit = 0;
  tcb.recover = tcb.sndMax;
  tcb.recoverValid = true;
  tcb.recovery.rescueValid = false;
  tcb.recovery.tlpOutstanding = false;
  stopTimer(tcb, 'TLP');
  beforeReduction(tcb, false);
  tcb.cc.onEnterRecovery(flight, tcb.now);
  const rack = rackActive(tcb);
  if (tcb.host.config.prr && tcb.sackOk) {
    prrStart(tcb, flight);
    prrOnAck(tcb, delivered, rack ? rackPipe(tcb) : inFlight(tcb));
  }
  if (!rack) {
    const sent = retransmitFrom(tcb, tcb.sndUna, tcb.smss);
    if (sent > 0) tcb.stats.fastRetransmits++;
    tcb.highRxt = seqAdd(tcb.sndUna, sent);
  }
  startTimer(tcb, 'RTO', tcb.rto.rto);
}

/** A full ACK ended fast recovery. */
export function recoveryEnded(tcb: Tcb): void {
  prrStop(tcb);
  if (rackActive(tcb)) rackOnRecoveryEnd(tcb);
}

/** The RACK reordering timer fired (RFC 8985 §6.3): detect again; losses start recovery, then send. */
export function rackReorderTimeout(tcb: Tcb): void {
  if (!rackActive(tcb) || tcb.sndUna === tcb.sndMax) return;
  const marked = rackDetectLoss(tcb);
  if (marked === 0) return;
  tcb.stats.rackLosses += marked;
  if (!tcb.inRecovery && !tcb.recovery.afterTimeout) enterRecovery(tcb);
  output(tcb);
}
