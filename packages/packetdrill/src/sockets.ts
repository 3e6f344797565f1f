// The system calls a script makes, on a file-descriptor table over core's socket contracts
// (StreamTransport, optionally DatagramTransport): socket, bind, listen, accept, connect,
// read/recv, write/send, shutdown, close, setsockopt/getsockopt, fcntl — with POSIX blocking
// semantics in virtual time (a call that cannot complete either fails with EAGAIN /
// EINPROGRESS on a non-blocking socket or blocks until an event wakes it). Reading follows
// the kernel: when the socket can pause (Node's pause/resume), unread bytes stay in the
// transport and the advertised window shrinks (RFC 9293 §3.8.6.2.2).

import { SocketError, type DatagramSocket, type Ipv4Address, type StreamListener, type StreamSocket } from '@netlayers/core';
import type { Expr } from './ast.ts';
import { ERRNO, O_NONBLOCK, O_RDWR } from './errno.ts';
import { identArg, intArg, sockaddrPort, take } from './syscall-args.ts';
import type { StackUnderTest } from './stack.ts';

/** A completed call: the return value, the errno for -1, and a field that differed from the script. */
export interface Outcome {
  readonly result: number;
  readonly errno?: string;
  /** An output argument that differs from the script (getsockopt's value). */
  readonly mismatch?: string;
}

export type CallResult =
  | { readonly kind: 'done'; readonly outcome: Outcome }
  /** Would block: `retry` returns the outcome once the call can complete. */
  | { readonly kind: 'block'; readonly retry: () => Outcome | undefined }
  | { readonly kind: 'unsupported'; readonly construct: string }
  | { readonly kind: 'error'; readonly message: string };

export interface SyscallEnv {
  readonly stack: StackUnderTest;
  readonly local: Ipv4Address;
  readonly remote: Ipv4Address;
  /** The ports of the connection the script's packets belong to. */
  setConnection(localPort: number, remotePort: number, protocol: 'tcp' | 'udp'): void;
  /** Something happened on a socket: blocked calls may complete. */
  wake(): void;
}

/** packetdrill's conventions: the local stack binds 8080; the remote side connects from 40000 and listens on 8080. */
export const DEFAULT_LOCAL_PORT = 8080;
export const REMOTE_CLIENT_PORT = 40000;
export const REMOTE_SERVER_PORT = 8080;

interface Pausable {
  pause(): unknown;
  resume(): unknown;
}

function pausable(s: StreamSocket): (StreamSocket & Pausable) | undefined {
  const p = s as StreamSocket & Partial<Pausable>;
  return typeof p.pause === 'function' && typeof p.resume === 'function' ? (p as StreamSocket & Pausable) : undefined;
}

interface Options {
  nonblocking: boolean;
  noDelay: boolean;
  keepAlive: boolean;
  keepIdleSecs: number | undefined;
  lingerZero: boolean;
}

interface TcpFd {
  readonly type: 'tcp';
  options: Options;
  boundPort: number | undefined;
  listener: StreamListener | undefined;
  backlog: StreamSocket[];
  socket: StreamSocket | undefined;
  connected: boolean;
  rx: Uint8Array[];
  eof: boolean;
  /** An error not yet reported to a call (Linux's sk_err). */
  error: SocketError | undefined;
  closed: boolean;
  blockedReaders: number;
}

interface UdpFd {
  readonly type: 'udp';
  options: Options;
  socket: DatagramSocket | undefined;
  remotePort: number | undefined;
  queue: Uint8Array[];
}

type Fd = TcpFd | UdpFd;

const done = (result: number, errno?: string, mismatch?: string): CallResult => ({ kind: 'done', outcome: { result, ...(errno ? { errno } : {}), ...(mismatch ? { mismatch } : {}) } });
const fail = (errno: string): CallResult => done(-1, errno);
const fin = (result: number, errno?: string): Outcome => ({ result, ...(errno ? { errno } : {}) });

export class SocketTable {
  private readonly fds = new Map<number, Fd>();

  constructor(private readonly env: SyscallEnv) {}

