// An HTTP/1.1 origin server over any StreamTransport (RFC 9112 connection management §9,
// RFC 9110 semantics): persistent connections with pipelined requests answered strictly in
// order (§9.3.2), `Connection: close` and HTTP/1.0 defaults (§9.3), Content-Length or
// chunked responses (§6, §7.1), HEAD without content, and 400/413/414/431/501/505 for
// requests the parser rejects, after which the connection is closed (§9.6). A handler that
// throws or rejects gets a 500; nothing escapes a socket callback.

import { EventEmitter } from 'eventemitter3';
import { assertPort, InvalidArgumentError, type Ipv4Address, type NodeContext, type StreamListener, type StreamSocket, type StreamTransport, DropReason } from '@netlayers/core';
import { HttpHeaders } from './headers.ts';
import { HttpRequestParser, isHttpParseError, resolveHttpLimits, type HttpLimits, type HttpParseError } from './parser.ts';
import { responseHasNoBody, serializeHead, STATUS_TEXT, type HttpRequest, type HttpVersion } from './message.ts';
import { concatBytes, latin1, toBytes } from '../util/bytes.ts';
import { connectionKey, traceDrop, tracePdu } from '../util/trace.ts';

/** A request as the handler sees it: the parsed message and who sent it. */
export interface HttpServerRequest extends HttpRequest {
  readonly remoteAddress: Ipv4Address;
  readonly remotePort: number;
  /** The path part of the target (before '?'). */
  readonly path: string;
  /** The query part of the target (after '?', without it), or ''. */
  readonly query: string;
}

export type HttpHandler = (request: HttpServerRequest, response: HttpServerResponse) => void | Promise<void>;

export interface HttpServerOptions {
  readonly port: number;
  readonly handler: HttpHandler;
  readonly limits?: Partial<HttpLimits>;
  /** Listen on one address only. */
  readonly address?: string;
  /** For application-layer trace events and drop counters. */
  readonly node?: NodeContext;
  /** The Server field value; default "netlayers". Empty string: no Server field. */
  readonly serverName?: string;
}

export interface HttpServerEvents {
  request: [request: HttpServerRequest];
  /** A request the parser rejected (answered with its status, then closed). */
  clientError: [error: HttpParseError, remoteAddress: Ipv4Address];
  /** A handler threw or rejected (answered with 500). */
  handlerError: [error: unknown];
}

/** The response a handler fills in. Output is queued until earlier pipelined responses finish. */
export class HttpServerResponse {
  statusCode = 200;
  statusMessage: string | undefined;
  readonly headers = new HttpHeaders();
  private headSent = false;
  private ended = false;
  private chunked = false;
  /** @internal bytes waiting for this response's turn on the connection. */
  pending: Uint8Array[] = [];
  /** @internal the connection closes after this response. */
  closeAfter: boolean;

  /** @internal */
  constructor(
    private readonly connection: ServerConnection,
    readonly request: { readonly method: string; readonly version: HttpVersion; readonly keepAlive: boolean },
  ) {
    this.closeAfter = !request.keepAlive;
  }

  get headersSent(): boolean {
    return this.headSent;
  }

  get finished(): boolean {
    return this.ended;
  }

  status(code: number, message?: string): this {
    assertStatus(code);
    this.statusCode = code;
    this.statusMessage = message;
    return this;
  }

  setHeader(name: string, value: string | number): this {
    this.headers.set(name, String(value));
    return this;
  }

  /** Send part of the body now: HTTP/1.1 without a Content-Length uses the chunked coding. */
  write(chunk: Uint8Array | string): void {
    if (this.ended) return;
    const bytes = toBytes(chunk);
    if (!this.headSent) this.sendHead(null);
    if (bytes.length > 0 && this.bodyAllowed()) {
      if (this.chunked) this.queue(latin1(`${bytes.length.toString(16)}\r\n`), bytes, latin1('\r\n'));
      else this.queue(bytes);
    }
    this.connection.flush();
  }

