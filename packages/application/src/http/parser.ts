// Incremental HTTP/1.1 message parser (RFC 9112): start line (§3, §4), header fields
// (§5, obs-fold rejected in requests), message body length (§6.3: Transfer-Encoding
// chunked, Content-Length, read-until-close for responses), chunked coding with chunk
// extensions and trailer fields (§7.1), and limits on line length, header section size,
// field count and body size. Bytes may arrive split anywhere; `push` never throws: a
// malformed message yields an HttpParseError carrying the status a server should answer.

import { InvalidArgumentError } from '@netlayers/core';
import { HttpHeaders, isToken } from './headers.ts';
import { responseHasNoBody, wantsKeepAlive, type HttpRequest, type HttpResponse, type HttpVersion } from './message.ts';
import { ByteQueue, fromLatin1 } from '../util/bytes.ts';

export interface HttpLimits {
  /** Longest start line or chunk-size line, bytes (with CRLF). */
  readonly maxLineLength: number;
  /** Largest header section (all field lines), bytes; trailers count too. */
  readonly maxHeaderBytes: number;
  /** Most header (plus trailer) fields in one message. */
  readonly maxHeaderCount: number;
  /** Largest body, bytes. */
  readonly maxBodyBytes: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  maxLineLength: 8192,
  maxHeaderBytes: 16 * 1024,
  maxHeaderCount: 100,
  maxBodyBytes: 8 * 1024 * 1024,
};

/** The largest value each limit may be raised to (a body is one Uint8Array, at most 2 GiB here). */
export const MAX_HTTP_LIMITS: HttpLimits = {
  maxLineLength: 1024 * 1024,
  maxHeaderBytes: 16 * 1024 * 1024,
  maxHeaderCount: 100_000,
  maxBodyBytes: 2 ** 31 - 1,
};

/**
 * Defaults overlaid with `limits`, each checked: an integer from 1 (0 for the body) to its
 * MAX_HTTP_LIMITS value. Throws InvalidArgumentError naming the bad or unknown field.
 */
export function resolveHttpLimits(limits: Partial<HttpLimits> | undefined): HttpLimits {
  if (limits === undefined) return DEFAULT_HTTP_LIMITS;
  if (typeof limits !== 'object' || limits === null) throw new InvalidArgumentError('HTTP limits', limits, 'must be an object such as { maxBodyBytes: 64 * 1024 * 1024 }');
  const out: Record<keyof HttpLimits, number> = { ...DEFAULT_HTTP_LIMITS };
  for (const [key, value] of Object.entries(limits)) {
    if (!(key in DEFAULT_HTTP_LIMITS)) {
      throw new InvalidArgumentError('HTTP limit', key, `is not a limit; the limits are ${Object.keys(DEFAULT_HTTP_LIMITS).join(', ')}`);
    }
    if (value === undefined) continue;
    const name = key as keyof HttpLimits;
    const min = name === 'maxBodyBytes' ? 0 : 1;
    const max = MAX_HTTP_LIMITS[name];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw new InvalidArgumentError(`HTTP limit ${name}`, value, `must be an integer from ${min} to ${max}`);
    }
    out[name] = value;
  }
  return out;
}

/** Why a message could not be parsed, and the status code a server answers with. */
export interface HttpParseError {
  readonly httpParseError: true;
  readonly status: 400 | 413 | 414 | 431 | 501 | 505;
  readonly detail: string;
  /** Set when the message broke one of the parser's limits rather than the protocol. */
  readonly limit?: keyof HttpLimits;
}

export function isHttpParseError(value: unknown): value is HttpParseError {
  return typeof value === 'object' && value !== null && (value as { httpParseError?: unknown }).httpParseError === true;
}

function parseError(status: HttpParseError['status'], detail: string, limit?: keyof HttpLimits): HttpParseError {
  return limit === undefined ? { httpParseError: true, status, detail } : { httpParseError: true, status, detail, limit };
}

const EMPTY_BODY = new Uint8Array(0);

type State = 'start' | 'headers' | 'fixed' | 'chunk-size' | 'chunk-data' | 'chunk-data-end' | 'trailers' | 'until-close' | 'error';

interface StartLine {
  method: string;
  target: string;
  version: HttpVersion;
  status: number;
  reason: string;
}

