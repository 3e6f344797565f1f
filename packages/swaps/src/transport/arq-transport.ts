// The StreamTransport shared by the stop-and-wait and go-back-N swaps: runs directly over
// the IpService contract under its own IP protocol number, demultiplexes segments to
// connections by (local address, local port, remote address, remote port) as TCP does
// (RFC 9293 §3.3), accepts SYNs for listeners, answers strays with RST, and maps ICMP
// unreachable errors about a connection attempt to ECONNREFUSED / EHOSTUNREACH.

import { EventEmitter } from 'eventemitter3';
import {
  DropReason,
  Ipv4Address,
  Packet,
  SocketError,
  UnreachableCode,
  assertPort,
  isWireError,
  type IcmpErrorReport,
  type IpReceiveInfo,
  type IpService,
  type NodeContext,
  type Random,
  type StreamConnectOptions,
  type StreamListenOptions,
  type StreamListener,
  type StreamListenerEvents,
  type StreamTransport,
} from '@netlayers/core';
import { ArqSocket, type ArqConfig, type ArqHost } from './arq-socket.ts';
import { ARQ_HEADER_LENGTH, ArqFlag, arqHeaderInfo, arqSummary, emitArqSegment, parseArqSegment, type ArqSegment } from './wire.ts';
import type { ArqHeaderInfo } from '../trace-headers.ts';

const EPHEMERAL_LOW = 49152;
const EPHEMERAL_HIGH = 65535;

export class ArqListener extends EventEmitter<StreamListenerEvents> implements StreamListener {
  closed = false;
  constructor(
    private readonly transport: ArqTransport,
    readonly localAddress: Ipv4Address,
    readonly localPort: number,
  ) {
    super();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.transport.removeListener(this);
    this.emit('close');
  }
}

export class ArqTransport implements StreamTransport, ArqHost {
  readonly name: string;
  private readonly connections = new Map<string, ArqSocket>();
  private readonly listeners = new Map<number, ArqListener>();
  private readonly random: Random;

  constructor(
    readonly node: NodeContext,
    private readonly ip: IpService,
    readonly config: ArqConfig,
  ) {
    this.name = config.name;
    this.random = node.random.fork(`${config.name}:ephemeral-ports`);
    ip.registerProtocol(
      config.protocolNumber,
      (packet, info) => this.receive(packet, info),
      (report) => this.icmpError(report),
    );
  }

  /** Open connections (TIME-WAIT included), for tests and tools. */
  get connectionCount(): number {
    return this.connections.size;
  }

  connect(options: StreamConnectOptions): ArqSocket {
    assertPort(options.remotePort, 'remotePort');
    if (options.localPort !== undefined) assertPort(options.localPort, 'localPort', true);
    const remote = Ipv4Address.from(options.remoteAddress);
    const routed = options.localAddress !== undefined ? Ipv4Address.from(options.localAddress) : this.ip.sourceAddressFor(remote);
    const local = routed ?? Ipv4Address.ANY;
    const localPort = options.localPort ? options.localPort : this.ephemeralPort(local, remote, options.remotePort);
    const segmentSize = this.config.segmentSize ?? this.ip.mtuTowards(remote) - 20 - ARQ_HEADER_LENGTH;
    const socket = new ArqSocket(this, local, localPort, remote, options.remotePort, false, segmentSize);
    if (this.connections.has(socket.key)) throw new SocketError('EADDRINUSE', `connection ${socket.key} already exists`);
    if (routed === null) {
      this.node.scheduler.schedule(0, () => socket.fail('ENETUNREACH', `no route to ${remote}`));
      return socket;
    }
    this.connections.set(socket.key, socket);
    socket.openActive();
    return socket;
  }

  listen(options: StreamListenOptions): ArqListener {
    assertPort(options.port, 'port');
    const address = options.address === undefined ? Ipv4Address.ANY : Ipv4Address.from(options.address);
    if (!address.isUnspecified && !this.ip.isLocalAddress(address)) {
      throw new SocketError('EADDRNOTAVAIL', `address ${address} is not an address of ${this.node.name}`);
    }
    if (this.listeners.has(options.port)) throw new SocketError('EADDRINUSE', `${this.name} port ${options.port} is already listening`);
    const listener = new ArqListener(this, address, options.port);
    this.listeners.set(options.port, listener);
    return listener;
  }

  /** @internal */
  removeListener(listener: ArqListener): void {
    if (this.listeners.get(listener.localPort) === listener) this.listeners.delete(listener.localPort);
  }

  /** @internal */
  forget(socket: ArqSocket): void {
    if (this.connections.get(socket.key) === socket) this.connections.delete(socket.key);
  }

  /** @internal send one segment of `socket`'s connection. */
  transmit(socket: ArqSocket, segment: ArqSegment, retransmission: boolean): void {
    this.send(segment, socket.localAddress, socket.remoteAddress, socket.key, retransmission);
  }