  /** Finish the response, optionally with (the rest of) its body. */
  end(body?: Uint8Array | string): void {
    if (this.ended) return;
    const bytes = body === undefined ? new Uint8Array(0) : toBytes(body);
    if (!this.headSent) {
      this.sendHead(bytes.length);
      if (bytes.length > 0 && this.bodyAllowed()) this.queue(bytes);
    } else {
      this.write(bytes);
      if (this.chunked) this.queue(latin1('0\r\n\r\n'));
    }
    this.ended = true;
    this.connection.flush();
  }

  /** Send a complete response in one call. */
  send(status: number, body: Uint8Array | string = '', contentType = 'text/plain; charset=utf-8'): void {
    this.status(status);
    if (!this.headers.has('content-type') && toBytes(body).length > 0) this.setHeader('Content-Type', contentType);
    this.end(body);
  }

  private bodyAllowed(): boolean {
    return !responseHasNoBody(this.request.method, this.statusCode);
  }

  private sendHead(contentLength: number | null): void {
    this.headSent = true;
    const h = this.headers;
    if (h.tokens('connection').includes('close')) this.closeAfter = true;
    const noContent = this.statusCode === 204 || this.statusCode === 304 || this.statusCode < 200;
    if (noContent) {
      h.delete('content-length');
      h.delete('transfer-encoding');
    } else if (contentLength !== null && !h.has('transfer-encoding')) {
      if (!h.has('content-length')) h.set('Content-Length', String(contentLength));
    } else if (!h.has('content-length')) {
      if (this.request.version === 'HTTP/1.1') {
        h.set('Transfer-Encoding', 'chunked');
        this.chunked = this.bodyAllowed();
      } else {
        this.closeAfter = true; // HTTP/1.0 body delimited by closing the connection
      }
    }
    if (this.closeAfter) h.set('Connection', 'close');
    else if (this.request.version === 'HTTP/1.0') h.set('Connection', 'keep-alive');
    const name = this.connection.serverName;
    if (name !== '' && !h.has('server')) h.set('Server', name);
    const reason = this.statusMessage ?? STATUS_TEXT[this.statusCode] ?? '';
    const head = serializeHead(`HTTP/1.1 ${this.statusCode} ${reason}`, h);
    this.connection.traceResponse(this, `HTTP/1.1 ${this.statusCode} ${reason}`, head.length);
    this.queue(head);
  }

  /** Add bytes to this response's output; the caller flushes, so a head and body leave in one write. */
  private queue(...parts: Uint8Array[]): void {
    this.pending.push(...parts);
  }
}

function assertStatus(code: number): void {
  if (!Number.isInteger(code) || code < 100 || code > 999) {
    throw new InvalidArgumentError('HTTP status', code, 'must be a three-digit integer from 100 to 999');
  }
}

/** One accepted connection: a parser, and the queue of responses in request order. */
class ServerConnection {
  private readonly parser: HttpRequestParser;
  private readonly responses: HttpServerResponse[] = [];
  private closing = false;
  private peerEnded = false;
  private dead = false;
  private readonly key: string;

  constructor(
    private readonly server: HttpServer,
    private readonly socket: StreamSocket,
    limits: Partial<HttpLimits> | undefined,
    readonly serverName: string,
  ) {
    this.parser = new HttpRequestParser(limits);
    this.key = connectionKey(socket);
    // Like Node's http: responses go out at once instead of waiting on Nagle (RFC 896)
    // for the ACK of the previous segment, which a delayed ACK holds back for up to 200 ms.
    socket.setNoDelay(true);
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('end', () => this.onEnd());
    socket.on('error', () => this.onGone());
    socket.on('close', () => this.onGone());
  }

  private onData(chunk: Uint8Array): void {
    if (this.dead || this.closing) return;
    for (const item of this.parser.push(chunk)) {
      if (isHttpParseError(item)) {
        this.rejectRequest(item);
        return;
      }
      this.dispatch(item);
      if (this.closing) return;
    }
  }

