// The Transmission Control Block (RFC 9293 §3.3.1): the state of one connection. The send
// and receive sequence variables keep the RFC's names (SND.UNA -> sndUna ...); SND.MAX (the
// highest sequence number sent) is added as BSD and Linux do, so SND.NXT can go back after a
// retransmission timeout. Logic lives elsewhere (input, output, ack, timers); this file only
// holds state and the interfaces a connection uses to reach its layer and its socket.

import type { Ipv4Address, NodeContext, Packet, SocketError } from '@netlayers/core';
import type { CongestionControl } from './congestion/types.ts';
import type { TcpConfig } from './config.ts';
import { RtoEstimator, type RtoBounds } from './rto.ts';
import { SendBuffer } from './send-buffer.ts';
import { ReceiveBuffer } from './receive-buffer.ts';
import { SackScoreboard } from './scoreboard.ts';
import { RecoveryState } from './recovery/state.ts';
import { seqAdd, seqGt } from './seq.ts';

/** The connection states, spelled as RFC 9293 §3.3.2 spells them. */
export type TcpState =
  | 'CLOSED'
  | 'LISTEN'
  | 'SYN-SENT'
  | 'SYN-RECEIVED'
  | 'ESTABLISHED'
  | 'FIN-WAIT-1'
  | 'FIN-WAIT-2'
  | 'CLOSE-WAIT'
  | 'CLOSING'
  | 'LAST-ACK'
  | 'TIME-WAIT';

/** The timers of one connection, named as traces name them. */
export type TcpTimerName = 'RTO' | 'TIME-WAIT' | 'delayed-ACK' | 'persist' | 'keepalive' | 'connect' | 'FIN-WAIT-2' | 'TLP' | 'RACK-reorder';

/** Per-connection counters, for inspection and tests. */
export interface TcpConnectionStats {
  segmentsSent: number;
  segmentsReceived: number;
  bytesSent: number;
  bytesReceived: number;
  /** Segments sent again (any cause). */
  retransmissions: number;
  /** Retransmissions triggered by duplicate ACKs or SACK (RFC 5681 §3.2, RFC 6675). */
  fastRetransmits: number;
  /** Retransmission timer expiries (RFC 6298 §5.4). */
  timeouts: number;
  /** Zero-window probes sent (RFC 9293 §3.8.6.1). */
  windowProbes: number;
  /** Challenge ACKs sent (RFC 5961). */
  challengeAcks: number;
  /** Duplicate ACKs received. */
  duplicateAcks: number;
  /** RFC 8985 §7 tail loss probes sent. */
  tailLossProbes: number;
  /** Segments RACK (RFC 8985 §6) marked lost. */
  rackLosses: number;
  /** D-SACK blocks received (RFC 2883). */
  dsacksReceived: number;
  /** Window reductions undone as spurious (RFC 3708 with D-SACK, RFC 3522/4015 Eifel). */
  spuriousUndos: number;
  /** Segments that failed the acceptability test (RFC 9293 §3.10.7.4). */
  unacceptableSegments: number;
}

/** One RTO bounds object per layer configuration, shared by its connections. */
const rtoBoundsByConfig = new WeakMap<TcpConfig, RtoBounds>();

/** What a connection needs from its layer. */
export interface TcbHost {
  readonly node: NodeContext;
  readonly config: TcpConfig;
  /** Send a segment (already a packet with the TCP header) to the peer. */
  send(tcb: Tcb, packet: Packet): void;
  /** A timer of `tcb` expired (the layer dispatches to the expiry handlers). */
  timerExpired(tcb: Tcb, timer: TcpTimerName): void;
  /** The connection reached CLOSED: forget it. */
  release(tcb: Tcb): void;
  /** A passive connection reached ESTABLISHED: hand it to the listener. */
  accepted(tcb: Tcb): void;
  /** Send <SEQ=seq><CTL=RST> (or <SEQ=seq><ACK=ack><CTL=RST,ACK> when `withAck`) on this connection's 4-tuple. */
  sendReset(tcb: Tcb, seq: number, ack: number, withAck: boolean): void;
  /** RFC 5961 §7: may another challenge ACK be sent now? */
  allowChallengeAck(): boolean;
}

