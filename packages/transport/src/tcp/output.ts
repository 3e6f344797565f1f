// The send side (RFC 9293 §3.8.6 and §3.10.4): building and emitting segments, the window
// we advertise with receiver-side SWS avoidance (§3.8.6.2.2) and window scaling (RFC 7323
// §2), timestamps (RFC 7323 §3), SACK blocks (RFC 2018 §4), and the output loop that sends
// as much as the peer's window and cwnd allow, with Nagle's algorithm (RFC 896, RFC 1122
// §4.2.3.4, or Minshall's variant) and sender SWS avoidance (§3.8.6.2.1). In SACK loss recovery it fills holes
// first, counting the pipe as RFC 6675 §4 does. Segments before SND.UP carry URG (urgent.ts).

import { NS_PER_MS, Packet } from '@netlayers/core';
import type { TcpHeaderOptions } from './options.ts';
import { seqAdd, seqDiff, seqGt, seqLeq, seqLt, seqMax, seqMin } from './seq.ts';
import { tcpSummary, tcpHeaderInfo } from './summary.ts';
import type { Tcb } from './tcb.ts';
import { ensureTimer, isTimerRunning, stopTimer } from './timers.ts';
import { inUrgentMode, urgentPointerFor } from './urgent.ts';
import { emitTcpSegment, TcpFlag, type TcpSegmentFields } from './wire.ts';
import { noteTransmit } from './recovery/transmit.ts';
import { sendWindow } from './recovery/prr.ts';
import { rackActive, rackPipe, retransmitRackLost } from './recovery/rack.ts';
import { sackRules3and4 } from './recovery/nextseg.ts';
import { armTlp } from './recovery/tlp-timer.ts';
import { takeDsackBlock } from './recovery/dsack.ts';

/** Headroom for the TCP, IP and link headers in front of a payload. */
const HEADROOM = 160;

/** Our TSval clock: virtual milliseconds plus the address pair's offset (RFC 7323 §5.4). */
export function tsNow(tcb: Tcb): number {
  return (Math.floor(tcb.now / NS_PER_MS) + tcb.tsOffset) >>> 0;
}

function synOptions(tcb: Tcb): TcpHeaderOptions {
  const config = tcb.host.config;
  const o: { mss: number; windowScale?: number; sackPermitted?: boolean; timestamps?: { value: number; echo: number } } = { mss: tcb.ourMss };
  const isSynAck = tcb.state === 'SYN-RECEIVED';
  if (isSynAck ? tcb.wsOk : config.windowScaling) o.windowScale = tcb.rcvWndScale;
  if (isSynAck ? tcb.sackOk : config.sack) o.sackPermitted = true;
  if (isSynAck ? tcb.tsOk : config.timestamps) o.timestamps = { value: tsNow(tcb), echo: isSynAck ? tcb.tsRecent : 0 };
  return o;
}

/**
 * Reused for each segment's header fields and plain timestamps option when no trace listener
 * is attached: emitTcpSegment only reads them, and nothing else keeps them (a trace event
 * would, so traced segments get their own objects).
 */
const scratchTimestamps = { value: 0, echo: 0 };
const scratchTsOptions: TcpHeaderOptions = { timestamps: scratchTimestamps };
const scratchFields = { sourcePort: 0, destinationPort: 0, seq: 0, ack: 0, flags: 0, window: 0, urgentPointer: 0, options: undefined as TcpHeaderOptions | undefined };

