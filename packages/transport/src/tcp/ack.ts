// Processing the ACK field in a synchronized state (RFC 9293 §3.10.7.4 fifth step): RFC 5961
// §5 ACK acceptability, SND.UNA and the send window (SND.WL1/SND.WL2 rule), RTT samples for
// RFC 6298 (timestamps per RFC 7323 §4, else one timed segment with Karn's rule), duplicate
// ACKs (RFC 5681 §2 definition), fast retransmit and fast recovery (RFC 5681 §3.2) with
// NewReno's `recover` and partial ACKs (RFC 6582 §3.2), SACK-based loss detection
// (RFC 6675 IsLost) from the scoreboard, and RFC 3042 limited transmit.

import { DropReason, NS_PER_MS } from '@netlayers/core';
import { dropSegment } from './trace.ts';
import { retransmitFrom, sendAck, sendChallengeAck, tsNow } from './output.ts';
import { seqAdd, seqDiff, seqGeq, seqGt, seqLeq, seqLt } from './seq.ts';
import type { Tcb } from './tcb.ts';
import { startTimer, stopTimer } from './timers.ts';
import { publishMetrics } from './trace.ts';
import { DUP_THRESH } from './scoreboard.ts';
import { echoTimesRoundTrip, rttOnAck } from './recovery/rtt.ts';
import { enterRecovery, recoveryEnded } from './recovery/episode.ts';
import { afterAck, observeAck } from './recovery/observe.ts';
import { rackActive } from './recovery/rack.ts';
import { TcpFlag, type TcpSegment } from './wire.ts';

export type AckVerdict = 'ok' | 'drop';

/**
 * Handle SEG.ACK for a segment that passed the acceptability test, in ESTABLISHED or a
 * later state. Returns 'drop' when the segment must be discarded (an ACK was sent if the
 * RFC says so).
 */
export function processAck(tcb: Tcb, seg: TcpSegment): AckVerdict {
  const ack = seg.ack;
  // RFC 5961 §5: acceptable iff (SND.UNA - MAX.SND.WND) <= SEG.ACK <= SND.NXT (SND.MAX here).
  if (seqGt(ack, tcb.sndMax)) {
    dropSegment(tcb, DropReason.OutOfWindow, `ACK ${ack} acknowledges data not yet sent (SND.NXT ${tcb.sndMax})`, seg);
    sendAck(tcb);
    return 'drop';
  }
  if (seqLt(ack, seqAdd(tcb.sndUna, -Math.max(tcb.maxSndWnd, 1)))) {
    dropSegment(tcb, DropReason.OutOfWindow, `ACK ${ack} older than SND.UNA - MAX.SND.WND (${tcb.sndUna} - ${tcb.maxSndWnd})`, seg);
    sendChallengeAck(tcb);
    return 'drop';
  }
  const oldUna = tcb.sndUna;
  const window = seg.window * 2 ** tcb.sndWndScale;
  const hasData = seg.payload.length > 0 || (seg.flags & (TcpFlag.SYN | TcpFlag.FIN)) !== 0;
  const windowChanged = window !== tcb.sndWnd;
  const sackedBefore = tcb.scoreboardOrNull?.sackedBytes ?? 0;
  let newlySacked = 0;
  if (tcb.sackOk && seg.options.sack !== undefined) newlySacked = tcb.scoreboard.update(seg.options.sack, tcb.sndUna, tcb.sndMax);
  const dsack = observeAck(tcb, seg);

  if (seqGt(ack, oldUna)) {
    newAck(tcb, seg, ack);
  } else if (ack === oldUna && tcb.sndMax !== oldUna && !hasData && window > 0 && (!windowChanged || newlySacked > 0)) {
    // (A zero window is flow control, not loss: those ACKs answer window probes.)
    duplicateAck(tcb);
  }
  afterAck(tcb, seqDiff(tcb.sndUna, oldUna) + (tcb.scoreboardOrNull?.sackedBytes ?? 0) - sackedBefore, dsack);

  // Window update (RFC 9293 §3.10.7.4: if SND.WL1 < SEG.SEQ or (SND.WL1 = SEG.SEQ and SND.WL2 =< SEG.ACK)).
  if (seqLt(tcb.sndWl1, seg.seq) || (tcb.sndWl1 === seg.seq && seqLeq(tcb.sndWl2, ack))) {
    const wasZero = tcb.sndWnd === 0;
    tcb.sndWnd = window;
    tcb.sndWl1 = seg.seq;
    tcb.sndWl2 = ack;
    if (window > tcb.maxSndWnd) tcb.maxSndWnd = window;
    if (window > 0 && (wasZero || tcb.persistBackoff > 0)) {
      stopTimer(tcb, 'persist');
      tcb.persistBackoff = 0;
    }
  }
  publishMetrics(tcb);
  return 'ok';
}

