// TcpLayer: TCP over the IpService contract, providing the StreamTransport contract.
// Demultiplexing by 4-tuple, then listener (RFC 9293 §3.10.7.1-2: segments for no
// connection get a RST with the sequence numbers §3.10.7.1 gives), ephemeral ports
// chosen deterministically from a seeded stream (RFC 6056 §3.3.1), ISNs per RFC 6528,
// ICMP errors per RFC 1122 §4.2.3.9 (with RFC 5927 §4.1's sequence check), and the
// layer-wide RFC 5961 §7 challenge-ACK limit. Our TSval clock offset is one per address
// pair (RFC 7323 §5.4 and Appendix, as Linux's secure_tcp_ts_off), a keyed hash from the
// seeded stream: successive connections between two hosts see one clock, so a SYN reusing
// the 4-tuple of a connection in TIME-WAIT carries a newer TSval (RFC 6191 §2).

import {
  assertIntegerInRange,
  assertPort,
  DropReason,
  IpProtocol,
  Ipv4Address,
  isWireError,
  NS_PER_MS,
  NS_PER_S,
  Packet,
  SocketError,
  type IcmpErrorReport,
  type IpReceiveInfo,
  type IpService,
  type NodeContext,
  type Random,
  type StreamConnectOptions,
  type StreamListenOptions,
  type StreamTransport,
} from '@netlayers/core';
import { createCongestionControl } from './congestion/index.ts';
import type { CongestionControl } from './congestion/types.ts';
import { resolveTcpConfig, type TcpConfig, type TcpOptions } from './config.ts';
import { timerExpired } from './expiry.ts';
import { acceptCookie, acceptSyn, segmentArrives } from './input.ts';
import { windowScaleFor } from './config.ts';
import { decodeTsOptions, encodeTsOptions, SynCookies } from './syn-cookies.ts';
import type { TcpHeaderOptions } from './options.ts';
import { halfSipHash, IsnGenerator, type ConnectionTuple } from './isn.ts';
import { TcpListener, type ListenerHost } from './listener.ts';
import { readUint32 } from './options.ts';
import { seqAdd, seqInRange } from './seq.ts';
import { closeConnection } from './state.ts';
import { tcpSummary, tcpHeaderInfo } from './summary.ts';
import { TcpSocket } from './socket.ts';
import { Tcb, type TcbHost, type TcpConnectionStats, type TcpState, type TcpTimerName } from './tcb.ts';
import { activeOpen, userAbort } from './user.ts';
import { emitTcpSegment, parseTcpSegment, segmentLength, TcpFlag, type TcpSegment, type TcpSegmentFields } from './wire.ts';

/** A snapshot of one connection, for inspection (`layer.connections()`). */
export interface TcpConnectionInfo {
  readonly key: string;
  readonly state: TcpState;
  readonly localAddress: Ipv4Address;
  readonly localPort: number;
  readonly remoteAddress: Ipv4Address;
  readonly remotePort: number;
  readonly iss: number;
  readonly irs: number;
  readonly sndUna: number;
  readonly sndNxt: number;
  readonly sndWnd: number;
  readonly rcvNxt: number;
  readonly rcvWnd: number;
  readonly mss: number;
  readonly cwnd: number;
  readonly ssthresh: number;
  readonly srtt: number | undefined;
  readonly rto: number;
  readonly sendBuffered: number;
  readonly receiveBuffered: number;
  readonly options: { readonly windowScaling: boolean; readonly timestamps: boolean; readonly sack: boolean };
  readonly stats: Readonly<TcpConnectionStats>;
}

const TCP_HEADROOM = 160;

export class TcpLayer implements StreamTransport, TcbHost, ListenerHost {
  readonly name = 'tcp';
  readonly config: TcpConfig;
  /** Connections by (local address, local port) then (remote address, remote port), as numbers: no string per segment. */
  private readonly table = new ConnectionTable();
  /** One Ipv4Address object per address in use by connections (received packets bring a new one each). */
  private readonly addresses = new AddressInterner();
  /** Listeners by port (one per address on it, usually one): no string per SYN. */
  private readonly listeners = new Map<number, TcpListener[]>();
  private readonly isn: IsnGenerator;
  private readonly portRandom: Random;
  /** The key of the TSval offset per address pair. */
  private readonly tsKey0: number;
  private readonly tsKey1: number;
  /** The hash input of tsOffsetFor, reused. */
  private readonly pairWords = [0, 0];
  private readonly cookies: SynCookies;
  /** The options every built-in congestion controller of this layer gets (shared, never changed). */
  private ccOptions: { readonly initialWindow: TcpConfig['initialWindow'] } | null = null;
  private challengeWindowStart = 0;
  private challengeCount = 0;

