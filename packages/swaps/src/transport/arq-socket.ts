// One connection of the ARQ swaps: a StreamSocket driven by automatic repeat request.
// Sender: up to `window` sequenced segments in flight, one retransmission timer for the
// oldest, resend everything outstanding when it fires (go-back-N; with window 1 and
// sequence numbers modulo 2 this is the alternating-bit stop-and-wait protocol).
// Receiver: accept only the next expected segment, acknowledge cumulatively, discard the
// rest. Connection setup is a SYN / SYN-ACK exchange; teardown sends FIN in the sequence
// space, with states named as RFC 9293 names TCP's (FIN-WAIT-1, CLOSE-WAIT, TIME-WAIT...).

import { EventEmitter } from 'eventemitter3';
import {
  SocketError,
  type Ipv4Address,
  type NodeContext,
  type SocketErrorCode,
  type StreamSocket,
  type StreamSocketEvents,
  type TimerHandle,
} from '@netlayers/core';
import { ArqFlag, isSequenced, type ArqSegment } from './wire.ts';

export interface ArqConfig {
  /** Trace protocol name: 'stop-and-wait', 'go-back-n'. */
  readonly name: string;
  readonly protocolNumber: number;
  /** Sequence numbers are taken modulo this (2 for the alternating bit, 2^32 for go-back-N). */
  readonly modulus: number;
  /** Segments in flight at most. */
  readonly window: number;
  /** Retransmission timeout, ns (fixed: no RTT estimation). */
  readonly timeout: number;
  /** Consecutive timeouts before giving up with ETIMEDOUT. */
  readonly maxRetries: number;
  /** Payload bytes per segment; undefined: what the path MTU allows. */
  readonly segmentSize: number | undefined;
  /** write() returns false while more than this many bytes are unacknowledged. */
  readonly highWaterMark: number;
  /** How long TIME-WAIT lingers to re-acknowledge a retransmitted FIN, ns. */
  readonly linger: number;
}

/** What a socket needs from its transport. */
export interface ArqHost {
  readonly node: NodeContext;
  readonly config: ArqConfig;
  transmit(socket: ArqSocket, segment: ArqSegment, retransmission: boolean): void;
  forget(socket: ArqSocket): void;
}

interface Outstanding {
  readonly seq: number;
  readonly payload: Uint8Array;
  readonly fin: boolean;
}

const encoder = new TextEncoder();
const EMPTY = new Uint8Array(0);

export class ArqSocket extends EventEmitter<StreamSocketEvents> implements StreamSocket {
  state = 'CLOSED';
  bytesWritten = 0;
  bytesRead = 0;
  /** Segments sent again after a timeout (for tests and statistics). */
  retransmissions = 0;
  readonly key: string;
  private readonly segmentSize: number;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private outstanding: Outstanding[] = [];
  private outstandingBytes = 0;
  private base = 0;
  private nextSeq = 0;
  private expected = 0;
  private finQueued = false;
  private finSent = false;
  private finAcked = false;
  private finReceived = false;
  private timer: TimerHandle | undefined;
  private lingerTimer: TimerHandle | undefined;
  private retries = 0;
  private needDrain = false;
  private closeEmitted = false;

  constructor(
    private readonly host: ArqHost,
    readonly localAddress: Ipv4Address,
    readonly localPort: number,
    readonly remoteAddress: Ipv4Address,
    readonly remotePort: number,
    /** True for the side that accepted (it answers SYNs with SYN-ACK). */
    readonly passive: boolean,
    segmentSize: number,
  ) {
    super();
    this.key = `${localAddress}:${localPort}-${remoteAddress}:${remotePort}`;
    this.segmentSize = Math.max(1, segmentSize);
  }

  /** Bytes written but not yet acknowledged. */
  get bufferedBytes(): number {
    return this.pendingBytes + this.outstandingBytes;
  }

  write(data: Uint8Array | string): boolean {
    if (this.finQueued || this.state === 'CLOSED' || this.state === 'TIME-WAIT') {
      throw new SocketError('EPIPE', `write after end on ${this.host.config.name} connection ${this.key}`);
    }
    const bytes = typeof data === 'string' ? encoder.encode(data) : data.slice();
    if (bytes.length > 0) {
      this.pending.push(bytes);
      this.pendingBytes += bytes.length;
      this.bytesWritten += bytes.length;
    }
    this.fill();
    const ok = this.bufferedBytes < this.host.config.highWaterMark;
    if (!ok) this.needDrain = true;
    return ok;
  }

  end(data?: Uint8Array | string): void {
    if (data !== undefined && !this.finQueued) this.write(data);
    if (this.finQueued || this.state === 'CLOSED' || this.state === 'TIME-WAIT') return;
    this.finQueued = true;
    if (this.state === 'ESTABLISHED') this.setState('FIN-WAIT-1', 'end()');
    else if (this.state === 'CLOSE-WAIT') this.setState('LAST-ACK', 'end()');
    this.fill();
  }

