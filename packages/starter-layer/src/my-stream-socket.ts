// YOUR stream socket: one end of one connection. The shape is fixed by the StreamSocket
// contract (packages/core/src/contracts/transport.ts); the behaviour is yours to write.
// The conformance suite checks: bytes arrive exactly and in order, end() is a half-close
// ('end' at the peer, which can still send), destroy() aborts ('close' at the peer), and
// write() after end() throws SocketError EPIPE.

import { EventEmitter } from 'eventemitter3';
import { Ipv4Address, type SocketError, type StreamSocket, type StreamSocketEvents } from '@netlayers/core';
import { NotImplementedYet } from './my-stream-transport.ts';

export class MyStreamSocket extends EventEmitter<StreamSocketEvents> implements StreamSocket {
  localAddress: Ipv4Address = Ipv4Address.ANY;
  localPort = 0;
  remoteAddress: Ipv4Address = Ipv4Address.ANY;
  remotePort = 0;
  /** Name your states the way your protocol's specification does. */
  state = 'CLOSED';
  bytesWritten = 0;
  bytesRead = 0;

  write(_data: Uint8Array | string): boolean {
    // TODO 4: queue the bytes, send what the window allows, keep them until acknowledged.
    throw new NotImplementedYet('MyStreamSocket.write');
  }

  end(_data?: Uint8Array | string): void {
    // TODO 5: send any last bytes, then tell the peer you are finished (its socket emits 'end').
    throw new NotImplementedYet('MyStreamSocket.end');
  }

  destroy(_error?: SocketError): void {
    // TODO 6: drop everything, tell the peer to abort, emit 'close'.
    throw new NotImplementedYet('MyStreamSocket.destroy');
  }

  setNoDelay(_noDelay?: boolean): void {
    // Optional: a no-op is fine for a protocol without Nagle-style coalescing.
  }

  setKeepAlive(_enable: boolean, _initialDelay?: number): void {
    // Optional: a no-op is fine.
  }
}
