// A minimal FTP client (RFC 959), passive mode: logs in (USER/PASS, §4.1.1), switches to
// TYPE I, and runs every transfer (LIST, NLST, RETR, STOR) over a fresh data connection to
// the port named in the server's 227 reply (§4.1.2 PASV, §5.3 reply parsing), waiting for
// both the end of the data and the 226 on the control connection. Commands are serialised;
// `transcript` records the dialogue and `dataConnections` the ports each transfer used.

import { assertPort, InvalidArgumentError, Ipv4Address, type NodeContext, type StreamSocket, type StreamTransport } from '@netlayers/core';
import { ProtocolReplyError, ReplyReader, replyText, whenConnected, type Reply } from '../util/replies.ts';
import { concatBytes, fromUtf8, latin1, toBytes } from '../util/bytes.ts';
import { connectionKey, tracePdu } from '../util/trace.ts';
import { resolveHost, type HostResolver } from '../util/host.ts';

export interface FtpConnectOptions {
  readonly host: string | Ipv4Address;
  readonly port?: number;
  readonly user?: string;
  readonly password?: string;
  readonly resolver?: HostResolver;
  readonly node?: NodeContext;
}

export interface FtpDataConnection {
  readonly command: string;
  readonly localPort: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
}

export class FtpClient {
  readonly dataConnections: FtpDataConnection[] = [];
  private chain: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly transport: StreamTransport,
    private readonly control: StreamSocket,
    private readonly replies: ReplyReader,
    private readonly node: NodeContext | undefined,
    /** The dialogue on the control connection: "C: RETR file", "S: 226 Transfer complete.". */
    readonly transcript: string[],
  ) {}

  /** Connect, log in and select binary (image) type. */
  static async connect(transport: StreamTransport, options: FtpConnectOptions): Promise<FtpClient> {
    const port = options.port ?? 21;
    assertPort(port);
    const address = await resolveHost(options.host, options.resolver);
    const control = transport.connect({ remoteAddress: address, remotePort: port });
    const transcript: string[] = [];
    const replies = new ReplyReader(control, (reply) => {
      for (const line of reply.lines) transcript.push(`S: ${reply.code} ${line}`);
      tracePdu(options.node, 'ftp', 'up', `${reply.code} ${reply.lines[0] ?? ''}`, 0, { protocol: 'app-line', application: 'ftp', code: reply.code }, connectionKey(control));
    });
    const client = new FtpClient(transport, control, replies, options.node, transcript);
    try {
      await whenConnected(control);
      await client.expect('', [220]);
      const user = options.user ?? 'anonymous';
      const reply = await client.command(`USER ${user}`, [230, 331]);
      if (reply.code === 331) await client.command(`PASS ${options.password ?? 'guest@netlayers'}`, [230]);
      await client.command('TYPE I', [200]);
      return client;
    } catch (error) {
      control.destroy();
      throw error;
    }
  }

  /** The control connection's endpoints (port 21 on the server). */
  get controlConnection(): { readonly localPort: number; readonly remoteAddress: string; readonly remotePort: number } {
    return { localPort: this.control.localPort, remoteAddress: this.control.remoteAddress.toString(), remotePort: this.control.remotePort };
  }

  pwd(): Promise<string> {
    return this.serial(async () => {
      const reply = await this.command('PWD', [257]);
      const m = /"((?:[^"]|"")*)"/.exec(replyText(reply));
      return m === null ? replyText(reply) : m[1]!.replace(/""/g, '"');
    });
  }

  cwd(path: string): Promise<void> {
    checkArgument(path);
    return this.serial(async () => {
      await this.command(`CWD ${checkArgument(path)}`, [250]);
    });
  }

  size(path: string): Promise<number> {
    checkArgument(path);
    return this.serial(async () => Number(replyText(await this.command(`SIZE ${checkArgument(path)}`, [213]))));
  }

  mkdir(path: string): Promise<void> {
    checkArgument(path);
    return this.serial(async () => {
      await this.command(`MKD ${checkArgument(path)}`, [257]);
    });
  }

  delete(path: string): Promise<void> {
    checkArgument(path);
    return this.serial(async () => {
      await this.command(`DELE ${checkArgument(path)}`, [250]);
    });
  }

  /** LIST output (ls -l style lines). */
  list(path?: string): Promise<string> {
    if (path !== undefined) checkArgument(path);
    return this.serial(async () => fromUtf8(await this.download(path === undefined ? 'LIST' : `LIST ${checkArgument(path)}`)));
  }

  /** Names in a directory. */
  names(path?: string): Promise<string[]> {
    if (path !== undefined) checkArgument(path);
    return this.serial(async () => {
      const text = fromUtf8(await this.download(path === undefined ? 'NLST' : `NLST ${checkArgument(path)}`));
      return text.split('\r\n').filter((l) => l !== '');
    });
  }

  /** Download a file. */
  retr(path: string): Promise<Uint8Array> {
    checkArgument(path);
    return this.serial(() => this.download(`RETR ${checkArgument(path)}`));
  }

  /** Upload a file. */
  stor(path: string, data: Uint8Array | string): Promise<void> {
    checkArgument(path);
    const bytes = toBytes(data);
    return this.serial(async () => {
      const socket = await this.openData(`STOR ${checkArgument(path)}`);
      const ended = new Promise<void>((resolve) => {
        socket.on('close', () => resolve());
        socket.on('end', () => resolve());
      });
      try {
        await this.command(`STOR ${path}`, [125, 150]);
      } catch (error) {
        socket.destroy();
        throw error;
      }
      tracePdu(this.node, 'ftp-data', 'down', `${bytes.length} bytes`, bytes.length, undefined, connectionKey(socket));
      socket.end(bytes);
      await this.expect(`STOR ${path}`, [226, 250]);
      await ended;
    });
  }

  /** QUIT and close the control connection. */
  quit(): Promise<void> {
    return this.serial(async () => {
      await this.command('QUIT', [221]);
      this.control.end();
    });
  }

  private serial<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.chain.then(operation, operation);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async download(command: string): Promise<Uint8Array> {
    const socket = await this.openData(command);
    const parts: Uint8Array[] = [];
    const received = new Promise<Uint8Array>((resolve, reject) => {
      socket.on('data', (chunk) => parts.push(chunk));
      socket.on('end', () => {
        try {
          socket.end();
        } catch {
          // already closed
        }
        resolve(concatBytes(parts));
      });
      socket.on('error', (error) => reject(error));
    });
    received.catch(() => undefined);
    try {
      await this.command(command, [125, 150]);
    } catch (error) {
      socket.destroy();
      throw error;
    }
    const [data] = await Promise.all([received, this.expect(command, [226, 250])]);
    tracePdu(this.node, 'ftp-data', 'up', `${data.length} bytes`, data.length, undefined, connectionKey(socket));
    return data;
  }

  /** PASV, then connect to the address and port of the 227 reply. */
  private async openData(command: string): Promise<StreamSocket> {
    const reply = await this.command('PASV', [227]);
    const m = /(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3})/.exec(replyText(reply));
    if (m === null) throw new ProtocolReplyError('ftp', reply, 'PASV');
    const n = m.slice(1).map(Number);
    if (n.some((v) => v > 255)) throw new ProtocolReplyError('ftp', reply, 'PASV');
    const address = Ipv4Address.parse(n.slice(0, 4).join('.'));
    const port = n[4]! * 256 + n[5]!;
    const socket = this.transport.connect({ remoteAddress: address, remotePort: port });
    await whenConnected(socket);
    this.dataConnections.push({ command, localPort: socket.localPort, remoteAddress: address.toString(), remotePort: port });
    return socket;
  }

  private async command(line: string, ok: readonly number[]): Promise<Reply> {
    this.transcript.push(`C: ${line.startsWith('PASS ') ? 'PASS ****' : line}`);
    tracePdu(this.node, 'ftp', 'down', line.startsWith('PASS ') ? 'PASS ****' : line, line.length + 2, undefined, connectionKey(this.control));
    this.control.write(latin1(`${line}\r\n`));
    return this.expect(line, ok);
  }

  private async expect(command: string, ok: readonly number[]): Promise<Reply> {
    const reply = await this.replies.next();
    if (!ok.includes(reply.code)) throw new ProtocolReplyError('ftp', reply, command.startsWith('PASS ') ? 'PASS ****' : command);
    return reply;
  }
}

function checkArgument(path: string): string {
  if (typeof path !== 'string' || path === '' || /[\r\n]/.test(path)) throw new InvalidArgumentError('path', path, 'must be a non-empty path without CR or LF');
  return path;
}
