// SEGMENT ARRIVES (RFC 9293 §3.10.7): the event processing for a connection that exists.
// SYN-SENT follows §3.10.7.3; the other states follow §3.10.7.4 in its eight steps:
// sequence check (the four acceptability cases, with RFC 7323 §5 PAWS), RST (RFC 5961 §3:
// exact match resets, in-window gets a challenge ACK), SYN (RFC 5961 §4 challenge ACK),
// ACK (ack.ts, with RFC 5961 §5), URG (urgent.ts, RFC 6093), text, FIN. Delivery to the user and the
// ACK or data that answers the segment come last, once the TCB is consistent.

import { DropReason, NS_PER_MS, SocketError } from '@netlayers/core';
import { processAck } from './ack.ts';
import { output, sendAck, sendChallengeAck, sendSyn, tsNow } from './output.ts';
import { seqAdd, seqDiff, seqGeq, seqGt, seqInRange, seqLeq, seqLt } from './seq.ts';
import { closeConnection, enterTimeWait, notifyUser, setState } from './state.ts';
import type { Tcb } from './tcb.ts';
import { ensureTimer, isTimerRunning, startTimer, stopTimer } from './timers.ts';
import { urgentArrives } from './urgent.ts';
import { dropSegment, publishMetrics } from './trace.ts';
import { segmentLength, TcpFlag, type TcpSegment } from './wire.ts';
import { windowScaleFor } from './config.ts';
import { noteDuplicate } from './recovery/dsack.ts';

/** What the layer should do after a segment: nothing more, or (TIME-WAIT) treat it as a new SYN. */
export type InputVerdict = 'done' | 'reopen';

/** Take the peer's SYN options and fix what this connection will use (RFC 9293 §3.7.1, RFC 7323, RFC 2018). */
export function negotiateOptions(tcb: Tcb, seg: TcpSegment): void {
  const config = tcb.host.config;
  const o = seg.options;
  tcb.peerMss = o.mss ?? 536;
  tcb.wsOk = config.windowScaling && o.windowScale !== undefined;
  tcb.sndWndScale = tcb.wsOk ? o.windowScale! : 0;
  tcb.rcvWndScale = tcb.wsOk ? windowScaleFor(tcb.receiveBufferSize) : 0;
  tcb.sackOk = config.sack && o.sackPermitted === true;
  tcb.tsOk = config.timestamps && o.timestamps !== undefined;
  if (tcb.tsOk) tcb.tsRecent = o.timestamps!.value;
  tcb.cc.init(tcb.smss, tcb.now);
}

/** LISTEN (§3.10.7.2) accepted a SYN into the new TCB `tcb`: reply SYN,ACK, enter SYN-RECEIVED. */
export function acceptSyn(tcb: Tcb, seg: TcpSegment): void {
  tcb.irs = seg.seq;
  tcb.rcvNxt = seqAdd(seg.seq, 1);
  negotiateOptions(tcb, seg);
  tcb.sndUna = tcb.iss;
  tcb.sndNxt = tcb.iss;
  tcb.sndMax = tcb.iss;
  tcb.recover = tcb.iss;
  tcb.sndWnd = seg.window;
  tcb.maxSndWnd = seg.window;
  tcb.sndWl1 = seg.seq;
  tcb.sndWl2 = tcb.iss;
  tcb.lastReceiveTime = tcb.now;
  setState(tcb, 'SYN-RECEIVED', 'rcv SYN');
  sendSyn(tcb, false);
}

/**
 * A valid SYN cookie came back in `ack` (RFC 4987 §3.6): rebuild, from the ACK and the options
 * the cookie kept, the SYN-RECEIVED connection a SYN queue entry would have held, so that
 * `segmentArrives(tcb, ack)` completes the handshake as usual.
 */
export function acceptCookie(tcb: Tcb, ack: TcpSegment, synOptions: TcpSegment['options']): void {
  tcb.iss = seqAdd(ack.ack, -1);
  tcb.irs = seqAdd(ack.seq, -1);
  tcb.rcvNxt = ack.seq;
  negotiateOptions(tcb, { ...ack, options: synOptions });
  tcb.sndUna = tcb.iss;
  tcb.sndNxt = ack.ack;
  tcb.sndMax = ack.ack;
  tcb.recover = tcb.iss;
  tcb.sndWnd = ack.window;
  tcb.maxSndWnd = ack.window;
  tcb.sndWl1 = tcb.irs;
  tcb.sndWl2 = tcb.iss;
  tcb.rcvAdv = seqAdd(tcb.rcvNxt, Math.min(tcb.receiveSpace, 0xffff));
  tcb.lastAckSent = tcb.rcvNxt;
  tcb.lastReceiveTime = tcb.now;
  setState(tcb, 'SYN-RECEIVED', 'rcv ACK of SYN cookie');
}

