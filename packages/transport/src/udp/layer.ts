// The UDP layer (RFC 768) over the IpService contract: binds sockets to ports (ephemeral
// ports picked from a seeded random start, as Linux does), demultiplexes received
// datagrams by destination port and address, answers a datagram for a closed port with
// ICMP port unreachable (RFC 1122 §4.1.3.1, never for broadcast or multicast, §3.2.2), and
// maps ICMP errors about sent datagrams to socket errors (RFC 1122 §4.1.3.3).

import {
  copyBytes,
  DropReason,
  InvalidArgumentError,
  IpProtocol,
  Ipv4Address,
  Packet,
  SocketError,
  UnreachableCode,
  assertPort,
  isWireError,
  type DatagramBindOptions,
  type DatagramTransport,
  type IcmpErrorReport,
  type IpReceiveInfo,
  type IpService,
  type NodeContext,
  type Random,
  type SocketErrorCode,
} from '@netlayers/core';
import { UdpSocket, type UdpSocketOwner } from './socket.ts';
import { UDP_HEADER_LENGTH, emitUdpDatagram, parseUdpDatagram, udpSummary } from './wire.ts';

export interface UdpLayerOptions {
  /** Inclusive range of ephemeral ports (default the IANA range 49152-65535, RFC 6335 §6). */
  readonly ephemeralPorts?: readonly [number, number];
  /** Compute checksums on send (default true; RFC 1122 §4.1.3.4 says on by default). */
  readonly checksum?: boolean;
}

export const DEFAULT_EPHEMERAL_PORTS: readonly [number, number] = [49152, 65535];

export class UdpLayer implements DatagramTransport, UdpSocketOwner {
  readonly name = 'udp';
  private readonly sockets = new Map<number, UdpSocket[]>();
  private readonly ephemeral: readonly [number, number];
  private readonly random: Random;
  private readonly checksum: boolean;

  constructor(
    private readonly node: NodeContext,
    private readonly ip: IpService,
    options: UdpLayerOptions = {},
  ) {
    const range = options.ephemeralPorts ?? DEFAULT_EPHEMERAL_PORTS;
    if (!Array.isArray(range) || range.length !== 2) {
      throw new InvalidArgumentError('ephemeralPorts', String(range), 'must be a [low, high] pair of ports');
    }
    assertPort(range[0], 'ephemeralPorts[0]');
    assertPort(range[1], 'ephemeralPorts[1]');
    if (range[0] > range[1]) throw new InvalidArgumentError('ephemeralPorts', `${range[0]}-${range[1]}`, 'low port must not exceed high port');
    this.ephemeral = [range[0], range[1]];
    this.random = node.random.fork('udp:ephemeral-ports');
    this.checksum = options.checksum ?? true;
    ip.registerProtocol(IpProtocol.UDP, (payload, info) => this.receive(payload, info), (report) => this.icmpError(report));
  }

  /** Open a socket bound to `options.port` (0 or absent: ephemeral), address and interface. */
  bind(options: DatagramBindOptions = {}): UdpSocket {
    const requested = options.port ?? 0;
    assertPort(requested, 'port', true);
    const address = options.address === undefined ? Ipv4Address.ANY : Ipv4Address.from(options.address);
    if (options.iface !== undefined && (typeof options.iface !== 'string' || options.iface === '')) {
      throw new InvalidArgumentError('iface', options.iface, 'must be a non-empty interface name');
    }
    if (!address.isUnspecified && !this.ip.isLocalAddress(address)) {
      throw new SocketError('EADDRNOTAVAIL', `address ${address} is not an address of ${this.node.name}`);
    }
    const port = requested === 0 ? this.pickEphemeralPort(address, options.iface) : requested;
    if (this.conflicts(port, address, options.iface)) {
      throw new SocketError('EADDRINUSE', `UDP port ${port} is already bound on ${address}`);
    }
    const socket = new UdpSocket(this, address, port, options.iface);
    const list = this.sockets.get(port);
    if (list === undefined) this.sockets.set(port, [socket]);
    else list.push(socket);
    return socket;
  }

