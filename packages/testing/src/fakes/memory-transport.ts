// A reference StreamTransport (core's stream contract) in memory, for tests of what sits on a
// transport (Node adapters, applications): sockets joined through the simulation's
// scheduler with a one-way delay, chunked into segments, a receive window that closes
// while the receiver is paused (so backpressure reaches the sender's write()), FIN after
// queued data, and RST on destroy. Not TCP: no loss, no retransmission, no handshake bytes.
// Segments can be cut to seeded random sizes (down to one byte), so parsers above see every
// boundary; a transport's address can change (a DHCP client), and listeners bound to no
// address follow it.

import { EventEmitter } from 'eventemitter3';
import {
  Ipv4Address,
  Random,
  SocketError,
  type Scheduler,
  type StreamConnectOptions,
  type StreamListenOptions,
  type StreamListener,
  type StreamListenerEvents,
  type StreamSocket,
  type StreamSocketEvents,
  type StreamTransport,
} from '@netlayers/core';

export interface MemoryNetworkOptions {
  /** One-way delay, ns (default 1 ms). */
  readonly delay?: number;
  /** Receive window per socket, bytes (default 64 KiB). */
  readonly window?: number;
  /** Send buffer high-water mark: write() returns false above it (default 16 KiB). */
  readonly highWaterMark?: number;
  /** Segment size, bytes (default 1000; Infinity: each write arrives whole, window permitting). */
  readonly segment?: number;
  /** Cut each segment to a random size from 1 to `segment` (seeded by `seed`), so readers see every boundary. */
  readonly randomSegments?: boolean;
  /** Seed of the random segment sizes (default 7). */
  readonly seed?: number;
}

export class MemoryNetwork {
  /** Listeners bound to an explicit address, by `address:port`. */
  private readonly bound = new Map<string, MemoryListener>();
  /** Listeners bound to their transport's current address, by port. */
  private readonly unbound = new Map<number, MemoryListener[]>();
  private nextPort = 49152;
  private readonly segmentRandom: Random;

  constructor(
    readonly scheduler: Scheduler,
    readonly options: MemoryNetworkOptions = {},
  ) {
    this.segmentRandom = new Random(options.seed ?? 7);
  }

  get delay(): number {
    return this.options.delay ?? 1_000_000;
  }

  /** A transport at `address`; `null` (or 0.0.0.0) for a host with no address yet. Set `transport.address` later. */
  transport(address: string | Ipv4Address | null): MemoryTransport {
    return new MemoryTransport(this, address === null ? Ipv4Address.ANY : Ipv4Address.from(address));
  }

  /** @internal the size of the next segment, at most `limit`. */
  segmentSize(limit: number): number {
    const segment = this.options.segment ?? 1000;
    if (this.options.randomSegments !== true || !Number.isFinite(segment) || segment <= 1) return Math.min(segment, limit);
    return Math.min(this.segmentRandom.int(1, segment), limit);
  }

  /** @internal */
  register(listener: MemoryListener): void {
    if (listener.boundAddress === undefined) {
      const list = this.unbound.get(listener.localPort) ?? [];
      if (list.some((l) => l.transport === listener.transport)) throw new SocketError('EADDRINUSE', `port ${listener.localPort} is in use`);
      list.push(listener);
      this.unbound.set(listener.localPort, list);
      return;
    }
    const key = `${listener.boundAddress}:${listener.localPort}`;
    if (this.bound.has(key)) throw new SocketError('EADDRINUSE', `${key} is in use`);
    this.bound.set(key, listener);
  }
  /** @internal */
  unregister(listener: MemoryListener): void {
    if (listener.boundAddress === undefined) {
      const list = (this.unbound.get(listener.localPort) ?? []).filter((l) => l !== listener);
      if (list.length === 0) this.unbound.delete(listener.localPort);
      else this.unbound.set(listener.localPort, list);
      return;
    }
    this.bound.delete(`${listener.boundAddress}:${listener.localPort}`);
  }
  /** @internal */
  find(address: Ipv4Address, port: number): MemoryListener | undefined {
    const exact = this.bound.get(`${address}:${port}`);
    if (exact !== undefined) return exact;
    if (address.isUnspecified) return undefined;
    return this.unbound.get(port)?.find((l) => l.transport.address.equals(address));
  }
  /** @internal */
  ephemeralPort(): number {
    return this.nextPort++;
  }
}