  constructor(
    readonly node: NodeContext,
    private readonly ip: IpService,
    options: TcpOptions = {},
  ) {
    this.config = resolveTcpConfig(options);
    this.isn = new IsnGenerator(node.random.fork('tcp:isn'));
    this.portRandom = node.random.fork('tcp:ports');
    const tsRandom = node.random.fork('tcp:ts');
    this.tsKey0 = tsRandom.nextUint32();
    this.tsKey1 = tsRandom.nextUint32();
    this.cookies = new SynCookies(node.random.fork('tcp:syn-cookies'));
    ip.registerProtocol(IpProtocol.TCP, (packet, info) => this.receive(packet, info), (report) => this.icmpError(report));
  }

  // ---- StreamTransport -------------------------------------------------------------

  /** Active OPEN: returns at once (SYN-SENT); 'connect' follows on ESTABLISHED. */
  connect(options: StreamConnectOptions): TcpSocket {
    const remoteAddress = Ipv4Address.from(options.remoteAddress);
    assertPort(options.remotePort, 'remotePort');
    if (options.localPort !== undefined) assertPort(options.localPort, 'localPort', true);
    const localAddress = options.localAddress !== undefined ? Ipv4Address.from(options.localAddress) : this.ip.sourceAddressFor(remoteAddress);
    if (localAddress === null) {
      const tcb = this.newTcb(Ipv4Address.ANY, 0, remoteAddress, options.remotePort, false);
      const socket = new TcpSocket(tcb);
      this.node.scheduler.schedule(0, () => {
        socket.onError(new SocketError('ENETUNREACH', `no route to ${remoteAddress}`));
        socket.onClose(true);
      });
      return socket;
    }
    let localPort = options.localPort ?? 0;
    if (localPort === 0) {
      localPort = this.pickEphemeralPort(localAddress, remoteAddress, options.remotePort);
    } else if (this.table.get(localAddress, localPort, remoteAddress, options.remotePort) !== undefined || this.listenerAt(localAddress, localPort) !== undefined) {
      throw new SocketError('EADDRINUSE', `${localAddress}:${localPort} is already in use towards ${remoteAddress}:${options.remotePort}`);
    }
    const tcb = this.newTcb(localAddress, localPort, remoteAddress, options.remotePort);
    this.table.add(tcb);
    const socket = new TcpSocket(tcb);
    activeOpen(tcb);
    return socket;
  }

  /** Passive OPEN: LISTEN on `port` (of one address, or all). */
  listen(options: StreamListenOptions): TcpListener {
    assertPort(options.port, 'port', true);
    const address = options.address !== undefined ? Ipv4Address.from(options.address) : Ipv4Address.ANY;
    const backlog = options.backlog ?? this.config.backlog;
    assertIntegerInRange('backlog', backlog, 1, 1 << 20);
    let port = options.port;
    if (port === 0) port = this.pickEphemeralPort(address, Ipv4Address.ANY, 0);
    if (this.listenerAt(address, port) !== undefined || (address.isUnspecified && this.anyListenerOnPort(port))) {
      throw new SocketError('EADDRINUSE', `port ${port} on ${address} is already listening`);
    }
    const listener = new TcpListener(this, address, port, backlog);
    const onPort = this.listeners.get(port);
    if (onPort === undefined) this.listeners.set(port, [listener]);
    else onPort.push(listener);
    return listener;
  }

  /** Every connection this layer holds (TIME-WAIT included), as snapshots. */
  connections(): TcpConnectionInfo[] {
    return this.table.all().map(info);
  }

  /** The socket-level view of one connection by key, if it exists. */
  connection(key: string): TcpConnectionInfo | undefined {
    for (const tcb of this.table.all()) if (tcb.key === key) return info(tcb);
    return undefined;
  }