  destroy(error?: SocketError): void {
    if (this.state === 'CLOSED') return;
    if (this.state !== 'TIME-WAIT') this.host.transmit(this, this.segment(ArqFlag.RST, this.nextSeq, EMPTY), false);
    this.teardown('destroy()');
    if (error !== undefined) this.emit('error', error);
    this.emitClose(error !== undefined);
  }

  setNoDelay(_noDelay?: boolean): void {
    // Every write is sent as soon as the window allows: there is no coalescing to disable.
  }

  setKeepAlive(_enable: boolean, _initialDelay?: number): void {
    // No keepalive probes in these protocols.
  }

  /** @internal active open: send SYN and wait for SYN-ACK. */
  openActive(): void {
    this.setState('SYN-SENT', 'connect()');
    this.host.transmit(this, this.segment(ArqFlag.SYN, 0, EMPTY, false), false);
    this.startTimer();
  }

  /** @internal passive open: a SYN arrived for a listener; answer SYN-ACK. */
  openPassive(): void {
    this.setState('ESTABLISHED', 'rcv SYN');
    this.host.transmit(this, this.segment(ArqFlag.SYN | ArqFlag.ACK, 0, EMPTY), false);
  }

  /** @internal the connection could not be set up (no route, ICMP unreachable). */
  fail(code: SocketErrorCode, message: string): void {
    if (this.state === 'CLOSED') return;
    this.teardown(code);
    this.emit('error', new SocketError(code, message));
    this.emitClose(true);
  }

  /** @internal a segment for this connection, already parsed and checked. */
  receive(segment: ArqSegment): void {
    const flags = segment.flags;
    if (flags & ArqFlag.RST) {
      if (this.state === 'SYN-SENT') this.fail('ECONNREFUSED', `${this.remoteAddress}:${this.remotePort} refused the connection`);
      else if (this.state !== 'TIME-WAIT') this.fail('ECONNRESET', `connection ${this.key} reset by peer`);
      return;
    }
    if (flags & ArqFlag.SYN) {
      if (this.state === 'SYN-SENT' && flags & ArqFlag.ACK) this.establish('rcv SYN,ACK');
      else if (this.passive && !(flags & ArqFlag.ACK) && this.state !== 'TIME-WAIT') {
        // Our SYN-ACK was lost: the peer asks again.
        this.host.transmit(this, this.segment(ArqFlag.SYN | ArqFlag.ACK, 0, EMPTY), true);
      }
      return;
    }
    if (this.state === 'SYN-SENT') {
      // The SYN-ACK was lost, but the peer is already sending: it accepted us.
      if (!(flags & ArqFlag.ACK)) return;
      this.establish('rcv ACK');
    }
    if (flags & ArqFlag.ACK) this.acknowledge(segment.ack);
    if (!isSequenced(segment) || this.state === 'CLOSED') return;
    if (segment.seq === this.expected && !this.finReceived) {
      this.expected = (this.expected + 1) % this.host.config.modulus;
      if (segment.payload.length > 0) {
        this.bytesRead += segment.payload.length;
        this.emit('data', segment.payload.slice());
      }
      if (flags & ArqFlag.FIN) this.peerFinished();
    }
    // Cumulative acknowledgment, also for duplicates and out-of-order segments (go-back-N).
    if (this.state !== 'CLOSED') this.host.transmit(this, this.segment(ArqFlag.ACK, this.nextSeq, EMPTY), false);
  }

  private establish(cause: string): void {
    this.cancelTimer();
    this.retries = 0;
    this.setState('ESTABLISHED', cause);
    // An end() queued while connecting takes effect now, after the queued data.
    if (this.finQueued) this.setState('FIN-WAIT-1', 'end() queued');
    this.emit('connect');
    this.fill();
  }

  /** Send new segments while the window has room. */
  private fill(): void {
    if (this.state === 'SYN-SENT' || this.state === 'CLOSED' || this.state === 'TIME-WAIT') return;
    const config = this.host.config;
    while (this.outstanding.length < config.window) {
      let entry: Outstanding;
      if (this.pendingBytes > 0) {
        entry = { seq: this.nextSeq, payload: this.takePending(), fin: false };
      } else if (this.finQueued && !this.finSent) {
        entry = { seq: this.nextSeq, payload: EMPTY, fin: true };
        this.finSent = true;
      } else {
        break;
      }
      this.outstanding.push(entry);
      this.outstandingBytes += entry.payload.length;
      this.nextSeq = (this.nextSeq + 1) % config.modulus;
      this.host.transmit(this, this.segment(entry.fin ? ArqFlag.FIN | ArqFlag.ACK : ArqFlag.ACK, entry.seq, entry.payload), false);
    }
    if (this.outstanding.length > 0 && this.timer === undefined) this.startTimer();
  }

