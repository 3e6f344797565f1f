// Numbered replies of the text protocols (SMTP RFC 5321 §4.2, FTP RFC 959 §4.2): a
// three-digit code, then SP and text on the last line; "ddd-" starts a multi-line reply
// that ends at the first line beginning with the same code and a space. `ReplyParser`
// reads that grammar from bytes; `ReplyReader` turns a client's control connection into a
// queue of replies to await; `sendReply` is a server's side of the same dialogue.

import { SocketError, type NodeContext, type StreamSocket } from '@netlayers/core';
import { LineReader } from './lines.ts';
import { latin1 } from './bytes.ts';
import { firstLine, tracePdu } from './trace.ts';

export interface Reply {
  readonly code: number;
  /** The text of every line, without the code. */
  readonly lines: readonly string[];
}

export function replyText(reply: Reply): string {
  return reply.lines.join(' ');
}

/** An unexpected reply from a server. */
export class ProtocolReplyError extends Error {
  constructor(readonly protocol: string, readonly reply: Reply, readonly command: string) {
    super(`${protocol}: ${command === '' ? 'greeting' : JSON.stringify(command)} answered ${reply.code} ${replyText(reply)}`);
    this.name = 'ProtocolReplyError';
  }
}

/** Format a reply for sending: multi-line with "ddd-" on every line but the last. */
export function formatReply(code: number, text: string | readonly string[]): string {
  const lines = typeof text === 'string' ? [text] : text;
  return lines.map((line, i) => `${code}${i === lines.length - 1 ? ' ' : '-'}${line}\r\n`).join('');
}

/**
 * Write a reply on a server's control connection, traced as a `pdu` on `connection`.
 * Returns false when the socket refused the write (it is closed): the session should stop.
 */
export function sendReply(
  node: NodeContext | undefined,
  protocol: 'smtp' | 'ftp',
  socket: StreamSocket,
  connection: string,
  code: number,
  text: string | readonly string[],
): boolean {
  const wire = formatReply(code, text);
  tracePdu(node, protocol, 'down', firstLine(wire), wire.length, { protocol: 'app-line', application: protocol, code }, connection);
  try {
    socket.write(latin1(wire));
    return true;
  } catch {
    return false;
  }
}

/** Why a reply stream could not be read; the control connection cannot be resynchronised. */
export interface ReplyParseError {
  readonly replyParseError: true;
  readonly detail: string;
}

export function isReplyParseError(value: unknown): value is ReplyParseError {
  return typeof value === 'object' && value !== null && (value as { replyParseError?: unknown }).replyParseError === true;
}

const REPLY_LINE = /^(\d{3})([ -])(.*)$/;
const BARE_CODE = /^(\d{3})$/;

/**
 * The reply grammar of RFC 5321 §4.2 / RFC 959 §4.2 over received bytes, with no socket:
 * `push` returns the replies completed (and at most one error, last) and never throws.
 * Lines are at most `maxLineLength` bytes with their CRLF.
 */
export class ReplyParser {
  private readonly lines: LineReader;
  private partial: { code: number; lines: string[] } | null = null;
  private failed = false;

  constructor(maxLineLength = 4096) {
    this.lines = new LineReader(maxLineLength);
  }

  push(chunk: Uint8Array): (Reply | ReplyParseError)[] {
    const out: (Reply | ReplyParseError)[] = [];
    if (this.failed) return out;
    this.lines.push(chunk);
    for (let event = this.lines.next(); event !== null; event = this.lines.next()) {
      if (event.kind === 'too-long') return this.fail(out, `reply line of ${event.length} bytes is too long`);
      const line = event.line;
      const m = REPLY_LINE.exec(line) ?? BARE_CODE.exec(line);
      if (this.partial !== null) {
        if (m !== null && Number(m[1]) === this.partial.code && m[2] !== '-') {
          this.partial.lines.push(m[3] ?? '');
          out.push(this.partial);
          this.partial = null;
        } else {
          this.partial.lines.push(m !== null && Number(m[1]) === this.partial.code ? (m[3] ?? '') : line);
        }
        continue;
      }
      if (m === null) return this.fail(out, `malformed reply line ${JSON.stringify(line.slice(0, 60))}`);
      if (m[2] === '-') this.partial = { code: Number(m[1]), lines: [m[3] ?? ''] };
      else out.push({ code: Number(m[1]), lines: [m[3] ?? ''] });
    }
    return out;
  }

  private fail(out: (Reply | ReplyParseError)[], detail: string): (Reply | ReplyParseError)[] {
    this.failed = true;
    out.push({ replyParseError: true, detail });
    return out;
  }
}

export class ReplyReader {
  private readonly parser = new ReplyParser(4096);
  private readonly ready: Reply[] = [];
  private waiting: { resolve: (r: Reply) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;

  constructor(socket: StreamSocket, private readonly onReply?: (reply: Reply) => void) {
    socket.on('data', (chunk) => this.push(chunk));
    socket.on('end', () => this.fail(new SocketError('ECONNRESET', 'server closed the connection')));
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new SocketError('ECONNRESET', 'connection closed')));
  }

  /** The next reply (in order). */
  next(): Promise<Reply> {
    const reply = this.ready.shift();
    if (reply !== undefined) return Promise.resolve(reply);
    if (this.failure !== null) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  private push(chunk: Uint8Array): void {
    for (const item of this.parser.push(chunk)) {
      if (isReplyParseError(item)) this.fail(new Error(item.detail));
      else this.deliver(item);
    }
  }

  private deliver(reply: Reply): void {
    this.onReply?.(reply);
    if (this.waiting !== null) {
      const w = this.waiting;
      this.waiting = null;
      w.resolve(reply);
    } else {
      this.ready.push(reply);
    }
  }

  private fail(error: Error): void {
    if (this.failure === null) this.failure = error;
    if (this.waiting !== null) {
      const w = this.waiting;
      this.waiting = null;
      w.reject(error);
    }
  }
}

/** Resolve when a socket connects, reject if it fails first. */
export function whenConnected(socket: StreamSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', (error) => reject(error));
  });
}