  // ---- TcbHost -----------------------------------------------------------------------

  send(tcb: Tcb, packet: Packet): void {
    this.ip.send(packet, { destination: tcb.remoteAddress, protocol: IpProtocol.TCP, source: tcb.localAddress });
  }

  timerExpired(tcb: Tcb, timer: TcpTimerName): void {
    timerExpired(tcb, timer);
  }

  release(tcb: Tcb): void {
    if (this.table.remove(tcb)) {
      this.addresses.release(tcb.localAddress);
      this.addresses.release(tcb.remoteAddress);
    }
  }

  accepted(tcb: Tcb): void {
    const listener = tcb.listener;
    if (!(listener instanceof TcpListener)) return;
    listener.deliver(new TcpSocket(tcb));
  }

  allowChallengeAck(): boolean {
    const now = this.node.scheduler.now();
    if (now - this.challengeWindowStart >= NS_PER_S) {
      this.challengeWindowStart = now;
      this.challengeCount = 0;
    }
    if (this.challengeCount >= this.config.challengeAckLimit) return false;
    this.challengeCount++;
    return true;
  }

  sendReset(tcb: Tcb, seq: number, ack: number, withAck: boolean): void {
    this.sendRawReset(tcb.localAddress, tcb.localPort, tcb.remoteAddress, tcb.remotePort, seq, ack, withAck);
  }

  // ---- ListenerHost ------------------------------------------------------------------

  unlisten(listener: TcpListener): void {
    const onPort = this.listeners.get(listener.localPort);
    const at = onPort === undefined ? -1 : onPort.indexOf(listener);
    if (at >= 0) {
      onPort!.splice(at, 1);
      if (onPort!.length === 0) this.listeners.delete(listener.localPort);
    }
    for (const tcb of this.table.all()) {
      if (tcb.listener === listener && tcb.state === 'SYN-RECEIVED') userAbort(tcb);
    }
    for (const socket of listener.acceptQueue.splice(0)) userAbort(socket.tcb);
  }

  // ---- Receiving ---------------------------------------------------------------------

  private receive(packet: Packet, info: IpReceiveInfo): void {
    const bytes = packet.bytes;
    const tracer = this.node.tracer;
    if (info.destination.isBroadcast || info.destination.isMulticast) {
      tracer.drop('transport', 'tcp', DropReason.NotForUs, `TCP to ${info.destination} (broadcast/multicast)`, bytes.length);
      return;
    }
    const seg = parseTcpSegment(bytes, info.source, info.destination);
    if (isWireError(seg)) {
      const ports = bytes.length >= 4 ? `${info.source}:${(bytes[0]! << 8) | bytes[1]!}-${info.destination}:${(bytes[2]! << 8) | bytes[3]!}` : undefined;
      tracer.drop('transport', 'tcp', seg.reason, seg.detail, bytes.length, ports === undefined ? {} : { connection: ports });
      return;
    }
    if (tracer.active) {
      tracer.emit({
        kind: 'pdu',
        role: 'transport',
        protocol: 'tcp',
        direction: 'up',
        length: bytes.length,
        headerLength: seg.dataOffset * 4,
        text: tcpSummary(seg, info.source, info.destination),
        connection: `${info.source}:${seg.sourcePort}-${info.destination}:${seg.destinationPort}`,
        retransmission: false,
        header: tcpHeaderInfo(seg, seg.payload.length),
      });
    }
    const tcb = this.table.get(info.destination, seg.destinationPort, info.source, seg.sourcePort);
    if (tcb !== undefined) {
      if (segmentArrives(tcb, seg) === 'done') return;
      closeConnection(tcb, 'rcv SYN (new incarnation)');
    }
    const listener = this.listenerFor(info.destination, seg.destinationPort);
    if (listener !== undefined) this.listenArrives(listener, seg, info);
    else this.closedArrives(seg, info);
  }

