import { describe, expect, it } from 'vitest';
import { SmtpServer } from '../src/smtp/server.ts';
import { sendMail } from '../src/smtp/client.ts';
import { dotStuff, joinLines, unstuffLine } from '../src/smtp/dot-stuffing.ts';
import { FakeNetwork, type FakeHost } from '@netlayers/testing';
import { bytes, drive, text } from './support/drive.ts';

function setup(chunkSize = 0, options: ConstructorParameters<typeof SmtpServer>[1] = {}) {
  const net = new FakeNetwork({ chunkSize, randomChunks: chunkSize > 1 });
  const mail = net.addHost('mail', '10.0.2.25');
  const client = net.addHost('client', '10.0.1.10');
  const server = new SmtpServer(mail.tcp, { node: mail.context, ...options });
  return { net, mail, client, server };
}

/** Type raw lines at the server; returns every reply line. */
function dialogue(net: FakeNetwork, client: FakeHost, input: string | Uint8Array): string[] {
  const socket = client.tcp.connect({ remoteAddress: '10.0.2.25', remotePort: 25 });
  let received = '';
  socket.on('connect', () => socket.write(input));
  socket.on('data', (c) => (received += text(c)));
  socket.on('end', () => socket.end());
  net.scheduler.runUntilIdle();
  return received.split('\r\n').filter((l) => l !== '');
}

const codes = (lines: string[]) => lines.filter((l) => /^\d{3} /.test(l)).map((l) => Number(l.slice(0, 3)));

describe('SMTP dot-stuffing', () => {
  it('round-trips lines that start with dots, bare LFs and a missing final newline', () => {
    const original = '.hidden\n..two dots\nnormal\r\n.\r\nlast line without newline';
    const stuffed = text(dotStuff(bytes(original)));
    expect(stuffed).toBe('..hidden\r\n...two dots\r\nnormal\r\n..\r\nlast line without newline\r\n.\r\n');
    const lines = stuffed.split('\r\n').slice(0, -1).map((l) => bytes(l));
    const unstuffed: Uint8Array[] = [];
    for (const line of lines) {
      const content = unstuffLine(line);
      if (content === null) break;
      unstuffed.push(content);
    }
    expect(text(joinLines(unstuffed))).toBe('.hidden\r\n..two dots\r\nnormal\r\n.\r\nlast line without newline\r\n');
  });
});