/** RFC 9293: SND.UNA < SEG.ACK =< SND.NXT — new data acknowledged. */
function newAck(tcb: Tcb, seg: TcpSegment, ack: number): void {
  const acked = seqDiff(ack, tcb.sndUna);
  const flightBefore = seqDiff(tcb.sndMax, tcb.sndUna);
  const now = tcb.now;

  // RTT measurement (RFC 7323 §4.1 with timestamps; otherwise RFC 6298 with Karn's rule).
  let rtt: number | undefined;
  const ts = seg.options.timestamps;
  if (tcb.tsOk && ts !== undefined && ts.echo !== 0) {
    if (echoTimesRoundTrip(tcb, ts.echo)) rtt = Math.max(0, ((tsNow(tcb) - ts.echo) | 0) * NS_PER_MS);
  } else if (tcb.rttTime >= 0 && seqGt(ack, tcb.rttSeq)) {
    rtt = now - tcb.rttTime;
  }
  if (tcb.rttTime >= 0 && seqGt(ack, tcb.rttSeq)) tcb.rttTime = -1;
  if (rtt !== undefined) tcb.rto.sample(rtt, { una: ack, nxt: tcb.sndNxt });

  // Drop acknowledged bytes: a SYN and a FIN take a sequence number but no buffer byte.
  let dataAcked = acked;
  if (tcb.sndUna === tcb.iss) dataAcked--;
  if (tcb.finSeqSent >= 0 && seqGt(ack, tcb.finSeqSent)) dataAcked--;
  const sendBuffer = tcb.sendBufferOrNull;
  if (sendBuffer !== null) {
    sendBuffer.consume(Math.max(0, dataAcked));
    if (sendBuffer.length === 0) tcb.sendBufferOrNull = null; // all acknowledged: an idle connection holds no buffer
  }
  tcb.sndUna = ack;
  if (seqLt(tcb.sndNxt, ack)) tcb.sndNxt = ack;
  tcb.scoreboardOrNull?.ackTo(ack);
  rttOnAck(tcb, ack);
  tcb.retries = 0;

  if (tcb.inRecovery) {
    if (seqGeq(ack, tcb.recover)) {
      // Full acknowledgment (RFC 6582 §3.2 step 6).
      tcb.inRecovery = false;
      tcb.dupAcks = 0;
      // With PRR the pipe was already brought down to ssthresh: RFC 6937 §3 ends recovery
      // with cwnd = ssthresh (telling the algorithm the flight is ssthresh does that).
      tcb.cc.onExitRecovery(tcb.recovery.prrActive ? tcb.cc.ssthresh : seqDiff(tcb.sndMax, tcb.sndUna), now);
      recoveryEnded(tcb);
    } else {
      // Partial acknowledgment. Without SACK, RFC 6582 §3.2 step 5: resend the next hole at
      // once. With SACK, RFC 6675 §5: output()'s NextSeg resends only what IsLost() counts
      // lost, else sends new data (rules 1-4); SND.UNA is not resent just for being SND.UNA.
      if (!tcb.sackOk) {
        tcb.cc.onPartialAck(acked);
        const sent = retransmitFrom(tcb, ack, tcb.smss);
        if (sent > 0) tcb.stats.fastRetransmits++;
        tcb.highRxt = seqAdd(ack, sent);
      } else if (seqLt(tcb.highRxt, ack)) tcb.highRxt = ack;
    }
  } else {
    tcb.dupAcks = 0;
    tcb.cc.onAck(acked, flightBefore, now, rtt);
  }
  tcb.limitedTransmit = 0;

  // RFC 6298 §5.2-5.3: stop the timer when all is acknowledged, else restart it.
  if (tcb.sndUna === tcb.sndMax) stopTimer(tcb, 'RTO');
  else startTimer(tcb, 'RTO', tcb.rto.rto);
}

/** A duplicate ACK (RFC 5681 §2): count it and enter fast recovery on the third (or when SACK says a segment is lost). */
function duplicateAck(tcb: Tcb): void {
  tcb.dupAcks++;
  tcb.stats.duplicateAcks++;
  if (tcb.inRecovery) {
    if (!tcb.sackOk) tcb.cc.onDupAckInRecovery();
    return;
  }
  const rack = rackActive(tcb);
  const sackSaysLost = !rack && tcb.sackOk && tcb.scoreboard.lostBoundary(tcb.smss) !== undefined && seqGt(tcb.scoreboard.lostBoundary(tcb.smss)!, tcb.sndUna);
  if (tcb.dupAcks < DUP_THRESH && !sackSaysLost) {
    // RFC 3042 limited transmit: one new segment for each of the first two duplicate ACKs.
    tcb.limitedTransmit = Math.min(tcb.dupAcks, DUP_THRESH - 1) * tcb.smss;
    return;
  }
  if (rack) return; // RACK (RFC 8985 §6) decides what is lost and starts recovery
  // RFC 6582 §3.2 step 2: not while the ACK is still below `recover` (the data that was in
  // flight at the last recovery or timeout), so one loss event does not cut cwnd twice.
  if (tcb.recoverValid && seqLt(tcb.sndUna, tcb.recover)) return;
  enterRecovery(tcb);
}
