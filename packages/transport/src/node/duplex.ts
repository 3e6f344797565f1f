// A Node stream.Duplex over any StreamSocket (TCP or a replacement), shaped like
// net.Socket so Node's http accepts it. Backpressure both ways: write() waits for 'drain'
// when the transport's send buffer is full, and a full read buffer pauses the transport
// (when it offers pause()/resume(), as TCP does, closing its receive window, RFC 9293
// §3.8.6). end() sends FIN (RFC 9293 §3.10.4 CLOSE); destroy() aborts with RST (§3.10.5
// ABORT) unless FIN was already sent; transport errors surface with their code.

import { Duplex } from 'node:stream';
import { NS_PER_MS, SocketError, type StreamSocket, type TimerHandle, type Timers } from '@netlayers/core';

/** What transports may offer beyond the contract: flow control towards the sender. */
interface PausableSocket {
  pause(): void;
  resume(): void;
}

function isPausable(socket: StreamSocket): socket is StreamSocket & PausableSocket {
  const s = socket as Partial<PausableSocket>;
  return typeof s.pause === 'function' && typeof s.resume === 'function';
}

export interface ToDuplexOptions {
  /** Keep the write side open after the peer's FIN (default false, as net.Socket). */
  readonly allowHalfOpen?: boolean;
  /** The socket is an active open still connecting: hold writes until 'connect'. */
  readonly connecting?: boolean;
  /** Virtual-time timers for the idle 'timeout' event (net.Socket's setTimeout method); without them it never fires. */
  readonly timers?: Timers;
  readonly readableHighWaterMark?: number;
  readonly writableHighWaterMark?: number;
}

type Callback = (error?: Error | null) => void;

/** A net.Socket look-alike over a StreamSocket. */
export class StreamSocketDuplex extends Duplex {
  readonly socket: StreamSocket;
  /** As net.Socket: true until the active open completes. */
  connecting: boolean;
  readonly remoteFamily = 'IPv4';
  private underlyingClosed = false;
  /** Our FIN has been handed to the transport (end() called on it). */
  private finSent = false;
  private pausedUnderlying = false;
  /** A write waiting for 'drain' (Writable has at most one _write outstanding). */
  private pendingWrite: Callback | undefined;
  /** A write or the final FIN held until the active open completes. */
  private heldWrite: { chunk: Buffer; encoding: BufferEncoding; callback: Callback } | undefined;
  private heldFinal: Callback | undefined;
  private readonly timers: Timers | undefined;
  private idleTimeoutMs = 0;
  private idleTimer: TimerHandle | undefined;

  constructor(socket: StreamSocket, options: ToDuplexOptions = {}) {
    super({
      allowHalfOpen: options.allowHalfOpen ?? false,
      ...(options.readableHighWaterMark !== undefined ? { readableHighWaterMark: options.readableHighWaterMark } : {}),
      ...(options.writableHighWaterMark !== undefined ? { writableHighWaterMark: options.writableHighWaterMark } : {}),
    });
    this.socket = socket;
    this.connecting = options.connecting ?? false;
    this.timers = options.timers;
    socket.on('connect', this.onConnect);
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('drain', this.onDrain);
    socket.on('error', this.onError);
    socket.on('close', this.onClose);
    // TCP urgent data (RFC 6093: inline): the stream offset where it ends, as the socket reports it.
    socket.on('urgent', (end) => this.emit('urgent', end));
  }

  // net.Socket's address properties (strings, as Node has them).
  get remoteAddress(): string {
    return String(this.socket.remoteAddress);
  }
  get remotePort(): number {
    return this.socket.remotePort;
  }
  get localAddress(): string {
    return String(this.socket.localAddress);
  }
  get localPort(): number {
    return this.socket.localPort;
  }
  get localFamily(): string {
    return 'IPv4';
  }
  get bytesWritten(): number {
    return this.socket.bytesWritten;
  }
  get bytesRead(): number {
    return this.socket.bytesRead;
  }
  /** As net.Socket: true before the connection is established. */
  get pending(): boolean {
    return this.connecting;
  }
  get readyState(): 'opening' | 'open' | 'readOnly' | 'writeOnly' | 'closed' {
    if (this.connecting) return 'opening';
    if (this.readable && this.writable) return 'open';
    if (this.readable) return 'readOnly';
    if (this.writable) return 'writeOnly';
    return 'closed';
  }

  address(): { address: string; family: string; port: number } {
    return { address: this.localAddress, family: 'IPv4', port: this.localPort };
  }

  setNoDelay(noDelay = true): this {
    this.socket.setNoDelay(Boolean(noDelay)); // net.Socket coerces; the StreamSocket wants a boolean
    return this;
  }

  /** `initialDelay` in milliseconds, as Node takes it. */
  setKeepAlive(enable = false, initialDelay = 0): this {
    this.socket.setKeepAlive(Boolean(enable), initialDelay > 0 ? initialDelay * NS_PER_MS : undefined);
    return this;
  }