function segmentOptions(tcb: Tcb, flags: number, length: number, reuse: boolean): TcpHeaderOptions | undefined {
  if (flags & TcpFlag.SYN) return synOptions(tcb);
  if (flags & TcpFlag.RST) return undefined;
  // Timestamps alone (the common case): no SACK blocks to send, i.e. no D-SACK owed on a
  // segment without data and nothing held out of order.
  const sackBlocksOwed = tcb.sackOk && ((length === 0 && tcb.recoveryOrNull?.dsackPending === true) || tcb.receiveOrNull?.hasOutOfOrder === true);
  if (reuse && tcb.tsOk && !sackBlocksOwed) {
    scratchTimestamps.value = tsNow(tcb);
    scratchTimestamps.echo = tcb.tsRecent;
    return scratchTsOptions;
  }
  const timestamps = tcb.tsOk ? { value: tsNow(tcb), echo: tcb.tsRecent } : undefined;
  // RFC 2883 §4: a D-SACK block goes first (on a segment without data, so it always fits).
  const dsack = length === 0 && tcb.sackOk ? takeDsackBlock(tcb) : undefined;
  if (dsack !== undefined) {
    const blocks = [dsack, ...tcb.receive.sackBlocks(timestamps !== undefined ? 2 : 3)];
    return timestamps !== undefined ? { timestamps, sack: blocks } : { sack: blocks };
  }
  if (tcb.sackOk && tcb.receiveOrNull?.hasOutOfOrder === true) {
    const blocks = tcb.receive.sackBlocks(timestamps !== undefined ? 3 : 4);
    if (blocks.length > 0) return timestamps !== undefined ? { timestamps, sack: blocks } : { sack: blocks };
  }
  return timestamps !== undefined ? { timestamps } : undefined;
}

/**
 * The window field to send, moving RCV.NXT + RCV.WND (rcvAdv) right only by a useful amount
 * (receiver SWS avoidance) and never left (RFC 9293 §3.8.6.2.2).
 */
function windowField(tcb: Tcb, syn: boolean): number {
  const space = tcb.receiveSpace;
  if (syn) {
    const field = Math.min(space, 0xffff);
    if (tcb.state === 'SYN-RECEIVED') tcb.rcvAdv = seqAdd(tcb.rcvNxt, field);
    return field;
  }
  const current = tcb.rcvWnd;
  let wnd = current;
  if (space > current && space - current >= Math.min(tcb.receiveBufferSize >>> 1, tcb.ourMss)) wnd = space;
  const scale = tcb.rcvWndScale;
  let field = Math.min(wnd >>> scale, 0xffff);
  if (field << scale < current) field = Math.min(0xffff, Math.ceil(current / 2 ** scale));
  const advertised = field * 2 ** scale;
  const edge = seqAdd(tcb.rcvNxt, advertised);
  if (seqGt(edge, tcb.rcvAdv)) tcb.rcvAdv = edge;
  return field;
}

/**
 * Payload bytes that fit in one segment with the options it will carry: SMSS (already less
 * the timestamps option), less room for SACK blocks while we hold out-of-order data.
 */
export function maxPayload(tcb: Tcb): number {
  if (!(tcb.sackOk && tcb.receiveOrNull?.hasOutOfOrder === true)) return tcb.smss;
  return Math.max(1, tcb.smss - (tcb.tsOk ? 4 + 8 * 3 : 4 + 8 * 4));
}

/**
 * Emit one segment. `bufferOffset`/`length` select payload bytes from the send buffer.
 * Sets ACK's value from RCV.NXT when the ACK bit is set.
 */
export function transmit(tcb: Tcb, flags: number, seq: number, bufferOffset: number, length: number, retransmission: boolean): void {
  const syn = (flags & TcpFlag.SYN) !== 0;
  const tracer = tcb.host.node.tracer;
  const reuse = !tracer.active;
  const options = segmentOptions(tcb, flags, length, reuse);
  const urgentPointer = flags & (TcpFlag.SYN | TcpFlag.RST) || !tcb.urgentMode ? 0 : urgentPointerFor(tcb, seq);
  if (urgentPointer > 0) flags |= TcpFlag.URG;
  const ack = flags & TcpFlag.ACK ? tcb.rcvNxt : 0;
  const window = flags & TcpFlag.RST ? 0 : windowField(tcb, syn);
  let fields: TcpSegmentFields;
  if (reuse) {
    const f = scratchFields;
    f.sourcePort = tcb.localPort;
    f.destinationPort = tcb.remotePort;
    f.seq = seq;
    f.ack = ack;
    f.flags = flags;
    f.window = window;
    f.urgentPointer = urgentPointer;
    f.options = options;
    fields = f;
  } else {
    fields = { sourcePort: tcb.localPort, destinationPort: tcb.remotePort, seq, ack, flags, window, urgentPointer, options };
  }
  const packet = Packet.alloc(length, HEADROOM);
  // Copied by offset into the packet's storage (no view of the payload made for it).
  if (length > 0) tcb.sendBuffer.copyOut(bufferOffset, length, packet.storage, packet.headroom);
  const headerLength = emitTcpSegment(fields, null, tcb.localAddress, tcb.remoteAddress, packet);
  if (flags & TcpFlag.ACK) {
    tcb.lastAckSent = tcb.rcvNxt;
    tcb.unackedBytes = 0;
    stopTimer(tcb, 'delayed-ACK');
  }
  const stats = tcb.stats;
  stats.segmentsSent++;
  stats.bytesSent += length;
  if (retransmission) stats.retransmissions++;
  noteTransmit(tcb, seq, length + (flags & TcpFlag.FIN ? 1 : 0), options?.timestamps?.value ?? 0, retransmission);
  if (!reuse) {
    const shown = { ...fields, options: options ?? {}, payload: { length } };
    tracer.emit({
      kind: 'pdu',
      role: 'transport',
      protocol: 'tcp',
      direction: 'down',
      length: headerLength + length,
      headerLength,
      text: tcpSummary(shown, tcb.localAddress, tcb.remoteAddress),
      connection: tcb.key,
      retransmission,
      header: tcpHeaderInfo(shown, length),
    });
  }
  tcb.host.send(tcb, packet);
}

