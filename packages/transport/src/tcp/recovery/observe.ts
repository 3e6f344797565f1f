// What loss recovery learns from each acceptable ACK (called from ack.ts): before SND.UNA
// moves, D-SACK (RFC 2883 §4) for undo (RFC 3708) and RACK's reordering window, Eifel
// (RFC 3522) for a spurious timeout, and the segments newly delivered for RACK (RFC 8985
// §6.2 step 2); after it, RACK's loss detection (step 5) that may start recovery, PRR's
// per-ACK window (RFC 6937), the end of an undo episode, and the Tail Loss Probe (§7).

import { pipe } from '../output.ts';
import { seqGeq, seqGt } from '../seq.ts';
import type { Tcb } from '../tcb.ts';
import type { TcpSegment } from '../wire.ts';
import { dsackOf } from './dsack.ts';
import { enterRecovery } from './episode.ts';
import { prrOnAck } from './prr.ts';
import { rackActive, rackDelivered, rackDetectLoss, rackOnDsack, rackPipe } from './rack.ts';
import { tlpOnAck } from './tlp.ts';
import { armTlp } from './tlp-timer.ts';
import { logging } from './transmit.ts';
import { eifelCheck, undoOnAck, undoOnDsack } from './undo.ts';

/** Called before SND.UNA moves. Returns whether the ACK carried a D-SACK. */
export function observeAck(tcb: Tcb, seg: TcpSegment): boolean {
  const ack = seg.ack;
  const blocks = tcb.sackOk ? seg.options.sack : undefined;
  const echo = tcb.tsOk ? seg.options.timestamps?.echo : undefined;
  const rack = rackActive(tcb);
  let dsack = false;
  const d = dsackOf(blocks, ack);
  if (d !== undefined) {
    dsack = true;
    tcb.stats.dsacksReceived++;
    if (rack) rackOnDsack(tcb);
    undoOnDsack(tcb, d[0]);
  }
  if (seqGt(ack, tcb.sndUna)) eifelCheck(tcb, echo);
  if (logging(tcb)) {
    const log = tcb.recovery.log;
    const delivered = rack ? (e: Parameters<typeof rackDelivered>[1]) => rackDelivered(tcb, e, echo) : undefined;
    if (seqGt(ack, tcb.sndUna)) log.ackTo(ack, delivered);
    if (blocks !== undefined) {
      for (let i = dsack ? 1 : 0; i < blocks.length; i++) {
        const [left, right] = blocks[i]!;
        if (seqGt(right, ack)) log.sack(left, right, delivered);
      }
    }
  }
  return dsack;
}

/** Called once the ACK was processed; `delivered` = bytes newly ACKed or SACKed. */
export function afterAck(tcb: Tcb, delivered: number, dsack: boolean): void {
  const existing = tcb.recoveryOrNull;
  if (existing !== null && existing.afterTimeout && (!tcb.recoverValid || seqGeq(tcb.sndUna, tcb.recover))) {
    existing.afterTimeout = false;
    existing.lossMarked = false;
  }
  if (rackActive(tcb) && tcb.sndUna !== tcb.sndMax) {
    const r = tcb.recovery;
    const marked = rackDetectLoss(tcb);
    tcb.stats.rackLosses += marked;
    if (marked > 0 && !tcb.inRecovery && !r.afterTimeout) enterRecovery(tcb, delivered);
    else if (marked > 0 && r.afterTimeout) r.lossMarked = true; // still after a timeout: resend what RACK found lost
    else if (tcb.inRecovery) prrOnAck(tcb, delivered, rackPipe(tcb));
  } else if (tcb.inRecovery && existing !== null && existing.prrActive) {
    prrOnAck(tcb, delivered, pipe(tcb));
  }
  undoOnAck(tcb);
  tlpOnAck(tcb, dsack);
  armTlp(tcb);
}
