// Test fakes of the transport contracts (StreamTransport, DatagramTransport) and of the
// NetworkConfigurator: hosts joined through one core Scheduler with a fixed latency. Stream
// writes can be split into chunks (down to one byte) so parsers see every boundary; datagrams
// can be filtered (lost) to exercise retries. No layer package is imported.

import { EventEmitter } from 'eventemitter3';
import {
  Ipv4Address,
  Ipv4Cidr,
  NS_PER_MS,
  Random,
  SocketError,
  createNodeContext,
  createSimulationContext,
  type DatagramBindOptions,
  type DatagramRemote,
  type DatagramSocket,
  type DatagramSocketEvents,
  type DatagramTransport,
  type IpInterfaceInfo,
  type NetworkConfigurator,
  type NodeContext,
  type Route,
  type RouteSource,
  type RoutingTable,
  type SimulationContext,
  type StreamConnectOptions,
  type StreamListenOptions,
  type StreamListener,
  type StreamListenerEvents,
  type StreamSocket,
  type StreamSocketEvents,
  type StreamTransport,
} from '@netlayers/core';

export interface FakeNetworkOptions {
  /** One-way delay, ns. */
  latency?: number;
  /** Split every stream write into chunks of this size (1 = byte at a time), or a random size up to it with `randomChunks`. */
  chunkSize?: number;
  randomChunks?: boolean;
  seed?: number;
}

export interface DatagramInFlight {
  from: DatagramRemote;
  to: DatagramRemote;
  data: Uint8Array;
}

export class FakeNetwork {
  readonly sim: SimulationContext = createSimulationContext(1);
  readonly hosts = new Map<string, FakeHost>();
  readonly latency: number;
  readonly chunkSize: number;
  readonly randomChunks: boolean;
  readonly chunkRandom: Random;
  /** Return false to lose a datagram. */
  datagramFilter: (d: DatagramInFlight) => boolean = () => true;
  /** Every datagram sent, for assertions. */
  readonly datagrams: DatagramInFlight[] = [];

  constructor(options: FakeNetworkOptions = {}) {
    this.latency = options.latency ?? NS_PER_MS;
    this.chunkSize = options.chunkSize ?? 0;
    this.randomChunks = options.randomChunks ?? false;
    this.chunkRandom = new Random(options.seed ?? 7);
  }

  get scheduler() {
    return this.sim.scheduler;
  }

  /** A host; `address` null means unconfigured (a DHCP client before its lease). */
  addHost(name: string, address: string | null): FakeHost {
    const host = new FakeHost(this, name, address === null ? null : Ipv4Cidr.parse(address.includes('/') ? address : `${address}/24`));
    this.hosts.set(name, host);
    return host;
  }

  hostByAddress(address: Ipv4Address): FakeHost | undefined {
    for (const host of this.hosts.values()) if (host.cidr !== null && host.cidr.address.equals(address)) return host;
    return undefined;
  }

  /** Split a write into the chunks the receiver will see. */
  split(data: Uint8Array): Uint8Array[] {
    if (this.chunkSize <= 0 || data.length <= this.chunkSize) return [data];
    const out: Uint8Array[] = [];
    for (let i = 0; i < data.length; ) {
      const size = this.randomChunks ? this.chunkRandom.int(1, this.chunkSize) : this.chunkSize;
      out.push(data.subarray(i, i + size));
      i += size;
    }
    return out;
  }
}

export class FakeHost {
  readonly context: NodeContext;
  readonly tcp: FakeStreamTransport;
  readonly udp: FakeDatagramTransport;
  readonly configurator: FakeConfigurator;

  constructor(readonly net: FakeNetwork, readonly name: string, public cidr: Ipv4Cidr | null) {
    this.context = createNodeContext(net.sim, name);
    this.tcp = new FakeStreamTransport(this);
    this.udp = new FakeDatagramTransport(this);
    this.configurator = new FakeConfigurator(this);
  }

  get address(): Ipv4Address {
    return this.cidr?.address ?? Ipv4Address.ANY;
  }
}

// ---------------------------------------------------------------- streams

class FakeListener extends EventEmitter<StreamListenerEvents> implements StreamListener {
  closed = false;
  constructor(readonly transport: FakeStreamTransport, readonly localAddress: Ipv4Address, readonly localPort: number) {
    super();
  }
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.transport.listeners.delete(this.localPort);
    this.transport.host.net.scheduler.schedule(0, () => this.emit('close'));
  }
}