/** What a connection tells its socket (all optional: a TCB may have no socket yet). */
export interface TcbEvents {
  onConnect(): void;
  onData(chunk: Uint8Array): void;
  onEnd(): void;
  onDrain(): void;
  onError(error: SocketError): void;
  onClose(hadError: boolean): void;
  onState(from: TcpState, to: TcpState): void;
  /** The peer's urgent data ends at this stream offset. */
  onUrgent(end: number): void;
}

/** The listener a passive connection came from, as far as the TCB cares. */
export interface TcbListener {
  halfOpen: number;
  /** The accept queue is at the backlog: a completing handshake must wait (its ACK is dropped). */
  readonly acceptQueueFull: boolean;
}

/**
 * Compact layout, for a million idle connections in a few GiB: the boolean flags share one
 * integer (`bits`, behind accessors of the same names), and 32-bit sequence numbers are kept
 * as signed 32-bit integers (read back unsigned), so V8 stores them inline as small integers
 * instead of a heap-allocated number per field per connection. Buffers, the SACK scoreboard
 * and loss-recovery state are allocated when first needed.
 */
export class Tcb {
  /** The boolean flags below, one bit each. */
  private bits = 0;
  state: TcpState = 'CLOSED';
  private keyText: string | null = null;
  private peerKeyText: string | null = null;
  user: TcbEvents | null = null;
  /** The layer's connection table: the next TCB with the same 4-tuple hash, and creation order. */
  hashNext: Tcb | null = null;
  listPrev: Tcb | null = null;
  listNext: Tcb | null = null;
  /** Set for connections created by a SYN to a listener (passive OPEN). */
  listener: TcbListener | null = null;

  // Send sequence variables (RFC 9293 §3.3.1).
  private iss32 = 0;
  get iss(): number {
    return this.iss32 >>> 0;
  }
  set iss(value: number) {
    this.iss32 = value | 0;
    this.sndSml32 = value | 0;
  }
  private sndUna32 = 0;
  get sndUna(): number {
    return this.sndUna32 >>> 0;
  }
  set sndUna(value: number) {
    this.sndUna32 = value | 0;
  }
  private sndNxt32 = 0;
  get sndNxt(): number {
    return this.sndNxt32 >>> 0;
  }
  set sndNxt(value: number) {
    this.sndNxt32 = value | 0;
  }
  /** Highest sequence number sent plus one (SND.MAX). */
  private sndMax32 = 0;
  get sndMax(): number {
    return this.sndMax32 >>> 0;
  }
  set sndMax(value: number) {
    this.sndMax32 = value | 0;
  }
  /** End of the last segment sent shorter than the MSS (Linux's snd_sml; Minshall's Nagle). */
  private sndSml32 = 0;
  get sndSml(): number {
    return this.sndSml32 >>> 0;
  }
  set sndSml(value: number) {
    this.sndSml32 = value | 0;
  }
  /** Send window in bytes (scaled). */
  sndWnd = 0;
  private sndWl132 = 0;
  get sndWl1(): number {
    return this.sndWl132 >>> 0;
  }
  set sndWl1(value: number) {
    this.sndWl132 = value | 0;
  }
  private sndWl232 = 0;
  get sndWl2(): number {
    return this.sndWl232 >>> 0;
  }
  set sndWl2(value: number) {
    this.sndWl232 = value | 0;
  }
  /** Largest window the peer has offered (for SWS avoidance and RFC 5961 §5). */
  maxSndWnd = 0;
  sndWndScale = 0;

  // Receive sequence variables.
  private irs32 = 0;
  get irs(): number {
    return this.irs32 >>> 0;
  }
  set irs(value: number) {
    this.irs32 = value | 0;
  }
  private rcvNxt32 = 0;
  get rcvNxt(): number {
    return this.rcvNxt32 >>> 0;
  }
  set rcvNxt(value: number) {
    this.rcvNxt32 = value | 0;
  }
  /** Right edge of the window last advertised (RCV.NXT + RCV.WND as sent). */
  private rcvAdv32 = 0;
  get rcvAdv(): number {
    return this.rcvAdv32 >>> 0;
  }
  set rcvAdv(value: number) {
    this.rcvAdv32 = value | 0;
  }
  rcvWndScale = 0;
  readonly receiveBufferSize: number;