  /** Sockets currently bound (for tests and tools). */
  get boundSockets(): readonly UdpSocket[] {
    return [...this.sockets.values()].flat();
  }

  private conflicts(port: number, address: Ipv4Address, iface: string | undefined): boolean {
    const list = this.sockets.get(port);
    if (list === undefined) return false;
    return list.some(
      (s) =>
        (s.localAddress.isUnspecified || address.isUnspecified || s.localAddress.equals(address)) &&
        (s.iface === undefined || iface === undefined || s.iface === iface),
    );
  }

  /** Linux-style: a random starting point in the range, then the next free port. */
  private pickEphemeralPort(address: Ipv4Address, iface: string | undefined): number {
    const [low, high] = this.ephemeral;
    const count = high - low + 1;
    const start = this.random.int(0, count - 1);
    for (let i = 0; i < count; i++) {
      const port = low + ((start + i) % count);
      if (!this.conflicts(port, address, iface)) return port;
    }
    throw new SocketError('EADDRINUSE', `no free UDP port in the ephemeral range ${low}-${high}`);
  }

  /** @internal */
  release(socket: UdpSocket): void {
    const list = this.sockets.get(socket.localPort);
    if (list !== undefined) {
      const rest = list.filter((s) => s !== socket);
      if (rest.length === 0) this.sockets.delete(socket.localPort);
      else this.sockets.set(socket.localPort, rest);
    }
    this.node.scheduler.schedule(0, () => socket.emit('close'));
  }

  /** @internal a socket's send, after its own argument checks. */
  sendFrom(socket: UdpSocket, payload: Uint8Array, port: number, destination: Ipv4Address): void {
    let source: Ipv4Address | null = socket.localAddress.isUnspecified ? this.ip.sourceAddressFor(destination) : socket.localAddress;
    if (source === null && socket.iface !== undefined) source = Ipv4Address.ANY; // e.g. DHCP before an address exists
    if (source === null) {
      this.reportLater(socket, 'ENETUNREACH', `no route to ${destination}`);
      return;
    }
    const packet = Packet.from(payload);
    packet.prepend(UDP_HEADER_LENGTH);
    const datagram = packet.bytes;
    const repr = { sourcePort: socket.localPort, destinationPort: port, payload: datagram.subarray(UDP_HEADER_LENGTH) };
    emitUdpDatagram(repr, datagram, source, destination, { checksum: this.checksum });
    const tracer = this.node.tracer;
    if (tracer.active) {
      tracer.emit({
        kind: 'pdu',
        role: 'transport',
        protocol: 'udp',
        direction: 'down',
        length: packet.length,
        headerLength: UDP_HEADER_LENGTH,
        text: udpSummary(repr, source, destination),
        header: { protocol: 'udp', sourcePort: socket.localPort, destinationPort: port, payloadLength: payload.length },
        connection: `${source}:${socket.localPort}-${destination}:${port}`,
      });
    }
    const result = this.ip.send(packet, {
      destination,
      protocol: IpProtocol.UDP,
      source,
      ...(socket.iface !== undefined ? { viaInterface: socket.iface } : {}),
    });
    if (!result.ok) {
      const code: SocketErrorCode = result.reason === 'too-big' ? 'EMSGSIZE' : result.reason === 'no-route' ? 'ENETUNREACH' : 'EHOSTUNREACH';
      this.reportLater(socket, code, `sending to ${destination}:${port}: ${result.detail}`);
      return;
    }
    socket.noteSent(payload.length);
    this.node.counters.increment('udp.out');
  }

  /** Network conditions (not misuse) surface as an 'error' event, as Node's dgram does. */
  private reportLater(socket: UdpSocket, code: SocketErrorCode, message: string): void {
    this.node.scheduler.schedule(0, () => {
      if (!socket.closed) socket.emit('error', new SocketError(code, message));
    });
  }