const HEX_DIGITS = /^[0-9A-Fa-f]{1,15}$/;
const TARGET = /^[\x21-\x7e]+$/;
const VERSION = /^HTTP\/(\d)\.(\d)$/;

abstract class HttpParserBase<M> {
  protected readonly queue = new ByteQueue();
  protected state: State = 'start';
  protected start: StartLine | null = null;
  protected headers = new HttpHeaders();
  protected trailers = new HttpHeaders();
  protected headerBytes = 0;
  protected fieldCount = 0;
  /** The body so far, in a buffer that doubles as it fills (a chunked body of many tiny chunks is one buffer, not thousands). */
  protected body: Uint8Array = EMPTY_BODY;
  protected bodyLength = 0;
  /** The body can grow no larger: the Content-Length, or the body limit. */
  protected bodyCeiling = 0;
  protected remaining = 0;
  protected error: HttpParseError | null = null;
  readonly limits: HttpLimits;

  /** Throws InvalidArgumentError for a limit that is not a positive integer in range (see resolveHttpLimits). */
  constructor(limits?: Partial<HttpLimits>) {
    this.limits = resolveHttpLimits(limits);
  }

  /** True after a parse error: the stream cannot be resynchronised. */
  get failed(): boolean {
    return this.state === 'error';
  }

  /** True while part of a message has been received. */
  get inMessage(): boolean {
    return this.state !== 'start' || this.queue.length > 0;
  }

  /** Feed received bytes; returns the messages completed (and at most one error, last). */
  push(chunk: Uint8Array): (M | HttpParseError)[] {
    const out: (M | HttpParseError)[] = [];
    if (this.state === 'error') return out;
    this.queue.append(chunk);
    for (;;) {
      const result = this.step();
      if (result === null) break;
      out.push(result);
      if (isHttpParseError(result)) break;
    }
    return out;
  }

  /** The stream ended: completes a read-until-close body, or reports a truncated message. */
  finish(): M | HttpParseError | null {
    if (this.state === 'until-close') return this.complete();
    if (this.state === 'error' || !this.inMessage) return null;
    return this.fail(400, `connection closed in the middle of a message (state ${this.state})`);
  }

  protected fail(status: HttpParseError['status'], detail: string, limit?: keyof HttpLimits): HttpParseError {
    this.state = 'error';
    this.error = parseError(status, detail, limit);
    this.queue.clear();
    this.scanned = 0;
    return this.error;
  }

  /** Bytes at the front of the queue already searched for LF: a line arriving in pieces is scanned once. */
  private scanned = 0;

  /** Next line without its line ending; undefined when incomplete, an error when too long or holding a bare CR. */
  private readLine(limit: number, tooLong: () => HttpParseError): string | undefined | HttpParseError {
    const lf = this.queue.indexOfLf(this.scanned);
    if (lf < 0) {
      this.scanned = this.queue.length;
      return this.queue.length >= limit ? tooLong() : undefined;
    }
    this.scanned = 0;
    if (lf + 1 > limit) return tooLong();
    // Read the line straight from the queue (no copy), then drop it and its line ending.
    const bytes = this.queue.view();
    const end = lf > 0 && bytes[lf - 1] === 0x0d ? lf - 1 : lf;
    for (let i = 0; i < end; i++) {
      const b = bytes[i]!;
      if (b === 0x0d || b === 0x00) return this.fail(400, `${b === 0 ? 'NUL' : 'bare CR'} in a line (RFC 9112 §2.2)`);
    }
    const line = fromLatin1(bytes, 0, end);
    this.queue.consume(lf + 1);
    return line;
  }