/** Process `seg` on an existing connection. */
export function segmentArrives(tcb: Tcb, seg: TcpSegment): InputVerdict {
  tcb.stats.segmentsReceived++;
  tcb.lastReceiveTime = tcb.now;
  tcb.keepAliveProbes = 0;
  if (tcb.state === 'SYN-SENT') {
    synSentArrives(tcb, seg);
    return 'done';
  }
  if (tcb.state === 'CLOSED' || tcb.state === 'LISTEN') return 'done';
  if (tcb.state === 'TIME-WAIT' && isNewIncarnation(tcb, seg)) return 'reopen';
  otherwiseArrives(tcb, seg);
  return 'done';
}

const drop = dropSegment;

/** §3.10.7.3. */
function synSentArrives(tcb: Tcb, seg: TcpSegment): void {
  const flags = seg.flags;
  let ackAcceptable = false;
  if (flags & TcpFlag.ACK) {
    if (seqLeq(seg.ack, tcb.iss) || seqGt(seg.ack, tcb.sndMax)) {
      if (!(flags & TcpFlag.RST)) tcb.host.sendReset(tcb, seg.ack, 0, false);
      drop(tcb, DropReason.BadState, `SYN-SENT: unacceptable ACK ${seg.ack}`, seg);
      return;
    }
    ackAcceptable = true;
  }
  if (flags & TcpFlag.RST) {
    // RFC 5961 §3: in SYN-SENT a RST is acceptable only if it acknowledges our SYN.
    if (ackAcceptable) closeConnection(tcb, 'rcv RST', new SocketError('ECONNREFUSED', `connection to ${tcb.remoteAddress}:${tcb.remotePort} refused (RST)`));
    else drop(tcb, DropReason.BadState, 'SYN-SENT: RST without an acceptable ACK', seg);
    return;
  }
  if (!(flags & TcpFlag.SYN)) {
    drop(tcb, DropReason.BadState, 'SYN-SENT: neither SYN nor RST', seg);
    return;
  }
  tcb.irs = seg.seq;
  tcb.rcvNxt = seqAdd(seg.seq, 1);
  const ourSynWindow = Math.min(tcb.receiveSpace, 0xffff);
  negotiateOptions(tcb, seg);
  tcb.rcvAdv = seqAdd(tcb.rcvNxt, ourSynWindow);
  tcb.sndWnd = seg.window; // never scaled in a SYN (RFC 7323 §2.2)
  tcb.maxSndWnd = seg.window;
  tcb.sndWl1 = seg.seq;
  tcb.sndWl2 = seg.ack;
  if (ackAcceptable) {
    // Our SYN is acknowledged: RTT sample unless it was retransmitted (Karn).
    const echo = seg.options.timestamps?.echo ?? 0;
    if (tcb.tsOk && echo !== 0) {
      tcb.rto.sample(Math.max(0, ((tsNow(tcb) - echo) | 0) * NS_PER_MS));
    } else if (tcb.retries === 0 && tcb.synSentTime >= 0) {
      tcb.rto.sample(tcb.now - tcb.synSentTime);
    }
    tcb.sndUna = seg.ack;
    tcb.retries = 0;
    stopTimer(tcb, 'RTO');
    stopTimer(tcb, 'connect');
    setState(tcb, 'ESTABLISHED', 'rcv SYN,ACK');
    tcb.connectPending = true;
    publishMetrics(tcb);
    // Text or FIN on the SYN,ACK continue at the sixth step.
    const rest = { ...seg, seq: seqAdd(seg.seq, 1), flags: flags & ~TcpFlag.SYN };
    processTextAndFin(tcb, rest);
    // The third segment of the handshake: with nothing already waiting to go (no data
    // written, no FIN queued during SYN-SENT) send a bare ACK at once, before the user hears
    // of the connection, as Linux does; data written from 'connect' follows in its own
    // segment. With data already waiting, the ACK rides on it.
    if (tcb.sendBuffered === 0 && !tcb.finQueued && seg.payload.length === 0 && !(flags & TcpFlag.FIN)) {
      sendAck(tcb);
      finishSegment(tcb, 'none');
    } else {
      finishSegment(tcb, 'now');
    }
    if (tcb.finQueued && tcb.state === 'ESTABLISHED') {
      setState(tcb, 'FIN-WAIT-1', 'close()');
      output(tcb);
    }
    return;
  }
  // Simultaneous open (RFC 9293 Figure 8).
  setState(tcb, 'SYN-RECEIVED', 'rcv SYN');
  sendSyn(tcb, true);
}

