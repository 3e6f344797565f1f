import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Random } from '@netlayers/core';
import { FtpServer } from '../src/ftp/server.ts';
import { FtpClient } from '../src/ftp/client.ts';
import { MemoryFileSystem } from '../src/ftp/filesystem.ts';
import { FakeNetwork, type FakeHost } from '@netlayers/testing';
import { drive, text } from './support/drive.ts';

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

function setup(options: ConstructorParameters<typeof FtpServer>[1] = {}, chunkSize = 0) {
  const net = new FakeNetwork({ chunkSize, randomChunks: chunkSize > 1 });
  const host = net.addHost('ftp', '10.0.2.21');
  const client = net.addHost('client', '10.0.1.10');
  const server = new FtpServer(host.tcp, { node: host.context, files: { '/pub/readme.txt': 'hello\nworld\n', '/pub/data/a.bin': new Uint8Array(3) }, ...options });
  return { net, host, client, server };
}

function dialogue(net: FakeNetwork, client: FakeHost, lines: string[]): string[] {
  const socket = client.tcp.connect({ remoteAddress: '10.0.2.21', remotePort: 21 });
  let received = '';
  socket.on('connect', () => socket.write(lines.map((l) => `${l}\r\n`).join('')));
  socket.on('data', (c) => (received += text(c)));
  socket.on('end', () => socket.end());
  net.scheduler.runUntilIdle();
  return received.split('\r\n').filter((l) => /^\d{3} /.test(l));
}