/** <SEQ=ISS><CTL=SYN> or, in SYN-RECEIVED, <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>. */
export function sendSyn(tcb: Tcb, retransmission: boolean): void {
  const flags = tcb.state === 'SYN-RECEIVED' ? TcpFlag.SYN | TcpFlag.ACK : TcpFlag.SYN;
  if (!retransmission && tcb.synSentTime < 0) tcb.synSentTime = tcb.now;
  transmit(tcb, flags, tcb.iss, 0, 0, retransmission);
  if (seqGt(seqAdd(tcb.iss, 1), tcb.sndMax)) tcb.sndMax = seqAdd(tcb.iss, 1);
  tcb.sndNxt = seqAdd(tcb.iss, 1);
  ensureTimer(tcb, 'RTO', tcb.rto.rto);
}

/**
 * <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> (in SYN-RECEIVED the SYN,ACK again: a bare ACK would be
 * ignored). SND.MAX stands for SND.NXT, as in BSD: after a timeout pulls SND.NXT back, the
 * peer may already have everything up to SND.MAX and would find an older sequence number
 * unacceptable, dropping the ACK it carries.
 */
export function sendAck(tcb: Tcb): void {
  if (tcb.state === 'SYN-RECEIVED') {
    sendSyn(tcb, true);
    return;
  }
  if (tcb.state === 'CLOSED' || tcb.state === 'LISTEN' || tcb.state === 'SYN-SENT') return;
  // Against a closed window the peer accepts only SEG.SEQ = RCV.NXT, which its last ACK set
  // to SND.UNA: an unaccepted zero-window probe byte must not push our ACKs past it.
  transmit(tcb, TcpFlag.ACK, tcb.sndWnd === 0 ? tcb.sndUna : tcb.sndMax, 0, 0, false);
}

/** An RFC 5961 challenge ACK, subject to the layer's rate limit (§7). */
export function sendChallengeAck(tcb: Tcb): void {
  if (!tcb.host.allowChallengeAck()) {
    tcb.host.node.tracer.drop('transport', 'tcp', 'rate-limited', 'challenge ACK rate limit reached', 0, { connection: tcb.peerKey });
    return;
  }
  tcb.stats.challengeAcks++;
  sendAck(tcb);
}

/** <SEQ=SND.NXT><CTL=RST> (ABORT, RFC 9293 §3.10.5; SND.MAX for SND.NXT, see sendAck). */
export function sendResetForAbort(tcb: Tcb): void {
  transmit(tcb, TcpFlag.RST, tcb.sndMax, 0, 0, false);
}

/** Bytes in flight for congestion control: the RFC 6675 pipe during SACK recovery (RACK's with RFC 8985), else SND.NXT - SND.UNA. */
export function inFlight(tcb: Tcb): number {
  if (tcb.recoveryOrNull?.lossMarked === true && tcb.sackOk) return rackPipe(tcb);
  if (!(tcb.inRecovery && tcb.sackOk)) return seqDiff(tcb.sndNxt, tcb.sndUna);
  if (rackActive(tcb)) return rackPipe(tcb);
  return pipe(tcb);
}