/**
 * RFC 6191 §2: a SYN in TIME-WAIT opens a new incarnation when its TSval is newer than
 * TS.Recent, or equal with a newer sequence number (a reuse within one tick of our peer's
 * clock); without timestamps, when its sequence number is newer.
 */
function isNewIncarnation(tcb: Tcb, seg: TcpSegment): boolean {
  if ((seg.flags & (TcpFlag.SYN | TcpFlag.ACK | TcpFlag.RST)) !== TcpFlag.SYN) return false;
  const ts = seg.options.timestamps;
  if (tcb.tsOk && ts !== undefined) return seqGt(ts.value, tcb.tsRecent) || (ts.value === tcb.tsRecent && seqGt(seg.seq, tcb.rcvNxt));
  return seqGt(seg.seq, tcb.rcvNxt);
}

/** The sequence-number test of §3.10.7.4 (four cases). */
function acceptable(tcb: Tcb, seq: number, segLen: number): boolean {
  const wnd = tcb.rcvWnd;
  const rcvNxt = tcb.rcvNxt;
  if (segLen === 0) return wnd === 0 ? seq === rcvNxt : seqInRange(seq, rcvNxt, seqAdd(rcvNxt, wnd));
  if (wnd === 0) return false;
  const end = seqAdd(rcvNxt, wnd);
  return seqInRange(seq, rcvNxt, end) || seqInRange(seqAdd(seq, segLen - 1), rcvNxt, end);
}

