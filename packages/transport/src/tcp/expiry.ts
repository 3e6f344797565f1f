// What happens when a connection's timer expires: retransmission timeout (RFC 6298 §5.4-5.7,
// RFC 5681 §3.1 loss window, RFC 6582 §4 `recover`; SYN retransmission and give-up, RFC 9293
// §3.8.3 R2), the persist timer's zero-window probe (RFC 9293 §3.8.6.1), delayed ACK
// (RFC 1122 §4.2.3.2), TIME-WAIT's 2*MSL (RFC 9293 §3.10.8), keepalive (RFC 1122 §4.2.3.6),
// the FIN-WAIT-2 timeout (as Linux's tcp_fin_timeout) and the optional connect deadline.

import { NS_PER_S, SocketError } from '@netlayers/core';
import { ensurePersist, output, sendAck, sendSyn, transmit } from './output.ts';
import { seqAdd, seqDiff } from './seq.ts';
import { closeConnection } from './state.ts';
import type { Tcb, TcpTimerName } from './tcb.ts';
import { startTimer } from './timers.ts';
import { publishMetrics, traceNote } from './trace.ts';
import { TcpFlag } from './wire.ts';
import { afterTimeout, beforeTimeoutReduction } from './recovery/timeout.ts';
import { tlpTimeout } from './recovery/tlp.ts';
import { probeInsteadOfTimeout } from './recovery/tlp-timer.ts';
import { rackReorderTimeout } from './recovery/episode.ts';

export function timerExpired(tcb: Tcb, timer: TcpTimerName): void {
  switch (timer) {
    case 'RTO':
      // RFC 8985 §7.2: a probe whose PTO was capped at this expiration goes in the timeout's place.
      if (probeInsteadOfTimeout(tcb, tlpTimeout)) break;
      retransmissionTimeout(tcb);
      break;
    case 'persist':
      persistTimeout(tcb);
      break;
    case 'delayed-ACK':
      if (tcb.unackedBytes > 0 || tcb.lastAckSent !== tcb.rcvNxt) sendAck(tcb);
      break;
    case 'TIME-WAIT':
      if (tcb.state === 'TIME-WAIT') closeConnection(tcb, '2*MSL timeout');
      break;
    case 'keepalive':
      keepAliveTimeout(tcb);
      break;
    case 'FIN-WAIT-2':
      // As Linux on tcp_fin_timeout: reset the peer that never closed, then CLOSED.
      if (tcb.state === 'FIN-WAIT-2') {
        transmit(tcb, TcpFlag.RST, tcb.sndMax, 0, 0, false);
        closeConnection(tcb, 'FIN-WAIT-2 timeout', timedOut(tcb, `FIN-WAIT-2 timeout: the peer did not close within ${tcb.host.config.finWait2Timeout / NS_PER_S} s`));
      }
      break;
    case 'TLP':
      tlpTimeout(tcb);
      break;
    case 'RACK-reorder':
      rackReorderTimeout(tcb);
      break;
    case 'connect':
      if (tcb.state === 'SYN-SENT' || (tcb.state === 'SYN-RECEIVED' && tcb.listener === null)) {
        closeConnection(tcb, 'connect timeout', timedOut(tcb, 'connect timed out'));
      }
      break;
  }
}

function timedOut(tcb: Tcb, what: string): SocketError {
  if (tcb.softError !== null) return tcb.softError;
  return new SocketError('ETIMEDOUT', `${what} (${tcb.remoteAddress}:${tcb.remotePort})`);
}