export class FakeStreamSocket extends EventEmitter<StreamSocketEvents> implements StreamSocket {
  peer: FakeStreamSocket | null = null;
  state = 'SYN-SENT';
  bytesWritten = 0;
  bytesRead = 0;
  sentFin = false;
  receivedFin = false;
  destroyed = false;
  closed = false;

  constructor(
    readonly net: FakeNetwork,
    public localAddress: Ipv4Address,
    public localPort: number,
    public remoteAddress: Ipv4Address,
    public remotePort: number,
  ) {
    super();
  }

  private later(fn: () => void): void {
    this.net.scheduler.schedule(this.net.latency, fn);
  }

  write(data: Uint8Array | string): boolean {
    if (this.sentFin || this.destroyed) throw new SocketError('EPIPE', 'write after end');
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data.slice();
    this.bytesWritten += bytes.length;
    const peer = this.peer;
    for (const chunk of this.net.split(bytes)) {
      this.later(() => {
        if (peer === null || peer.destroyed || peer.closed) return;
        peer.bytesRead += chunk.length;
        peer.emit('data', chunk);
      });
    }
    return true;
  }

  end(data?: Uint8Array | string): void {
    if (this.destroyed) return;
    if (data !== undefined && !this.sentFin) this.write(data);
    if (this.sentFin) return;
    this.sentFin = true;
    this.state = this.receivedFin ? 'LAST-ACK' : 'FIN-WAIT-1';
    const peer = this.peer;
    this.later(() => {
      if (peer === null || peer.destroyed || peer.closed) return;
      peer.receivedFin = true;
      peer.state = peer.sentFin ? 'CLOSED' : 'CLOSE-WAIT';
      peer.emit('end');
      peer.maybeClose();
      this.maybeClose();
    });
  }

  maybeClose(): void {
    if (this.closed || !this.sentFin || !this.receivedFin) return;
    this.closed = true;
    this.state = 'CLOSED';
    this.net.scheduler.schedule(0, () => this.emit('close', false));
  }

  destroy(error?: SocketError): void {
    if (this.destroyed || this.closed) return;
    this.destroyed = true;
    this.state = 'CLOSED';
    const peer = this.peer;
    this.net.scheduler.schedule(0, () => {
      if (error !== undefined) this.emit('error', error);
      this.emit('close', error !== undefined);
    });
    this.later(() => {
      if (peer === null || peer.destroyed || peer.closed) return;
      peer.destroyed = true;
      peer.state = 'CLOSED';
      peer.emit('error', new SocketError('ECONNRESET', 'connection reset by peer'));
      peer.emit('close', true);
    });
  }

  setNoDelay(): void {}
  setKeepAlive(): void {}
}

export class FakeStreamTransport implements StreamTransport {
  readonly name = 'fake-tcp';
  readonly listeners = new Map<number, FakeListener>();
  private nextPort = 49152;
  /** Every socket this host opened or accepted. */
  readonly sockets: FakeStreamSocket[] = [];

  constructor(readonly host: FakeHost) {}

  listen(options: StreamListenOptions): StreamListener {
    if (this.listeners.has(options.port)) throw new SocketError('EADDRINUSE', `port ${options.port} is in use`);
    const listener = new FakeListener(this, this.host.address, options.port);
    this.listeners.set(options.port, listener);
    return listener;
  }

  connect(options: StreamConnectOptions): StreamSocket {
    const net = this.host.net;
    const remote = Ipv4Address.from(options.remoteAddress);
    const socket = new FakeStreamSocket(net, this.host.address, options.localPort || this.nextPort++, remote, options.remotePort);
    this.sockets.push(socket);
    net.scheduler.schedule(net.latency, () => {
      const target = net.hostByAddress(remote);
      const listener = target?.tcp.listeners.get(options.remotePort);
      if (target === undefined || listener === undefined || listener.closed) {
        net.scheduler.schedule(net.latency, () => {
          socket.destroyed = true;
          socket.state = 'CLOSED';
          socket.emit('error', new SocketError('ECONNREFUSED', `connection refused by ${remote}:${options.remotePort}`));
          socket.emit('close', true);
        });
        return;
      }
      const accepted = new FakeStreamSocket(net, remote, options.remotePort, socket.localAddress, socket.localPort);
      target.tcp.sockets.push(accepted);
      accepted.peer = socket;
      socket.peer = accepted;
      accepted.state = 'ESTABLISHED';
      listener.emit('connection', accepted);
      net.scheduler.schedule(net.latency, () => {
        if (socket.destroyed) return;
        socket.state = 'ESTABLISHED';
        socket.emit('connect');
      });
    });
    return socket;
  }
}