  /** §3.10.7.2 LISTEN. */
  private listenArrives(listener: TcpListener, seg: TcpSegment, info: IpReceiveInfo): void {
    const tracer = this.node.tracer;
    if (seg.flags & TcpFlag.RST) {
      tracer.drop('transport', 'tcp', DropReason.BadState, 'LISTEN: RST ignored', seg.payload.length, { connection: tupleKey(info.source, seg.sourcePort, info.destination, seg.destinationPort) });
      return;
    }
    if (seg.flags & TcpFlag.ACK) {
      if (!(seg.flags & TcpFlag.SYN) && this.config.synCookies && this.cookieAck(listener, seg, info)) return;
      tracer.drop('transport', 'tcp', DropReason.BadState, 'LISTEN: ACK answered with RST', seg.payload.length, { connection: tupleKey(info.source, seg.sourcePort, info.destination, seg.destinationPort) });
      this.sendRawReset(info.destination, seg.destinationPort, info.source, seg.sourcePort, seg.ack, 0, false);
      return;
    }
    if (!(seg.flags & TcpFlag.SYN)) {
      tracer.drop('transport', 'tcp', DropReason.BadState, 'LISTEN: neither SYN, ACK nor RST', seg.payload.length, { connection: tupleKey(info.source, seg.sourcePort, info.destination, seg.destinationPort) });
      return;
    }
    if (listener.acceptQueueFull) {
      tracer.drop('transport', 'tcp', DropReason.QueueFull, `LISTEN: accept queue of ${listener.backlog} connections is full`, seg.payload.length, { connection: tupleKey(info.source, seg.sourcePort, info.destination, seg.destinationPort) });
      return;
    }
    if (listener.halfOpen + listener.pending >= listener.backlog) {
      if (this.config.synCookies) {
        this.sendCookie(seg, info);
        return;
      }
      tracer.drop('transport', 'tcp', DropReason.QueueFull, `LISTEN: backlog of ${listener.backlog} half-open connections is full`, seg.payload.length, { connection: tupleKey(info.source, seg.sourcePort, info.destination, seg.destinationPort) });
      return;
    }
    const tcb = this.newTcb(info.destination, seg.destinationPort, info.source, seg.sourcePort);
    tcb.listener = listener;
    // The connection is born of the listening socket: it leaves LISTEN, not CLOSED (§3.10.7.2).
    tcb.state = 'LISTEN';
    listener.halfOpen++;
    this.table.add(tcb);
    tcb.stats.segmentsReceived++;
    acceptSyn(tcb, seg);
  }

  /** §3.10.7.1 CLOSED: a RST for anything but a RST. */
  private closedArrives(seg: TcpSegment, info: IpReceiveInfo): void {
    const connection = `${info.source}:${seg.sourcePort}-${info.destination}:${seg.destinationPort}`;
    this.node.tracer.drop('transport', 'tcp', DropReason.NoSocket, `no socket for port ${seg.destinationPort}`, seg.payload.length, { connection });
    if (seg.flags & TcpFlag.RST) return;
    if (seg.flags & TcpFlag.ACK) this.sendRawReset(info.destination, seg.destinationPort, info.source, seg.sourcePort, seg.ack, 0, false);
    else this.sendRawReset(info.destination, seg.destinationPort, info.source, seg.sourcePort, 0, seqAdd(seg.seq, segmentLength(seg)), true);
  }

  private sendRawReset(local: Ipv4Address, localPort: number, remote: Ipv4Address, remotePort: number, seq: number, ack: number, withAck: boolean): void {
    const fields: TcpSegmentFields = {
      sourcePort: localPort,
      destinationPort: remotePort,
      seq,
      ack: withAck ? ack : 0,
      flags: withAck ? TcpFlag.RST | TcpFlag.ACK : TcpFlag.RST,
      window: 0,
    };
    this.sendRaw(local, remote, fields);
  }

  /** Send a segment that belongs to no connection (a RST, a SYN cookie's SYN,ACK), traced. */
  private sendRaw(local: Ipv4Address, remote: Ipv4Address, fields: TcpSegmentFields): void {
    const localPort = fields.sourcePort;
    const remotePort = fields.destinationPort;
    const packet = Packet.alloc(0, TCP_HEADROOM);
    const headerLength = emitTcpSegment(fields, null, local, remote, packet);
    const tracer = this.node.tracer;
    if (tracer.active) {
      const shown = { ...fields, options: fields.options ?? {}, payload: { length: 0 } };
      tracer.emit({
        kind: 'pdu',
        role: 'transport',
        protocol: 'tcp',
        direction: 'down',
        length: headerLength,
        headerLength,
        text: tcpSummary(shown, local, remote),
        connection: tupleKey(local, localPort, remote, remotePort),
        retransmission: false,
        header: tcpHeaderInfo(shown, 0),
      });
    }
    this.ip.send(packet, { destination: remote, protocol: IpProtocol.TCP, source: local });
  }

