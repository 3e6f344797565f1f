// A segment-level harness for ANY TCP, in the style of smoltcp's socket/tcp.rs tests: the TCP
// under test (built by a factory implementing core's StreamTransport contract) sits on a
// RecordingIp; the test plays the peer, sending segments it describes field by field, and
// expects exactly one reply (or several, or none), with a diff naming each wrong field and
// the segments in tcpdump style. Segments are written and read with this package's own
// checksummed codec (./wire.ts), or with one the test passes in. It follows RFC 9293
// §3.10.7 (SEGMENT ARRIVES): each state's reply is checkable one segment at a time.

import { createNodeContext, createSimulationContext, Ipv4Address, parseDuration, type NodeContext, type SimulationContext, type StreamListener, type StreamSocket, type StreamTransport, type TraceEvent, type IpService } from '@netlayers/core';
import { RecordingIp } from '../fakes/recording-ip.ts';
import { controlBits, controlNames, emitTestTcpSegment, parseTestTcpSegment, TcpControl, tcpdumpLine, type TestTcpFields, type TestTcpOptions, type TestTcpSegment } from './wire.ts';

export const HARNESS_LOCAL = Ipv4Address.parse('192.168.1.1');
export const HARNESS_REMOTE = Ipv4Address.parse('192.168.1.2');
export const HARNESS_LOCAL_PORT = 80;
export const HARNESS_REMOTE_PORT = 49500;
/** The peer's (the test's) initial sequence number. */
export const HARNESS_REMOTE_ISS = 20_000;

/** How segments are written and read; the default is this package's codec. */
export interface TcpSegmentCodec<S extends TestTcpSegment = TestTcpSegment> {
  emit(fields: TestTcpFields, payload: Uint8Array, source: Ipv4Address, destination: Ipv4Address): Uint8Array;
  /** The segment, or a string (or an object with `detail`) saying why it is invalid. */
  parse(bytes: Uint8Array, source: Ipv4Address, destination: Ipv4Address): S | string | { readonly detail: string };
}

export const testTcpCodec: TcpSegmentCodec = { emit: emitTestTcpSegment, parse: parseTestTcpSegment };

/** A segment the peer sends: every field has a default (an ACK from the peer's port to ours). */
export interface SegmentTemplate {
  sport?: number;
  dport?: number;
  seq?: number;
  ack?: number;
  /** "SYN,ACK" (RFC 9293 names) or a bitmask. Default ACK. */
  flags?: string | number;
  window?: number;
  options?: TestTcpOptions;
  payload?: Uint8Array | string;
  /** Send it with a wrong checksum (the TCP must drop it silently, RFC 9293 §3.1, RFC 1122 §4.2.2.7). */
  badChecksum?: boolean;
}

/** The fields a reply must have; those left out are not checked. */
export interface ExpectedSegment {
  sport?: number;
  dport?: number;
  seq?: number;
  ack?: number;
  /** Exactly these control bits, e.g. "SYN,ACK". */
  flags?: string;
  window?: number;
  /** Payload length. */
  len?: number;
  payload?: string;
  /** Each option named here must have this value. */
  options?: TestTcpOptions;
}

export interface TcpSegmentHarnessOptions<T extends StreamTransport> {
  /** Build the TCP under test on the harness's node and IP service. */
  readonly factory: (node: NodeContext, ip: IpService) => T;
  /** Read and write segments with this codec (default: @netlayers/testing's own). */
  readonly codec?: TcpSegmentCodec;
  /** The TCP's ISS, when it lets you fix it: the handshakes then check it. */
  readonly iss?: number | undefined;
  /** Simulation seed (default 42). */
  readonly seed?: number | string;
  /** MTU the IP service reports (default 1500). */
  readonly mtu?: number;
}

/** Records a socket's data (as text) and events (as names) for assertions. */
export function recordSocket(socket: StreamSocket): { received: string[]; events: string[] } {
  const received: string[] = [];
  const events: string[] = [];
  const decoder = new TextDecoder();
  socket.on('data', (d) => received.push(decoder.decode(d)));
  socket.on('connect', () => events.push('connect'));
  socket.on('end', () => events.push('end'));
  socket.on('close', (hadError) => events.push(hadError ? 'close(error)' : 'close'));
  socket.on('error', (e) => events.push(`error:${e.code}`));
  socket.on('drain', () => events.push('drain'));
  return { received, events };
}