/** RFC 6675 §4 SetPipe: un-SACKed bytes in flight, less lost bytes not yet retransmitted. */
export function pipe(tcb: Tcb): number {
  const board = tcb.scoreboard;
  let p = seqDiff(tcb.sndMax, tcb.sndUna) - board.sackedBytes;
  const boundary = board.lostBoundary(tcb.smss);
  if (boundary !== undefined) {
    const from = seqMax(tcb.highRxt, tcb.sndUna);
    const to = seqMin(boundary, tcb.sndMax);
    if (seqLt(from, to)) p -= seqDiff(to, from) - board.sackedBetween(from, to);
  }
  return Math.max(0, p);
}

/** Resend up to `maxLength` bytes starting at `seq` (and the FIN if the range reaches it). */
export function retransmitFrom(tcb: Tcb, seq: number, maxLength: number): number {
  const bufferSeq = tcb.bufferSeq;
  const offset = seqDiff(seq, bufferSeq);
  const dataLeft = Math.max(0, tcb.sendBuffered - offset);
  const length = Math.min(maxLength, dataLeft, maxPayload(tcb));
  const end = seqAdd(seq, length);
  const fin = tcb.finSeqSent >= 0 && end === tcb.finSeqSent;
  if (length === 0 && !fin) return 0;
  let flags = TcpFlag.ACK;
  if (fin) flags |= TcpFlag.FIN;
  if (length > 0 && offset + length === tcb.sendBuffered) flags |= TcpFlag.PSH;
  transmit(tcb, flags, seq, offset, length, true);
  if (tcb.rttTime >= 0 && seqLeq(seq, tcb.rttSeq) && seqLt(tcb.rttSeq, seqAdd(end, fin ? 1 : 0))) tcb.rttTime = -1; // Karn
  ensureTimer(tcb, 'RTO', tcb.rto.rto);
  return length + (fin ? 1 : 0);
}

/** The states in which we may send data or a FIN. */
function canSend(tcb: Tcb): boolean {
  const s = tcb.state;
  return s === 'ESTABLISHED' || s === 'CLOSE-WAIT' || s === 'FIN-WAIT-1' || s === 'CLOSING' || s === 'LAST-ACK';
}

/** RFC 6675 §5 NextSeg rule 1 for as long as the pipe allows: resend lost holes below the loss boundary. */
function retransmitLostHoles(tcb: Tcb): void {
  if (rackActive(tcb)) {
    retransmitRackLost(tcb, () => sendWindow(tcb) - rackPipe(tcb), (seq, length) => retransmitFrom(tcb, seq, length));
    return;
  }
  const boundary = tcb.scoreboard.lostBoundary(tcb.smss);
  if (boundary === undefined) return;
  for (let guard = 0; guard < 10_000; guard++) {
    if (sendWindow(tcb) - pipe(tcb) < 1) return;
    const from = seqMax(tcb.highRxt, tcb.sndUna);
    if (!seqLt(from, boundary)) return;
    const hole = tcb.scoreboard.nextHole(from, seqMin(boundary, tcb.sndMax));
    if (hole === undefined) return;
    const sent = retransmitFrom(tcb, hole[0], seqDiff(hole[1], hole[0]));
    if (sent === 0) return;
    tcb.stats.fastRetransmits++;
    tcb.highRxt = seqAdd(hole[0], sent);
  }
}

/** Minshall's check (Linux's tcp_minshall_check): a short segment sent is not yet acknowledged. */
function shortSegmentUnacked(tcb: Tcb): boolean {
  return seqGt(tcb.sndSml, tcb.sndUna) && seqLeq(tcb.sndSml, tcb.sndNxt);
}

/**
 * Send what the windows allow. `force` (the persist timer) sends one segment even when
 * Nagle or SWS avoidance would wait, and probes a zero window with one byte.
 */