  /** RFC 4987 §3.6: the SYN queue is full, answer with a SYN cookie and keep no state. */
  private sendCookie(seg: TcpSegment, info: IpReceiveInfo): void {
    const config = this.config;
    const tuple: ConnectionTuple = { localAddress: info.destination.value, localPort: seg.destinationPort, remoteAddress: info.source.value, remotePort: seg.sourcePort };
    const now = this.node.scheduler.now();
    const iss = this.cookies.make(tuple, seg.seq, seg.options.mss ?? 536, now);
    const ts = config.timestamps ? seg.options.timestamps : undefined;
    const options: { mss: number; windowScale?: number; sackPermitted?: boolean; timestamps?: { value: number; echo: number } } = {
      mss: config.mss ?? Math.max(64, this.ip.mtuTowards(info.source) - 40),
    };
    if (ts !== undefined) {
      // The options ride in our TSval's low bits (syn-cookies.ts); without timestamps they are lost.
      const peerWs = config.windowScaling ? seg.options.windowScale : undefined;
      const sack = config.sack && seg.options.sackPermitted === true;
      if (peerWs !== undefined) options.windowScale = windowScaleFor(config.receiveBufferSize);
      if (sack) options.sackPermitted = true;
      const clock = (Math.floor(now / NS_PER_MS) + this.tsOffsetFor(info.destination, info.source)) >>> 0;
      options.timestamps = { value: encodeTsOptions(clock, peerWs, sack), echo: ts.value };
    }
    this.node.counters.increment('tcp.syn-cookies.sent');
    this.sendRaw(info.destination, info.source, {
      sourcePort: seg.destinationPort,
      destinationPort: seg.sourcePort,
      seq: iss,
      ack: seqAdd(seg.seq, 1),
      flags: TcpFlag.SYN | TcpFlag.ACK,
      window: Math.min(config.receiveBufferSize, 0xffff),
      options,
    });
  }

  /** An ACK for no connection: if it returns a valid SYN cookie, the connection is made from it. */
  private cookieAck(listener: TcpListener, seg: TcpSegment, info: IpReceiveInfo): boolean {
    const tuple: ConnectionTuple = { localAddress: info.destination.value, localPort: seg.destinationPort, remoteAddress: info.source.value, remotePort: seg.sourcePort };
    const mss = this.cookies.check(tuple, seqAdd(seg.seq, -1), seqAdd(seg.ack, -1), this.node.scheduler.now());
    if (mss === undefined) return false;
    if (listener.acceptQueueFull) {
      const connection = tupleKey(info.source, seg.sourcePort, info.destination, seg.destinationPort);
      this.node.tracer.drop('transport', 'tcp', DropReason.QueueFull, 'SYN cookie ACK: accept queue is full', seg.payload.length, { connection });
      return true;
    }
    const ts = this.config.timestamps ? seg.options.timestamps : undefined;
    let options: TcpHeaderOptions = { mss };
    if (ts !== undefined && ts.echo !== 0) {
      const kept = decodeTsOptions(ts.echo);
      options = { mss, ...kept, timestamps: { value: ts.value, echo: 0 } };
    }
    const tcb = this.newTcb(info.destination, seg.destinationPort, info.source, seg.sourcePort);
    tcb.listener = listener;
    tcb.state = 'LISTEN';
    listener.halfOpen++;
    this.table.add(tcb);
    this.node.counters.increment('tcp.syn-cookies.accepted');
    acceptCookie(tcb, seg, options);
    segmentArrives(tcb, seg);
    // No SYN,ACK is pending for this entry (no timer would ever clear it): it completes now or not at all.
    if ((tcb.state as TcpState) === 'SYN-RECEIVED') closeConnection(tcb, 'SYN cookie ACK not accepted');
    return true;
  }