  // Negotiated options.
  /** The MSS we announce (MTU towards the peer minus 40). */
  ourMss = 536;
  /** The peer's MSS (RFC 9293 §3.7.1: 536 if it sent none). */
  peerMss = 536;
  get wsOk(): boolean {
    return (this.bits & 1) !== 0;
  }
  set wsOk(on: boolean) {
    this.bits = on ? this.bits | 1 : this.bits & ~1;
  }
  get tsOk(): boolean {
    return (this.bits & 2) !== 0;
  }
  set tsOk(on: boolean) {
    this.bits = on ? this.bits | 2 : this.bits & ~2;
  }
  get sackOk(): boolean {
    return (this.bits & 4) !== 0;
  }
  set sackOk(on: boolean) {
    this.bits = on ? this.bits | 4 : this.bits & ~4;
  }
  /** TS.Recent (RFC 7323 §4.3). */
  private tsRecent32 = 0;
  get tsRecent(): number {
    return this.tsRecent32 >>> 0;
  }
  set tsRecent(value: number) {
    this.tsRecent32 = value | 0;
  }
  /** Our TSval clock offset (RFC 7323 §5.4): the layer's, per address pair. */
  private tsOffset32 = 0;
  get tsOffset(): number {
    return this.tsOffset32 >>> 0;
  }
  set tsOffset(value: number) {
    this.tsOffset32 = value | 0;
  }
  /** RCV.NXT carried by the last ACK we sent (Last.ACK.sent, RFC 7323 §4.3); -1 before any. */
  lastAckSent = -1;
  /** An ACK must answer the segment being processed (e.g. a zero-window probe). */
  get ackOwed(): boolean {
    return (this.bits & 8) !== 0;
  }
  set ackOwed(on: boolean) {
    this.bits = on ? this.bits | 8 : this.bits & ~8;
  }
  /** When our first SYN left (for the handshake RTT sample), -1 if not yet. */
  synSentTime = -1;

  // Buffers.
  /** The send buffer, allocated on first need (sendBufferOrNull reads without allocating). */
  sendBufferOrNull: SendBuffer | null = null;
  get sendBuffer(): SendBuffer {
    return (this.sendBufferOrNull ??= new SendBuffer());
  }
  /** Bytes in the send buffer (0 when it was never allocated). */
  get sendBuffered(): number {
    return this.sendBufferOrNull === null ? 0 : this.sendBufferOrNull.length;
  }
  readonly sendBufferLimit: number;
  /** The receive buffer, allocated on first need (receiveOrNull reads without allocating). */
  receiveOrNull: ReceiveBuffer | null = null;
  get receive(): ReceiveBuffer {
    return (this.receiveOrNull ??= new ReceiveBuffer());
  }
  /** The user called end()/close(): a FIN follows the queued data. */
  get finQueued(): boolean {
    return (this.bits & 16) !== 0;
  }
  set finQueued(on: boolean) {
    this.bits = on ? this.bits | 16 : this.bits & ~16;
  }
  /** The peer's FIN has been received (RCV.NXT counts it). */
  get finReceived(): boolean {
    return (this.bits & 32) !== 0;
  }
  set finReceived(on: boolean) {
    this.bits = on ? this.bits | 32 : this.bits & ~32;
  }
  /** ESTABLISHED was reached by an active open: 'connect' is owed. */
  get connectPending(): boolean {
    return (this.bits & 64) !== 0;
  }
  set connectPending(on: boolean) {
    this.bits = on ? this.bits | 64 : this.bits & ~64;
  }
  /** 'end' was delivered to the user. */
  get endDelivered(): boolean {
    return (this.bits & 128) !== 0;
  }
  set endDelivered(on: boolean) {
    this.bits = on ? this.bits | 128 : this.bits & ~128;
  }
  /** write() returned false; 'drain' is owed. */
  get needDrain(): boolean {
    return (this.bits & 256) !== 0;
  }
  set needDrain(on: boolean) {
    this.bits = on ? this.bits | 256 : this.bits & ~256;
  }
  get paused(): boolean {
    return (this.bits & 512) !== 0;
  }
  set paused(on: boolean) {
    this.bits = on ? this.bits | 512 : this.bits & ~512;
  }

  // Retransmission (RFC 6298).
  readonly rto: RtoEstimator;
  /** Consecutive expiries of the retransmission timer. */
  retries = 0;
  /** Round-trip timing without timestamps: the timed sequence number and when it was sent (-1: none). */
  private rttSeq32 = 0;
  get rttSeq(): number {
    return this.rttSeq32 >>> 0;
  }
  set rttSeq(value: number) {
    this.rttSeq32 = value | 0;
  }
  rttTime = -1;