/** §3.10.7.4, for SYN-RECEIVED and the synchronized states. */
function otherwiseArrives(tcb: Tcb, seg: TcpSegment): void {
  const flags = seg.flags;
  const rst = (flags & TcpFlag.RST) !== 0;
  let segment = seg;

  // Simultaneous open: in SYN-RECEIVED the peer's SYN,ACK acknowledging our SYN completes the
  // handshake (its SYN was already counted): process it as the ACK it carries (as Linux does).
  if (tcb.state === 'SYN-RECEIVED' && (flags & (TcpFlag.SYN | TcpFlag.ACK)) === (TcpFlag.SYN | TcpFlag.ACK) && seqAdd(seg.seq, 1) === tcb.rcvNxt && seg.ack === tcb.sndNxt) {
    segment = { ...seg, seq: tcb.rcvNxt, flags: flags & ~TcpFlag.SYN };
  }

  // RFC 7323 §5.3 PAWS: a segment whose TSval is older than TS.Recent is a stale duplicate.
  const ts = segment.options.timestamps;
  if (tcb.tsOk && ts !== undefined && !rst && seqLt(ts.value, tcb.tsRecent) && tcb.state !== 'SYN-RECEIVED') {
    tcb.stats.unacceptableSegments++;
    drop(tcb, DropReason.OutOfWindow, `PAWS: TSval ${ts.value} older than TS.Recent ${tcb.tsRecent}`, seg);
    sendAck(tcb);
    return;
  }

  // First: sequence number.
  const segLen = segmentLength(segment);
  if (!acceptable(tcb, segment.seq, segLen)) {
    const zeroWindowProbe = tcb.rcvWnd === 0 && segment.seq === tcb.rcvNxt;
    if (!zeroWindowProbe) {
      tcb.stats.unacceptableSegments++;
      if (segment.payload.length > 0 && seqLt(segment.seq, tcb.rcvNxt)) noteDuplicate(tcb, segment.seq, segment.payload.length);
      drop(tcb, DropReason.OutOfWindow, `seq ${segment.seq} len ${segLen} outside RCV.NXT ${tcb.rcvNxt} RCV.WND ${tcb.rcvWnd}`, seg);
      if (rst) return;
      if (tcb.state === 'TIME-WAIT' && flags & TcpFlag.FIN) startTimer(tcb, 'TIME-WAIT', 2 * tcb.host.config.msl);
      // RFC 5961 §4.2: a SYN, whatever its sequence number, gets a (rate-limited) challenge ACK.
      if (flags & TcpFlag.SYN && tcb.synchronized) sendChallengeAck(tcb);
      else sendAck(tcb);
      return;
    }
    // RCV.WND = 0: accept the ACK (and RST) fields, not the text (§3.10.7.4), and answer.
    tcb.stats.unacceptableSegments++;
    drop(tcb, DropReason.OutOfWindow, `zero window: ${segment.payload.length} byte(s) at RCV.NXT ${tcb.rcvNxt} not accepted`, seg);
    segment = { ...segment, payload: segment.payload.subarray(0, 0), flags: segment.flags & ~TcpFlag.FIN };
    tcb.ackOwed = true;
  }

  // Trim to the window: drop what is before RCV.NXT and what is beyond RCV.NXT + RCV.WND.
  if (segment.payload.length > 0 && seqLt(segment.seq, tcb.rcvNxt)) noteDuplicate(tcb, segment.seq, segment.payload.length);
  segment = trimToWindow(tcb, segment);

  // RFC 7323 §4.3: remember TSval if the segment covers Last.ACK.sent.
  if (tcb.tsOk && ts !== undefined && seqLeq(seg.seq, tcb.lastAckSent) && seqGeq(ts.value, tcb.tsRecent)) tcb.tsRecent = ts.value;

  // Second: RST (RFC 5961 §3).
  if (rst) {
    if (seg.seq !== tcb.rcvNxt) {
      drop(tcb, DropReason.OutOfWindow, `RST seq ${seg.seq} in the window but not RCV.NXT ${tcb.rcvNxt}`, seg);
      sendChallengeAck(tcb);
      return;
    }
    resetArrives(tcb);
    return;
  }

  // Fourth: SYN in a synchronized state (RFC 5961 §4).
  if (segment.flags & TcpFlag.SYN) {
    if (tcb.state === 'SYN-RECEIVED' && tcb.listener !== null) {
      closeConnection(tcb, 'rcv SYN (return to LISTEN)');
      return;
    }
    drop(tcb, DropReason.BadState, `${tcb.state}: SYN in a synchronized state`, seg);
    sendChallengeAck(tcb);
    return;
  }

  // Fifth: ACK.
  if (!(segment.flags & TcpFlag.ACK)) {
    drop(tcb, DropReason.BadState, `${tcb.state}: segment without ACK`, seg);
    return;
  }
  if (tcb.state === 'SYN-RECEIVED') {
    if (!(seqLt(tcb.sndUna, segment.ack) && seqLeq(segment.ack, tcb.sndMax))) {
      tcb.host.sendReset(tcb, segment.ack, 0, false);
      drop(tcb, DropReason.BadState, `SYN-RECEIVED: unacceptable ACK ${segment.ack}`, seg);
      return;
    }
    if (tcb.listener?.acceptQueueFull === true) {
      // As Linux with tcp_abort_on_overflow = 0: the SYN,ACK retransmission will try again.
      drop(tcb, DropReason.QueueFull, 'SYN-RECEIVED: accept queue is full, handshake ACK dropped', seg);
      return;
    }
    // The handshake's RTT sample (RFC 6298 §3, Karn: only if the SYN,ACK was not resent).
    const echo = segment.options.timestamps?.echo ?? 0;
    if (!(tcb.tsOk && echo !== 0) && tcb.retries === 0 && tcb.synSentTime >= 0) tcb.rto.sample(tcb.now - tcb.synSentTime);
    tcb.sndWnd = segment.window * 2 ** tcb.sndWndScale;
    tcb.maxSndWnd = Math.max(tcb.maxSndWnd, tcb.sndWnd);
    tcb.sndWl1 = segment.seq;
    tcb.sndWl2 = segment.ack;
    if (!tcb.listener) tcb.connectPending = true;
    stopTimer(tcb, 'connect');
    setState(tcb, 'ESTABLISHED', 'rcv ACK of SYN');
  }
  if (processAck(tcb, segment) === 'drop') return;
  switch (tcb.state) {
    case 'FIN-WAIT-1':
      if (tcb.finAcked) {
        setState(tcb, 'FIN-WAIT-2', 'rcv ACK of FIN');
        if (tcb.host.config.finWait2Timeout > 0) startTimer(tcb, 'FIN-WAIT-2', tcb.host.config.finWait2Timeout);
      }
      break;
    case 'FIN-WAIT-2':
      // The FIN-WAIT-2 timeout counts from the last segment received (see TcpOptions.finWait2Timeout).
      if (isTimerRunning(tcb, 'FIN-WAIT-2')) startTimer(tcb, 'FIN-WAIT-2', tcb.host.config.finWait2Timeout);
      break;
    case 'CLOSING':
      if (tcb.finAcked) {
        enterTimeWait(tcb, 'rcv ACK of FIN');
        notifyUser(tcb);
        return;
      }
      break;
    case 'LAST-ACK':
      if (tcb.finAcked) {
        closeConnection(tcb, 'rcv ACK of FIN');
        return;
      }
      break;
    default:
      break;
  }

  // Sixth: URG (urgent.ts); seventh and eighth: text and FIN.
  urgentArrives(tcb, seg);
  const ack = processTextAndFin(tcb, segment);
  finishSegment(tcb, ack);
  // A close() issued during the handshake sends its FIN now (§3.10.4, SYN-RECEIVED).
  if (tcb.finQueued && tcb.state === 'ESTABLISHED') {
    setState(tcb, 'FIN-WAIT-1', 'close()');
    output(tcb);
  }
}