/** A harness: one TCP under test, and the test as its peer. */
export class TcpSegmentHarness<T extends StreamTransport = StreamTransport, S extends StreamSocket = ReturnType<T['connect']>> {
  readonly sim: SimulationContext;
  readonly node: NodeContext;
  readonly ip: RecordingIp;
  readonly transport: T;
  readonly events: TraceEvent[] = [];
  /** The TCP's ISS: given in the options, or learned from its first SYN. */
  iss: number | undefined;
  private readonly codec: TcpSegmentCodec;

  constructor(options: TcpSegmentHarnessOptions<T>) {
    this.sim = createSimulationContext(options.seed ?? 42);
    this.node = createNodeContext(this.sim, 'dut');
    this.ip = new RecordingIp(HARNESS_LOCAL, options.mtu ?? 1500);
    this.sim.trace.on('event', (e) => this.events.push(e));
    this.transport = options.factory(this.node, this.ip);
    this.codec = options.codec ?? testTcpCodec;
    this.iss = options.iss;
  }

  /** The peer sends a segment to the TCP under test. */
  send(t: SegmentTemplate = {}): void {
    const payload = typeof t.payload === 'string' ? new TextEncoder().encode(t.payload) : (t.payload ?? new Uint8Array(0));
    const fields: TestTcpFields = {
      sourcePort: t.sport ?? HARNESS_REMOTE_PORT,
      destinationPort: t.dport ?? HARNESS_LOCAL_PORT,
      seq: t.seq ?? HARNESS_REMOTE_ISS + 1,
      ack: t.ack ?? 0,
      flags: t.flags === undefined ? TcpControl.ACK : controlBits(t.flags),
      window: t.window ?? 65535,
      options: t.options ?? {},
    };
    const bytes = this.codec.emit(fields, payload, HARNESS_REMOTE, HARNESS_LOCAL);
    if (t.badChecksum === true) bytes[16]! ^= 0xff;
    this.ip.deliver(bytes, HARNESS_REMOTE);
  }

  /** Everything the TCP sent since the last call, parsed (a segment that does not parse is an error). */
  takeSent(): TestTcpSegment[] {
    const out: TestTcpSegment[] = [];
    for (const d of this.ip.sent.splice(0)) {
      const seg = this.codec.parse(d.bytes, d.options.source ?? HARNESS_LOCAL, d.options.destination);
      if (typeof seg === 'string' || !('sourcePort' in seg)) throw new Error(`the TCP sent an invalid segment: ${typeof seg === 'string' ? seg : seg.detail}`);
      if (this.iss === undefined && seg.flags & TcpControl.SYN) this.iss = seg.seq;
      out.push(seg);
    }
    return out;
  }

  /** Exactly one segment was sent, matching `expected`; returns it. */
  expectOne(expected: ExpectedSegment): TestTcpSegment {
    const sent = this.takeSent();
    if (sent.length !== 1) throw new Error(`expected exactly one segment (${describeExpected(expected)}), got ${sent.length}:\n${this.lines(sent)}${this.traceTail()}`);
    const seg = sent[0]!;
    const wrong = mismatches(seg, expected);
    if (wrong.length > 0) throw new Error(`segment differs from expected:\n${wrong.join('\n')}\n  got: ${this.line(seg)}${this.traceTail()}`);
    return seg;
  }

  /** Several segments, in order. */
  expectMany(expected: readonly ExpectedSegment[]): TestTcpSegment[] {
    const sent = this.takeSent();
    if (sent.length !== expected.length) throw new Error(`expected ${expected.length} segments, got ${sent.length}:\n${this.lines(sent)}${this.traceTail()}`);
    sent.forEach((seg, i) => {
      const wrong = mismatches(seg, expected[i]!);
      if (wrong.length > 0) throw new Error(`segment ${i} differs from expected:\n${wrong.join('\n')}\n  got: ${this.line(seg)}${this.traceTail()}`);
    });
    return sent;
  }

  /** Nothing was sent. */
  expectNone(): void {
    const sent = this.takeSent();
    if (sent.length > 0) throw new Error(`expected no segment, got ${sent.length}:\n${this.lines(sent)}${this.traceTail()}`);
  }

  /** Run virtual time forward by `duration` (ns, or "200ms"). */
  advance(duration: number | string): void {
    this.sim.scheduler.runFor(parseDuration(duration));
  }

  now(): number {
    return this.sim.scheduler.now();
  }

  /** Listen on `port`; sockets it accepts are collected in `accepted`. */
  listen(port = HARNESS_LOCAL_PORT, backlog?: number): { listener: ReturnType<T['listen']>; accepted: S[] } {
    const listener = this.transport.listen(backlog === undefined ? { port } : { port, backlog }) as ReturnType<T['listen']>;
    const accepted: S[] = [];
    (listener as StreamListener).on('connection', (s) => accepted.push(s as S));
    return { listener, accepted };
  }

