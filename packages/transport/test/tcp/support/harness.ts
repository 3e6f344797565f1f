// A segment-level harness in the style of smoltcp's socket/tcp.rs tests: one TcpLayer on a
// FakeIp; the test plays the peer by sending template segments and expects exactly one
// reply (or none), with a readable diff naming each wrong field.

import { createNodeContext, createSimulationContext, Ipv4Address, isWireError, Packet, type NodeContext, type SimulationContext, type TraceEvent } from '@netlayers/core';
import {
  emitTcpSegment,
  parseTcpSegment,
  tcpFlagNames,
  tcpSummary,
  TcpFlag,
  TcpLayer,
  type TcpHeaderOptions,
  type TcpListener,
  type TcpOptions,
  type TcpSegment,
  type TcpSocket,
} from '../../../src/tcp/index.ts';
import { FakeIp } from './fake-ip.ts';

export const LOCAL = Ipv4Address.parse('192.168.1.1');
export const REMOTE = Ipv4Address.parse('192.168.1.2');
export const LOCAL_PORT = 80;
export const REMOTE_PORT = 49500;
/** Our ISS (fixed through the initialSequenceNumber option) and the peer's. */
export const LOCAL_ISS = 10_000;
export const REMOTE_ISS = 20_000;

export interface SegmentTemplate {
  sport?: number;
  dport?: number;
  seq?: number;
  ack?: number;
  /** "SYN,ACK" or a TcpFlag bitmask. */
  flags?: string | number;
  window?: number;
  options?: TcpHeaderOptions;
  payload?: Uint8Array | string;
}

export interface Expected {
  sport?: number;
  dport?: number;
  seq?: number;
  ack?: number;
  flags?: string;
  window?: number;
  len?: number;
  payload?: string;
  options?: TcpHeaderOptions;
}

export function flagsOf(flags: string | number): number {
  if (typeof flags === 'number') return flags;
  if (flags === '') return 0;
  let bits = 0;
  for (const name of flags.split(',')) {
    const bit = (TcpFlag as Record<string, number>)[name.trim()];
    if (bit === undefined) throw new Error(`unknown flag ${name}`);
    bits |= bit;
  }
  return bits;
}

const DEFAULT_TCP: TcpOptions = {
  initialSequenceNumber: LOCAL_ISS,
  delayedAck: 0,
  timestamps: false,
  sack: false,
  windowScaling: false,
  receiveBufferSize: 65535,
};

export class Harness {
  readonly sim: SimulationContext;
  readonly node: NodeContext;
  readonly ip: FakeIp;
  readonly tcp: TcpLayer;
  readonly events: TraceEvent[] = [];

  constructor(options: TcpOptions = {}) {
    this.sim = createSimulationContext(42);
    this.node = createNodeContext(this.sim, 'dut');
    this.ip = new FakeIp(LOCAL);
    this.tcp = new TcpLayer(this.node, this.ip, { ...DEFAULT_TCP, ...options });
    this.sim.trace.on('event', (e) => this.events.push(e));
  }

  /** The peer sends a segment to us. */
  send(t: SegmentTemplate = {}): void {
    const payload = typeof t.payload === 'string' ? new TextEncoder().encode(t.payload) : (t.payload ?? new Uint8Array(0));
    const packet = Packet.alloc(0, 128);
    const flags = t.flags === undefined ? TcpFlag.ACK : flagsOf(t.flags);
    emitTcpSegment(
      {
        sourcePort: t.sport ?? REMOTE_PORT,
        destinationPort: t.dport ?? LOCAL_PORT,
        seq: t.seq ?? REMOTE_ISS + 1,
        ack: t.ack ?? 0,
        flags,
        window: t.window ?? 65535,
        options: t.options ?? {},
      },
      payload,
      REMOTE,
      LOCAL,
      packet,
    );
    this.ip.deliver(packet.toBytes(), REMOTE);
  }

  /** Everything the layer sent since the last call, parsed. */
  takeSent(): TcpSegment[] {
    const out: TcpSegment[] = [];
    for (const d of this.ip.sent.splice(0)) {
      const seg = parseTcpSegment(d.bytes, d.options.source ?? LOCAL, d.options.destination);
      if (isWireError(seg)) throw new Error(`layer sent an invalid segment: ${seg.detail}`);
      out.push(seg);
    }
    return out;
  }

  /** Exactly one segment was sent, matching `expected`; returns it. */
  expectOne(expected: Expected): TcpSegment {
    const sent = this.takeSent();
    if (sent.length !== 1) {
      throw new Error(`expected exactly one segment, got ${sent.length}:\n${sent.map(describe).join('\n') || '  (none)'}`);
    }
    const seg = sent[0]!;
    const wrong = mismatches(seg, expected);
    if (wrong.length > 0) throw new Error(`segment differs from expected:\n${wrong.join('\n')}\n  got: ${describe(seg)}`);
    return seg;
  }

