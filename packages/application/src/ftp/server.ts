// A minimal FTP server (RFC 959) with an in-memory file system, passive mode only: USER,
// PASS, SYST, FEAT, PWD, CWD, CDUP, TYPE (A and I), MODE S, STRU F, PASV (§4.1.2: the server
// listens on a fresh port and the client connects), LIST, NLST, RETR, STOR, SIZE (RFC 3659),
// MKD, DELE, NOOP, QUIT, with the reply codes of §4.2 and §5.4. Every transfer uses its own
// data connection on its own port, separate from the control connection on port 21.
// Data connections from an address other than the control connection's are refused.

import {
  assertPort,
  DropReason,
  Ipv4Address,
  type NodeContext,
  type StreamListener,
  type StreamSocket,
  type StreamTransport,
} from '@netlayers/core';
import { LineReader } from '../util/lines.ts';
import { sendReply } from '../util/replies.ts';
import { concatBytes, latin1 } from '../util/bytes.ts';
import { connectionKey, firstLine, traceDrop, tracePdu } from '../util/trace.ts';
import { MemoryFileSystem, parentOf } from './filesystem.ts';

export const FTP_LINE_LIMIT = 512;

export interface FtpServerOptions {
  readonly port?: number;
  /** Accounts; when absent any user name and password log in (anonymous FTP). */
  readonly users?: Readonly<Record<string, string>>;
  /** Initial files ("/pub/readme.txt": "..."), or a file system to share. */
  readonly files?: Readonly<Record<string, Uint8Array | string>> | MemoryFileSystem;
  /** Ports for passive data connections (default 50000-50999). */
  readonly passivePorts?: { readonly from: number; readonly to: number };
  /** Largest file STOR accepts (default 16 MiB). */
  readonly maxFileSize?: number;
  readonly node?: NodeContext;
}

export class FtpServer {
  readonly listener: StreamListener;
  readonly fs: MemoryFileSystem;
  readonly users: Readonly<Record<string, string>> | undefined;
  readonly passiveFrom: number;
  readonly passiveTo: number;
  readonly maxFileSize: number;
  readonly node: NodeContext | undefined;
  private nextPassive: number;

  constructor(readonly transport: StreamTransport, options: FtpServerOptions = {}) {
    const port = options.port ?? 21;
    assertPort(port);
    this.fs = options.files instanceof MemoryFileSystem ? options.files : new MemoryFileSystem(options.files ?? {});
    this.users = options.users;
    this.passiveFrom = options.passivePorts?.from ?? 50000;
    this.passiveTo = options.passivePorts?.to ?? 50999;
    assertPort(this.passiveFrom, 'passivePorts.from');
    assertPort(this.passiveTo, 'passivePorts.to');
    this.nextPassive = this.passiveFrom;
    this.maxFileSize = options.maxFileSize ?? 16 * 1024 * 1024;
    this.node = options.node;
    this.listener = transport.listen({ port });
    this.listener.on('connection', (socket) => new FtpSession(this, socket));
  }

  /** @internal Listen on the next free passive port. */
  openPassive(address: Ipv4Address): StreamListener | null {
    const span = this.passiveTo - this.passiveFrom + 1;
    for (let i = 0; i < span; i++) {
      const port = this.nextPassive;
      this.nextPassive = port >= this.passiveTo ? this.passiveFrom : port + 1;
      try {
        return this.transport.listen({ port, address });
      } catch {
        // in use: try the next one
      }
    }
    return null;
  }

  close(): void {
    this.listener.close();
  }
}

interface Passive {
  readonly listener: StreamListener;
  socket: StreamSocket | null;
  onSocket: ((socket: StreamSocket) => void) | null;
}

class FtpSession {
  private readonly reader = new LineReader(FTP_LINE_LIMIT);
  private user: string | null = null;
  private loggedIn = false;
  private cwd = '/';
  private type: 'A' | 'I' = 'A';
  private passive: Passive | null = null;
  private transferring = false;
  private closed = false;
  private readonly key: string;

  constructor(private readonly server: FtpServer, private readonly control: StreamSocket) {
    this.key = connectionKey(control);
    control.on('data', (chunk) => {
      try {
        this.onData(chunk);
      } catch {
        this.shutdown();
      }
    });
    control.on('end', () => this.shutdown());
    control.on('error', () => this.shutdown());
    control.on('close', () => this.shutdown());
    this.reply(220, 'netlayers FTP server ready');
  }

  private onData(chunk: Uint8Array): void {
    this.reader.push(chunk);
    for (let event = this.reader.next(); event !== null && !this.closed; event = this.reader.next()) {
      if (event.kind === 'too-long') {
        traceDrop(this.server.node, 'ftp', DropReason.TooBig, `command line of ${event.length} bytes`, event.length);
        this.reply(500, 'Command line too long.');
        continue;
      }
      tracePdu(this.server.node, 'ftp', 'up', event.line.startsWith('PASS ') ? 'PASS ****' : firstLine(event.line), event.bytes.length + 2, undefined, this.key);
      this.onCommand(event.line);
    }
  }

