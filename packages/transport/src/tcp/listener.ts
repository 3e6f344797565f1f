// TcpListener: a passive OPEN (RFC 9293 §3.10.1, LISTEN state) as the StreamListener
// contract. 'connection' is emitted when a connection reaches ESTABLISHED, or, while the
// listener is paused, the connection waits in the accept queue (as when an application does
// not call accept()). The backlog bounds half-open (SYN-RECEIVED) plus waiting connections,
// as listen(2)'s does on Linux: beyond it SYNs get SYN cookies (syn-cookies.ts) or are
// dropped, and with the accept queue itself full, SYNs and completing ACKs are dropped.

import { EventEmitter } from 'eventemitter3';
import type { Ipv4Address, StreamListener, StreamListenerEvents } from '@netlayers/core';
import type { TcbListener } from './tcb.ts';
import type { TcpSocket } from './socket.ts';

export interface ListenerHost {
  unlisten(listener: TcpListener): void;
}

export class TcpListener extends EventEmitter<StreamListenerEvents> implements StreamListener, TcbListener {
  /** Connections in SYN-RECEIVED that came from this listener. */
  halfOpen = 0;
  closed = false;
  private paused = false;
  /** Established connections not yet handed to the application (the accept queue). */
  readonly acceptQueue: TcpSocket[] = [];

  /** @internal use TcpLayer.listen. */
  constructor(
    private readonly host: ListenerHost,
    readonly localAddress: Ipv4Address,
    readonly localPort: number,
    readonly backlog: number,
  ) {
    super();
  }

  /** Connections waiting in the accept queue. */
  get pending(): number {
    return this.acceptQueue.length;
  }

  /** The accept queue holds `backlog` connections: completing handshakes are dropped. */
  get acceptQueueFull(): boolean {
    return this.acceptQueue.length >= this.backlog;
  }

  /** Stop emitting 'connection': completed connections wait in the accept queue (up to the backlog). */
  pause(): this {
    this.paused = true;
    return this;
  }

  /** Hand over every waiting connection, in order, and emit new ones as they complete. */
  resume(): this {
    this.paused = false;
    while (!this.paused && this.acceptQueue.length > 0) this.emit('connection', this.acceptQueue.shift()!);
    return this;
  }

  isPaused(): boolean {
    return this.paused;
  }

  /** @internal a connection from this listener reached ESTABLISHED. */
  deliver(socket: TcpSocket): void {
    if (this.paused) this.acceptQueue.push(socket);
    else this.emit('connection', socket);
  }

  /** Stop accepting (half-open and unaccepted connections are reset); accepted connections continue. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.host.unlisten(this);
    this.emit('close');
  }
}
