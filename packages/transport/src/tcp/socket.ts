// TcpSocket: the StreamSocket contract (Node `net.Socket`-like, eventemitter3) over one TCB.
// Events follow the connection: 'connect' on ESTABLISHED after an active open, 'data' for
// in-order bytes, 'end' when the peer's FIN arrives, 'drain' when the send buffer falls
// below its high-water mark, 'error' then 'close' on reset/timeout, 'close' once both
// directions are finished (TIME-WAIT or CLOSED), 'state' on every RFC 9293 state change.

import { EventEmitter } from 'eventemitter3';
import { InvalidArgumentError, SocketError, type Ipv4Address, type StreamSocket, type StreamSocketEvents } from '@netlayers/core';
import type { Tcb, TcbEvents, TcpConnectionStats, TcpState } from './tcb.ts';
import { assertBoolean, assertDurationNs, sendBytes, writeOptions, type TcpWriteOptions } from './validate.ts';
import { userAbort, userClose, userPause, userResume, userSend, userSetKeepAlive, userSetNoDelay } from './user.ts';

export class TcpSocket extends EventEmitter<StreamSocketEvents> implements StreamSocket, TcbEvents {
  private written = 0;
  private read = 0;
  private ended = false;
  private urgentEnd: number | undefined = undefined;

  /** @internal use TcpLayer.connect / a listener's 'connection'. */
  constructor(readonly tcb: Tcb) {
    super();
    tcb.user = this;
  }

  get localAddress(): Ipv4Address {
    return this.tcb.localAddress;
  }
  get localPort(): number {
    return this.tcb.localPort;
  }
  get remoteAddress(): Ipv4Address {
    return this.tcb.remoteAddress;
  }
  get remotePort(): number {
    return this.tcb.remotePort;
  }
  /** The RFC 9293 state: "SYN-SENT", "ESTABLISHED", "TIME-WAIT"... */
  get state(): TcpState {
    return this.tcb.state;
  }
  get bytesWritten(): number {
    return this.written;
  }
  get bytesRead(): number {
    return this.read;
  }
  /** Per-connection counters (retransmissions, fast retransmits, timeouts, bytes...). */
  get stats(): Readonly<TcpConnectionStats> {
    return this.tcb.stats;
  }
  /** Bytes written but not yet acknowledged by the peer. */
  get bufferedAmount(): number {
    return this.tcb.sendBuffered;
  }
  /** "10.0.0.1:49152-10.0.0.2:80". */
  get connectionKey(): string {
    return this.tcb.key;
  }

  /**
   * Queue bytes (a Uint8Array/Buffer, or a string sent as UTF-8); anything else throws
   * InvalidArgumentError. With `{ urgent: true }` the bytes are urgent data (RFC 9293 §3.8.5):
   * segments up to them carry URG and the urgent pointer, and they are not held by Nagle.
   */
  write(data: Uint8Array | string, options?: TcpWriteOptions): boolean {
    const bytes = sendBytes('data', data);
    const urgent = writeOptions(options);
    if (urgent && bytes.length === 0) throw new InvalidArgumentError('data', '', 'urgent data must be at least one byte');
    if (this.ended) throw new SocketError('EPIPE', `cannot write to ${this.tcb.remoteAddress}:${this.tcb.remotePort}: the socket was ended`);
    if (bytes.length === 0) return this.tcb.sendBuffered < this.tcb.sendBufferLimit;
    const ok = userSend(this.tcb, bytes, urgent);
    this.written += bytes.length;
    return ok;
  }

  end(data?: Uint8Array | string): void {
    if (data !== undefined) sendBytes('data', data);
    if (this.ended) return;
    if (data !== undefined) this.write(data);
    this.ended = true;
    userClose(this.tcb);
  }

  destroy(error?: SocketError): void {
    if (this.tcb.state === 'CLOSED') return;
    this.ended = true;
    userAbort(this.tcb, error);
  }

  setNoDelay(noDelay = true): void {
    assertBoolean('noDelay', noDelay);
    userSetNoDelay(this.tcb, noDelay);
  }

  /** Keepalive after `initialDelay` ns idle (default: the layer's keepAliveIdle, 2 h). */
  setKeepAlive(enable: boolean, initialDelay?: number): void {
    assertBoolean('enable', enable);
    if (initialDelay !== undefined) assertDurationNs('initialDelay', initialDelay);
    userSetKeepAlive(this.tcb, enable, initialDelay);
  }

  /** Stop 'data' events; received bytes stay buffered and the advertised window shrinks. */
  pause(): this {
    userPause(this.tcb);
    return this;
  }

  /** Deliver buffered bytes and send a window update if the window opened usefully. */
  resume(): this {
    userResume(this.tcb);
    return this;
  }

  isPaused(): boolean {
    return this.tcb.paused;
  }

  /** Where the peer's latest urgent data ends (a stream offset, compare with bytesRead), if it sent any. */
  get urgentMark(): number | undefined {
    return this.urgentEnd;
  }

  /** As SIOCATMARK (RFC 6093 reading): every byte up to the end of the peer's urgent data has been read. */
  get atUrgentMark(): boolean {
    return this.urgentEnd !== undefined && this.read === this.urgentEnd;
  }

  // TcbEvents: called by the connection.
  onConnect(): void {
    this.emit('connect');
  }
  onData(chunk: Uint8Array): void {
    this.read += chunk.length;
    this.emit('data', chunk);
  }
  onEnd(): void {
    this.emit('end');
  }
  onDrain(): void {
    this.emit('drain');
  }
  onError(error: SocketError): void {
    this.emit('error', error);
  }
  onClose(hadError: boolean): void {
    this.ended = true;
    this.emit('close', hadError);
  }
  onState(from: TcpState, to: TcpState): void {
    this.emit('state', from, to);
  }
  onUrgent(end: number): void {
    this.urgentEnd = end;
    this.emit('urgent', end);
  }
}