export class MemoryTransport implements StreamTransport {
  readonly name = 'memory';
  /** Every socket this transport opened or accepted, oldest first. */
  readonly sockets: MemorySocket[] = [];
  constructor(
    readonly network: MemoryNetwork,
    /** This host's address; set it when the address changes (listeners bound to no address follow). */
    public address: Ipv4Address,
  ) {}

  connect(options: StreamConnectOptions): MemorySocket {
    const remote = Ipv4Address.from(options.remoteAddress);
    const socket = new MemorySocket(this.network, this.address, options.localPort || this.network.ephemeralPort(), remote, options.remotePort, 'SYN-SENT');
    this.sockets.push(socket);
    this.network.scheduler.schedule(this.network.delay, () => {
      const listener = this.network.find(remote, options.remotePort);
      if (listener === undefined || listener.closed) {
        this.network.scheduler.schedule(this.network.delay, () => socket.fail(new SocketError('ECONNREFUSED', `connect ${remote}:${options.remotePort}`)));
        return;
      }
      const accepted = new MemorySocket(this.network, remote, options.remotePort, socket.localAddress, socket.localPort, 'ESTABLISHED');
      listener.transport.sockets.push(accepted);
      accepted.peer = socket;
      socket.peer = accepted;
      listener.emit('connection', accepted);
      this.network.scheduler.schedule(this.network.delay, () => socket.established());
    });
    return socket;
  }

  listen(options: StreamListenOptions): MemoryListener {
    const bound = options.address === undefined ? undefined : Ipv4Address.from(options.address);
    const listener = new MemoryListener(this.network, this, bound === undefined || bound.isUnspecified ? undefined : bound, options.port);
    this.network.register(listener);
    return listener;
  }
}

export class MemoryListener extends EventEmitter<StreamListenerEvents> implements StreamListener {
  closed = false;
  constructor(
    private readonly network: MemoryNetwork,
    readonly transport: MemoryTransport,
    /** The address given to listen(), or undefined: the transport's address, whatever it is. */
    readonly boundAddress: Ipv4Address | undefined,
    readonly localPort: number,
  ) {
    super();
  }
  get localAddress(): Ipv4Address {
    return this.boundAddress ?? this.transport.address;
  }
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.network.unregister(this);
    this.emit('close');
  }
}

export class MemorySocket extends EventEmitter<StreamSocketEvents> implements StreamSocket {
  peer: MemorySocket | undefined;
  bytesWritten = 0;
  bytesRead = 0;
  /** How many times pause() was called (for assertions). */
  pauses = 0;
  noDelay = false;
  keepAlive: { enable: boolean; initialDelay: number | undefined } | undefined;
  private sendQueue: Uint8Array[] = [];
  private queued = 0;
  private inTransit = 0;
  private needDrain = false;
  private finQueued = false;
  private finSent = false;
  private finReceived = false;
  private paused = false;
  private held: Uint8Array[] = [];
  private heldBytes = 0;
  private endPending = false;
  private closedFlag = false;