  private receive(packet: Packet, info: IpReceiveInfo): void {
    const tracer = this.node.tracer;
    const parsed = parseUdpDatagram(packet.bytes, info.source, info.destination);
    if (isWireError(parsed)) {
      tracer.drop('transport', 'udp', parsed.reason, parsed.detail, packet.length, { iface: info.iface });
      return;
    }
    if (tracer.active) {
      tracer.emit({
        kind: 'pdu',
        role: 'transport',
        protocol: 'udp',
        direction: 'up',
        iface: info.iface,
        length: parsed.length,
        headerLength: UDP_HEADER_LENGTH,
        text: udpSummary(parsed, info.source, info.destination),
        header: { protocol: 'udp', sourcePort: parsed.sourcePort, destinationPort: parsed.destinationPort, payloadLength: parsed.payload.length },
        connection: `${info.source}:${parsed.sourcePort}-${info.destination}:${parsed.destinationPort}`,
      });
    }
    this.node.counters.increment('udp.in');
    const socket = this.lookup(parsed.destinationPort, info.destination, info.iface);
    if (socket === undefined) {
      const toGroup = info.destination.isBroadcast || info.destination.isMulticast;
      if (!toGroup) this.ip.sendUnreachable(info, UnreachableCode.Port);
      tracer.drop('transport', 'udp', DropReason.NoSocket, `no socket on UDP port ${parsed.destinationPort}`, parsed.length, { iface: info.iface });
      return;
    }
    // The packet's buffer belongs to the layers below; hand the application its own copy.
    socket.deliver(copyBytes(parsed.payload), info.source, parsed.sourcePort);
  }

  /** The most specific socket for a datagram: exact address before wildcard. */
  private lookup(port: number, destination: Ipv4Address, iface: string): UdpSocket | undefined {
    const list = this.sockets.get(port);
    if (list === undefined) return undefined;
    let wildcard: UdpSocket | undefined;
    for (const s of list) {
      if (s.iface !== undefined && s.iface !== iface) continue;
      if (s.localAddress.equals(destination)) return s;
      if (s.localAddress.isUnspecified) wildcard ??= s;
    }
    return wildcard;
  }

  private icmpError(report: IcmpErrorReport): void {
    if (report.originalProtocol !== IpProtocol.UDP || report.originalPayload.length < 4) return;
    const quoted = report.originalPayload;
    const sourcePort = (quoted[0]! << 8) | quoted[1]!;
    const destinationPort = (quoted[2]! << 8) | quoted[3]!;
    const code = icmpErrorCode(report);
    if (code === undefined) return;
    const socket = this.sockets
      .get(sourcePort)
      ?.find((s) => s.localAddress.isUnspecified || s.localAddress.equals(report.originalSource));
    const where = `${report.originalDestination}:${destinationPort}`;
    if (socket === undefined) {
      this.node.tracer.drop('transport', 'udp', DropReason.NoSocket, `ICMP ${report.type} for ${where}: no socket on UDP port ${sourcePort}`, quoted.length);
      return;
    }
    socket.emit('error', new SocketError(code, `ICMP ${report.type} (code ${report.icmpCode}) from ${report.reporter} for ${where}`));
  }
}

/** RFC 1122 §4.1.3.3 / Linux icmp_err_convert: which socket error an ICMP error means. */
function icmpErrorCode(report: IcmpErrorReport): SocketErrorCode | undefined {
  switch (report.type) {
    case 'destination-unreachable':
      switch (report.icmpCode) {
        case UnreachableCode.Port:
        case UnreachableCode.Protocol:
          return 'ECONNREFUSED';
        case UnreachableCode.Net:
          return 'ENETUNREACH';
        case UnreachableCode.FragmentationNeeded:
          return 'EMSGSIZE';
        default:
          return 'EHOSTUNREACH';
      }
    case 'time-exceeded':
      return 'EHOSTUNREACH';
    default:
      // Source quench is deprecated (RFC 6633); parameter problems are not reported.
      return undefined;
  }
}