  // Congestion control and loss recovery (RFC 5681, RFC 6582, RFC 6675).
  readonly cc: CongestionControl;
  dupAcks = 0;
  /** RFC 3042 limited transmit: bytes allowed beyond cwnd on the first two duplicate ACKs. */
  limitedTransmit = 0;
  get inRecovery(): boolean {
    return (this.bits & 1024) !== 0;
  }
  set inRecovery(on: boolean) {
    this.bits = on ? this.bits | 1024 : this.bits & ~1024;
  }
  /** RFC 6582 "recover" (meaningful once recoverValid). */
  private recover32 = 0;
  get recover(): number {
    return this.recover32 >>> 0;
  }
  set recover(value: number) {
    this.recover32 = value | 0;
  }
  get recoverValid(): boolean {
    return (this.bits & 2048) !== 0;
  }
  set recoverValid(on: boolean) {
    this.bits = on ? this.bits | 2048 : this.bits & ~2048;
  }
  /** RFC 6675 HighRxt: the highest sequence number retransmitted in this recovery. */
  private highRxt32 = 0;
  get highRxt(): number {
    return this.highRxt32 >>> 0;
  }
  set highRxt(value: number) {
    this.highRxt32 = value | 0;
  }
  /** The SACK scoreboard, allocated on first need (scoreboardOrNull reads without allocating). */
  scoreboardOrNull: SackScoreboard | null = null;
  /** RACK-TLP, PRR, D-SACK and undo state (recovery/), allocated on first need. */
  recoveryOrNull: RecoveryState | null = null;

  get scoreboard(): SackScoreboard {
    return (this.scoreboardOrNull ??= new SackScoreboard());
  }

  get recovery(): RecoveryState {
    return (this.recoveryOrNull ??= new RecoveryState());
  }

  // Timers (created on first use; see timers.ts).
  timers: Partial<Record<TcpTimerName, { readonly running: boolean }>> | null = null;
  /** Bytes received in order since our last ACK (RFC 1122 §4.2.3.2: ACK every 2 full segments). */
  unackedBytes = 0;
  persistBackoff = 0;
  get keepAlive(): boolean {
    return (this.bits & 4096) !== 0;
  }
  set keepAlive(on: boolean) {
    this.bits = on ? this.bits | 4096 : this.bits & ~4096;
  }
  /** Idle time before keepalive probes: set by setKeepAlive, else the layer's (a number held once, not per connection). */
  get keepAliveIdle(): number {
    return this.keepAliveIdleSet ?? this.host.config.keepAliveIdle;
  }
  set keepAliveIdle(ns: number) {
    this.keepAliveIdleSet = ns;
  }
  private keepAliveIdleSet: number | null = null;
  keepAliveProbes = 0;
  /** When a segment last arrived (keepalive idle time counts from it). */
  lastReceiveTime = 0;

  get noDelay(): boolean {
    return (this.bits & 131072) !== 0;
  }
  set noDelay(on: boolean) {
    this.bits = on ? this.bits | 131072 : this.bits & ~131072;
  }
  /** A soft ICMP error seen on this connection, reported if it then times out (RFC 1122 §4.2.3.9). */
  softError: SocketError | null = null;
  /** The user-visible end was reported ('close' emitted). */
  get closeReported(): boolean {
    return (this.bits & 8192) !== 0;
  }
  set closeReported(on: boolean) {
    this.bits = on ? this.bits | 8192 : this.bits & ~8192;
  }

  // Urgent data (RFC 9293 §3.8.5, RFC 6093; urgent.ts): SND.UP and RCV.UP point past the urgent data.
  private sndUp32 = 0;
  get sndUp(): number {
    return this.sndUp32 >>> 0;
  }
  set sndUp(value: number) {
    this.sndUp32 = value | 0;
  }
  get urgentMode(): boolean {
    return (this.bits & 16384) !== 0;
  }
  set urgentMode(on: boolean) {
    this.bits = on ? this.bits | 16384 : this.bits & ~16384;
  }
  private rcvUp32 = 0;
  get rcvUp(): number {
    return this.rcvUp32 >>> 0;
  }
  set rcvUp(value: number) {
    this.rcvUp32 = value | 0;
  }
  get rcvUpValid(): boolean {
    return (this.bits & 32768) !== 0;
  }
  set rcvUpValid(on: boolean) {
    this.bits = on ? this.bits | 32768 : this.bits & ~32768;
  }
  /** A new urgent mark arrived; the user hears of it before the next 'data'. */
  get urgentToSignal(): boolean {
    return (this.bits & 65536) !== 0;
  }
  set urgentToSignal(on: boolean) {
    this.bits = on ? this.bits | 65536 : this.bits & ~65536;
  }