  /** Passive open through the handshake (the peer's ISS is HARNESS_REMOTE_ISS); returns the ESTABLISHED socket. */
  established(options: { window?: number } = {}): { socket: S; received: string[]; events: string[] } {
    const { accepted } = this.listen();
    const window = options.window ?? 65535;
    this.send({ flags: 'SYN', seq: HARNESS_REMOTE_ISS, window });
    const synAck = this.expectOne(this.iss === undefined ? { flags: 'SYN,ACK', ack: HARNESS_REMOTE_ISS + 1 } : { flags: 'SYN,ACK', seq: this.iss, ack: HARNESS_REMOTE_ISS + 1 });
    this.iss = synAck.seq;
    this.send({ flags: 'ACK', seq: HARNESS_REMOTE_ISS + 1, ack: synAck.seq + 1, window });
    this.expectNone();
    const socket = accepted[0];
    if (socket === undefined || socket.state !== 'ESTABLISHED') throw new Error(`handshake did not reach ESTABLISHED (socket state: ${socket?.state ?? 'no socket accepted'})${this.traceTail()}`);
    return { socket, ...recordSocket(socket) };
  }

  /** Active open through the handshake: connect() to the peer, which answers SYN,ACK. */
  connected(): { socket: S; received: string[]; events: string[] } {
    const socket = this.transport.connect({ remoteAddress: HARNESS_REMOTE, remotePort: HARNESS_LOCAL_PORT, localPort: HARNESS_REMOTE_PORT }) as S;
    const recorded = recordSocket(socket);
    const syn = this.expectOne(this.iss === undefined ? { flags: 'SYN' } : { flags: 'SYN', seq: this.iss });
    this.send({ flags: 'SYN,ACK', sport: HARNESS_LOCAL_PORT, dport: HARNESS_REMOTE_PORT, seq: HARNESS_REMOTE_ISS, ack: syn.seq + 1 });
    this.expectOne({ flags: 'ACK', seq: syn.seq + 1, ack: HARNESS_REMOTE_ISS + 1 });
    return { socket, ...recorded };
  }

  /** Trace events of one kind. */
  eventsOf<K extends TraceEvent['kind']>(kind: K): Extract<TraceEvent, { kind: K }>[] {
    return this.events.filter((e): e is Extract<TraceEvent, { kind: K }> => e.kind === kind);
  }

  private line(seg: TestTcpSegment): string {
    return tcpdumpLine(seg, HARNESS_LOCAL, HARNESS_REMOTE);
  }

  private lines(sent: readonly TestTcpSegment[]): string {
    return sent.map((s) => `  ${this.line(s)}`).join('\n') || '  (none)';
  }

  private traceTail(): string {
    const states = this.eventsOf('state').slice(-3).map((e) => `  ${e.entity}: ${e.from} -> ${e.to}${e.cause === undefined ? '' : ` (${e.cause})`}`);
    const drops = this.eventsOf('drop').slice(-3).map((e) => `  drop ${e.reason}: ${e.detail}`);
    const lines = [...states, ...drops];
    return lines.length === 0 ? '' : `\nlast state changes and drops:\n${lines.join('\n')}`;
  }
}

function describeExpected(e: ExpectedSegment): string {
  return Object.entries(e).map(([k, v]) => `${k} ${JSON.stringify(v)}`).join(', ') || 'any';
}

function mismatches(seg: TestTcpSegment, e: ExpectedSegment): string[] {
  const wrong: string[] = [];
  const check = (name: string, want: unknown, got: unknown): void => {
    if (want !== undefined && JSON.stringify(want) !== JSON.stringify(got)) wrong.push(`  ${name}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
  };
  check('sport', e.sport, seg.sourcePort);
  check('dport', e.dport, seg.destinationPort);
  check('seq', e.seq === undefined ? undefined : e.seq >>> 0, seg.seq);
  if (e.ack !== undefined || seg.flags & TcpControl.ACK) check('ack', e.ack === undefined ? undefined : e.ack >>> 0, seg.ack);
  check('flags', e.flags, controlNames(seg.flags));
  check('window', e.window, seg.window);
  check('len', e.len, seg.payload.length);
  check('payload', e.payload, e.payload === undefined ? undefined : new TextDecoder().decode(seg.payload));
  if (e.options !== undefined) {
    for (const [k, v] of Object.entries(e.options)) check(`options.${k}`, v, (seg.options as Record<string, unknown>)[k]);
  }
  return wrong;
}