  /** RFC 1122 §4.2.3.9: hard errors abort, soft errors are remembered for a later timeout. */
  private icmpError(report: IcmpErrorReport): void {
    const quoted = report.originalPayload;
    const tracer = this.node.tracer;
    if (quoted.length < 8) {
      tracer.drop('transport', 'tcp', DropReason.Truncated, `ICMP ${report.type} quotes ${quoted.length} bytes of TCP header, fewer than the 8 needed`, quoted.length);
      return;
    }
    const sourcePort = (quoted[0]! << 8) | quoted[1]!;
    const destinationPort = (quoted[2]! << 8) | quoted[3]!;
    const seq = readUint32(quoted, 4);
    const tcb = this.table.get(report.originalSource, sourcePort, report.originalDestination, destinationPort);
    if (tcb === undefined) {
      const connection = tupleKey(report.originalSource, sourcePort, report.originalDestination, destinationPort);
      tracer.drop('transport', 'tcp', DropReason.NoSocket, `ICMP ${report.type} for no connection`, quoted.length, { connection });
      return;
    }
    // RFC 5927 §4.1: only errors quoting a sequence number in flight are believable.
    if (!seqInRange(seq, tcb.sndUna, seqAdd(tcb.sndMax, 1))) {
      this.node.tracer.drop('transport', 'tcp', DropReason.OutOfWindow, `ICMP error quoting seq ${seq} outside SND.UNA..SND.MAX`, quoted.length, { connection: tcb.key });
      return;
    }
    if (report.type === 'source-quench') return; // RFC 6633: ignored
    const where = `${tcb.remoteAddress}:${tcb.remotePort}`;
    if (report.type === 'destination-unreachable') {
      switch (report.icmpCode) {
        case 2:
        case 3:
          closeConnection(tcb, `ICMP ${report.icmpCode === 3 ? 'port' : 'protocol'} unreachable`, new SocketError('ECONNREFUSED', `connection to ${where} refused (ICMP from ${report.reporter})`));
          return;
        case 4:
          closeConnection(tcb, 'ICMP fragmentation needed', new SocketError('EMSGSIZE', `segment to ${where} too big for the path (next-hop MTU ${report.mtu ?? 'unknown'})`));
          return;
        case 0:
          tcb.softError = new SocketError('ENETUNREACH', `network of ${where} unreachable (ICMP from ${report.reporter})`);
          return;
        default:
          tcb.softError = new SocketError('EHOSTUNREACH', `host ${tcb.remoteAddress} unreachable (ICMP from ${report.reporter})`);
          return;
      }
    }
    tcb.softError = new SocketError('EHOSTUNREACH', `${report.type} on the way to ${where} (ICMP from ${report.reporter})`);
  }

  // ---- Helpers ----------------------------------------------------------------------

  /** A TCB for the 4-tuple; `shared`: its addresses are shared objects, held until release() (the TCB goes in the table). */
  private newTcb(localAddress: Ipv4Address, localPort: number, remoteAddress: Ipv4Address, remotePort: number, shared = true): Tcb {
    const local = shared ? this.addresses.hold(localAddress) : localAddress;
    const remote = shared ? this.addresses.hold(remoteAddress) : remoteAddress;
    const tcb = new Tcb(this, local, localPort, remote, remotePort, this.congestionControl());
    const fixed = this.config.initialSequenceNumber;
    if (fixed === undefined) tcb.iss = this.isn.nextFor(local.value, localPort, remote.value, remotePort, this.node.scheduler.now());
    else if (typeof fixed === 'number') tcb.iss = fixed >>> 0;
    else tcb.iss = fixed({ localAddress: local.value, localPort, remoteAddress: remote.value, remotePort }) >>> 0;
    tcb.ourMss = this.config.mss ?? Math.max(64, this.ip.mtuTowards(remote) - 40);
    tcb.tsOffset = this.tsOffsetFor(local, remote);
    return tcb;
  }

  /** Our TSval clock offset towards `remote` from `local` (RFC 7323 §5.4): one per address pair. */
  private tsOffsetFor(local: Ipv4Address, remote: Ipv4Address): number {
    const w = this.pairWords;
    w[0] = local.value;
    w[1] = remote.value;
    return halfSipHash(this.tsKey0, this.tsKey1, w);
  }