// ---------------------------------------------------------------- datagrams

export class FakeDatagramSocket extends EventEmitter<DatagramSocketEvents> implements DatagramSocket {
  closed = false;
  broadcast = false;
  constructor(readonly transport: FakeDatagramTransport, private readonly boundAddress: Ipv4Address, readonly localPort: number, readonly iface: string | undefined) {
    super();
  }

  get localAddress(): Ipv4Address {
    return this.boundAddress;
  }

  setBroadcast(enable: boolean): void {
    this.broadcast = enable;
  }

  send(data: Uint8Array | string, port: number, address: Ipv4Address | string): void {
    if (this.closed) throw new SocketError('ERR_SOCKET_CLOSED', 'socket is closed');
    const destination = Ipv4Address.from(address);
    if (destination.isBroadcast && !this.broadcast) throw new SocketError('EACCES', 'broadcast not enabled (setBroadcast)');
    const host = this.transport.host;
    const net = host.net;
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data.slice();
    const from = { address: this.boundAddress.isUnspecified ? host.address : this.boundAddress, port: this.localPort };
    const flight = { from, to: { address: destination, port }, data: bytes };
    net.datagrams.push(flight);
    if (!net.datagramFilter(flight)) return;
    net.scheduler.schedule(net.latency, () => {
      const targets = destination.isBroadcast ? [...net.hosts.values()].filter((h) => h !== host) : [net.hostByAddress(destination)].filter((h) => h !== undefined);
      let delivered = false;
      for (const target of targets) {
        const socket = target.udp.sockets.get(port);
        if (socket === undefined || socket.closed) continue;
        delivered = true;
        socket.emit('message', bytes, from);
      }
      if (!delivered && !destination.isBroadcast && targets.length > 0) {
        net.scheduler.schedule(net.latency, () => {
          if (!this.closed) this.emit('error', new SocketError('ECONNREFUSED', `port unreachable ${destination}:${port}`));
        });
      }
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.transport.sockets.delete(this.localPort);
    this.emit('close');
  }
}

export class FakeDatagramTransport implements DatagramTransport {
  readonly name = 'fake-udp';
  readonly sockets = new Map<number, FakeDatagramSocket>();
  private nextPort = 49152;
  constructor(readonly host: FakeHost) {}

  bind(options: DatagramBindOptions = {}): DatagramSocket {
    const port = options.port || this.nextPort++;
    if (this.sockets.has(port)) throw new SocketError('EADDRINUSE', `port ${port} is in use`);
    const address = options.address === undefined ? Ipv4Address.ANY : Ipv4Address.from(options.address);
    const socket = new FakeDatagramSocket(this, address, port, options.iface);
    this.sockets.set(port, socket);
    return socket;
  }
}

// ---------------------------------------------------------------- configuration

class FakeRoutingTable implements RoutingTable {
  private routes: Route[] = [];
  private readonly listeners: (() => void)[] = [];
  lookup(destination: Ipv4Address): Route | undefined {
    return this.entries().find((r) => r.prefix.contains(destination));
  }
  add(route: Route): void {
    this.routes = this.routes.filter((r) => !(r.prefix.toString() === route.prefix.toString() && r.source === route.source));
    this.routes.push(route);
    for (const l of this.listeners) l();
  }
  remove(prefix: Ipv4Cidr, source?: RouteSource): number {
    const before = this.routes.length;
    this.routes = this.routes.filter((r) => !(r.prefix.toString() === prefix.toString() && (source === undefined || r.source === source)));
    for (const l of this.listeners) l();
    return before - this.routes.length;
  }
  entries(): readonly Route[] {
    return [...this.routes].sort((a, b) => b.prefix.prefixLength - a.prefix.prefixLength);
  }
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }
}

export class FakeConfigurator implements NetworkConfigurator {
  readonly routes = new FakeRoutingTable();
  /** Every setInterfaceAddress call, in order. */
  readonly history: (string | null)[] = [];
  constructor(private readonly host: FakeHost) {}
  interfaces(): readonly IpInterfaceInfo[] {
    return [{ name: 'eth0', cidr: this.host.cidr, mtu: 1500, isUp: true }];
  }
  setInterfaceAddress(iface: string, cidr: Ipv4Cidr | null): void {
    if (iface !== 'eth0') throw new Error(`no interface ${iface}`);
    this.host.cidr = cidr;
    this.history.push(cidr === null ? null : cidr.toString());
  }
  onInterfaceChange(): void {}
}