  constructor(
    private readonly network: MemoryNetwork,
    readonly localAddress: Ipv4Address,
    readonly localPort: number,
    readonly remoteAddress: Ipv4Address,
    readonly remotePort: number,
    public state: string,
  ) {
    super();
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  write(data: Uint8Array | string): boolean {
    if (this.finQueued || this.closedFlag) throw new SocketError('EPIPE', 'write after end');
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data.slice();
    if (bytes.length > 0) {
      this.sendQueue.push(bytes);
      this.queued += bytes.length;
    }
    this.pump();
    const ok = this.queued < (this.network.options.highWaterMark ?? 16 * 1024);
    if (!ok) this.needDrain = true;
    return ok;
  }

  end(data?: Uint8Array | string): void {
    if (data !== undefined) this.write(data);
    if (this.finQueued) return;
    this.finQueued = true;
    this.pump();
  }

  destroy(error?: SocketError): void {
    if (this.closedFlag) return;
    const peer = this.peer;
    if (peer !== undefined && !peer.closedFlag) {
      this.network.scheduler.schedule(this.network.delay, () => peer.fail(new SocketError('ECONNRESET', 'connection reset by peer')));
    }
    this.sendQueue = [];
    this.queued = 0;
    if (error !== undefined) this.emit('error', error);
    this.finish(error !== undefined);
  }

  setNoDelay(noDelay = true): void {
    this.noDelay = noDelay;
  }

  setKeepAlive(enable: boolean, initialDelay?: number): void {
    this.keepAlive = { enable, initialDelay };
  }

  pause(): void {
    this.paused = true;
    this.pauses++;
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    const held = this.held;
    this.held = [];
    for (const chunk of held) {
      this.heldBytes -= chunk.length;
      this.bytesRead += chunk.length;
      this.emit('data', chunk);
      if (this.paused) {
        this.held = held.slice(held.indexOf(chunk) + 1).concat(this.held);
        return;
      }
    }
    this.windowUpdate();
    if (this.endPending) {
      this.endPending = false;
      this.deliverEnd();
    }
  }

  /** @internal active open completed. */
  established(): void {
    if (this.closedFlag) return;
    this.setState('ESTABLISHED');
    this.emit('connect');
    this.pump();
  }

  /** @internal connection refused or reset. */
  fail(error: SocketError): void {
    if (this.closedFlag) return;
    this.emit('error', error);
    this.finish(true);
  }

  private setState(to: string): void {
    const from = this.state;
    this.state = to;
    this.emit('state', from, to);
  }

  private pump(): void {
    const peer = this.peer;
    if (peer === undefined || this.state === 'SYN-SENT' || this.closedFlag) return;
    const window = this.network.options.window ?? 64 * 1024;
    while (this.sendQueue.length > 0) {
      const credit = window - this.inTransit - peer.heldBytes;
      if (credit <= 0) break;
      const head = this.sendQueue[0]!;
      const take = this.network.segmentSize(Math.min(head.length, credit));
      const chunk = head.subarray(0, take);
      if (take === head.length) this.sendQueue.shift();
      else this.sendQueue[0] = head.subarray(take);
      this.queued -= take;
      this.inTransit += take;
      this.bytesWritten += take;
      this.network.scheduler.schedule(this.network.delay, () => {
        this.inTransit -= take;
        peer.receive(chunk);
      });
    }
    if (this.needDrain && this.queued < (this.network.options.highWaterMark ?? 16 * 1024)) {
      this.needDrain = false;
      this.network.scheduler.schedule(0, () => this.emit('drain'));
    }
    if (this.finQueued && !this.finSent && this.sendQueue.length === 0) {
      this.finSent = true;
      this.setState(this.finReceived ? 'LAST-ACK' : 'FIN-WAIT-1');
      this.network.scheduler.schedule(this.network.delay, () => peer.receiveFin());
      this.maybeClose();
    }
  }

  private receive(chunk: Uint8Array): void {
    if (this.closedFlag) return;
    if (this.paused) {
      this.held.push(chunk);
      this.heldBytes += chunk.length;
      return;
    }
    this.bytesRead += chunk.length;
    this.emit('data', chunk);
    this.windowUpdate();
  }

  private windowUpdate(): void {
    const peer = this.peer;
    if (peer !== undefined) this.network.scheduler.schedule(this.network.delay, () => peer.pump());
  }

  private receiveFin(): void {
    if (this.closedFlag) return;
    this.finReceived = true;
    if (!this.finSent) this.setState('CLOSE-WAIT');
    if (this.paused && this.held.length > 0) this.endPending = true;
    else this.deliverEnd();
  }

  private deliverEnd(): void {
    this.emit('end');
    this.maybeClose();
  }

  private maybeClose(): void {
    if (this.finSent && this.finReceived && !this.endPending) {
      this.network.scheduler.schedule(this.network.delay, () => this.finish(false));
    }
  }

  private finish(hadError: boolean): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    this.setState('CLOSED');
    this.emit('close', hadError);
  }
}
