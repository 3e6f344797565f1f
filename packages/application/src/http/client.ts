// An HTTP/1.1 client over any StreamTransport (RFC 9112): one persistent connection that
// pipelines requests and matches responses in order (§9.3.2), skips interim 1xx responses
// (RFC 9110 §15.2), reads bodies framed by Content-Length, chunked coding or the closing
// of the connection (§6.3), and a one-shot `httpRequest` / `httpGet` that resolves a host
// name through any resolver (the DNS stub resolver of this package, for example).

import {
  assertPort,
  InvalidArgumentError,
  Ipv4Address,
  SocketError,
  type NodeContext,
  type StreamSocket,
  type StreamTransport,
  type TimerHandle,
  parseDuration,
} from '@netlayers/core';
import { HttpHeaders, type HeaderInit } from './headers.ts';
import { HttpResponseParser, isHttpParseError, resolveHttpLimits, type HttpLimits, type HttpParseError } from './parser.ts';
import { serializeHead, type HttpResponse } from './message.ts';
import { concatBytes, latin1, toBytes } from '../util/bytes.ts';
import { connectionKey, tracePdu } from '../util/trace.ts';
import { resolveHost, type HostResolver } from '../util/host.ts';

export type { HostResolver } from '../util/host.ts';

/** An HTTP failure that is not a response: a protocol violation by the server. */
export class HttpProtocolError extends Error {
  readonly code: 'ERR_HTTP_PROTOCOL' | 'ERR_HTTP_LIMIT' = 'ERR_HTTP_PROTOCOL';
  constructor(message: string) {
    super(message);
    this.name = 'HttpProtocolError';
  }
}

/**
 * A response broke one of the client's limits (a body over `maxBodyBytes`, say): not a
 * protocol violation, and raised by passing a larger `limits[limit]`.
 */
export class HttpLimitError extends HttpProtocolError {
  override readonly code = 'ERR_HTTP_LIMIT';
  constructor(readonly limit: keyof HttpLimits, readonly value: number, detail: string) {
    super(`response exceeds limits.${limit} = ${value}: ${detail}; raise it with { limits: { ${limit}: ... } }`);
    this.name = 'HttpLimitError';
  }
}

export interface HttpRequestInit {
  readonly method?: string;
  /** Request-target in origin-form: "/", "/search?q=1". */
  readonly path?: string;
  readonly headers?: HeaderInit;
  readonly body?: Uint8Array | string;
  /** Send the body with the chunked transfer coding instead of Content-Length. */
  readonly chunked?: boolean;
}

export interface HttpConnectionOptions {
  /** Address or host name (needs `resolver`). */
  readonly host: string | Ipv4Address;
  readonly port?: number;
  readonly resolver?: HostResolver;
  readonly node?: NodeContext;
  readonly limits?: Partial<HttpLimits>;
}

interface PendingExchange {
  resolve(response: HttpResponse): void;
  reject(error: Error): void;
}

/** One client connection; `request` may be called many times, even before earlier responses arrive. */
export class HttpClientConnection {
  private readonly parser: HttpResponseParser;
  private readonly pending: PendingExchange[] = [];
  private readonly outbox: { bytes: Uint8Array; line: string; method: string; path: string }[] = [];
  private socket: StreamSocket | null = null;
  private connected = false;
  private failure: Error | null = null;
  private ended = false;
  private readonly hostHeader: string;
  private readonly ready: Promise<void>;

  constructor(private readonly transport: StreamTransport, private readonly options: HttpConnectionOptions) {
    const port = options.port ?? 80;
    assertPort(port);
    this.parser = new HttpResponseParser(options.limits); // checks the limits (InvalidArgumentError)
    const host = String(options.host);
    this.hostHeader = port === 80 ? host : `${host}:${port}`;
    const literal = options.host instanceof Ipv4Address ? options.host : Ipv4Address.tryParse(options.host);
    if (typeof literal !== 'string') {
      // An address: connect now, so a purely synchronous run loop (runUntilIdle) makes progress.
      this.open(literal, port);
      this.ready = Promise.resolve();
      return;
    }
    this.ready = resolveHost(options.host, options.resolver).then(
      (address) => this.open(address, port),
      (error: unknown) => this.fail(error instanceof Error ? error : new Error(String(error))),
    );
  }