  private onCommand(line: string): void {
    const space = line.indexOf(' ');
    const verb = (space < 0 ? line : line.slice(0, space)).toUpperCase();
    const argument = space < 0 ? '' : line.slice(space + 1);
    if (!/^[A-Z]{3,4}$/.test(verb)) {
      traceDrop(this.server.node, 'ftp', DropReason.Malformed, `not a command: ${JSON.stringify(line.slice(0, 20))}`, line.length);
      return this.reply(500, 'Syntax error, command unrecognized.');
    }
    const open = ['USER', 'PASS', 'QUIT', 'SYST', 'FEAT', 'NOOP'];
    if (!this.loggedIn && !open.includes(verb)) return this.reply(530, 'Please login with USER and PASS.');
    const fs = this.server.fs;
    const path = (): string => fs.resolve(this.cwd, argument);
    switch (verb) {
      case 'USER':
        if (argument === '') return this.reply(501, 'Syntax: USER name');
        this.user = argument;
        this.loggedIn = false;
        return this.reply(331, `Password required for ${argument}.`);
      case 'PASS': {
        if (this.user === null) return this.reply(503, 'Login with USER first.');
        const users = this.server.users;
        if (users !== undefined && users[this.user] !== argument) {
          this.user = null;
          return this.reply(530, 'Login incorrect.');
        }
        this.loggedIn = true;
        return this.reply(230, `User ${this.user} logged in.`);
      }
      case 'SYST':
        return this.reply(215, 'UNIX Type: L8');
      case 'FEAT':
        return this.reply(211, ['Features:', ' PASV', ' SIZE', 'End']);
      case 'NOOP':
        return this.reply(200, 'NOOP ok.');
      case 'QUIT':
        this.reply(221, 'Goodbye.');
        return this.shutdown();
      case 'PWD':
      case 'XPWD':
        return this.reply(257, `"${this.cwd.replace(/"/g, '""')}" is the current directory.`);
      case 'CWD':
        if (argument === '') return this.reply(501, 'Syntax: CWD path');
        if (!fs.isDirectory(path())) return this.reply(550, `${argument}: No such directory.`);
        this.cwd = path();
        return this.reply(250, `Directory changed to ${this.cwd}.`);
      case 'CDUP':
        this.cwd = fs.resolve(this.cwd, '..');
        return this.reply(250, `Directory changed to ${this.cwd}.`);
      case 'TYPE': {
        const t = argument.toUpperCase().trim();
        if (t === 'I' || t === 'L 8') this.type = 'I';
        else if (t === 'A' || t === 'A N') this.type = 'A';
        else if (t === '') return this.reply(501, 'Syntax: TYPE A|I');
        else return this.reply(504, `Type ${argument} not implemented.`);
        return this.reply(200, `Type set to ${this.type}.`);
      }
      case 'MODE':
        return argument.toUpperCase() === 'S' ? this.reply(200, 'Mode set to S.') : this.reply(504, 'Only stream mode is implemented.');
      case 'STRU':
        return argument.toUpperCase() === 'F' ? this.reply(200, 'Structure set to F.') : this.reply(504, 'Only file structure is implemented.');
      case 'PASV':
        return this.enterPassive();
      case 'PORT':
      case 'EPRT':
      case 'EPSV':
        return this.reply(502, 'Only passive mode (PASV) is implemented.');
      case 'SIZE': {
        const data = fs.readFile(path());
        return data === undefined ? this.reply(550, `${argument}: No such file.`) : this.reply(213, String(data.length));
      }
      case 'MKD':
        if (argument === '') return this.reply(501, 'Syntax: MKD path');
        return fs.mkdir(path()) ? this.reply(257, `"${path()}" created.`) : this.reply(550, `${argument}: Cannot create directory.`);
      case 'DELE':
        return fs.deleteFile(path()) ? this.reply(250, `${argument} deleted.`) : this.reply(550, `${argument}: No such file.`);
      case 'LIST':
      case 'NLST': {
        const target = argument === '' || argument.startsWith('-') ? this.cwd : path();
        if (!fs.isDirectory(target) && !fs.isFile(target)) return this.reply(550, `${argument}: No such file or directory.`);
        const text = verb === 'LIST' ? fs.listing(target) : fs.nameListing(target);
        return this.sendData(latin1(text), `directory listing of ${target}`);
      }
      case 'RETR': {
        const data = fs.readFile(path());
        if (data === undefined) return this.reply(550, `${argument}: No such file.`);
        return this.sendData(this.type === 'A' ? toNetAscii(data) : data, `${path()} (${data.length} bytes)`);
      }
      case 'STOR': {
        if (argument === '') return this.reply(501, 'Syntax: STOR path');
        const target = path();
        if (!fs.isDirectory(parentOf(target)) || fs.isDirectory(target)) return this.reply(553, `${argument}: Cannot create file.`);
        return this.receiveData(target);
      }
      default:
        return this.reply(502, `${verb} not implemented.`);
    }
  }