export function output(tcb: Tcb, force = false): void {
  if (!canSend(tcb)) return;
  const maxBefore = tcb.sndMax;
  if ((tcb.inRecovery || tcb.recoveryOrNull?.lossMarked === true) && tcb.sackOk) retransmitLostHoles(tcb);
  const mss = maxPayload(tcb);
  for (;;) {
    const bufferSeq = tcb.bufferSeq;
    const sent = seqDiff(tcb.sndNxt, bufferSeq);
    const unsent = tcb.sendBuffered - sent;
    const finToSend = tcb.finQueued && tcb.finSeqSent < 0 ? true : tcb.finQueued && seqLeq(tcb.sndNxt, tcb.finSeqSent);
    if (unsent <= 0 && !finToSend) break;
    const flight = inFlight(tcb);
    const windowRoom = seqDiff(seqAdd(tcb.sndUna, tcb.sndWnd), tcb.sndNxt);
    const room = Math.min(windowRoom, sendWindow(tcb) + tcb.limitedTransmit - flight);
    let length = Math.max(0, Math.min(unsent, mss, room));
    if (unsent > 0) {
      if (length <= 0) {
        if (force && flight === 0 && windowRoom <= 0) length = 1; // zero-window probe
        else break;
      } else if (length < mss && !force) {
        const pushesAll = length === unsent;
        // Urgent data is not held back (as Linux's tcp_nagle_test in urgent mode), nor is the
        // last segment of a closing connection, which carries the FIN (as BSD and Linux).
        const nagleAllows = flight === 0 || tcb.noDelay || inUrgentMode(tcb) || (pushesAll && finToSend) || (tcb.host.config.nagle === 'minshall' && !shortSegmentUnacked(tcb));
        if (!(nagleAllows && (pushesAll || length >= tcb.maxSndWnd / 2))) break;
      }
    } else if (flight > 0 && !force && sendWindow(tcb) - flight <= 0) {
      break;
    }
    const probe = force && windowRoom <= 0 && length > 0;
    const fin = finToSend && !probe && sent + length >= tcb.sendBuffered;
    const seq = tcb.sndNxt;
    let flags = TcpFlag.ACK;
    if (fin) flags |= TcpFlag.FIN;
    if (length > 0 && sent + length === tcb.sendBuffered) flags |= TcpFlag.PSH;
    const retransmission = seqLt(seq, tcb.sndMax);
    transmit(tcb, flags, seq, sent, length, retransmission);
    if (length > 0 && length < mss) tcb.sndSml = seqAdd(seq, length);
    const end = seqAdd(seq, length + (fin ? 1 : 0));
    if (probe) {
      // A zero-window probe (RFC 9293 §3.8.6.1): the byte is sent (SND.MAX covers it, so its
      // ACK is acceptable) but SND.NXT stays put. If the receiver does not accept it, the
      // next probe and, once the window opens, the data continue from SND.UNA: no hole.
      tcb.stats.windowProbes++;
      if (seqGt(end, tcb.sndMax)) tcb.sndMax = end;
      break;
    }
    tcb.sndNxt = end;
    if (fin) tcb.finSeqSent = seqAdd(seq, length);
    if (seqGt(tcb.sndNxt, tcb.sndMax)) tcb.sndMax = tcb.sndNxt;
    if (!tcb.tsOk && tcb.rttTime < 0 && !retransmission) {
      tcb.rttSeq = seq;
      tcb.rttTime = tcb.now;
    }
    if (!(force && windowRoom <= 0)) ensureTimer(tcb, 'RTO', tcb.rto.rto);
    if (fin || force) break;
  }
  // RFC 6675 NextSeg rules 3 and 4 when neither lost holes nor new data could use the pipe.
  if (tcb.inRecovery && tcb.sackOk && !rackActive(tcb)) sackRules3and4(tcb, () => sendWindow(tcb) - pipe(tcb), (seq, length) => retransmitFrom(tcb, seq, length));
  if (seqGt(tcb.sndMax, maxBefore)) armTlp(tcb);
  // Data waits but nothing is in flight to bring an ACK: the persist timer (RFC 9293 §3.8.6.1;
  // also RFC 1122's SWS override) makes sure we probe or push it later.
  const waiting = tcb.sendBuffered - seqDiff(tcb.sndNxt, tcb.bufferSeq) > 0;
  if (waiting && tcb.sndNxt === tcb.sndUna && !isTimerRunning(tcb, 'RTO')) ensurePersist(tcb);
}

/** Start the persist timer with the current backoff (RTO-based, at most RTO max). */
export function ensurePersist(tcb: Tcb): void {
  const config = tcb.host.config;
  const duration = Math.min(config.rtoMax, Math.max(config.rtoMin, tcb.rto.rto) * 2 ** tcb.persistBackoff);
  ensureTimer(tcb, 'persist', duration);
}