  private step(): M | HttpParseError | null {
    for (;;) {
      switch (this.state) {
        case 'error':
          return null;
        case 'start': {
          const line = this.readLine(this.limits.maxLineLength, () => this.startLineTooLong());
          if (line === undefined || typeof line !== 'string') return line ?? null;
          if (line === '') continue; // RFC 9112 §2.2: ignore empty lines before the start line
          const start = this.parseStartLine(line);
          if ('httpParseError' in start) return start;
          this.start = start;
          this.headers = new HttpHeaders();
          this.trailers = new HttpHeaders();
          this.headerBytes = 0;
          this.fieldCount = 0;
          this.body = EMPTY_BODY;
          this.bodyLength = 0;
          this.bodyCeiling = this.limits.maxBodyBytes;
          this.state = 'headers';
          continue;
        }
        case 'headers':
        case 'trailers': {
          const room = this.limits.maxHeaderBytes - this.headerBytes;
          const line = this.readLine(room + 2, () => this.fail(431, `header section larger than ${this.limits.maxHeaderBytes} bytes`, 'maxHeaderBytes'));
          if (line === undefined || typeof line !== 'string') return line ?? null;
          this.headerBytes += line.length + 2;
          if (line === '') {
            if (this.state === 'trailers') return this.complete();
            const framed = this.decideFraming();
            if (framed !== null) return framed;
            continue;
          }
          const target = this.state === 'trailers' ? this.trailers : this.headers;
          const error = this.parseFieldLine(line, target);
          if (error !== null) return error;
          continue;
        }
        case 'fixed': {
          if (!this.takeBody()) return null;
          return this.complete();
        }
        case 'chunk-size': {
          const line = this.readLine(this.limits.maxLineLength, () => this.fail(400, 'chunk-size line too long', 'maxLineLength'));
          if (line === undefined || typeof line !== 'string') return line ?? null;
          const semicolon = line.indexOf(';');
          const sizeText = trimEndWhitespace(semicolon < 0 ? line : line.slice(0, semicolon));
          const extensions = semicolon < 0 ? '' : line.slice(semicolon);
          if (!HEX_DIGITS.test(sizeText)) return this.fail(400, `invalid chunk size ${JSON.stringify(sizeText)} (RFC 9112 §7.1)`);
          if (!isChunkExtensions(extensions)) return this.fail(400, `invalid chunk extension ${JSON.stringify(extensions)} (RFC 9112 §7.1.1)`);
          const size = parseInt(sizeText, 16);
          if (size === 0) {
            this.state = 'trailers';
            continue;
          }
          if (this.bodyLength + size > this.limits.maxBodyBytes) return this.fail(413, `chunked body larger than ${this.limits.maxBodyBytes} bytes`, 'maxBodyBytes');
          this.remaining = size;
          this.state = 'chunk-data';
          continue;
        }
        case 'chunk-data': {
          if (!this.takeBody()) return null;
          this.state = 'chunk-data-end';
          continue;
        }
        case 'chunk-data-end': {
          const view = this.queue.view();
          if (view.length === 0) return null;
          if (view[0] === 0x0a) {
            this.queue.consume(1);
          } else if (view[0] === 0x0d) {
            if (view.length < 2) return null;
            if (view[1] !== 0x0a) return this.fail(400, 'chunk data not followed by CRLF');
            this.queue.consume(2);
          } else {
            return this.fail(400, 'chunk data longer than its chunk size');
          }
          this.state = 'chunk-size';
          continue;
        }
        case 'until-close': {
          if (this.queue.length === 0) return null;
          if (this.bodyLength + this.queue.length > this.limits.maxBodyBytes) return this.fail(413, `body larger than ${this.limits.maxBodyBytes} bytes`, 'maxBodyBytes');
          this.appendBody(this.queue.view());
          this.queue.consume(this.queue.length);
          return null;
        }
      }
    }
  }

  /** Move up to `remaining` queued bytes into the body; true once the fixed body or chunk is whole. */
  private takeBody(): boolean {
    if (this.remaining === 0) return true;
    if (this.queue.length === 0) return false;
    const view = this.queue.view();
    const part = view.length > this.remaining ? view.subarray(0, this.remaining) : view;
    this.appendBody(part);
    this.queue.consume(part.length);
    this.remaining -= part.length;
    return this.remaining === 0;
  }

  /** Copy `part` onto the end of the body, growing its buffer to at least twice its size when full. */
  private appendBody(part: Uint8Array): void {
    const need = this.bodyLength + part.length;
    if (need > this.body.length) {
      const grown = new Uint8Array(Math.max(need, Math.min(this.body.length * 2, this.bodyCeiling), Math.min(64, this.bodyCeiling)));
      grown.set(this.body.subarray(0, this.bodyLength));
      this.body = grown;
    }
    if (part.length < 32) {
      for (let i = 0; i < part.length; i++) this.body[this.bodyLength + i] = part[i]!; // cheaper than set() for a few bytes
    } else {
      this.body.set(part, this.bodyLength);
    }
    this.bodyLength = need;
  }

