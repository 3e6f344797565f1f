// The Transmission Control Block (RFC 9293 §3.3.1): the state of one connection. The send
// and receive sequence variables keep the RFC's names (SND.UNA -> sndUna ...); SND.MAX (the
// highest sequence number sent) is added as BSD and Linux do, so SND.NXT can go back after a
// retransmission timeout. Logic lives elsewhere (input, output, ack, timers); this file only
// holds state and the interfaces a connection uses to reach its layer and its socket.

import type { Ipv4Address, NodeContext, Packet, SocketError } from '@netlayers/core';
import type { CongestionControl } from './congestion/types.ts';
import type { TcpConfig } from './config.ts';
import { RtoEstimator } from './rto.ts';
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

export class Tcb {
  state: TcpState = 'CLOSED';
  private keyText: string | null = null;
  private peerKeyText: string | null = null;
  user: TcbEvents | null = null;
  /** Set for connections created by a SYN to a listener (passive OPEN). */
  listener: TcbListener | null = null;

  // Send sequence variables (RFC 9293 §3.3.1).
  iss = 0;
  sndUna = 0;
  sndNxt = 0;
  /** Highest sequence number sent plus one (SND.MAX). */
  sndMax = 0;
  /** Send window in bytes (scaled). */
  sndWnd = 0;
  sndWl1 = 0;
  sndWl2 = 0;
  /** Largest window the peer has offered (for SWS avoidance and RFC 5961 §5). */
  maxSndWnd = 0;
  sndWndScale = 0;

  // Receive sequence variables.
  irs = 0;
  rcvNxt = 0;
  /** Right edge of the window last advertised (RCV.NXT + RCV.WND as sent). */
  rcvAdv = 0;
  rcvWndScale = 0;
  readonly receiveBufferSize: number;

  // Negotiated options.
  /** The MSS we announce (MTU towards the peer minus 40). */
  ourMss = 536;
  /** The peer's MSS (RFC 9293 §3.7.1: 536 if it sent none). */
  peerMss = 536;
  wsOk = false;
  tsOk = false;
  sackOk = false;
  /** TS.Recent (RFC 7323 §4.3). */
  tsRecent = 0;
  /** Our TSval clock offset (RFC 7323 §5.4 recommends a random one per connection). */
  tsOffset = 0;
  /** RCV.NXT carried by the last ACK we sent (Last.ACK.sent, RFC 7323 §4.3); -1 before any. */
  lastAckSent = -1;
  /** An ACK must answer the segment being processed (e.g. a zero-window probe). */
  ackOwed = false;
  /** When our first SYN left (for the handshake RTT sample), -1 if not yet. */
  synSentTime = -1;

  // Buffers.
  readonly sendBuffer = new SendBuffer();
  readonly sendBufferLimit: number;
  readonly receive = new ReceiveBuffer();
  /** The user called end()/close(): a FIN follows the queued data. */
  finQueued = false;
  /** The peer's FIN has been received (RCV.NXT counts it). */
  finReceived = false;
  /** ESTABLISHED was reached by an active open: 'connect' is owed. */
  connectPending = false;
  /** 'end' was delivered to the user. */
  endDelivered = false;
  /** write() returned false; 'drain' is owed. */
  needDrain = false;
  paused = false;

  // Retransmission (RFC 6298).
  readonly rto: RtoEstimator;
  /** Consecutive expiries of the retransmission timer. */
  retries = 0;
  /** Round-trip timing without timestamps: the timed sequence number and when it was sent (-1: none). */
  rttSeq = 0;
  rttTime = -1;

  // Congestion control and loss recovery (RFC 5681, RFC 6582, RFC 6675).
  readonly cc: CongestionControl;
  dupAcks = 0;
  /** RFC 3042 limited transmit: bytes allowed beyond cwnd on the first two duplicate ACKs. */
  limitedTransmit = 0;
  inRecovery = false;
  /** RFC 6582 "recover" (meaningful once recoverValid). */
  recover = 0;
  recoverValid = false;
  /** RFC 6675 HighRxt: the highest sequence number retransmitted in this recovery. */
  highRxt = 0;
  readonly scoreboard = new SackScoreboard();
  /** RACK-TLP, PRR, D-SACK and undo (recovery/). */
  readonly recovery = new RecoveryState();

  // Timers (created on first use; see timers.ts).
  timers: Partial<Record<TcpTimerName, { readonly running: boolean }>> | null = null;
  /** Bytes received in order since our last ACK (RFC 1122 §4.2.3.2: ACK every 2 full segments). */
  unackedBytes = 0;
  persistBackoff = 0;
  keepAlive = false;
  keepAliveIdle: number;
  keepAliveProbes = 0;
  /** When a segment last arrived (keepalive idle time counts from it). */
  lastReceiveTime = 0;

  noDelay: boolean;
  /** A soft ICMP error seen on this connection, reported if it then times out (RFC 1122 §4.2.3.9). */
  softError: SocketError | null = null;
  /** The user-visible end was reported ('close' emitted). */
  closeReported = false;

  // Urgent data (RFC 9293 §3.8.5, RFC 6093; urgent.ts): SND.UP and RCV.UP point past the urgent data.
  sndUp = 0;
  urgentMode = false;
  rcvUp = 0;
  rcvUpValid = false;
  /** A new urgent mark arrived; the user hears of it before the next 'data'. */
  urgentToSignal = false;

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

  /** Last published metric values (publish on change only). */
  lastMetrics: [number, number, number, number, number] = [-1, -1, -1, -1, -1];

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
    this.keepAliveIdle = config.keepAliveIdle;
    this.rto = new RtoEstimator({ initial: config.rtoInitial, min: config.rtoMin, max: config.rtoMax, granularity: config.clockGranularity, formula: config.rtoFormula });
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
    return seqAdd(this.bufferSeq, this.sendBuffer.length);
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
    return Math.max(0, this.receiveBufferSize - this.receive.readyBytes);
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