  /** Idle timeout in (virtual) milliseconds: 'timeout' after that long without traffic; 0 disables. */
  setTimeout(timeout: number, callback?: () => void): this {
    this.idleTimeoutMs = Number.isFinite(timeout) && timeout > 0 ? timeout : 0;
    if (callback !== undefined) {
      if (this.idleTimeoutMs === 0) this.removeListener('timeout', callback);
      else this.once('timeout', callback);
    }
    this.touch();
    return this;
  }

  get timeout(): number | undefined {
    return this.idleTimeoutMs === 0 ? undefined : this.idleTimeoutMs;
  }

  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }

  /** As net.Socket: finish writing, then close. */
  destroySoon(): void {
    if (this.writable) this.end();
    if (this.writableFinished) this.destroy();
    else this.once('finish', () => this.destroy());
  }

  /** Abort the connection with RST (net.Socket.resetAndDestroy). */
  resetAndDestroy(): this {
    if (!this.underlyingClosed) {
      this.underlyingClosed = true;
      this.socket.destroy();
    }
    return this.destroy();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: Callback): void {
    if (this.connecting) {
      this.heldWrite = { chunk, encoding: _encoding, callback };
      return;
    }
    let ok: boolean;
    try {
      ok = this.socket.write(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    } catch (error) {
      callback(error as Error);
      return;
    }
    this.touch();
    if (ok) callback();
    else this.pendingWrite = callback;
  }

  override _final(callback: Callback): void {
    if (this.connecting) {
      this.heldFinal = callback;
      return;
    }
    if (this.underlyingClosed) {
      callback();
      return;
    }
    try {
      this.finSent = true;
      this.socket.end();
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _read(_size: number): void {
    if (this.pausedUnderlying && isPausable(this.socket)) {
      this.pausedUnderlying = false;
      this.socket.resume();
    }
  }

  override _destroy(error: Error | null, callback: Callback): void {
    this.idleTimer?.cancel();
    this.detach();
    const failure = error ?? new SocketError('ERR_SOCKET_CLOSED', 'socket destroyed before the write completed');
    const pending = [this.pendingWrite, this.heldWrite?.callback, this.heldFinal];
    this.pendingWrite = this.heldWrite = this.heldFinal = undefined;
    for (const callback of pending) callback?.(failure);
    // What close(2) does in the kernel: with an error, or with received data the
    // application never read, ABORT (RST, RFC 1122 §4.2.2.13); otherwise CLOSE, a FIN
    // (RFC 9293 §3.10.4) after anything already queued, and the transport finishes the
    // close on its own. Node's socket.destroy() behaves the same way over a real kernel.
    if (!this.underlyingClosed) {
      this.underlyingClosed = true;
      if (error !== null || this.readableLength > 0) {
        this.socket.destroy(error instanceof SocketError ? error : undefined);
      } else if (!this.finSent) {
        this.finSent = true;
        this.socket.end();
      }
    }
    callback(error);
  }

  private readonly onConnect = (): void => {
    if (!this.connecting) return;
    this.connecting = false;
    this.touch();
    const held = this.heldWrite;
    const final = this.heldFinal;
    this.heldWrite = this.heldFinal = undefined;
    if (held !== undefined) this._write(held.chunk, held.encoding, held.callback);
    if (final !== undefined) this._final(final);
    this.emit('connect');
    this.emit('ready');
  };

  private readonly onData = (chunk: Uint8Array): void => {
    this.touch();
    const buffer = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (!this.push(buffer) && isPausable(this.socket) && !this.pausedUnderlying) {
      this.pausedUnderlying = true;
      this.socket.pause();
    }
  };

  private readonly onEnd = (): void => {
    this.push(null);
  };

  private readonly onDrain = (): void => {
    const pending = this.pendingWrite;
    this.pendingWrite = undefined;
    pending?.();
  };

  private readonly onError = (error: SocketError): void => {
    this.underlyingClosed = true;
    this.destroy(error);
  };

  private readonly onClose = (_hadError: boolean): void => {
    this.underlyingClosed = true;
    this.connecting = false;
    if (this.destroyed) return;
    // A transport error came first as 'error'; a clean close just ends the stream.
    if (!this.readableEnded) this.push(null);
    this.destroy();
  };

  private detach(): void {
    this.socket.off('connect', this.onConnect);
    this.socket.off('data', this.onData);
    this.socket.off('end', this.onEnd);
    this.socket.off('drain', this.onDrain);
    this.socket.off('error', this.onError);
    this.socket.off('close', this.onClose);
  }

  /** Restart the idle timer (virtual time) after traffic. */
  private touch(): void {
    this.idleTimer?.cancel();
    this.idleTimer = undefined;
    if (this.idleTimeoutMs === 0 || this.timers === undefined || this.destroyed) return;
    this.idleTimer = this.timers.schedule(this.idleTimeoutMs * NS_PER_MS, () => {
      this.idleTimer = undefined;
      this.emit('timeout');
    });
  }
}

/** Wrap a StreamSocket as a Node Duplex that Node's http and net-based code accept. */
export function toDuplex(socket: StreamSocket, options: ToDuplexOptions = {}): StreamSocketDuplex {
  return new StreamSocketDuplex(socket, options);
}