function trimToWindow(tcb: Tcb, seg: TcpSegment): TcpSegment {
  let seq = seg.seq;
  let payload = seg.payload;
  let flags = seg.flags;
  const rcvNxt = tcb.rcvNxt;
  if (seqLt(seq, rcvNxt)) {
    let cut = seqDiff(rcvNxt, seq);
    if (flags & TcpFlag.SYN) {
      flags &= ~TcpFlag.SYN;
      cut--;
      seq = seqAdd(seq, 1);
    }
    if (cut > payload.length) flags &= ~TcpFlag.FIN; // the FIN too was already received
    payload = payload.subarray(Math.min(cut, payload.length));
    seq = rcvNxt;
  }
  const windowEnd = seqAdd(rcvNxt, tcb.rcvWnd);
  if (seqGt(seqAdd(seq, payload.length), windowEnd)) {
    const kept = Math.max(0, seqDiff(windowEnd, seq));
    drop(tcb, DropReason.OutOfWindow, `${payload.length - kept} byte(s) beyond the window's right edge ${windowEnd}`, seg, payload.length - kept);
    payload = payload.subarray(0, kept);
    flags &= ~TcpFlag.FIN;
  }
  if (seq === seg.seq && payload === seg.payload && flags === seg.flags) return seg;
  return { ...seg, seq, payload, flags };
}

/** Second step, an exact RST: what the RFC says for each state. */
function resetArrives(tcb: Tcb): void {
  switch (tcb.state) {
    case 'SYN-RECEIVED':
      if (tcb.listener !== null) closeConnection(tcb, 'rcv RST (return to LISTEN)');
      else closeConnection(tcb, 'rcv RST', new SocketError('ECONNREFUSED', `connection to ${tcb.remoteAddress}:${tcb.remotePort} refused (RST)`));
      return;
    case 'ESTABLISHED':
    case 'FIN-WAIT-1':
    case 'FIN-WAIT-2':
    case 'CLOSE-WAIT':
      closeConnection(tcb, 'rcv RST', new SocketError('ECONNRESET', `connection to ${tcb.remoteAddress}:${tcb.remotePort} reset by peer`));
      return;
    default:
      // CLOSING, LAST-ACK, TIME-WAIT.
      closeConnection(tcb, 'rcv RST');
  }
}

type AckNeed = 'none' | 'delayed' | 'now';