  call(name: string, args: readonly Expr[]): CallResult {
    try {
      return this.dispatch(name, args);
    } catch (error) {
      if (error instanceof SocketError) return fail(error.code in ERRNO ? error.code : 'EINVAL');
      return { kind: 'error', message: `${name}() threw inside the stack under test: ${error instanceof Error ? error.message : String(error)}` };
    }
  }

  private dispatch(name: string, args: readonly Expr[]): CallResult {
    switch (name) {
      case 'socket':
        return this.socket(args);
      case 'bind':
        return this.withFd(args, (fd) => this.bind(fd, args));
      case 'listen':
        return this.withTcp(args, (fd) => this.listen(fd, args));
      case 'accept':
        return this.withTcp(args, (fd) => this.accept(fd));
      case 'connect':
        return this.withFd(args, (fd) => (fd.type === 'tcp' ? this.connect(fd, args) : this.udpConnect(fd, args)));
      case 'write':
      case 'send':
        if (name === 'send' && (intArg(args[3]) ?? 0) !== 0) return { kind: 'unsupported', construct: 'send() flags' };
        return this.withFd(args, (fd) => (fd.type === 'tcp' ? this.write(fd, args) : this.udpSend(fd, args)));
      case 'read':
      case 'recv':
        if (name === 'recv' && (intArg(args[3]) ?? 0) !== 0) return { kind: 'unsupported', construct: 'recv() flags' };
        return this.withFd(args, (fd) => (fd.type === 'tcp' ? this.read(fd, args) : this.udpRead(fd, args)));
      case 'shutdown':
        return this.withTcp(args, (fd) => this.shutdown(fd, args));
      case 'close':
        return this.withFd(args, (fd, n) => this.close(fd, n));
      case 'setsockopt':
        return this.withFd(args, (fd) => this.setsockopt(fd, args));
      case 'getsockopt':
        return this.withFd(args, (fd) => this.getsockopt(fd, args));
      case 'fcntl':
        return this.withFd(args, (fd) => this.fcntl(fd, args));
      default:
        return { kind: 'unsupported', construct: `system call ${name}()` };
    }
  }

  private withFd(args: readonly Expr[], f: (fd: Fd, n: number) => CallResult): CallResult {
    const n = intArg(args[0]);
    const fd = n === undefined ? undefined : this.fds.get(n);
    if (fd === undefined || n === undefined) return fail('EBADF');
    return f(fd, n);
  }

  private withTcp(args: readonly Expr[], f: (fd: TcpFd) => CallResult): CallResult {
    return this.withFd(args, (fd) => (fd.type === 'tcp' ? f(fd) : fail('EOPNOTSUPP')));
  }

  private allocate(fd: Fd): number {
    let n = 3;
    while (this.fds.has(n)) n++;
    this.fds.set(n, fd);
    return n;
  }

  private socket(args: readonly Expr[]): CallResult {
    const type = identArg(args[1]);
    const options: Options = { nonblocking: false, noDelay: false, keepAlive: false, keepIdleSecs: undefined, lingerZero: false };
    if (type === 'SOCK_STREAM') return done(this.allocate(newTcpFd(options)));
    if (type === 'SOCK_DGRAM') {
      if (this.env.stack.datagram === undefined) return { kind: 'unsupported', construct: 'SOCK_DGRAM (this stack has no datagram transport)' };
      return done(this.allocate({ type: 'udp', options, socket: undefined, remotePort: undefined, queue: [] }));
    }
    return { kind: 'unsupported', construct: `socket type ${type ?? '?'}` };
  }

  private bind(fd: Fd, args: readonly Expr[]): CallResult {
    const port = sockaddrPort(args[1]) ?? DEFAULT_LOCAL_PORT;
    if (fd.type === 'tcp') {
      if (fd.boundPort !== undefined || fd.socket !== undefined) return fail('EINVAL');
      fd.boundPort = port;
      return done(0);
    }
    if (fd.socket !== undefined) return fail('EINVAL');
    this.openUdp(fd, port);
    this.env.setConnection(port, REMOTE_CLIENT_PORT, 'udp');
    return done(0);
  }