  private send(segment: ArqSegment, source: Ipv4Address, destination: Ipv4Address, connection: string, retransmission: boolean): void {
    const packet = Packet.from(segment.payload);
    packet.prepend(ARQ_HEADER_LENGTH);
    const bytes = packet.bytes;
    emitArqSegment({ ...segment, payload: bytes.subarray(ARQ_HEADER_LENGTH) }, bytes, source, destination, this.config.protocolNumber);
    const tracer = this.node.tracer;
    if (tracer.active) {
      tracer.emit({
        kind: 'pdu',
        role: 'transport',
        protocol: this.name,
        direction: 'down',
        length: bytes.length,
        headerLength: ARQ_HEADER_LENGTH,
        text: arqSummary(segment, source, destination),
        header: fieldsOf(segment, this.name),
        connection,
        retransmission,
      });
    }
    // A failed send is a lost segment: the retransmission timer covers it.
    this.ip.send(packet, { destination, protocol: this.config.protocolNumber, source });
  }

  private receive(packet: Packet, info: IpReceiveInfo): void {
    const tracer = this.node.tracer;
    const segment = parseArqSegment(packet.bytes, info.source, info.destination, this.config.protocolNumber);
    if (isWireError(segment)) {
      tracer.drop('transport', this.name, segment.reason, segment.detail, packet.length, { iface: info.iface });
      return;
    }
    const key = `${info.destination}:${segment.destinationPort}-${info.source}:${segment.sourcePort}`;
    if (tracer.active) {
      tracer.emit({
        kind: 'pdu',
        role: 'transport',
        protocol: this.name,
        direction: 'up',
        iface: info.iface,
        length: packet.length,
        headerLength: ARQ_HEADER_LENGTH,
        text: arqSummary(segment, info.source, info.destination),
        header: fieldsOf(segment, this.name),
        connection: key,
      });
    }
    const existing = this.connections.get(key);
    if (existing !== undefined) {
      existing.receive(segment);
      return;
    }
    const isSyn = (segment.flags & (ArqFlag.SYN | ArqFlag.ACK)) === ArqFlag.SYN;
    const listener = this.listeners.get(segment.destinationPort);
    if (isSyn && listener !== undefined && (listener.localAddress.isUnspecified || listener.localAddress.equals(info.destination))) {
      const segmentSize = this.config.segmentSize ?? this.ip.mtuTowards(info.source) - 20 - ARQ_HEADER_LENGTH;
      const socket = new ArqSocket(this, info.destination, segment.destinationPort, info.source, segment.sourcePort, true, segmentSize);
      this.connections.set(key, socket);
      socket.openPassive();
      listener.emit('connection', socket);
      return;
    }
    tracer.drop('transport', this.name, DropReason.NoSocket, `no connection or listener for ${key}`, packet.length, { iface: info.iface, connection: key });
    if (!(segment.flags & ArqFlag.RST) && !info.destination.isBroadcast) {
      const reset = { sourcePort: segment.destinationPort, destinationPort: segment.sourcePort, seq: segment.ack, ack: 0, flags: ArqFlag.RST, payload: new Uint8Array(0) };
      this.send(reset, info.destination, info.source, key, false);
    }
  }

  private icmpError(report: IcmpErrorReport): void {
    if (report.originalProtocol !== this.config.protocolNumber || report.originalPayload.length < 4) return;
    const q = report.originalPayload;
    const key = `${report.originalSource}:${(q[0]! << 8) | q[1]!}-${report.originalDestination}:${(q[2]! << 8) | q[3]!}`;
    const socket = this.connections.get(key);
    // Only a connection attempt fails on ICMP; established connections treat it as soft (RFC 1122 §4.2.3.9).
    if (socket === undefined || socket.state !== 'SYN-SENT' || report.type !== 'destination-unreachable') return;
    const refused = report.icmpCode === UnreachableCode.Port || report.icmpCode === UnreachableCode.Protocol;
    const code = refused ? 'ECONNREFUSED' : report.icmpCode === UnreachableCode.Net ? 'ENETUNREACH' : 'EHOSTUNREACH';
    socket.fail(code, `ICMP destination unreachable (code ${report.icmpCode}) from ${report.reporter}`);
  }

  private ephemeralPort(local: Ipv4Address, remote: Ipv4Address, remotePort: number): number {
    const count = EPHEMERAL_HIGH - EPHEMERAL_LOW + 1;
    const start = this.random.int(0, count - 1);
    for (let i = 0; i < count; i++) {
      const port = EPHEMERAL_LOW + ((start + i) % count);
      if (!this.listeners.has(port) && !this.connections.has(`${local}:${port}-${remote}:${remotePort}`)) return port;
    }
    throw new SocketError('EADDRINUSE', `no free ${this.name} port towards ${remote}:${remotePort}`);
  }
}

function fieldsOf(segment: ArqSegment, variant: string): ArqHeaderInfo {
  return arqHeaderInfo(segment, variant);
}