  private parseFieldLine(line: string, target: HttpHeaders): HttpParseError | null {
    if (line.charCodeAt(0) === 0x20 || line.charCodeAt(0) === 0x09) {
      return this.obsFold(line, target);
    }
    if (++this.fieldCount > this.limits.maxHeaderCount) return this.fail(431, `more than ${this.limits.maxHeaderCount} header fields`, 'maxHeaderCount');
    const colon = line.indexOf(':');
    if (colon <= 0) return this.fail(400, `header line without a field name and colon: ${JSON.stringify(line.slice(0, 40))}`);
    const name = line.slice(0, colon);
    if (!isToken(name)) return this.fail(400, `invalid field name ${JSON.stringify(name.slice(0, 40))} (whitespace before the colon is not allowed, RFC 9112 §5.1)`);
    const value = trimWhitespace(line, colon + 1);
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i);
      if ((c < 0x20 && c !== 0x09) || c === 0x7f) return this.fail(400, `control character in field ${name}`);
    }
    HttpHeaders.trustedAppend(target, name, value);
    return null;
  }

  /** A line starting with whitespace: obsolete line folding (RFC 9112 §5.2). */
  protected abstract obsFold(line: string, target: HttpHeaders): HttpParseError | null;
  protected abstract startLineTooLong(): HttpParseError;
  protected abstract parseStartLine(line: string): StartLine | HttpParseError;
  /** Choose the body framing after the header section; may complete a body-less message. */
  protected abstract decideFraming(): M | HttpParseError | null;
  protected abstract build(start: StartLine, body: Uint8Array): M;

  /** The message is whole: build it, and the next bytes start a new message. */
  protected complete(): M {
    this.state = 'start';
    const body = this.body.length === this.bodyLength ? this.body : this.body.slice(0, this.bodyLength);
    this.body = EMPTY_BODY;
    this.bodyLength = 0;
    return this.build(this.start!, body);
  }

  /** Content-Length per RFC 9112 §6.3 item 5: digits, and a list only of equal values. */
  protected contentLength(): number | HttpParseError | null {
    const values = this.headers.getAll('content-length');
    if (values.length === 0) return null;
    const parts = values.flatMap((v) => v.split(',')).map((v) => v.trim());
    if (parts.some((p) => !/^\d{1,15}$/.test(p)) || new Set(parts.map(Number)).size !== 1) {
      return this.fail(400, `invalid Content-Length ${JSON.stringify(values.join(', ').slice(0, 40))}`);
    }
    return Number(parts[0]);
  }

  /** Chunked framing (RFC 9112 §7.1), when chunked is the only coding; others are not implemented. */
  protected startChunked(codings: readonly string[]): HttpParseError | null {
    if (codings.length !== 1) return this.fail(501, `transfer codings ${codings.join(', ')} are not implemented`);
    this.state = 'chunk-size';
    return null;
  }

  /** Framing by Content-Length (RFC 9112 §6.3 item 5); `whenAbsent` decides a message that has none. */
  protected frameByContentLength(whenAbsent: () => M | HttpParseError | null): M | HttpParseError | null {
    const length = this.contentLength();
    if (length !== null && typeof length !== 'number') return length;
    if (length === null) return whenAbsent();
    if (length === 0) return this.complete();
    return this.startFixed(length);
  }

  protected startFixed(length: number): M | HttpParseError | null {
    if (length > this.limits.maxBodyBytes) return this.fail(413, `Content-Length ${length} exceeds ${this.limits.maxBodyBytes} bytes`, 'maxBodyBytes');
    // The size is known, but memory is committed only as bytes arrive (a Content-Length
    // alone must not reserve megabytes): start at up to 64 KiB and grow to exactly `length`.
    this.body = new Uint8Array(Math.min(length, 64 * 1024));
    this.bodyCeiling = length;
    this.remaining = length;
    this.state = 'fixed';
    return null;
  }
}

const isWhitespace = (c: number): boolean => c === 0x20 || c === 0x09;

/** `text` from `from` without leading and trailing SP/HTAB (OWS), in one pass (a regex here is quadratic on long runs of spaces). */
function trimWhitespace(text: string, from = 0): string {
  let start = from;
  let end = text.length;
  while (start < end && isWhitespace(text.charCodeAt(start))) start++;
  while (end > start && isWhitespace(text.charCodeAt(end - 1))) end--;
  return text.slice(start, end);
}

