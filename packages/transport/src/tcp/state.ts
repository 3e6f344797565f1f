// State transitions of a connection (RFC 9293 §3.3.2 and §3.10): entering a state traces
// it and tells the socket; TIME-WAIT starts the 2*MSL timer (§3.10.7.4 and §3.4.2); CLOSED
// deletes the TCB. User-visible events that must follow the segment's processing (connect,
// data, end, drain, close) are delivered by `notifyUser` once the segment is fully handled.

import type { SocketError } from '@netlayers/core';
import type { Tcb, TcpState } from './tcb.ts';
import { startTimer, stopAllTimers } from './timers.ts';
import { traceState } from './trace.ts';
import { urgentStreamOffset } from './urgent.ts';

export function setState(tcb: Tcb, to: TcpState, cause: string): void {
  const from = tcb.state;
  if (from === to) return;
  tcb.state = to;
  traceState(tcb, from, to, cause);
  tcb.user?.onState(from, to);
  if (to === 'ESTABLISHED' && tcb.listener !== null && (from === 'SYN-RECEIVED')) {
    tcb.listener.halfOpen--;
    tcb.host.accepted(tcb);
  }
}

/** Enter TIME-WAIT: every other timer stops; the connection lingers 2*MSL (RFC 9293 §3.10.7.4). */
export function enterTimeWait(tcb: Tcb, cause: string): void {
  setState(tcb, 'TIME-WAIT', cause);
  stopAllTimers(tcb);
  startTimer(tcb, 'TIME-WAIT', 2 * tcb.host.config.msl);
  releaseState(tcb);
}

/**
 * What a connection in TIME-WAIT or CLOSED no longer needs: everything sent is acknowledged
 * or abandoned (send buffer, SACK scoreboard, loss-recovery state) and, once the user has
 * read it all, the receive buffer. A TIME-WAIT entry then holds little more than its
 * sequence variables (RFC 9293 §3.6.1 needs only those to ACK a retransmitted FIN).
 */
function releaseState(tcb: Tcb): void {
  tcb.sendBufferOrNull = null;
  tcb.scoreboardOrNull = null;
  tcb.recoveryOrNull = null;
  const receive = tcb.receiveOrNull;
  if (receive !== null && receive.readyBytes === 0 && !receive.hasOutOfOrder) tcb.receiveOrNull = null;
}

/**
 * Enter CLOSED and delete the TCB. With `error`, the user gets 'error' then 'close(true)';
 * without, 'close(false)' (unless already reported).
 */
export function closeConnection(tcb: Tcb, cause: string, error?: SocketError): void {
  if (tcb.state === 'CLOSED') return;
  const wasHalfOpen = tcb.state === 'SYN-RECEIVED' && tcb.listener !== null;
  setState(tcb, 'CLOSED', cause);
  if (wasHalfOpen) tcb.listener!.halfOpen--;
  stopAllTimers(tcb);
  tcb.host.release(tcb);
  const user = tcb.user;
  // An error discards what the user has not read; otherwise it is still delivered below.
  if (user !== null && error !== undefined) tcb.receiveOrNull?.clear();
  releaseState(tcb);
  if (user === null) return;
  if (error !== undefined) user.onError(error);
  else notifyUser(tcb); // deliver whatever is still readable, then close
  if (!tcb.closeReported) {
    tcb.closeReported = true;
    user.onClose(error !== undefined);
  }
}

/** Deliver what the user is owed after a segment or a call: connect, data, end, drain, close. */
export function notifyUser(tcb: Tcb): void {
  const user = tcb.user;
  if (user === null) return;
  if (tcb.connectPending) {
    tcb.connectPending = false;
    user.onConnect();
  }
  if (tcb.urgentToSignal) {
    tcb.urgentToSignal = false;
    user.onUrgent(urgentStreamOffset(tcb));
    if (tcb.user === null) return;
  }
  const receive = tcb.receiveOrNull;
  while (receive !== null && !tcb.paused && receive.ready.length > 0) {
    const chunk = receive.ready.shift()!;
    receive.readyBytes -= chunk.length;
    user.onData(chunk);
    if (tcb.user === null) return;
  }
  if (tcb.finReceived && !tcb.endDelivered && (receive === null || receive.ready.length === 0) && !tcb.paused) {
    tcb.endDelivered = true;
    user.onEnd();
  }
  if (tcb.needDrain && tcb.sendBuffered < tcb.sendBufferLimit && tcb.state !== 'CLOSED') {
    tcb.needDrain = false;
    user.onDrain();
  }
  if (!tcb.closeReported && (tcb.state === 'TIME-WAIT' || tcb.state === 'CLOSED') && (tcb.endDelivered || !tcb.finReceived)) {
    tcb.closeReported = true;
    user.onClose(false);
  }
}
