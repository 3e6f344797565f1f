// TcpListener: a passive OPEN (RFC 9293 §3.10.1, LISTEN state) as the StreamListener
// contract. 'connection' is emitted when a connection reaches ESTABLISHED. The backlog
// bounds half-open (SYN-RECEIVED) connections; SYNs beyond it are dropped, as a full
// SYN queue does.

import { EventEmitter } from 'eventemitter3';
import type { Ipv4Address, StreamListener, StreamListenerEvents } from '@netlayers/core';
import type { TcbListener } from './tcb.ts';

export interface ListenerHost {
  unlisten(listener: TcpListener): void;
}

export class TcpListener extends EventEmitter<StreamListenerEvents> implements StreamListener, TcbListener {
  /** Connections in SYN-RECEIVED that came from this listener. */
  halfOpen = 0;
  closed = false;

  /** @internal use TcpLayer.listen. */
  constructor(
    private readonly host: ListenerHost,
    readonly localAddress: Ipv4Address,
    readonly localPort: number,
    readonly backlog: number,
  ) {
    super();
  }

  /** Stop accepting (half-open connections are reset); established connections continue. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.host.unlisten(this);
    this.emit('close');
  }
}