describe('FTP server and client', () => {
  it('logs in, walks directories and lists them over separate data connections', async () => {
    const { net, client } = setup({}, 3);
    const ftp = await drive(net, FtpClient.connect(client.tcp, { host: '10.0.2.21', node: client.context }));
    expect(await drive(net, ftp.pwd())).toBe('/');
    await drive(net, ftp.cwd('pub'));
    expect(await drive(net, ftp.pwd())).toBe('/pub');
    const listing = await drive(net, ftp.list());
    expect(listing).toMatch(/^drwxr-xr-x 1 ftp ftp +0 Jan 01 00:00 data\r\n-rw-r--r-- 1 ftp ftp +12 Jan 01 00:00 readme\.txt\r\n$/);
    expect(await drive(net, ftp.names('data'))).toEqual(['a.bin']);
    expect(text(await drive(net, ftp.retr('readme.txt')))).toBe('hello\nworld\n'); // TYPE I: bytes unchanged
    await drive(net, ftp.quit());
    // Each transfer had its own data connection: distinct server ports, none of them 21.
    const ports = ftp.dataConnections.map((d) => d.remotePort);
    expect(ports).toHaveLength(3);
    expect(new Set(ports).size).toBe(3);
    expect(ports.every((p) => p >= 50000 && p <= 50999)).toBe(true);
    expect(new Set(ftp.dataConnections.map((d) => d.localPort)).size).toBe(3);
    expect(ftp.transcript).toContain('C: PASS ****');
    expect(ftp.transcript.some((l) => /^S: 227 Entering Passive Mode \(10,0,2,21,\d+,\d+\)/.test(l))).toBe(true);
  });

  it('moves a 1 MB file both ways intact (SHA-256), byte-split', async () => {
    const { net, client, server } = setup({}, 1460);
    const file = new Random('ftp-1mb').bytes(1024 * 1024);
    const ftp = await drive(net, FtpClient.connect(client.tcp, { host: '10.0.2.21', user: 'student', password: 'x' }));
    await drive(net, ftp.stor('/upload.bin', file));
    expect(sha256(server.fs.readFile('/upload.bin')!)).toBe(sha256(file));
    expect(await drive(net, ftp.size('/upload.bin'))).toBe(file.length);
    const back = await drive(net, ftp.retr('/upload.bin'));
    expect(sha256(back)).toBe(sha256(file));
  });

  it('checks passwords when accounts are configured', async () => {
    const { net, client } = setup({ users: { alice: 'secret' } });
    await expect(drive(net, FtpClient.connect(client.tcp, { host: '10.0.2.21', user: 'alice', password: 'wrong' }))).rejects.toThrow(/530/);
    const ok = await drive(net, FtpClient.connect(client.tcp, { host: '10.0.2.21', user: 'alice', password: 'secret' }));
    expect(await drive(net, ok.pwd())).toBe('/');
  });

  it('answers each command with the reply codes of RFC 959', () => {
    const { net, client } = setup();
    const codes = dialogue(net, client, [
      'PWD', // 530 not logged in
      'PASS x', // 503 USER first
      'USER anonymous', // 331
      'PASS guest', // 230
      'SYST', // 215
      'TYPE X', // 504
      'TYPE', // 501
      'TYPE A', // 200
      'MODE B', // 504
      'STRU F', // 200
      'CWD /nowhere', // 550
      'CWD /pub', // 250
      'CDUP', // 250
      'RETR /pub/readme.txt', // 425 PASV first
      'RETR /missing', // 550
      'STOR /no/such/dir/file', // 553
      'PORT 10,0,1,10,4,1', // 502
      'SIZE /pub/readme.txt', // 213
      'MKD /new', // 257
      'MKD /new', // 550
      'DELE /pub/data/a.bin', // 250
      'DELE /pub/data/a.bin', // 550
      'XYZ1', // 500
      'ABOR', // 502
      `NOOP ${'x'.repeat(600)}`, // 500 line too long
      'NOOP', // 200
      'QUIT', // 221
    ]).map((l) => Number(l.slice(0, 3)));
    expect(codes).toEqual([220, 530, 503, 331, 230, 215, 504, 501, 200, 504, 200, 550, 250, 250, 425, 550, 553, 502, 213, 257, 550, 250, 550, 500, 502, 500, 200, 221]);
  });

  it('converts line endings in TYPE A and refuses data connections from other hosts', async () => {
    const { net, client, host } = setup();
    const intruder = net.addHost('intruder', '10.0.9.9');
    const fs = new MemoryFileSystem();
    expect(fs.resolve('/a/b', '../../../c/./d')).toBe('/c/d');
    // Raw session: PASV, then an intruder connects to the data port first.
    const control = client.tcp.connect({ remoteAddress: '10.0.2.21', remotePort: 21 });
    let received = '';
    control.on('data', (c) => (received += text(c)));
    control.on('connect', () => control.write('USER a\r\nPASS b\r\nTYPE A\r\nPASV\r\n'));
    net.scheduler.runUntilIdle();
    const m = /\((\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\)/.exec(received)!;
    const port = Number(m[5]) * 256 + Number(m[6]);
    let intruderReset = false;
    const evil = intruder.tcp.connect({ remoteAddress: '10.0.2.21', remotePort: port });
    evil.on('error', () => (intruderReset = true));
    net.scheduler.runUntilIdle();
    expect(intruderReset).toBe(true);
    const data = client.tcp.connect({ remoteAddress: '10.0.2.21', remotePort: port });
    let content = '';
    data.on('data', (c) => (content += text(c)));
    data.on('end', () => data.end());
    control.write('RETR /pub/readme.txt\r\n');
    net.scheduler.runUntilIdle();
    expect(content).toBe('hello\r\nworld\r\n');
    expect(received).toMatch(/150 Opening ASCII mode[^\r]*\r\n226 Transfer complete/);
    expect(host.tcp.sockets.length).toBeGreaterThan(0);
  });

  it('rejects an upload over the size limit with 552 and keeps the session', async () => {
    const { net, client, server } = setup({ maxFileSize: 1000 });
    const ftp = await drive(net, FtpClient.connect(client.tcp, { host: '10.0.2.21' }));
    await expect(drive(net, ftp.stor('/big.bin', new Uint8Array(5000)))).rejects.toThrow(/552/);
    expect(server.fs.isFile('/big.bin')).toBe(false);
    await drive(net, ftp.stor('/small.bin', new Uint8Array(10)));
    expect(server.fs.readFile('/small.bin')?.length).toBe(10);
    expect(() => ftp.retr('a\r\nDELE x')).toThrow(/CR or LF/);
  });
});