  /** The underlying socket once connecting has started. */
  get stream(): StreamSocket | null {
    return this.socket;
  }

  /** Resolves once the host name is resolved and the connection attempt has started. */
  whenStarted(): Promise<void> {
    return this.ready;
  }

  private open(address: Ipv4Address, port: number): void {
    if (this.failure !== null) return;
    const socket = this.transport.connect({ remoteAddress: address, remotePort: port });
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('connect', () => {
      this.connected = true;
      this.flushOutbox();
    });
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('end', () => this.onEnd());
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new SocketError('ECONNRESET', 'connection closed before the response was complete')));
  }

  /** Send a request (pipelined behind any outstanding ones); resolves with its response. */
  request(init: HttpRequestInit = {}): Promise<HttpResponse> {
    const method = init.method ?? 'GET';
    const path = init.path ?? '/';
    if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(method)) throw new InvalidArgumentError('method', method, 'must be an HTTP token such as "GET"');
    if (!/^[\x21-\x7e]+$/.test(path)) throw new InvalidArgumentError('path', path, 'must be a request-target without spaces or control characters');
    const headers = new HttpHeaders(init.headers);
    if (!headers.has('host')) headers.set('Host', this.hostHeader);
    const body = init.body === undefined ? new Uint8Array(0) : toBytes(init.body);
    const parts: Uint8Array[] = [];
    if (init.chunked === true) {
      headers.set('Transfer-Encoding', 'chunked');
      headers.delete('content-length');
      parts.push(serializeHead(`${method} ${path} HTTP/1.1`, headers));
      if (body.length > 0) parts.push(latin1(`${body.length.toString(16)}\r\n`), body, latin1('\r\n'));
      parts.push(latin1('0\r\n\r\n'));
    } else {
      if (body.length > 0 || ['POST', 'PUT', 'PATCH'].includes(method)) headers.set('Content-Length', String(body.length));
      parts.push(serializeHead(`${method} ${path} HTTP/1.1`, headers), body);
    }
    if (headers.tokens('connection').includes('close')) this.ended = true;
    return new Promise<HttpResponse>((resolve, reject) => {
      if (this.failure !== null) {
        reject(this.failure);
        return;
      }
      this.pending.push({ resolve, reject });
      this.parser.expectResponseTo(method);
      this.outbox.push({ bytes: concatBytes(parts), line: `${method} ${path} HTTP/1.1`, method, path });
      this.flushOutbox();
    });
  }

  /** Finish the connection after outstanding responses (half-close now). */
  close(): void {
    this.ended = true;
    if (this.connected && this.pending.length === 0) this.socket?.end();
  }

  /** Abort the connection and fail outstanding requests. */
  destroy(error: Error = new SocketError('ECONNABORTED', 'request aborted')): void {
    this.fail(error);
    this.socket?.destroy();
  }

  private flushOutbox(): void {
    if (!this.connected || this.socket === null || this.failure !== null) return;
    try {
      while (this.outbox.length > 0) {
        const request = this.outbox.shift()!;
        tracePdu(this.options.node, 'http', 'down', request.line, request.bytes.length, { protocol: 'http', method: request.method, target: request.path }, connectionKey(this.socket));
        this.socket.write(request.bytes);
      }
    } catch (error) {
      this.fail(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private onData(chunk: Uint8Array): void {
    for (const item of this.parser.push(chunk)) {
      if (isHttpParseError(item)) {
        this.fail(this.parseFailure('malformed response', item));
        this.socket?.destroy();
        return;
      }
      this.deliver(item);
    }
  }

  private deliver(response: HttpResponse): void {
    if (response.status >= 100 && response.status < 200 && response.status !== 101) return; // interim
    tracePdu(this.options.node, 'http', 'up', `HTTP/1.1 ${response.status} ${response.reason}`, response.body.length, { protocol: 'http', status: response.status }, this.socket === null ? undefined : connectionKey(this.socket));
    const exchange = this.pending.shift();
    if (exchange === undefined) {
      this.fail(new HttpProtocolError(`unsolicited response ${response.status}`));
      this.socket?.destroy();
      return;
    }
    exchange.resolve(response);
    if (!response.keepAlive) {
      this.fail(new SocketError('ECONNRESET', 'server closed the connection (Connection: close)'));
      this.socket?.end();
    } else if (this.ended && this.pending.length === 0) {
      this.socket?.end();
    }
  }

  private onEnd(): void {
    const last = this.parser.finish();
    if (last !== null) {
      if (isHttpParseError(last)) this.fail(this.parseFailure('connection closed mid-response', last));
      else this.deliver(last);
    }
    this.fail(new SocketError('ECONNRESET', 'server closed the connection'));
    try {
      this.socket?.end();
    } catch {
      // already closed
    }
  }

  private parseFailure(what: string, error: HttpParseError): HttpProtocolError {
    if (error.limit !== undefined) return new HttpLimitError(error.limit, this.parser.limits[error.limit], error.detail);
    return new HttpProtocolError(`${what}: ${error.detail}`);
  }

  private fail(error: Error): void {
    if (this.failure === null) this.failure = error;
    const waiting = this.pending.splice(0);
    for (const exchange of waiting) exchange.reject(error);
  }
}

export interface HttpRequestOptions extends HttpRequestInit, HttpConnectionOptions {
  /** Give up after this long (virtual time; needs `node`): a duration such as "30s" or nanoseconds. */
  readonly timeout?: number | string;
}

/** What `httpGet` takes besides the URL. */
export interface HttpGetOptions {
  readonly resolver?: HostResolver;
  readonly node?: NodeContext;
  readonly headers?: HeaderInit;
  /** Give up after this long (virtual time; needs `node`). */
  readonly timeout?: number | string;
  /** Response limits; e.g. `{ maxBodyBytes: 64 * 1024 * 1024 }` for a body over the 8 MiB default. */
  readonly limits?: Partial<HttpLimits>;
}

/**
 * Check a one-shot request's timeout and limits before anything is opened, so a bad one
 * throws InvalidArgumentError and leaves nothing behind. Returns the timeout in nanoseconds.
 */
function checkOneShotOptions(options: { timeout?: number | string; node?: NodeContext; limits?: Partial<HttpLimits> }): number | undefined {
  resolveHttpLimits(options.limits);
  if (options.timeout === undefined) return undefined;
  if (options.node === undefined) throw new InvalidArgumentError('timeout', options.timeout, 'a timeout needs options.node (virtual time)');
  const ns = parseDuration(options.timeout);
  if (!(ns > 0)) throw new InvalidArgumentError('timeout', options.timeout, 'must be longer than zero');
  return ns;
}

/** One request on a fresh connection (sent with `Connection: close`). */
export async function httpRequest(transport: StreamTransport, options: HttpRequestOptions): Promise<HttpResponse> {
  const timeoutNs = checkOneShotOptions(options);
  const connection = new HttpClientConnection(transport, options);
  const headers = new HttpHeaders(options.headers);
  if (!headers.has('connection')) headers.set('Connection', 'close');
  let timer: TimerHandle | undefined;
  if (timeoutNs !== undefined) {
    timer = options.node!.scheduler.schedule(timeoutNs, () => connection.destroy(new SocketError('ETIMEDOUT', `no response within ${options.timeout}`)));
  }
  try {
    return await connection.request({ ...options, headers });
  } finally {
    timer?.cancel();
  }
}

/** GET an `http://host[:port]/path` URL; host names go through `resolver`. */
export function httpGet(transport: StreamTransport, url: string, options: HttpGetOptions = {}): Promise<HttpResponse> {
  const parsed = parseHttpUrl(url);
  checkOneShotOptions(options); // a bad limit or timeout throws here, as a bad URL does
  return httpRequest(transport, { ...options, host: parsed.host, port: parsed.port, path: parsed.path, method: 'GET' });
}

/** Split an http URL into host, port and origin-form target. */
export function parseHttpUrl(url: string): { host: string; port: number; path: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidArgumentError('url', url, 'is not a valid URL');
  }
  if (parsed.protocol !== 'http:') throw new InvalidArgumentError('url', url, 'only http: URLs are supported (no TLS in this stack)');
  return { host: parsed.hostname, port: parsed.port === '' ? 80 : Number(parsed.port), path: `${parsed.pathname}${parsed.search}` };
}