  private congestionControl(): CongestionControl {
    const cc = this.config.congestionControl;
    return typeof cc === 'string' ? createCongestionControl(cc, (this.ccOptions ??= { initialWindow: this.config.initialWindow })) : cc();
  }

  /** The listener bound to exactly `address` (ANY for the wildcard) on `port`. */
  private listenerAt(address: Ipv4Address, port: number): TcpListener | undefined {
    const onPort = this.listeners.get(port);
    if (onPort === undefined) return undefined;
    for (const listener of onPort) if (listener.localAddress.value === address.value) return listener;
    return undefined;
  }

  /** The listener a segment to `address`:`port` reaches: one bound to that address, else a wildcard one. */
  private listenerFor(address: Ipv4Address, port: number): TcpListener | undefined {
    const onPort = this.listeners.get(port);
    if (onPort === undefined) return undefined;
    let wildcard: TcpListener | undefined;
    for (const listener of onPort) {
      const bound = listener.localAddress.value;
      if (bound === address.value) return listener;
      if (bound === Ipv4Address.ANY.value) wildcard = listener;
    }
    return wildcard;
  }

  private anyListenerOnPort(port: number): boolean {
    return this.listeners.has(port);
  }

  /**
   * RFC 6056 §3.3.1 (simple random selection, from a seeded stream): random probes first,
   * then a linear scan, skipping ports in use for this 4-tuple and listening ports.
   */
  private pickEphemeralPort(local: Ipv4Address, remote: Ipv4Address, remotePort: number): number {
    const [low, high] = this.config.ephemeralPorts;
    const count = high - low + 1;
    for (let i = 0; i < 32; i++) {
      const port = low + this.portRandom.int(0, count - 1);
      if (this.portFree(port, local, remote, remotePort)) return port;
    }
    const start = this.portRandom.int(0, count - 1);
    for (let i = 0; i < count; i++) {
      const port = low + ((start + i) % count);
      if (this.portFree(port, local, remote, remotePort)) return port;
    }
    throw new SocketError('EADDRNOTAVAIL', `no free ephemeral port in ${low}-${high} towards ${remote}:${remotePort}`);
  }

  /** May `port` be the local port towards remote:remotePort (0: any use of the port counts)? */
  private portFree(port: number, local: Ipv4Address, remote: Ipv4Address, remotePort: number): boolean {
    if (this.anyListenerOnPort(port)) return false;
    return remotePort === 0 ? !this.portInUse(port) : this.table.get(local, port, remote, remotePort) === undefined;
  }

  private portInUse(port: number): boolean {
    return this.table.localPortInUse(port);
  }
}

/**
 * Connections by an integer hash of the 4-tuple (a Smi Map key: no string and no per-entry
 * object per connection), collisions chained through the TCBs themselves; a doubly linked
 * list through the TCBs keeps creation order for connections() at no per-entry cost.
 */
/** @internal exported for tests. */
export class ConnectionTable {
  private readonly byHash = new Map<number, Tcb>();
  /** Connections per local port (any addresses), for port choice. */
  private readonly localPorts = new Map<number, number>();
  private first: Tcb | null = null;
  private last: Tcb | null = null;
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(local: Ipv4Address, localPort: number, remote: Ipv4Address, remotePort: number): Tcb | undefined {
    const localValue = local.value;
    const remoteValue = remote.value;
    let tcb = this.byHash.get(tupleHash(localValue, localPort, remoteValue, remotePort));
    while (tcb !== undefined) {
      if (tcb.localPort === localPort && tcb.remotePort === remotePort && tcb.localAddress.value === localValue && tcb.remoteAddress.value === remoteValue) return tcb;
      tcb = tcb.hashNext ?? undefined;
    }
    return undefined;
  }

  add(tcb: Tcb): void {
    const hash = tupleHash(tcb.localAddress.value, tcb.localPort, tcb.remoteAddress.value, tcb.remotePort);
    const head = this.byHash.get(hash);
    tcb.hashNext = head ?? null;
    this.byHash.set(hash, tcb);
    tcb.listPrev = this.last;
    tcb.listNext = null;
    if (this.last === null) this.first = tcb;
    else this.last.listNext = tcb;
    this.last = tcb;
    this.count++;
    this.localPorts.set(tcb.localPort, (this.localPorts.get(tcb.localPort) ?? 0) + 1);
  }