  readonly stats: TcpConnectionStats = {
    segmentsSent: 0,
    segmentsReceived: 0,
    bytesSent: 0,
    bytesReceived: 0,
    retransmissions: 0,
    fastRetransmits: 0,
    timeouts: 0,
    windowProbes: 0,
    challengeAcks: 0,
    duplicateAcks: 0,
    tailLossProbes: 0,
    rackLosses: 0,
    dsacksReceived: 0,
    spuriousUndos: 0,
    unacceptableSegments: 0,
  };

  /** Last published metric values (publish on change only); null before the first. */
  lastMetrics: [number, number, number, number, number] | null = null;

  constructor(
    readonly host: TcbHost,
    readonly localAddress: Ipv4Address,
    readonly localPort: number,
    readonly remoteAddress: Ipv4Address,
    readonly remotePort: number,
    cc: CongestionControl,
  ) {
    const config = host.config;
    this.receiveBufferSize = config.receiveBufferSize;
    this.sendBufferLimit = config.sendBufferSize;
    this.noDelay = config.noDelay;
    let bounds = rtoBoundsByConfig.get(config);
    if (bounds === undefined) {
      bounds = { initial: config.rtoInitial, min: config.rtoMin, max: config.rtoMax, granularity: config.clockGranularity, formula: config.rtoFormula };
      rtoBoundsByConfig.set(config, bounds);
    }
    this.rto = new RtoEstimator(bounds);
    this.cc = cc;
  }

  /** "10.0.0.1:49152-10.0.0.2:80" from this side's view (built on first use). */
  get key(): string {
    return (this.keyText ??= `${this.localAddress}:${this.localPort}-${this.remoteAddress}:${this.remotePort}`);
  }

  /** The same connection from the peer's view (for received PDUs). */
  get peerKey(): string {
    return (this.peerKeyText ??= `${this.remoteAddress}:${this.remotePort}-${this.localAddress}:${this.localPort}`);
  }

  /** Sequence number of the first byte in the send buffer. */
  get bufferSeq(): number {
    return seqGt(this.sndUna, this.iss) ? this.sndUna : seqAdd(this.iss, 1);
  }

  /** Sequence number our FIN occupies (meaningful once finQueued). */
  get finSeq(): number {
    return seqAdd(this.bufferSeq, this.sendBuffered);
  }

  /** Our FIN has been sent and acknowledged. */
  get finAcked(): boolean {
    return this.finSeqSent >= 0 && seqGt(this.sndUna, this.finSeqSent);
  }

  /** Sequence number of our FIN once sent (-1 before). */
  finSeqSent = -1;

  /** The receive window still open as last advertised (RCV.WND). */
  get rcvWnd(): number {
    const w = (this.rcvAdv - this.rcvNxt) | 0;
    return w > 0 ? w : 0;
  }

  /** The receive buffer space not used by unread data. */
  get receiveSpace(): number {
    const receive = this.receiveOrNull;
    return receive === null ? this.receiveBufferSize : Math.max(0, this.receiveBufferSize - receive.readyBytes);
  }

  /** Effective send MSS: payload bytes per full segment (the peer's MSS, minus the timestamps option). */
  get smss(): number {
    return Math.max(1, Math.min(this.peerMss, this.ourMss) - (this.tsOk ? 12 : 0));
  }

  /** Virtual time now. */
  get now(): number {
    return this.host.node.scheduler.now();
  }

  /** True in the states where the connection is synchronized (RFC 9293 §3.5). */
  get synchronized(): boolean {
    const s = this.state;
    return s !== 'CLOSED' && s !== 'LISTEN' && s !== 'SYN-SENT' && s !== 'SYN-RECEIVED';
  }
}