  private dispatch(message: HttpRequest): void {
    const queryAt = message.target.indexOf('?');
    const request: HttpServerRequest = {
      ...message,
      remoteAddress: this.socket.remoteAddress,
      remotePort: this.socket.remotePort,
      path: queryAt < 0 ? message.target : message.target.slice(0, queryAt),
      query: queryAt < 0 ? '' : message.target.slice(queryAt + 1),
    };
    tracePdu(this.server.node, 'http', 'up', `${message.method} ${message.target} ${message.version}`, message.body.length, { protocol: 'http', method: message.method, target: message.target, version: message.version }, this.key);
    const response = new HttpServerResponse(this, message);
    this.responses.push(response);
    if (!message.keepAlive) this.closing = true;
    this.server.emit('request', request);
    try {
      const result = this.server.handler(request, response);
      if (result instanceof Promise) result.catch((error: unknown) => this.handlerFailed(response, error));
    } catch (error) {
      this.handlerFailed(response, error);
    }
  }

  private handlerFailed(response: HttpServerResponse, error: unknown): void {
    this.server.emit('handlerError', error);
    if (response.finished) return;
    if (response.headersSent) {
      this.dead = true;
      this.socket.destroy();
      return;
    }
    response.closeAfter = true;
    response.headers.delete('content-length');
    response.headers.delete('transfer-encoding');
    response.send(500, 'Internal Server Error\n');
  }

  private rejectRequest(error: HttpParseError): void {
    traceDrop(this.server.node, 'http', DropReason.Malformed, error.detail, 0);
    this.server.emit('clientError', error, this.socket.remoteAddress);
    this.closing = true;
    const response = new HttpServerResponse(this, { method: 'GET', version: 'HTTP/1.1', keepAlive: false });
    this.responses.push(response);
    response.send(error.status, `${error.status} ${STATUS_TEXT[error.status] ?? ''}: ${error.detail}\n`);
  }

  private onEnd(): void {
    this.peerEnded = true;
    // A request cut off by the peer's FIN is never answered (there is nobody to read it).
    if (this.parser.inMessage) this.closing = true;
    this.flush();
  }

  private onGone(): void {
    this.dead = true;
    this.responses.length = 0;
  }

  traceResponse(response: HttpServerResponse, line: string, headLength: number): void {
    tracePdu(this.server.node, 'http', 'down', line, headLength, { protocol: 'http', status: response.statusCode, method: response.request.method }, this.key);
  }

  /** Write whatever the head-of-line responses have ready; close when the exchange is over. */
  flush(): void {
    if (this.dead) return;
    try {
      while (this.responses.length > 0) {
        const head = this.responses[0]!;
        if (head.pending.length > 0) {
          const bytes = head.pending.length === 1 ? head.pending[0]! : concatBytes(head.pending);
          head.pending = [];
          this.socket.write(bytes);
        }
        if (!head.finished) return;
        this.responses.shift();
        if (head.closeAfter) {
          this.finish();
          return;
        }
      }
      if (this.peerEnded || this.closing) this.finish();
    } catch {
      // The socket refused the write (it was closed under us): nothing more to send.
      this.dead = true;
    }
  }

  private finish(): void {
    this.dead = true;
    this.responses.length = 0;
    this.socket.end();
  }
}

/** An HTTP/1.1 server listening on `options.port` of `transport`. */
export class HttpServer extends EventEmitter<HttpServerEvents> {
  readonly listener: StreamListener;
  readonly handler: HttpHandler;
  readonly node: NodeContext | undefined;

  constructor(transport: StreamTransport, options: HttpServerOptions) {
    super();
    assertPort(options.port);
    if (typeof options.handler !== 'function') throw new InvalidArgumentError('handler', options.handler, 'HttpServer needs a handler(request, response) function');
    this.handler = options.handler;
    this.node = options.node;
    const serverName = options.serverName ?? 'netlayers';
    const limits = resolveHttpLimits(options.limits); // a bad limit throws here, not in a socket callback
    this.listener = transport.listen({ port: options.port, ...(options.address !== undefined ? { address: options.address } : {}) });
    this.listener.on('connection', (socket) => {
      new ServerConnection(this, socket, limits, serverName);
    });
  }

  get port(): number {
    return this.listener.localPort;
  }

  /** Stop accepting connections; open ones finish their exchanges. */
  close(): void {
    this.listener.close();
  }
}