  private enterPassive(): void {
    this.closePassive();
    const address = this.control.localAddress;
    const listener = this.server.openPassive(address);
    if (listener === null) return this.reply(425, 'No passive port available.');
    const passive: Passive = { listener, socket: null, onSocket: null };
    listener.on('connection', (socket) => {
      // Only the client on the control connection may connect (no "FTP bounce").
      if (passive.socket !== null || !socket.remoteAddress.equals(this.control.remoteAddress)) {
        socket.destroy();
        return;
      }
      passive.socket = socket;
      listener.close();
      const waiting = passive.onSocket;
      passive.onSocket = null;
      waiting?.(socket);
    });
    this.passive = passive;
    const port = listener.localPort;
    const h = address.toString().replace(/\./g, ',');
    this.reply(227, `Entering Passive Mode (${h},${port >> 8},${port & 0xff}).`);
  }

  /** Run `use` with the data connection of the last PASV, once the client has connected. */
  private withDataConnection(use: (socket: StreamSocket) => void): boolean {
    const passive = this.passive;
    if (passive === null) {
      this.reply(425, 'Use PASV first.');
      return false;
    }
    if (this.transferring) {
      this.reply(425, 'A transfer is already in progress.');
      return false;
    }
    this.passive = null;
    this.transferring = true;
    if (passive.socket !== null) use(passive.socket);
    else passive.onSocket = use;
    return true;
  }

  private sendData(data: Uint8Array, what: string): void {
    this.withDataConnection((socket) => {
      this.reply(150, `Opening ${this.type === 'I' ? 'BINARY' : 'ASCII'} mode data connection for ${what}.`);
      const key = connectionKey(socket);
      tracePdu(this.server.node, 'ftp-data', 'down', `${data.length} bytes`, data.length, undefined, key);
      let finished = false;
      const done = (ok: boolean): void => {
        if (finished) return;
        finished = true;
        this.transferring = false;
        if (ok) this.reply(226, 'Transfer complete.');
        else this.reply(426, 'Connection closed; transfer aborted.');
      };
      socket.on('end', () => done(true));
      socket.on('error', () => done(false));
      socket.on('close', (hadError) => done(!hadError));
      try {
        socket.write(data);
        socket.end();
      } catch {
        done(false);
      }
    });
  }

  private receiveData(target: string): void {
    this.withDataConnection((socket) => {
      this.reply(150, `Opening ${this.type === 'I' ? 'BINARY' : 'ASCII'} mode data connection for ${target}.`);
      const parts: Uint8Array[] = [];
      let size = 0;
      let finished = false;
      const finish = (reply: () => void): void => {
        if (finished) return;
        finished = true;
        this.transferring = false;
        reply();
      };
      socket.on('data', (chunk) => {
        size += chunk.length;
        if (size > this.server.maxFileSize) {
          socket.destroy();
          finish(() => this.reply(552, 'Exceeded storage allocation.'));
          return;
        }
        parts.push(chunk);
      });
      socket.on('end', () => {
        const data = concatBytes(parts);
        finish(() => {
          this.server.fs.writeFile(target, this.type === 'A' ? fromNetAscii(data) : data);
          tracePdu(this.server.node, 'ftp-data', 'up', `${data.length} bytes`, data.length, undefined, connectionKey(socket));
          this.reply(226, 'Transfer complete.');
        });
        try {
          socket.end();
        } catch {
          // already closed
        }
      });
      socket.on('error', () => finish(() => this.reply(426, 'Connection closed; transfer aborted.')));
    });
  }

  private reply(code: number, text: string | readonly string[]): void {
    if (this.closed) return;
    if (!sendReply(this.server.node, 'ftp', this.control, this.key, code, text)) this.closed = true;
  }

  private closePassive(): void {
    if (this.passive === null) return;
    this.passive.listener.close();
    this.passive.socket?.destroy();
    this.passive = null;
  }

  private shutdown(): void {
    if (this.closed) return;
    this.closePassive();
    this.closed = true;
    try {
      this.control.end();
    } catch {
      // already closed
    }
  }
}

/** TYPE A on the wire: lines end in CRLF (RFC 959 §3.1.1.1). */
function toNetAscii(data: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < data.length; i++) {
    if (data[i] === 0x0a && (i === 0 || data[i - 1] !== 0x0d)) out.push(0x0d);
    out.push(data[i]!);
  }
  return Uint8Array.from(out);
}

function fromNetAscii(data: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < data.length; i++) if (!(data[i] === 0x0d && data[i + 1] === 0x0a)) out.push(data[i]!);
  return Uint8Array.from(out);
}