describe('SMTP server and client', () => {
  it('delivers a message end to end, byte-split, with a transcript', async () => {
    const { net, client, server } = setup(5);
    const data = 'From: alice@client.lab\r\nTo: bob@mail.lab\r\nSubject: dots\r\n\r\n.a line starting with a dot\r\n.\r\nbye\r\n';
    const result = await drive(net, sendMail(client.tcp, { host: '10.0.2.25', from: 'alice@client.lab', to: ['bob@mail.lab', 'carol@mail.lab'], data, node: client.context }));
    expect(result.accepted).toEqual(['bob@mail.lab', 'carol@mail.lab']);
    expect(result.response).toMatch(/queued as 000001/);
    expect(result.transcript[0]).toBe('S: 220 mail.lab ESMTP netlayers');
    expect(result.transcript).toContain('C: MAIL FROM:<alice@client.lab>');
    expect(result.transcript[result.transcript.length - 1]).toMatch(/^S: 221 /);
    expect(server.messages).toHaveLength(1);
    const stored = server.messages[0]!;
    expect(stored).toMatchObject({ from: 'alice@client.lab', to: ['bob@mail.lab', 'carol@mail.lab'], helo: 'client.lab' });
    expect(text(stored.data)).toBe(data);
  });

  it('answers every command of a session with the right codes', () => {
    const { net, client, server } = setup();
    const replies = dialogue(
      net,
      client,
      [
        'MAIL FROM:<a@b.lab>', // before HELO: 503
        'EHLO',                // no domain: 501
        'EHLO client.lab',     // 250 multi-line
        'RCPT TO:<x@y.lab>',   // before MAIL: 503
        'DATA',                // before MAIL: 503
        'MAIL FROM:a@b.lab',   // no brackets: 501
        'MAIL FROM:<a@b.lab> SIZE=99999999', // too big: 552
        'MAIL FROM:<a@b.lab> FOO=1', // unknown parameter: 555
        'MAIL FROM:<>',        // null reverse path: 250
        'MAIL FROM:<a@b.lab>', // nested: 503
        'DATA',                // no recipients: 503
        'RCPT TO:<bob@mail.lab>', // 250
        'VRFY bob',            // 252
        'NOOP',                // 250
        'XYZZY',               // 500
        'RSET',                // 250
        'DATA',                // after RSET: 503
        'HELP',                // 214
        'QUIT',                // 221
        'NOOP',                // after QUIT: nothing
      ].join('\r\n') + '\r\n',
    );
    expect(codes(replies)).toEqual([220, 503, 501, 250, 503, 503, 501, 552, 555, 250, 503, 503, 250, 252, 250, 500, 250, 503, 214, 221]);
    expect(replies).toContain('250-SIZE 1048576');
    expect(server.messages).toHaveLength(0);
  });

  it('limits command lines to 512 octets and text lines to 1000, and keeps the session usable', () => {
    const { net, client, server } = setup();
    const longCommand = `NOOP ${'x'.repeat(600)}`;
    const longText = 'y'.repeat(1200);
    const replies = dialogue(net, client, `${longCommand}\r\nEHLO c\r\nMAIL FROM:<a@b.lab>\r\nRCPT TO:<c@d.lab>\r\nDATA\r\n${longText}\r\n.\r\nMAIL FROM:<a@b.lab>\r\nRCPT TO:<c@d.lab>\r\nDATA\r\nok\r\n.\r\nQUIT\r\n`);
    expect(codes(replies)).toEqual([220, 500, 250, 250, 250, 354, 500, 250, 250, 354, 250, 221]);
    expect(server.messages.map((m) => text(m.data))).toEqual(['ok\r\n']);
  });

  it('rejects an oversize message with 552 after its end-of-data line', () => {
    const { net, client, server } = setup(0, { maxMessageSize: 100 });
    const replies = dialogue(net, client, `EHLO c\r\nMAIL FROM:<a@b.lab>\r\nRCPT TO:<c@d.lab>\r\nDATA\r\n${'z'.repeat(80)}\r\n${'z'.repeat(80)}\r\n.\r\nQUIT\r\n`);
    expect(codes(replies)).toEqual([220, 250, 250, 250, 354, 552, 221]);
    expect(server.messages).toHaveLength(0);
  });

  it('caps recipients with 452 and refuses unknown mailboxes with 550', async () => {
    const { net, client } = setup(0, { maxRecipients: 2, acceptRecipient: (a) => a.endsWith('@mail.lab') });
    const result = await drive(net, sendMail(client.tcp, { host: '10.0.2.25', from: 'a@c.lab', to: ['x@mail.lab', 'nobody@else.lab', 'y@mail.lab', 'z@mail.lab'], data: 'hi' }));
    expect(result.accepted).toEqual(['x@mail.lab', 'y@mail.lab']);
    expect(result.rejected).toEqual(['nobody@else.lab', 'z@mail.lab']);
    expect(result.transcript).toContain('S: 452 4.5.3 Too many recipients');
    await expect(drive(net, sendMail(client.tcp, { host: '10.0.2.25', from: 'a@c.lab', to: 'n@else.lab', data: 'hi' }))).rejects.toThrow(/rejected/);
  });

  it('falls back to HELO when EHLO is refused, and rejects bad arguments', async () => {
    const net = new FakeNetwork();
    const old = net.addHost('old', '10.0.2.26');
    const client = net.addHost('client', '10.0.1.10');
    old.tcp.listen({ port: 25 }).on('connection', (s) => {
      s.write('220 old.lab SMTP\r\n');
      let buffer = '';
      s.on('data', (c) => {
        buffer += text(c);
        for (let i = buffer.indexOf('\r\n'); i >= 0; i = buffer.indexOf('\r\n')) {
          const line = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          if (line.startsWith('EHLO')) s.write('502 5.5.1 EHLO not implemented\r\n');
          else if (line === 'DATA') s.write('354 go\r\n');
          else if (line === '.') s.write('250 accepted\r\n');
          else if (line === 'QUIT') s.end('221 bye\r\n');
          else if (/^(HELO|MAIL|RCPT)/.test(line)) s.write('250 ok\r\n');
        }
      });
    });
    const result = await drive(net, sendMail(client.tcp, { host: '10.0.2.26', from: 'a@c.lab', to: 'b@old.lab', data: 'x' }));
    expect(result.transcript).toContain('C: HELO client.lab');
    expect(result.response).toBe('accepted');
    await expect(sendMail(client.tcp, { host: '10.0.2.26', from: 'a@c.lab\r\nRCPT TO:<evil@x>', to: 'b@old.lab', data: 'x' })).rejects.toThrow(/CR, LF/);
  });
});