  private listen(fd: TcpFd, args: readonly Expr[]): CallResult {
    if (fd.socket !== undefined) return fail('EINVAL');
    if (fd.listener !== undefined) return done(0);
    const port = fd.boundPort ?? DEFAULT_LOCAL_PORT;
    const backlog = Math.max(1, intArg(args[1]) ?? 1);
    const listener = this.env.stack.stream.listen({ port, backlog });
    fd.listener = listener;
    listener.on('connection', (s) => {
      this.watch(s, fd.options);
      fd.backlog.push(s);
      this.env.wake();
    });
    this.env.setConnection(port, REMOTE_CLIENT_PORT, 'tcp');
    return done(0);
  }

  private accept(fd: TcpFd): CallResult {
    if (fd.listener === undefined) return fail('EINVAL');
    const take = (): Outcome | undefined => {
      const s = fd.backlog.shift();
      if (s === undefined) return undefined;
      const child = newTcpFd({ ...fd.options, nonblocking: false });
      child.socket = s;
      child.connected = true;
      this.attach(child, s);
      return fin(this.allocate(child));
    };
    const now = take();
    if (now !== undefined) return { kind: 'done', outcome: now };
    if (fd.options.nonblocking) return fail('EAGAIN');
    return { kind: 'block', retry: take };
  }

  private connect(fd: TcpFd, args: readonly Expr[]): CallResult {
    if (fd.listener !== undefined) return fail('EINVAL');
    if (fd.socket !== undefined) {
      if (fd.connected) return fail('EISCONN');
      if (fd.error !== undefined) return this.takeError(fd);
      return fail('EALREADY');
    }
    const remotePort = sockaddrPort(args[1]) ?? REMOTE_SERVER_PORT;
    const s = this.env.stack.stream.connect({ remoteAddress: this.env.remote, remotePort, ...(fd.boundPort !== undefined ? { localPort: fd.boundPort } : {}) });
    fd.socket = s;
    this.env.setConnection(s.localPort, remotePort, 'tcp');
    this.watch(s, fd.options);
    this.attach(fd, s);
    const outcome = (): Outcome | undefined => {
      if (fd.connected) return fin(0);
      if (fd.error !== undefined) {
        const code = fd.error.code;
        fd.error = undefined;
        return fin(-1, code);
      }
      return undefined;
    };
    const now = outcome();
    if (now !== undefined) return { kind: 'done', outcome: now };
    if (fd.options.nonblocking) return fail('EINPROGRESS');
    return { kind: 'block', retry: outcome };
  }

  /** Apply the options set before the socket existed, and keep unread bytes in the transport. */
  private watch(s: StreamSocket, options: Options): void {
    pausable(s)?.pause();
    if (options.noDelay) s.setNoDelay(true);
    if (options.keepAlive) s.setKeepAlive(true, options.keepIdleSecs === undefined ? undefined : options.keepIdleSecs * 1e9);
  }

  private attach(fd: TcpFd, s: StreamSocket): void {
    s.on('connect', () => {
      fd.connected = true;
      this.env.wake();
    });
    s.on('data', (chunk) => {
      fd.rx.push(chunk.slice());
      this.env.wake();
    });
    s.on('end', () => {
      fd.eof = true;
      this.env.wake();
    });
    s.on('error', (e) => {
      fd.error = e;
      this.env.wake();
    });
    s.on('close', () => {
      fd.closed = true;
      this.env.wake();
    });
  }

  private takeError(fd: TcpFd): CallResult {
    const code = fd.error!.code;
    fd.error = undefined;
    return fail(code in ERRNO ? code : 'EINVAL');
  }

  private write(fd: TcpFd, args: readonly Expr[]): CallResult {
    const len = intArg(args[2]);
    if (len === undefined || len < 0) return fail('EINVAL');
    const s = fd.socket;
    if (s === undefined) return fail('EPIPE');
    if (fd.error !== undefined) return this.takeError(fd);
    if (!fd.connected && !fd.options.nonblocking) {
      // Writing before the handshake completes blocks, as on Linux.
      return { kind: 'block', retry: () => (fd.connected ? fin(this.doWrite(s, len)) : fd.error !== undefined ? fin(-1, fd.error.code) : undefined) };
    }
    if (!fd.connected) return fail('EAGAIN');
    return done(this.doWrite(s, len));
  }

  private doWrite(s: StreamSocket, len: number): number {
    if (len > 0) s.write(new Uint8Array(len));
    return len;
  }

