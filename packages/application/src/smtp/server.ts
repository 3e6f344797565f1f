// A minimal SMTP server (RFC 5321) that keeps messages in memory: greeting 220, EHLO/HELO
// (§4.1.1.1), MAIL FROM (§4.1.1.2, with the SIZE parameter of RFC 1870), RCPT TO
// (§4.1.1.3), DATA with the end-of-data line and dot-unstuffing (§4.1.1.4, §4.5.2),
// RSET, NOOP, VRFY (252), HELP, QUIT. Bad sequences get 503, syntax errors 501, unknown
// commands 500, too many recipients 452, oversize messages 552; command lines are limited
// to 512 octets and text lines to 1000 (§4.5.3.1). Sessions never throw out of callbacks.

import { EventEmitter } from 'eventemitter3';
import { assertPort, DropReason, type Ipv4Address, type NodeContext, type StreamListener, type StreamSocket, type StreamTransport } from '@netlayers/core';
import { LineReader } from '../util/lines.ts';
import { sendReply } from '../util/replies.ts';
import { connectionKey, firstLine, traceDrop, tracePdu } from '../util/trace.ts';
import { joinLines, unstuffLine } from './dot-stuffing.ts';

export const SMTP_COMMAND_LINE_LIMIT = 512;
export const SMTP_TEXT_LINE_LIMIT = 1000;

export interface StoredMail {
  readonly id: string;
  /** Reverse path ('' for the null path <>). */
  readonly from: string;
  readonly to: readonly string[];
  /** The message content (headers and body), CRLF line endings, unstuffed. */
  readonly data: Uint8Array;
  readonly helo: string;
  readonly remoteAddress: Ipv4Address;
}

export interface SmtpServerOptions {
  readonly port?: number;
  /** The server's domain in the greeting and EHLO reply (default "mail.lab"). */
  readonly domain?: string;
  /** Largest message content, bytes (default 1 MiB). */
  readonly maxMessageSize?: number;
  readonly maxRecipients?: number;
  /** Return false to reject a recipient with 550. */
  readonly acceptRecipient?: (address: string) => boolean;
  readonly node?: NodeContext;
}

export interface SmtpServerEvents {
  message: [mail: StoredMail];
}

const MAILBOX = /^[^@\s<>]+@[^@\s<>]+$/;

export class SmtpServer extends EventEmitter<SmtpServerEvents> {
  readonly listener: StreamListener;
  readonly messages: StoredMail[] = [];
  readonly domain: string;
  readonly maxMessageSize: number;
  readonly maxRecipients: number;
  readonly acceptRecipient: (address: string) => boolean;
  readonly node: NodeContext | undefined;

  constructor(transport: StreamTransport, options: SmtpServerOptions = {}) {
    super();
    const port = options.port ?? 25;
    assertPort(port);
    this.domain = options.domain ?? 'mail.lab';
    this.maxMessageSize = options.maxMessageSize ?? 1024 * 1024;
    this.maxRecipients = options.maxRecipients ?? 100;
    this.acceptRecipient = options.acceptRecipient ?? (() => true);
    this.node = options.node;
    this.listener = transport.listen({ port });
    this.listener.on('connection', (socket) => new SmtpSession(this, socket));
  }

  /** @internal */
  store(mail: Omit<StoredMail, 'id'>): string {
    const id = `${this.messages.length + 1}`.padStart(6, '0');
    const stored = { ...mail, id };
    this.messages.push(stored);
    this.emit('message', stored);
    return id;
  }

  close(): void {
    this.listener.close();
  }
}

class SmtpSession {
  private readonly reader = new LineReader(SMTP_COMMAND_LINE_LIMIT);
  private helo: string | null = null;
  private from: string | null = null;
  private to: string[] = [];
  private inData = false;
  private dataLines: Uint8Array[] = [];
  private dataSize = 0;
  private dataTooBig = false;
  private dataLineTooLong = false;
  private closed = false;
  private readonly key: string;

  constructor(private readonly server: SmtpServer, private readonly socket: StreamSocket) {
    this.key = connectionKey(socket);
    socket.on('data', (chunk) => {
      try {
        this.onData(chunk);
      } catch {
        this.abort();
      }
    });
    socket.on('end', () => this.close());
    socket.on('error', () => (this.closed = true));
    socket.on('close', () => (this.closed = true));
    this.reply(220, `${server.domain} ESMTP netlayers`);
  }

  private onData(chunk: Uint8Array): void {
    this.reader.push(chunk);
    for (let event = this.reader.next(); event !== null && !this.closed; event = this.reader.next()) {
      if (this.inData) {
        if (event.kind === 'too-long') {
          this.dataLineTooLong = true;
          continue;
        }
        this.onDataLine(event.bytes);
        continue;
      }
      if (event.kind === 'too-long') {
        traceDrop(this.server.node, 'smtp', DropReason.TooBig, `command line of ${event.length} bytes`, event.length);
        this.reply(500, '5.5.2 Line too long');
        continue;
      }
      tracePdu(this.server.node, 'smtp', 'up', firstLine(event.line), event.bytes.length + 2, undefined, this.key);
      this.onCommand(event.line);
    }
  }

