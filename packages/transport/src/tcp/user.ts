// The user calls of RFC 9293 §3.10.1-3.10.5 on a TCB: OPEN (active), SEND, CLOSE (a FIN
// after the queued data: half-close), ABORT (RST), plus the socket options that change
// sending (TCP_NODELAY, RFC 1122 §4.2.3.4) and keepalive (RFC 1122 §4.2.3.6), and reading
// flow control (pause/resume with a window update, RFC 9293 §3.8.6.2.2).

import { SocketError } from '@netlayers/core';
import { windowScaleFor } from './config.ts';
import { output, sendAck, sendResetForAbort, sendSyn } from './output.ts';
import { closeConnection, notifyUser, setState } from './state.ts';
import type { Tcb } from './tcb.ts';
import { markUrgent } from './urgent.ts';
import { startTimer, stopTimer } from './timers.ts';

/** OPEN, active (§3.10.1): send <SEQ=ISS><CTL=SYN>, enter SYN-SENT. */
export function activeOpen(tcb: Tcb): void {
  const config = tcb.host.config;
  tcb.sndUna = tcb.iss;
  tcb.sndNxt = tcb.iss;
  tcb.sndMax = tcb.iss;
  tcb.recover = tcb.iss;
  tcb.rcvWndScale = config.windowScaling ? windowScaleFor(tcb.receiveBufferSize) : 0;
  setState(tcb, 'SYN-SENT', 'connect()');
  sendSyn(tcb, false);
  if (config.connectTimeout !== undefined) startTimer(tcb, 'connect', config.connectTimeout);
}

function epipe(tcb: Tcb, why: string): SocketError {
  return new SocketError('EPIPE', `cannot write to ${tcb.remoteAddress}:${tcb.remotePort}: ${why}`);
}

/** SEND (§3.10.2), with the URGENT flag when `urgent` (§3.8.5). Returns false when the send buffer is at or above its high-water mark. */
export function userSend(tcb: Tcb, data: Uint8Array, urgent = false): boolean {
  if (tcb.finQueued) throw epipe(tcb, 'the socket was ended (FIN queued)');
  switch (tcb.state) {
    case 'SYN-SENT':
    case 'SYN-RECEIVED':
      tcb.sendBuffer.push(data);
      if (urgent) markUrgent(tcb);
      break;
    case 'ESTABLISHED':
    case 'CLOSE-WAIT':
      tcb.sendBuffer.push(data);
      if (urgent) markUrgent(tcb);
      output(tcb);
      break;
    default:
      throw epipe(tcb, `connection is ${tcb.state}`);
  }
  if (tcb.sendBuffered >= tcb.sendBufferLimit) {
    tcb.needDrain = true;
    return false;
  }
  return true;
}

/** CLOSE (§3.10.4): no more sends; a FIN follows the queued data. Reading continues. */
export function userClose(tcb: Tcb): void {
  if (tcb.finQueued) return;
  switch (tcb.state) {
    case 'SYN-SENT':
    case 'SYN-RECEIVED':
      tcb.finQueued = true; // sent once ESTABLISHED
      break;
    case 'ESTABLISHED':
      tcb.finQueued = true;
      setState(tcb, 'FIN-WAIT-1', 'close()');
      output(tcb);
      break;
    case 'CLOSE-WAIT':
      tcb.finQueued = true;
      setState(tcb, 'LAST-ACK', 'close()');
      output(tcb);
      break;
    default:
      break;
  }
}

/** ABORT (§3.10.5): RST in the synchronized states, then CLOSED. */
export function userAbort(tcb: Tcb, error?: SocketError): void {
  switch (tcb.state) {
    case 'SYN-RECEIVED':
    case 'ESTABLISHED':
    case 'FIN-WAIT-1':
    case 'FIN-WAIT-2':
    case 'CLOSE-WAIT':
      sendResetForAbort(tcb);
      break;
    default:
      break;
  }
  tcb.receive.clear();
  tcb.finReceived = false;
  closeConnection(tcb, 'abort()', error);
}

export function userSetNoDelay(tcb: Tcb, noDelay: boolean): void {
  tcb.noDelay = noDelay;
  if (noDelay) output(tcb);
}

export function userSetKeepAlive(tcb: Tcb, enable: boolean, initialDelay?: number): void {
  tcb.keepAlive = enable;
  if (initialDelay !== undefined && initialDelay > 0) tcb.keepAliveIdle = initialDelay;
  if (!enable) {
    stopTimer(tcb, 'keepalive');
    return;
  }
  tcb.keepAliveProbes = 0;
  if (tcb.state !== 'CLOSED' && tcb.state !== 'TIME-WAIT') startTimer(tcb, 'keepalive', tcb.keepAliveIdle);
}

export function userPause(tcb: Tcb): void {
  tcb.paused = true;
}

/** Resume reading: deliver what is buffered, then tell the peer if the window opened usefully. */
export function userResume(tcb: Tcb): void {
  if (!tcb.paused) return;
  tcb.paused = false;
  notifyUser(tcb);
  const s = tcb.state;
  if (s !== 'ESTABLISHED' && s !== 'FIN-WAIT-1' && s !== 'FIN-WAIT-2') return;
  const space = tcb.receiveSpace;
  const current = tcb.rcvWnd;
  if (space > current && space - current >= Math.min(tcb.receiveBufferSize >>> 1, tcb.ourMss)) sendAck(tcb);
}