/** tchar of RFC 9110 §5.6.2, by code point. */
const TOKEN_CHARS = (() => {
  const table = new Uint8Array(128);
  for (const c of "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") table[c.charCodeAt(0)] = 1;
  return table;
})();
const isTokenChar = (c: number): boolean => c < 0x80 && TOKEN_CHARS[c] === 1;

/**
 * RFC 9112 §7.1.1: *( BWS ";" BWS name [ BWS "=" BWS ( token / quoted-string ) ] ), then
 * optional trailing whitespace. One pass over the text (the equivalent regular expression
 * backtracks quadratically on a long run of extensions that fails at its end).
 */
function isChunkExtensions(text: string): boolean {
  const n = text.length;
  let i = 0;
  for (;;) {
    i = skipWhitespace(text, i);
    if (i === n) return true;
    if (text.charCodeAt(i) !== 0x3b) return false; // ';'
    i = skipWhitespace(text, i + 1);
    const nameEnd = skipToken(text, i);
    if (nameEnd === i) return false;
    i = skipWhitespace(text, nameEnd);
    if (i === n || text.charCodeAt(i) !== 0x3d) {
      i = nameEnd; // no value: the next extension (or the end) follows
      continue;
    }
    i = skipWhitespace(text, i + 1);
    if (i < n && text.charCodeAt(i) === 0x22) {
      i = skipQuotedString(text, i + 1);
      if (i < 0) return false;
    } else {
      const valueEnd = skipToken(text, i);
      if (valueEnd === i) return false;
      i = valueEnd;
    }
  }
}

function skipWhitespace(text: string, i: number): number {
  while (i < text.length && isWhitespace(text.charCodeAt(i))) i++;
  return i;
}

function skipToken(text: string, i: number): number {
  while (i < text.length && isTokenChar(text.charCodeAt(i))) i++;
  return i;
}

/** From just after the opening DQUOTE to just after the closing one, or -1 (RFC 9110 §5.6.4). */
function skipQuotedString(text: string, i: number): number {
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c === 0x5c) {
      const next = i + 1 < n ? text.charCodeAt(i + 1) : -1;
      if (!(next === 0x09 || (next >= 0x20 && next !== 0x7f && next <= 0xff))) return -1;
      i += 2;
    } else if (c === 0x09 || c === 0x20 || c === 0x21 || (c >= 0x23 && c <= 0x7e) || (c >= 0x80 && c <= 0xff)) {
      i++;
    } else {
      return -1;
    }
  }
  return -1;
}

function trimEndWhitespace(text: string): string {
  let end = text.length;
  while (end > 0 && isWhitespace(text.charCodeAt(end - 1))) end--;
  return text.slice(0, end);
}

function parseVersion(text: string): HttpVersion | 'unsupported' | null {
  const m = VERSION.exec(text);
  if (m === null) return null;
  if (m[1] !== '1') return 'unsupported';
  return m[2] === '0' ? 'HTTP/1.0' : 'HTTP/1.1';
}

/** Parses requests, as a server does. */
export class HttpRequestParser extends HttpParserBase<HttpRequest> {
  protected startLineTooLong(): HttpParseError {
    return this.fail(414, `request line longer than ${this.limits.maxLineLength} bytes`, 'maxLineLength');
  }

  protected parseStartLine(line: string): StartLine | HttpParseError {
    const parts = line.split(' ');
    if (parts.length !== 3) return this.fail(400, `malformed request line ${JSON.stringify(line.slice(0, 60))}`);
    const [method, target, versionText] = parts as [string, string, string];
    if (!isToken(method)) return this.fail(400, `invalid method ${JSON.stringify(method.slice(0, 20))}`);
    if (!TARGET.test(target)) return this.fail(400, `invalid request-target ${JSON.stringify(target.slice(0, 40))}`);
    const version = parseVersion(versionText);
    if (version === null) return this.fail(400, `invalid HTTP version ${JSON.stringify(versionText.slice(0, 20))}`);
    if (version === 'unsupported') return this.fail(505, `HTTP version ${versionText} is not supported`);
    return { method, target, version, status: 0, reason: '' };
  }

