// A minimal SMTP client (RFC 5321 §3.3 mail transaction): wait for 220, EHLO (HELO when
// EHLO is refused, §3.2), MAIL FROM, RCPT TO for each recipient, DATA with dot-stuffing
// and the end-of-data line (§4.5.2), QUIT. Resolves with the recipients accepted and the
// server's queue reply, and a transcript of the dialogue ("C: ..." / "S: ...").

import { assertPort, InvalidArgumentError, Ipv4Address, type NodeContext, type StreamTransport } from '@netlayers/core';
import { ProtocolReplyError, ReplyReader, whenConnected, type Reply } from '../util/replies.ts';
import { latin1, toBytes } from '../util/bytes.ts';
import { connectionKey, firstLine, tracePdu } from '../util/trace.ts';
import { dotStuff } from './dot-stuffing.ts';
import { resolveHost, type HostResolver } from '../util/host.ts';

export interface SendMailOptions {
  readonly host: string | Ipv4Address;
  readonly port?: number;
  readonly from: string;
  readonly to: string | readonly string[];
  /** The message: header fields, a blank line, the body. */
  readonly data: string | Uint8Array;
  /** Our name in EHLO (default "client.lab"). */
  readonly helo?: string;
  readonly resolver?: HostResolver;
  readonly node?: NodeContext;
}

export interface SendMailResult {
  readonly accepted: readonly string[];
  readonly rejected: readonly string[];
  /** The server's reply to the end of data ("2.0.0 OK queued as 000001"). */
  readonly response: string;
  readonly transcript: readonly string[];
}

export async function sendMail(transport: StreamTransport, options: SendMailOptions): Promise<SendMailResult> {
  const port = options.port ?? 25;
  assertPort(port);
  const recipients = typeof options.to === 'string' ? [options.to] : [...options.to];
  if (recipients.length === 0) throw new InvalidArgumentError('to', options.to, 'needs at least one recipient');
  for (const address of [options.from, ...recipients]) {
    if (/[\r\n<>]/.test(address)) throw new InvalidArgumentError('address', address, 'must not contain CR, LF, < or >');
  }
  const address = await resolveHost(options.host, options.resolver);
  const socket = transport.connect({ remoteAddress: address, remotePort: port });
  const transcript: string[] = [];
  const node = options.node;
  const replies = new ReplyReader(socket, (reply) => {
    for (const [i, line] of reply.lines.entries()) transcript.push(`S: ${reply.code}${i === reply.lines.length - 1 ? ' ' : '-'}${line}`);
    tracePdu(node, 'smtp', 'up', `${reply.code} ${reply.lines[0] ?? ''}`, 0, { protocol: 'app-line', application: 'smtp', code: reply.code }, connectionKey(socket));
  });
  const send = (line: string): void => {
    transcript.push(`C: ${line}`);
    tracePdu(node, 'smtp', 'down', firstLine(line), line.length + 2, undefined, connectionKey(socket));
    socket.write(latin1(`${line}\r\n`));
  };
  const expect = async (command: string, ok: (code: number) => boolean): Promise<Reply> => {
    const reply = await replies.next();
    if (!ok(reply.code)) throw new ProtocolReplyError('smtp', reply, command);
    return reply;
  };
  try {
    await whenConnected(socket);
    await expect('', (c) => c === 220);
    const helo = options.helo ?? 'client.lab';
    send(`EHLO ${helo}`);
    const ehlo = await replies.next();
    if (ehlo.code !== 250) {
      send(`HELO ${helo}`);
      await expect(`HELO ${helo}`, (c) => c === 250);
    }
    send(`MAIL FROM:<${options.from}>`);
    await expect(`MAIL FROM:<${options.from}>`, (c) => c === 250);
    const accepted: string[] = [];
    const rejected: string[] = [];
    for (const rcpt of recipients) {
      send(`RCPT TO:<${rcpt}>`);
      const reply = await replies.next();
      (reply.code === 250 || reply.code === 251 ? accepted : rejected).push(rcpt);
    }
    if (accepted.length === 0) {
      send('QUIT');
      throw new InvalidArgumentError('to', recipients.join(', '), 'every recipient was rejected by the server');
    }
    send('DATA');
    await expect('DATA', (c) => c === 354);
    const body = dotStuff(toBytes(options.data));
    transcript.push(`C: <${body.length} bytes of message data, ending with ".">`);
    tracePdu(node, 'smtp', 'down', `<message data, ${body.length} bytes>`, body.length, undefined, connectionKey(socket));
    socket.write(body);
    const queued = await expect('<end of data>', (c) => c === 250);
    send('QUIT');
    await expect('QUIT', (c) => c === 221);
    socket.end();
    return { accepted, rejected, response: queued.lines.join(' '), transcript };
  } catch (error) {
    socket.destroy();
    throw error;
  }
}