function retransmissionTimeout(tcb: Tcb): void {
  const config = tcb.host.config;
  const state = tcb.state;
  if (state === 'CLOSED' || state === 'LISTEN' || state === 'TIME-WAIT') return;
  if (tcb.sndUna === tcb.sndMax) return; // nothing outstanding (a stale expiry)
  tcb.stats.timeouts++;
  tcb.retries++;
  if (state === 'SYN-SENT' || state === 'SYN-RECEIVED') {
    if (tcb.retries > config.synRetries) {
      if (tcb.listener !== null) closeConnection(tcb, 'SYN,ACK retries exhausted');
      else closeConnection(tcb, 'SYN retries exhausted', timedOut(tcb, 'connect timed out'));
      return;
    }
    tcb.rto.backoff();
    tcb.rttTime = -1;
    sendSyn(tcb, true);
    publishMetrics(tcb);
    return;
  }
  if (tcb.retries > config.maxRetries) {
    closeConnection(tcb, 'retransmission retries exhausted', timedOut(tcb, 'connection timed out'));
    return;
  }
  // RFC 5681 §3.1 / RFC 6298 §5.5-5.6: loss window, back off, go back to SND.UNA.
  const flight = seqDiff(tcb.sndMax, tcb.sndUna);
  beforeTimeoutReduction(tcb);
  tcb.cc.onRetransmitTimeout(flight, tcb.now);
  const keepSack = afterTimeout(tcb);
  tcb.rto.backoff();
  tcb.inRecovery = false;
  tcb.dupAcks = 0;
  tcb.recover = tcb.sndMax;
  tcb.recoverValid = true;
  if (!keepSack) tcb.scoreboard.clear(); // RFC 2018 §8: the receiver may have reneged
  tcb.highRxt = tcb.sndUna;
  tcb.rttTime = -1;
  if (!keepSack) tcb.sndNxt = tcb.sndUna;
  traceNote(tcb, `retransmission timeout #${tcb.retries}: RTO now ${tcb.rto.rto} ns`);
  startTimer(tcb, 'RTO', tcb.rto.rto);
  output(tcb, tcb.sndWnd === 0);
  publishMetrics(tcb);
}

function persistTimeout(tcb: Tcb): void {
  const s = tcb.state;
  if (s !== 'ESTABLISHED' && s !== 'CLOSE-WAIT' && s !== 'FIN-WAIT-1' && s !== 'CLOSING' && s !== 'LAST-ACK') return;
  const unsent = tcb.sendBuffered - seqDiff(tcb.sndNxt, tcb.bufferSeq);
  // Back off before probing: output() re-arms the timer for the next probe.
  const probing = tcb.sndWnd === 0 && tcb.sendBuffered > 0;
  if (probing) tcb.persistBackoff = Math.min(tcb.persistBackoff + 1, 16);
  if (tcb.sndWnd > 0 || unsent <= 0) {
    // The window is open (or nothing waits): send what SWS avoidance held back.
    output(tcb, true);
  } else if (tcb.sndNxt === tcb.sndUna) {
    output(tcb, true); // a one-byte probe of new data
  } else {
    // Re-probe with the outstanding byte at SND.UNA.
    const offset = seqDiff(tcb.sndUna, tcb.bufferSeq);
    transmit(tcb, TcpFlag.ACK, tcb.sndUna, offset, 1, true);
    tcb.stats.windowProbes++;
  }
  if (probing) ensurePersist(tcb);
}

function keepAliveTimeout(tcb: Tcb): void {
  if (!tcb.keepAlive) return;
  const s = tcb.state;
  if (s !== 'ESTABLISHED' && s !== 'CLOSE-WAIT' && s !== 'FIN-WAIT-2') {
    startTimer(tcb, 'keepalive', tcb.keepAliveIdle);
    return;
  }
  const config = tcb.host.config;
  const idleFor = tcb.now - tcb.lastReceiveTime;
  if (tcb.keepAliveProbes === 0 && idleFor < tcb.keepAliveIdle) {
    startTimer(tcb, 'keepalive', tcb.keepAliveIdle - idleFor);
    return;
  }
  if (tcb.keepAliveProbes >= config.keepAliveProbes) {
    closeConnection(tcb, 'keepalive timeout', timedOut(tcb, 'keepalive: peer not answering'));
    return;
  }
  // <SEQ=SND.UNA-1><ACK=RCV.NXT>: an old sequence number the peer must ACK (RFC 1122 §4.2.3.6).
  tcb.keepAliveProbes++;
  transmit(tcb, TcpFlag.ACK, seqAdd(tcb.sndUna, -1), 0, 0, false);
  startTimer(tcb, 'keepalive', config.keepAliveInterval);
}