  private read(fd: TcpFd, args: readonly Expr[]): CallResult {
    const len = intArg(args[2]);
    if (len === undefined || len < 0) return fail('EINVAL');
    const s = fd.socket;
    if (s === undefined) return fail('ENOTCONN');
    const attempt = (): Outcome | undefined => {
      const p = pausable(s);
      if (p !== undefined && fd.blockedReaders === 0) {
        p.resume();
        p.pause();
      }
      const n = take(fd.rx, len);
      if (n > 0) return fin(n);
      if (fd.error !== undefined) {
        const code = fd.error.code;
        fd.error = undefined;
        return fin(-1, code);
      }
      if (fd.eof || fd.closed) return fin(0);
      return undefined;
    };
    const now = attempt();
    if (now !== undefined) return { kind: 'done', outcome: now };
    if (fd.options.nonblocking) return fail('EAGAIN');
    // A blocked reader takes bytes as they arrive: let them flow until it returns.
    const p = pausable(s);
    fd.blockedReaders++;
    p?.resume();
    return {
      kind: 'block',
      retry: () => {
        const n = take(fd.rx, len);
        let out: Outcome | undefined = n > 0 ? fin(n) : undefined;
        if (out === undefined && fd.error !== undefined) {
          out = fin(-1, fd.error.code);
          fd.error = undefined;
        } else if (out === undefined && (fd.eof || fd.closed)) out = fin(0);
        if (out !== undefined) {
          fd.blockedReaders--;
          if (fd.blockedReaders === 0) p?.pause();
        }
        return out;
      },
    };
  }

  private shutdown(fd: TcpFd, args: readonly Expr[]): CallResult {
    const how = intArg(args[1]);
    if (fd.socket === undefined) return fail('ENOTCONN');
    if (how === 0) return { kind: 'unsupported', construct: 'shutdown(SHUT_RD)' };
    if (how !== 1 && how !== 2) return fail('EINVAL');
    fd.socket.end();
    return done(0);
  }

  private close(fd: Fd, n: number): CallResult {
    this.fds.delete(n);
    if (fd.type === 'udp') {
      fd.socket?.close();
      return done(0);
    }
    fd.listener?.close();
    for (const s of fd.backlog) s.destroy();
    const s = fd.socket;
    if (s !== undefined) {
      if (fd.options.lingerZero) s.destroy();
      else if (s.state !== 'CLOSED') s.end();
      pausable(s)?.resume();
    }
    return done(0);
  }

  private setsockopt(fd: Fd, args: readonly Expr[]): CallResult {
    const name = identArg(args[2]) ?? '?';
    const value = args[3];
    const evaluated = intArg(value);
    if (evaluated === undefined && (name === 'TCP_NODELAY' || name === 'SO_KEEPALIVE' || name === 'TCP_KEEPIDLE')) {
      return { kind: 'error', message: `setsockopt ${name}: cannot evaluate the value (use [0] or [1], or a number)` };
    }
    const on = (evaluated ?? 0) !== 0;
    const o = fd.options;
    const tcp = fd.type === 'tcp' ? fd : undefined;
    const live = tcp?.socket;
    switch (name) {
      case 'SO_REUSEADDR':
      case 'SO_REUSEPORT':
        return done(0);
      case 'TCP_NODELAY':
        if (tcp === undefined) return fail('EOPNOTSUPP');
        o.noDelay = on;
        live?.setNoDelay(on);
        return done(0);
      case 'SO_KEEPALIVE':
        if (tcp === undefined) return fail('EOPNOTSUPP');
        o.keepAlive = on;
        live?.setKeepAlive(on, on && o.keepIdleSecs !== undefined ? o.keepIdleSecs * 1e9 : undefined);
        return done(0);
      case 'TCP_KEEPIDLE': {
        const secs = intArg(value);
        if (tcp === undefined || secs === undefined || secs < 1) return fail('EINVAL');
        o.keepIdleSecs = secs;
        if (o.keepAlive) live?.setKeepAlive(true, secs * 1e9);
        return done(0);
      }
      case 'SO_LINGER': {
        if (value?.kind !== 'struct') return fail('EINVAL');
        const field = (f: string): number | undefined => intArg(value.fields.find((x) => x.name === f)?.value);
        const onoff = field('l_onoff');
        const linger = field('l_linger');
        if (onoff !== 0 && linger !== 0) return { kind: 'unsupported', construct: 'SO_LINGER with a non-zero linger time' };
        o.lingerZero = onoff !== 0 && linger === 0;
        return done(0);
      }
      default:
        return { kind: 'unsupported', construct: `setsockopt ${name} (core's socket contract has no such option)` };
    }
  }