  /** Several segments, in order. */
  expectMany(expected: Expected[]): TcpSegment[] {
    const sent = this.takeSent();
    if (sent.length !== expected.length) {
      throw new Error(`expected ${expected.length} segments, got ${sent.length}:\n${sent.map(describe).join('\n') || '  (none)'}`);
    }
    sent.forEach((seg, i) => {
      const wrong = mismatches(seg, expected[i]!);
      if (wrong.length > 0) throw new Error(`segment ${i} differs from expected:\n${wrong.join('\n')}\n  got: ${describe(seg)}`);
    });
    return sent;
  }

  expectNone(): void {
    const sent = this.takeSent();
    if (sent.length > 0) throw new Error(`expected no segment, got ${sent.length}:\n${sent.map(describe).join('\n')}`);
  }

  /** Run virtual time forward by `ns`. */
  advance(ns: number): void {
    this.sim.scheduler.runFor(ns);
  }

  now(): number {
    return this.sim.scheduler.now();
  }

  listen(port = LOCAL_PORT, backlog?: number): { listener: TcpListener; accepted: TcpSocket[] } {
    const listener = this.tcp.listen(backlog === undefined ? { port } : { port, backlog });
    const accepted: TcpSocket[] = [];
    listener.on('connection', (s) => accepted.push(s as TcpSocket));
    return { listener, accepted };
  }

  /** Passive open through the handshake: returns the ESTABLISHED socket. Our ISS is LOCAL_ISS, the peer's REMOTE_ISS. */
  established(options: { window?: number } = {}): { socket: TcpSocket; received: string[]; events: string[] } {
    const { accepted } = this.listen();
    this.send({ flags: 'SYN', seq: REMOTE_ISS, window: options.window ?? 65535 });
    this.expectOne({ flags: 'SYN,ACK', seq: LOCAL_ISS, ack: REMOTE_ISS + 1 });
    this.send({ flags: 'ACK', seq: REMOTE_ISS + 1, ack: LOCAL_ISS + 1, window: options.window ?? 65535 });
    this.expectNone();
    const socket = accepted[0];
    if (socket === undefined || socket.state !== 'ESTABLISHED') throw new Error('handshake did not reach ESTABLISHED');
    return { socket, ...record(socket) };
  }

  /** Active open through the handshake. */
  connected(): { socket: TcpSocket; received: string[]; events: string[] } {
    const socket = this.tcp.connect({ remoteAddress: REMOTE, remotePort: LOCAL_PORT, localPort: REMOTE_PORT });
    const recorded = record(socket);
    this.expectOne({ flags: 'SYN', seq: LOCAL_ISS });
    this.send({ flags: 'SYN,ACK', sport: LOCAL_PORT, dport: REMOTE_PORT, seq: REMOTE_ISS, ack: LOCAL_ISS + 1 });
    this.expectOne({ flags: 'ACK', seq: LOCAL_ISS + 1, ack: REMOTE_ISS + 1 });
    return { socket, ...recorded };
  }

  /** Trace events of one kind. */
  eventsOf<K extends TraceEvent['kind']>(kind: K): Extract<TraceEvent, { kind: K }>[] {
    return this.events.filter((e): e is Extract<TraceEvent, { kind: K }> => e.kind === kind);
  }
}

/** Record a socket's data (as text) and events (as names) for assertions. */
export function record(socket: TcpSocket): { received: string[]; events: string[] } {
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

function describe(seg: TcpSegment): string {
  return `  ${tcpSummary(seg, LOCAL, REMOTE)}`;
}

function mismatches(seg: TcpSegment, e: Expected): string[] {
  const wrong: string[] = [];
  const check = (name: string, want: unknown, got: unknown): void => {
    if (want !== undefined && JSON.stringify(want) !== JSON.stringify(got)) wrong.push(`  ${name}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
  };
  check('sport', e.sport, seg.sourcePort);
  check('dport', e.dport, seg.destinationPort);
  check('seq', e.seq === undefined ? undefined : e.seq >>> 0, seg.seq);
  if (e.ack !== undefined || seg.flags & TcpFlag.ACK) check('ack', e.ack === undefined ? undefined : e.ack >>> 0, seg.ack);
  check('flags', e.flags, tcpFlagNames(seg.flags));
  check('window', e.window, seg.window);
  check('len', e.len, seg.payload.length);
  check('payload', e.payload, e.payload === undefined ? undefined : new TextDecoder().decode(seg.payload));
  if (e.options !== undefined) {
    for (const [k, v] of Object.entries(e.options)) check(`options.${k}`, v, (seg.options as Record<string, unknown>)[k]);
  }
  return wrong;
}