  private onCommand(line: string): void {
    const space = line.indexOf(' ');
    const verb = (space < 0 ? line : line.slice(0, space)).toUpperCase();
    const argument = space < 0 ? '' : line.slice(space + 1).trim();
    switch (verb) {
      case 'EHLO':
      case 'HELO':
        if (argument === '') return this.reply(501, `5.5.4 Syntax: ${verb} domain`);
        this.helo = argument;
        this.resetTransaction();
        if (verb === 'HELO') return this.reply(250, `${this.server.domain} Hello ${argument}`);
        return this.reply(250, [`${this.server.domain} Hello ${argument}`, `SIZE ${this.server.maxMessageSize}`, 'PIPELINING', 'HELP']);
      case 'MAIL':
        return this.onMail(argument);
      case 'RCPT':
        return this.onRcpt(argument);
      case 'DATA':
        if (argument !== '') return this.reply(501, '5.5.4 Syntax: DATA');
        if (this.from === null) return this.reply(503, '5.5.1 Bad sequence of commands: MAIL first');
        if (this.to.length === 0) return this.reply(503, '5.5.1 Bad sequence of commands: RCPT first');
        this.inData = true;
        this.dataLines = [];
        this.dataSize = 0;
        this.dataTooBig = false;
        this.dataLineTooLong = false;
        this.reader.setMaxLineLength(SMTP_TEXT_LINE_LIMIT);
        return this.reply(354, 'Start mail input; end with <CRLF>.<CRLF>');
      case 'RSET':
        if (argument !== '') return this.reply(501, '5.5.4 Syntax: RSET');
        this.resetTransaction();
        return this.reply(250, '2.0.0 OK');
      case 'NOOP':
        return this.reply(250, '2.0.0 OK');
      case 'VRFY':
        if (argument === '') return this.reply(501, '5.5.4 Syntax: VRFY address');
        return this.reply(252, '2.1.5 Cannot VRFY user, but will accept message and attempt delivery');
      case 'HELP':
        return this.reply(214, ['Commands supported:', 'EHLO HELO MAIL RCPT DATA RSET NOOP VRFY HELP QUIT']);
      case 'QUIT':
        this.reply(221, `2.0.0 ${this.server.domain} closing connection`);
        return this.close();
      default:
        traceDrop(this.server.node, 'smtp', DropReason.Malformed, `unknown command ${JSON.stringify(verb.slice(0, 20))}`, line.length);
        return this.reply(500, '5.5.1 Command unrecognized');
    }
  }

  private onMail(argument: string): void {
    if (this.helo === null) return this.reply(503, '5.5.1 Bad sequence of commands: send EHLO or HELO first');
    if (this.from !== null) return this.reply(503, '5.5.1 Bad sequence of commands: nested MAIL command');
    const m = /^FROM:\s*<([^<>\s]*)>(?:\s+(.*))?$/i.exec(argument);
    if (m === null || (m[1] !== '' && !MAILBOX.test(m[1]!))) return this.reply(501, '5.5.4 Syntax: MAIL FROM:<address>');
    for (const param of (m[2] ?? '').split(/\s+/).filter((p) => p !== '')) {
      const [name, value] = param.split('=', 2) as [string, string | undefined];
      if (name.toUpperCase() === 'SIZE' && value !== undefined && /^\d{1,20}$/.test(value)) {
        if (Number(value) > this.server.maxMessageSize) return this.reply(552, '5.3.4 Message size exceeds fixed maximum message size');
      } else if (name.toUpperCase() !== 'BODY') {
        return this.reply(555, `5.5.4 Unsupported parameter ${name}`);
      }
    }
    this.from = m[1]!;
    this.reply(250, '2.1.0 Sender OK');
  }

  private onRcpt(argument: string): void {
    if (this.from === null) return this.reply(503, '5.5.1 Bad sequence of commands: MAIL first');
    const m = /^TO:\s*<([^<>\s]+)>(?:\s+.*)?$/i.exec(argument);
    if (m === null || (!MAILBOX.test(m[1]!) && m[1]!.toLowerCase() !== 'postmaster')) return this.reply(501, '5.5.4 Syntax: RCPT TO:<address>');
    if (this.to.length >= this.server.maxRecipients) return this.reply(452, '4.5.3 Too many recipients');
    if (!this.server.acceptRecipient(m[1]!)) return this.reply(550, `5.1.1 <${m[1]}>: mailbox unavailable`);
    this.to.push(m[1]!);
    this.reply(250, '2.1.5 Recipient OK');
  }

  private onDataLine(line: Uint8Array): void {
    const content = unstuffLine(line);
    if (content === null) {
      this.inData = false;
      this.reader.setMaxLineLength(SMTP_COMMAND_LINE_LIMIT);
      if (this.dataTooBig) {
        traceDrop(this.server.node, 'smtp', DropReason.TooBig, `message over ${this.server.maxMessageSize} bytes`, this.dataSize);
        this.reply(552, '5.3.4 Message size exceeds fixed maximum message size');
      } else if (this.dataLineTooLong) {
        traceDrop(this.server.node, 'smtp', DropReason.TooBig, 'text line over 1000 bytes', this.dataSize);
        this.reply(500, '5.5.2 Line too long');
      } else {
        const id = this.server.store({ from: this.from!, to: this.to, data: joinLines(this.dataLines), helo: this.helo!, remoteAddress: this.socket.remoteAddress });
        this.reply(250, `2.0.0 OK queued as ${id}`);
      }
      this.resetTransaction();
      return;
    }
    this.dataSize += content.length + 2;
    if (this.dataSize > this.server.maxMessageSize) {
      this.dataTooBig = true;
      this.dataLines = [];
      return;
    }
    if (!this.dataTooBig) this.dataLines.push(content.slice());
  }

  private resetTransaction(): void {
    this.from = null;
    this.to = [];
    this.dataLines = [];
  }

  private reply(code: number, text: string | readonly string[]): void {
    if (this.closed) return;
    if (!sendReply(this.server.node, 'smtp', this.socket, this.key, code, text)) this.closed = true;
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.socket.end();
    } catch {
      // already closed
    }
  }

  private abort(): void {
    this.closed = true;
    this.socket.destroy();
  }
}