  private getsockopt(fd: Fd, args: readonly Expr[]): CallResult {
    const name = identArg(args[2]) ?? '?';
    const expected = intArg(args[3]);
    if (expected === undefined && args[3] !== undefined && args[3].kind !== 'ellipsis') return { kind: 'error', message: `getsockopt ${name}: cannot evaluate the expected value (use a number, an errno name or ...)` };
    let actual: number;
    let label = '';
    switch (name) {
      case 'SO_ERROR': {
        const e = fd.type === 'tcp' ? fd.error : undefined;
        actual = e === undefined ? 0 : (ERRNO[e.code] ?? ERRNO.EINVAL!);
        label = e === undefined ? '' : ` (${e.code})`;
        if (fd.type === 'tcp') fd.error = undefined;
        break;
      }
      case 'TCP_NODELAY':
        actual = fd.options.noDelay ? 1 : 0;
        break;
      case 'SO_KEEPALIVE':
        actual = fd.options.keepAlive ? 1 : 0;
        break;
      default:
        return { kind: 'unsupported', construct: `getsockopt ${name}` };
    }
    if (expected !== undefined && expected !== actual) return done(0, undefined, `getsockopt ${name}: expected [${expected}], actual [${actual}]${label}`);
    return done(0);
  }

  private fcntl(fd: Fd, args: readonly Expr[]): CallResult {
    const cmd = identArg(args[1]);
    if (cmd === 'F_GETFL') return done(O_RDWR | (fd.options.nonblocking ? O_NONBLOCK : 0));
    if (cmd === 'F_SETFL') {
      const flags = intArg(args[2]);
      if (flags === undefined) return fail('EINVAL');
      fd.options.nonblocking = (flags & O_NONBLOCK) !== 0;
      return done(0);
    }
    return { kind: 'unsupported', construct: `fcntl ${cmd ?? '?'}` };
  }

  // ---- UDP (RFC 768) over the optional DatagramTransport ------------------------------

  private openUdp(fd: UdpFd, port: number | undefined): DatagramSocket {
    const s = this.env.stack.datagram!.bind(port === undefined ? {} : { port });
    fd.socket = s;
    s.on('message', (data) => {
      fd.queue.push(data.slice());
      this.env.wake();
    });
    return s;
  }

  private udpConnect(fd: UdpFd, args: readonly Expr[]): CallResult {
    const s = fd.socket ?? this.openUdp(fd, undefined);
    fd.remotePort = sockaddrPort(args[1]) ?? REMOTE_SERVER_PORT;
    this.env.setConnection(s.localPort, fd.remotePort, 'udp');
    return done(0);
  }

  private udpSend(fd: UdpFd, args: readonly Expr[]): CallResult {
    const len = intArg(args[2]);
    if (len === undefined || len < 0) return fail('EINVAL');
    if (fd.socket === undefined || fd.remotePort === undefined) return fail('EDESTADDRREQ');
    fd.socket.send(new Uint8Array(len), fd.remotePort, this.env.remote);
    return done(len);
  }

  private udpRead(fd: UdpFd, args: readonly Expr[]): CallResult {
    const len = intArg(args[2]);
    if (len === undefined || len < 0) return fail('EINVAL');
    const attempt = (): Outcome | undefined => {
      const d = fd.queue.shift();
      return d === undefined ? undefined : fin(Math.min(len, d.length));
    };
    const now = attempt();
    if (now !== undefined) return { kind: 'done', outcome: now };
    if (fd.options.nonblocking) return fail('EAGAIN');
    return { kind: 'block', retry: attempt };
  }
}

function newTcpFd(options: Options): TcpFd {
  return { type: 'tcp', options, boundPort: undefined, listener: undefined, backlog: [], socket: undefined, connected: false, rx: [], eof: false, error: undefined, closed: false, blockedReaders: 0 };
}