  protected obsFold(): HttpParseError {
    return this.fail(400, 'obsolete line folding in a request (RFC 9112 §5.2)');
  }

  protected decideFraming(): HttpRequest | HttpParseError | null {
    const start = this.start!;
    const hosts = this.headers.getAll('host');
    if (start.version === 'HTTP/1.1' && hosts.length !== 1) {
      return this.fail(400, hosts.length === 0 ? 'HTTP/1.1 request without Host (RFC 9112 §3.2)' : 'more than one Host field');
    }
    const codings = this.headers.tokens('transfer-encoding');
    if (this.headers.has('transfer-encoding')) {
      if (this.headers.has('content-length')) return this.fail(400, 'both Transfer-Encoding and Content-Length (RFC 9112 §6.1)');
      if (start.version === 'HTTP/1.0') return this.fail(400, 'Transfer-Encoding in an HTTP/1.0 request');
      if (codings[codings.length - 1] !== 'chunked') return this.fail(400, 'the final transfer coding of a request must be chunked (RFC 9112 §6.3)');
      return this.startChunked(codings);
    }
    // RFC 9112 §6.3 item 7: a request with neither field has no body.
    return this.frameByContentLength(() => this.complete());
  }

  protected build(start: StartLine, body: Uint8Array): HttpRequest {
    return {
      method: start.method,
      target: start.target,
      version: start.version,
      headers: this.headers,
      body,
      trailers: this.trailers,
      keepAlive: wantsKeepAlive(start.version, this.headers),
    };
  }
}

/** Parses responses, as a client does; it must be told each request's method (HEAD has no body). */
export class HttpResponseParser extends HttpParserBase<HttpResponse> {
  private readonly methods: string[] = [];

  /** Record that a request with `method` was sent; responses are matched in order. */
  expectResponseTo(method: string): void {
    this.methods.push(method);
  }

  protected startLineTooLong(): HttpParseError {
    return this.fail(400, `status line longer than ${this.limits.maxLineLength} bytes`, 'maxLineLength');
  }

  protected parseStartLine(line: string): StartLine | HttpParseError {
    const m = /^(\S+) (\d{3})(?: (.*))?$/.exec(line);
    if (m === null) return this.fail(400, `malformed status line ${JSON.stringify(line.slice(0, 60))}`);
    const version = parseVersion(m[1]!);
    if (version === null) return this.fail(400, `invalid HTTP version ${JSON.stringify(m[1]!.slice(0, 20))}`);
    if (version === 'unsupported') return this.fail(505, `HTTP version ${m[1]} is not supported`);
    return { method: '', target: '', version, status: Number(m[2]), reason: m[3] ?? '' };
  }

  protected obsFold(line: string, target: HttpHeaders): HttpParseError | null {
    // RFC 9112 §5.2: a user agent replaces obs-fold with SP.
    const entries = target.entries() as [string, string][];
    const last = entries[entries.length - 1];
    if (last === undefined) return this.fail(400, 'continuation line before any header field');
    last[1] = `${last[1]} ${line.trim()}`;
    return null;
  }

  /** The message being completed was delimited by the connection closing (RFC 9112 §6.3 item 8). */
  private readUntilClose = false;

  protected decideFraming(): HttpResponse | HttpParseError | null {
    const start = this.start!;
    this.readUntilClose = false;
    const interim = start.status >= 100 && start.status < 200;
    const method = interim ? (this.methods[0] ?? 'GET') : (this.methods.shift() ?? 'GET');
    if (responseHasNoBody(method, start.status)) return this.complete();
    if (this.headers.has('transfer-encoding')) {
      const codings = this.headers.tokens('transfer-encoding');
      return codings[codings.length - 1] === 'chunked' ? this.startChunked(codings) : this.startUntilClose();
    }
    // RFC 9112 §6.3 item 8: a response with neither field runs until the connection closes.
    return this.frameByContentLength(() => this.startUntilClose());
  }

  private startUntilClose(): null {
    this.state = 'until-close';
    this.readUntilClose = true;
    return null;
  }

  protected build(start: StartLine, body: Uint8Array): HttpResponse {
    return {
      version: start.version,
      status: start.status,
      reason: start.reason,
      headers: this.headers,
      body,
      trailers: this.trailers,
      keepAlive: wantsKeepAlive(start.version, this.headers) && !this.readUntilClose,
    };
  }
}
