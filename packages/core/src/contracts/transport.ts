// The transport-layer contracts the application layer uses: a reliable byte stream (TCP or
// anything that replaces it) and a datagram service (UDP). Shaped after Node's `net` and
// `dgram`, with events from eventemitter3, so application code reads like Node code.

import type { EventEmitter } from 'eventemitter3';
import type { Ipv4Address } from '../address/ipv4.ts';
import type { SocketError } from '../errors-socket.ts';

export interface StreamSocketEvents {
  /** The connection is established (active open). */
  connect: [];
  /** Bytes arrived in order. */
  data: [chunk: Uint8Array];
  /** The peer finished sending (its FIN arrived); no more 'data'. */
  end: [];
  /** The write buffer drained below its high-water mark after write() returned false. */
  drain: [];
  /** The connection failed or was reset; 'close' follows. */
  error: [error: SocketError];
  /** The socket is finished; `hadError` when it ended by an error. */
  close: [hadError: boolean];
  /**
   * The peer sent urgent data (TCP's URG, RFC 9293 §3.8.5) that ends at stream offset `end`
   * (bytes from the start of the stream). The bytes themselves arrive inline in 'data'.
   * Transports without urgent data never emit it.
   */
  urgent: [end: number];
  /** The protocol state changed (TCP: the RFC 9293 state names). */
  state: [from: string, to: string];
}

export interface StreamSocket extends EventEmitter<StreamSocketEvents> {
  readonly localAddress: Ipv4Address;
  readonly localPort: number;
  readonly remoteAddress: Ipv4Address;
  readonly remotePort: number;
  /** Protocol state, as the protocol spells it (TCP: "ESTABLISHED", "TIME-WAIT"...). */
  readonly state: string;
  readonly bytesWritten: number;
  readonly bytesRead: number;
  /**
   * Queue bytes to send. Returns false when the send buffer is above its high-water mark
   * ('drain' follows). Throws SocketError EPIPE after end()/close(), as misuse.
   */
  write(data: Uint8Array | string): boolean;
  /** Finish sending (half-close: FIN); reading continues until the peer ends. */
  end(data?: Uint8Array | string): void;
  /** Abort: discard buffers and reset the connection (TCP: RST). */
  destroy(error?: SocketError): void;
  /** Disable Nagle-style coalescing (TCP_NODELAY). No-op where meaningless. */
  setNoDelay(noDelay?: boolean): void;
  /** Enable keepalive probes after `initialDelay` ns idle. No-op where unsupported. */
  setKeepAlive(enable: boolean, initialDelay?: number): void;
}

export interface StreamListenerEvents {
  connection: [socket: StreamSocket];
  close: [];
  error: [error: SocketError];
}

export interface StreamListener extends EventEmitter<StreamListenerEvents> {
  readonly localAddress: Ipv4Address;
  readonly localPort: number;
  /** Stop accepting; existing connections continue. */
  close(): void;
}

export interface StreamConnectOptions {
  readonly remoteAddress: Ipv4Address | string;
  readonly remotePort: number;
  readonly localAddress?: Ipv4Address | string;
  /** 0 or absent: an ephemeral port. */
  readonly localPort?: number;
}

export interface StreamListenOptions {
  readonly port: number;
  /** Bind to one address; default: all of the node's addresses. */
  readonly address?: Ipv4Address | string;
  /** Bound on connections waiting to be accepted, half-open ones included. */
  readonly backlog?: number;
}

/** A reliable, ordered byte-stream transport (TCP, or a student's replacement). */
export interface StreamTransport {
  /** A short name for traces: "tcp", "go-back-n". */
  readonly name: string;
  connect(options: StreamConnectOptions): StreamSocket;
  listen(options: StreamListenOptions): StreamListener;
}

export interface DatagramRemote {
  readonly address: Ipv4Address;
  readonly port: number;
}

export interface DatagramSocketEvents {
  message: [data: Uint8Array, remote: DatagramRemote];
  /** An ICMP error about a datagram this socket sent (e.g. ECONNREFUSED for port unreachable). */
  error: [error: SocketError];
  close: [];
}

export interface DatagramSocket extends EventEmitter<DatagramSocketEvents> {
  readonly localAddress: Ipv4Address;
  readonly localPort: number;
  /** Send one datagram. Throws on misuse (bad port, closed socket, too large). */
  send(data: Uint8Array | string, port: number, address: Ipv4Address | string): void;
  /** Allow sending to a broadcast address (SO_BROADCAST). */
  setBroadcast(enable: boolean): void;
  close(): void;
}

export interface DatagramBindOptions {
  /** 0 or absent: an ephemeral port. */
  readonly port?: number;
  readonly address?: Ipv4Address | string;
  /** Send and receive only on this interface (SO_BINDTODEVICE; DHCP uses it). */
  readonly iface?: string;
}

/** A datagram transport (UDP, or a student's replacement). */
export interface DatagramTransport {
  readonly name: string;
  bind(options?: DatagramBindOptions): DatagramSocket;
}