  private takePending(): Uint8Array {
    const size = Math.min(this.segmentSize, this.pendingBytes);
    const out = new Uint8Array(size);
    let filled = 0;
    while (filled < size) {
      const head = this.pending[0]!;
      const take = Math.min(head.length, size - filled);
      out.set(head.subarray(0, take), filled);
      filled += take;
      if (take === head.length) this.pending.shift();
      else this.pending[0] = head.subarray(take);
    }
    this.pendingBytes -= size;
    return out;
  }

  /** A cumulative ACK: everything before `ack` arrived. */
  private acknowledge(ack: number): void {
    const modulus = this.host.config.modulus;
    const count = (((ack - this.base) % modulus) + modulus) % modulus;
    if (count === 0 || count > this.outstanding.length) return; // duplicate or stale
    const done = this.outstanding.splice(0, count);
    for (const entry of done) {
      this.outstandingBytes -= entry.payload.length;
      if (entry.fin) this.finAcked = true;
    }
    this.base = ack;
    this.retries = 0;
    this.cancelTimer();
    if (this.outstanding.length > 0) this.startTimer();
    if (this.finAcked && done.some((e) => e.fin)) this.ourFinAcknowledged();
    this.fill();
    if (this.needDrain && this.bufferedBytes < this.host.config.highWaterMark && this.state !== 'CLOSED') {
      this.needDrain = false;
      this.emit('drain');
    }
  }

  private ourFinAcknowledged(): void {
    if (this.state === 'FIN-WAIT-1') this.setState('FIN-WAIT-2', 'rcv ACK of FIN');
    else if (this.state === 'CLOSING') this.enterTimeWait('rcv ACK of FIN');
    else if (this.state === 'LAST-ACK') {
      this.teardown('rcv ACK of FIN');
      this.emitClose(false);
    }
  }

  private peerFinished(): void {
    this.finReceived = true;
    const ourFinDone = this.state === 'FIN-WAIT-2';
    if (this.state === 'ESTABLISHED') this.setState('CLOSE-WAIT', 'rcv FIN');
    else if (this.state === 'FIN-WAIT-1') this.setState('CLOSING', 'rcv FIN');
    this.emit('end');
    if (ourFinDone && this.state === 'FIN-WAIT-2') this.enterTimeWait('rcv FIN');
  }

  private enterTimeWait(cause: string): void {
    this.cancelTimer();
    this.setState('TIME-WAIT', cause);
    this.emitClose(false);
    this.lingerTimer = this.host.node.scheduler.schedule(this.host.config.linger, () => {
      this.lingerTimer = undefined;
      this.teardown('TIME-WAIT timeout');
    });
  }

  private startTimer(): void {
    const tracer = this.host.node.tracer;
    const timeout = this.host.config.timeout;
    this.timer = this.host.node.scheduler.schedule(timeout, () => this.onTimeout());
    if (tracer.active) tracer.emit({ kind: 'timer', role: 'transport', protocol: this.host.config.name, action: 'set', timer: 'retransmission', entity: this.key, duration: timeout });
  }

  private cancelTimer(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  private onTimeout(): void {
    this.timer = undefined;
    const tracer = this.host.node.tracer;
    if (tracer.active) tracer.emit({ kind: 'timer', role: 'transport', protocol: this.host.config.name, action: 'fired', timer: 'retransmission', entity: this.key });
    if (++this.retries > this.host.config.maxRetries) {
      this.fail('ETIMEDOUT', `no answer from ${this.remoteAddress}:${this.remotePort} after ${this.host.config.maxRetries} retransmissions`);
      return;
    }
    if (this.state === 'SYN-SENT') {
      this.host.transmit(this, this.segment(ArqFlag.SYN, 0, EMPTY, false), true);
    } else {
      // Go back N: everything outstanding goes again, oldest first.
      for (const entry of this.outstanding) {
        this.retransmissions++;
        this.host.transmit(this, this.segment(entry.fin ? ArqFlag.FIN | ArqFlag.ACK : ArqFlag.ACK, entry.seq, entry.payload), true);
      }
    }
    this.startTimer();
  }

  private segment(flags: number, seq: number, payload: Uint8Array, withAck = true): ArqSegment {
    return {
      sourcePort: this.localPort,
      destinationPort: this.remotePort,
      seq,
      ack: withAck ? this.expected : 0,
      flags,
      payload,
    };
  }

  private teardown(cause: string): void {
    this.cancelTimer();
    this.lingerTimer?.cancel();
    this.lingerTimer = undefined;
    this.pending = [];
    this.pendingBytes = 0;
    this.outstanding = [];
    this.outstandingBytes = 0;
    this.setState('CLOSED', cause);
    this.host.forget(this);
  }

  private emitClose(hadError: boolean): void {
    if (this.closeEmitted) return;
    this.closeEmitted = true;
    this.emit('close', hadError);
  }

  private setState(to: string, cause: string): void {
    const from = this.state;
    if (from === to) return;
    this.state = to;
    const tracer = this.host.node.tracer;
    if (tracer.active) tracer.emit({ kind: 'state', role: 'transport', protocol: this.host.config.name, entity: this.key, from, to, cause });
    this.emit('state', from, to);
  }
}