/** Seventh and eighth steps: queue in-window text, then a FIN that is in order. */
function processTextAndFin(tcb: Tcb, seg: TcpSegment): AckNeed {
  const state = tcb.state;
  const acceptsText = state === 'ESTABLISHED' || state === 'FIN-WAIT-1' || state === 'FIN-WAIT-2';
  const payload = seg.payload;
  let need: AckNeed = 'none';
  let finInOrder = false;
  // §3.10.7.4 seventh step: after the peer's FIN (CLOSE-WAIT, CLOSING, LAST-ACK, TIME-WAIT) text is ignored.
  if (payload.length > 0 && !acceptsText) drop(tcb, DropReason.BadState, `${state}: ${payload.length} byte(s) of text after the peer's FIN`, seg);
  if (acceptsText && (payload.length > 0 || seg.flags & TcpFlag.FIN)) {
    if (seg.seq === tcb.rcvNxt) {
      if (payload.length > 0) {
        // The frame's bytes are never reused (core's frame-ownership rule): hand the
        // application a view of the payload, not a copy.
        tcb.receive.ready.push(payload);
        tcb.receive.readyBytes += payload.length;
        tcb.stats.bytesReceived += payload.length;
        tcb.rcvNxt = seqAdd(tcb.rcvNxt, payload.length);
        tcb.unackedBytes += payload.length;
        need = 'delayed';
      }
      finInOrder = (seg.flags & TcpFlag.FIN) !== 0;
      // A FIN alone needs no receive buffer (none is made for it).
      if (tcb.receiveOrNull?.hasOutOfOrder === true) {
        const { chunks, next, fin } = tcb.receive.takeContiguous(tcb.rcvNxt);
        for (const chunk of chunks) {
          tcb.receive.ready.push(chunk);
          tcb.receive.readyBytes += chunk.length;
          tcb.stats.bytesReceived += chunk.length;
        }
        if (chunks.length > 0 || fin) need = 'now'; // a gap was filled: ACK at once (RFC 5681 §4.2)
        tcb.rcvNxt = next;
        finInOrder = finInOrder || fin;
        if (!finInOrder && tcb.receiveOrNull?.hasOutOfOrder === true) need = 'now';
      }
    } else {
      tcb.receive.addOutOfOrder(seg.seq, payload, (seg.flags & TcpFlag.FIN) !== 0);
      need = 'now'; // out of order: duplicate ACK at once (RFC 5681 §4.2), with SACK blocks
    }
  } else if (seg.flags & TcpFlag.FIN && seg.seq === tcb.rcvNxt && state !== 'CLOSE-WAIT' && state !== 'CLOSING' && state !== 'LAST-ACK' && state !== 'TIME-WAIT') {
    finInOrder = true;
  } else if (seg.flags & TcpFlag.FIN && state === 'TIME-WAIT') {
    startTimer(tcb, 'TIME-WAIT', 2 * tcb.host.config.msl);
    need = 'now';
  }
  if (finInOrder) {
    tcb.rcvNxt = seqAdd(tcb.rcvNxt, 1);
    tcb.finReceived = true;
    need = 'now';
    switch (tcb.state) {
      case 'SYN-RECEIVED':
      case 'ESTABLISHED':
        setState(tcb, 'CLOSE-WAIT', 'rcv FIN');
        break;
      case 'FIN-WAIT-1':
        if (tcb.finAcked) enterTimeWait(tcb, 'rcv FIN');
        else setState(tcb, 'CLOSING', 'rcv FIN');
        break;
      case 'FIN-WAIT-2':
        enterTimeWait(tcb, 'rcv FIN');
        break;
      default:
        break;
    }
  }
  return need;
}

/** Deliver to the user, send what the windows allow, and ACK what must be ACKed. */
function finishSegment(tcb: Tcb, need: AckNeed): void {
  const sentBefore = tcb.stats.segmentsSent;
  notifyUser(tcb);
  if (tcb.state === 'CLOSED') return;
  output(tcb);
  const piggybacked = tcb.stats.segmentsSent !== sentBefore && tcb.lastAckSent === tcb.rcvNxt;
  const owed = tcb.ackOwed;
  tcb.ackOwed = false;
  if (piggybacked) return;
  if (need === 'now' || owed) {
    sendAck(tcb);
  } else if (need === 'delayed') {
    // RFC 1122 §4.2.3.2: ACK at least every second full-sized segment; otherwise within the delay.
    const fullSegment = Math.max(1, tcb.ourMss - (tcb.tsOk ? 12 : 0));
    if (tcb.host.config.delayedAck === 0 || tcb.unackedBytes >= 2 * fullSegment) sendAck(tcb);
    else if (tcb.unackedBytes > 0) ensureTimer(tcb, 'delayed-ACK', tcb.host.config.delayedAck);
  }
}