  /** False if `tcb` was not in the table. */
  remove(tcb: Tcb): boolean {
    const hash = tupleHash(tcb.localAddress.value, tcb.localPort, tcb.remoteAddress.value, tcb.remotePort);
    let entry = this.byHash.get(hash);
    let previous: Tcb | null = null;
    while (entry !== undefined && entry !== tcb) {
      previous = entry;
      entry = entry.hashNext ?? undefined;
    }
    if (entry === undefined) return false;
    if (previous !== null) previous.hashNext = tcb.hashNext;
    else if (tcb.hashNext !== null) this.byHash.set(hash, tcb.hashNext);
    else this.byHash.delete(hash);
    tcb.hashNext = null;
    if (tcb.listPrev !== null) tcb.listPrev.listNext = tcb.listNext;
    else this.first = tcb.listNext;
    if (tcb.listNext !== null) tcb.listNext.listPrev = tcb.listPrev;
    else this.last = tcb.listPrev;
    tcb.listPrev = null;
    tcb.listNext = null;
    this.count--;
    const n = (this.localPorts.get(tcb.localPort) ?? 1) - 1;
    if (n === 0) this.localPorts.delete(tcb.localPort);
    else this.localPorts.set(tcb.localPort, n);
    return true;
  }

  localPortInUse(port: number): boolean {
    return this.localPorts.has(port);
  }

  /** Every connection in creation order (a snapshot: safe to close connections while iterating). */
  all(): Tcb[] {
    const out: Tcb[] = [];
    for (let tcb = this.first; tcb !== null; tcb = tcb.listNext) out.push(tcb);
    return out;
  }
}

/** Shares one Ipv4Address object per address value among the connections using it (counted). */
class AddressInterner {
  private readonly objects = new Map<number, Ipv4Address>();
  private readonly refs = new Map<number, number>();

  hold(address: Ipv4Address): Ipv4Address {
    const value = address.value;
    const shared = this.objects.get(value);
    if (shared === undefined) {
      this.objects.set(value, address);
      this.refs.set(value, 1);
      return address;
    }
    this.refs.set(value, this.refs.get(value)! + 1);
    return shared;
  }

  release(address: Ipv4Address): void {
    const value = address.value;
    const n = (this.refs.get(value) ?? 1) - 1;
    if (n > 0) {
      this.refs.set(value, n);
      return;
    }
    this.refs.delete(value);
    this.objects.delete(value);
  }
}

/** A 30-bit hash of the 4-tuple (stays a small integer, so Map keys need no heap number). */
/** @internal exported for tests. */
export function tupleHash(local: number, localPort: number, remote: number, remotePort: number): number {
  let h = Math.imul((localPort << 16) | remotePort, 0x9e3779b1);
  h ^= Math.imul(local ^ (h >>> 15), 0x85ebca6b);
  h ^= Math.imul(remote ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  return h & 0x3fffffff;
}

function tupleKey(local: Ipv4Address, localPort: number, remote: Ipv4Address, remotePort: number): string {
  return `${local}:${localPort}-${remote}:${remotePort}`;
}

function info(tcb: Tcb): TcpConnectionInfo {
  return {
    key: tcb.key,
    state: tcb.state,
    localAddress: tcb.localAddress,
    localPort: tcb.localPort,
    remoteAddress: tcb.remoteAddress,
    remotePort: tcb.remotePort,
    iss: tcb.iss,
    irs: tcb.irs,
    sndUna: tcb.sndUna,
    sndNxt: tcb.sndNxt,
    sndWnd: tcb.sndWnd,
    rcvNxt: tcb.rcvNxt,
    rcvWnd: tcb.rcvWnd,
    mss: tcb.smss,
    cwnd: tcb.cc.cwnd,
    ssthresh: tcb.cc.ssthresh,
    srtt: tcb.rto.srtt,
    rto: tcb.rto.rto,
    sendBuffered: tcb.sendBuffered,
    receiveBuffered: tcb.receiveOrNull?.readyBytes ?? 0,
    options: { windowScaling: tcb.wsOk, timestamps: tcb.tsOk, sack: tcb.sackOk },
    stats: { ...tcb.stats },
  };
}
