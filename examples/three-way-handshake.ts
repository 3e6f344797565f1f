// TCP's three-way handshake (RFC 9293 §3.5, Figure 6) across a switch, with fixed initial
// sequence numbers so the numbers read like the textbook: client ISS i = 0, server ISS
// j = 1000, so SYN seq=i; SYN,ACK seq=j ack=i+1; ACK seq=i+1 ack=j+1. Prints one row per
// segment (flags, seq, ack, length, when it was sent and arrived) with each side's RFC 9293
// §3.3.2 state after it, then the ladder diagram from the trace package.
// Run: npx tsx examples/three-way-handshake.ts [--mermaid]

import { Network, type Host } from '@netlayers/lab';
import { TraceRecorder, ladder } from '@netlayers/trace';
import type { PduEvent, StreamSocket, TraceEvent } from '@netlayers/core';
import { commandDrawsLadder, honourTraceFlag, invokedDirectly } from './support/run-direct.ts';

export const CLIENT_ISN = 0;
export const SERVER_ISN = 1000;
export const SERVER_PORT = 80;

/** One segment of a connection, as a textbook table shows it. */
export interface SegmentRow {
  /** 'client' or 'server': who sent it. */
  readonly from: string;
  readonly to: string;
  /** "SYN", "SYN,ACK", "FIN,ACK" (RFC 9293 names, Wireshark's order). */
  readonly flags: string;
  readonly seq: number;
  /** The acknowledgment number, or undefined when the ACK bit is clear. */
  readonly ack: number | undefined;
  readonly len: number;
  /** Virtual times in ns; `arrived` is undefined for a segment that never arrived. */
  readonly sent: number;
  readonly arrived: number | undefined;
  readonly retransmission: boolean;
  /** Each side's state once the segment has been processed (keyed by node name). */
  readonly after: Readonly<Record<string, string>>;
}

/** A state change that no arriving segment caused (a user call or a timer). */
export interface StateChange {
  readonly node: string;
  readonly time: number;
  readonly from: string;
  readonly to: string;
  readonly cause: string;
}

/** The key of one side's view of a socket: "10.0.0.1:49152-10.0.0.2:80". */
export function socketKey(socket: StreamSocket): string {
  return `${socket.localAddress}:${socket.localPort}-${socket.remoteAddress}:${socket.remotePort}`;
}

function reverseKey(key: string): string {
  const [local, remote] = key.split('-');
  return `${remote}-${local}`;
}

/**
 * The segments of one connection (`clientKey` as the client sees it) between two nodes, in
 * the order they were sent, each with both sides' states after its arrival was processed:
 * every state change up to the next arrival at the same instant, or the end of that instant.
 */
export function segmentRows(events: readonly TraceEvent[], clientKey: string, client: string, server: string, initial: Record<string, string>): SegmentRow[] {
  const keyOf: Record<string, string> = { [client]: clientKey, [server]: reverseKey(clientKey) };
  const ours = (e: TraceEvent): boolean => e.node in keyOf;
  const isSegment = (e: TraceEvent): e is PduEvent =>
    e.kind === 'pdu' && e.protocol === 'tcp' && ours(e) && (e.connection === keyOf[e.node] || e.connection === reverseKey(keyOf[e.node]!));
  const sends: { event: PduEvent; index: number; arrival?: number }[] = [];
  const waiting: typeof sends = [];
  events.forEach((e, index) => {
    if (!isSegment(e)) return;
    if (e.direction === 'down') {
      const send = { event: e, index };
      sends.push(send);
      waiting.push(send);
      return;
    }
    if (e.direction !== 'up') return;
    const match = waiting.findIndex((s) => s.event.node !== e.node && sameFields(s.event, e));
    if (match >= 0) waiting.splice(match, 1)[0]!.arrival = index;
  });
  return sends.map(({ event, arrival }) => {
    const f = event.header.protocol === 'tcp' ? event.header : undefined;
    const flags = f?.flags.join(',') ?? '';
    const boundary = arrival === undefined ? nextInstant(events, sends.find((s) => s.event === event)!.index) : endOfArrival(events, arrival, isSegment);
    return {
      from: event.node,
      to: event.node === client ? server : client,
      flags,
      seq: f?.seq ?? 0,
      ack: f?.flags.includes('ACK') ? f.ack : undefined,
      len: f?.payloadLength ?? 0,
      sent: event.time,
      arrived: arrival === undefined ? undefined : events[arrival]!.time,
      retransmission: event.retransmission === true,
      after: statesBefore(events, boundary, keyOf, initial),
    };
  });
}

function sameFields(a: PduEvent, b: PduEvent): boolean {
  const x = a.header;
  const y = b.header;
  if (x.protocol !== 'tcp' || y.protocol !== 'tcp') return false;
  return x.seq === y.seq && x.ack === y.ack && x.payloadLength === y.payloadLength && x.flags.join() === y.flags.join() && x.sourcePort === y.sourcePort;
}

/** Index of the first event after `index` at a later instant. */
function nextInstant(events: readonly TraceEvent[], index: number): number {
  const time = events[index]!.time;
  let i = index + 1;
  while (i < events.length && events[i]!.time === time) i++;
  return i;
}

/** Where processing of the arrival at `index` ends: the next arrival, or the end of its instant. */
function endOfArrival(events: readonly TraceEvent[], index: number, isSegment: (e: TraceEvent) => e is PduEvent): number {
  const end = nextInstant(events, index);
  for (let i = index + 1; i < end; i++) {
    const e = events[i]!;
    if (isSegment(e) && e.direction === 'up') return i;
  }
  return end;
}

function statesBefore(events: readonly TraceEvent[], boundary: number, keyOf: Record<string, string>, initial: Record<string, string>): Record<string, string> {
  const states = { ...initial };
  for (let i = 0; i < boundary; i++) {
    const e = events[i]!;
    if (e.kind === 'state' && e.protocol === 'tcp' && keyOf[e.node] === e.entity) states[e.node] = e.to;
  }
  return states;
}

/** State changes of either side that were not caused by an arriving segment ("close()", "2*MSL timeout"...). */
export function otherStateChanges(events: readonly TraceEvent[], clientKey: string, client: string, server: string): StateChange[] {
  const keyOf: Record<string, string> = { [client]: clientKey, [server]: reverseKey(clientKey) };
  return events
    .filter((e): e is Extract<TraceEvent, { kind: 'state' }> => e.kind === 'state' && e.protocol === 'tcp' && keyOf[e.node] === e.entity)
    .filter((e) => !(e.cause ?? '').startsWith('rcv'))
    .map((e) => ({ node: e.node, time: e.time, from: e.from, to: e.to, cause: e.cause ?? '' }));
}

/** "SYN,ACK seq=1000 ack=1 len=0". */
export function segmentLabel(row: SegmentRow): string {
  return `${row.flags} seq=${row.seq}${row.ack === undefined ? '' : ` ack=${row.ack}`} len=${row.len}`;
}

/** Virtual time in milliseconds with microsecond precision. */
export function ms(ns: number): string {
  return (ns / 1e6).toFixed(3);
}

const SEGMENT_WIDTH = 50;

/** The table: one line per segment, with both sides' states after it. */
export function formatRows(rows: readonly SegmentRow[], client: string, server: string): string[] {
  const lines = [`  #  ${'segment'.padEnd(SEGMENT_WIDTH)} ${'sent ms'.padStart(10)} ${'arrived ms'.padStart(10)}   ${`${client} after`.padEnd(13)} ${server} after`];
  rows.forEach((row, i) => {
    const arrow = row.from === client ? `${client} → ${server}` : `${server} → ${client}`;
    const what = `${arrow}  ${segmentLabel(row)}${row.retransmission ? ' (retransmission)' : ''}`;
    const arrived = row.arrived === undefined ? 'lost' : ms(row.arrived);
    lines.push(`${String(i + 1).padStart(3)}  ${what.padEnd(SEGMENT_WIDTH)} ${ms(row.sent).padStart(10)} ${arrived.padStart(10)}   ${row.after[client]!.padEnd(13)} ${row.after[server]}`);
  });
  return lines;
}

/** Client — sw1 — server, 100 Mbit/s cables of 1 ms, with ARP already resolved. */
export async function lanWithFixedIsns(options: { msl?: string } = {}): Promise<{ net: Network; client: Host; server: Host }> {
  const net = new Network({ seed: 1 });
  const sw = net.addSwitch('sw1');
  const tcp = (isn: number) => ({ initialSequenceNumber: isn, ...(options.msl === undefined ? {} : { msl: options.msl }) });
  const client = net.addHost('client', { tcp: tcp(CLIENT_ISN) });
  const server = net.addHost('server', { tcp: tcp(SERVER_ISN) });
  net.connect([client, '10.0.0.1/24'], sw, { bandwidth: '100Mbps', delay: '1ms' });
  net.connect([server, '10.0.0.2/24'], sw, { bandwidth: '100Mbps', delay: '1ms' });
  // One ping first, so ARP is resolved and every segment below takes one plain trip.
  const reply = await client.ping('10.0.0.2');
  if (!reply.ok) throw new Error('the warm-up ping got no answer');
  return { net, client, server };
}

export interface HandshakeResult {
  readonly rows: readonly SegmentRow[];
  readonly clientKey: string;
}

export async function main(write: (line: string) => void = console.log, args: readonly string[] = process.argv.slice(2)): Promise<HandshakeResult> {
  const wallStart = performance.now();
  const { net, client, server } = await lanWithFixedIsns();
  const recorder = new TraceRecorder().record(net.trace);

  write('TCP three-way handshake (RFC 9293 §3.5): client 10.0.0.1 — switch sw1 — server 10.0.0.2');
  write(`Initial sequence numbers fixed for reading: client ISS i = ${CLIENT_ISN}, server ISS j = ${SERVER_ISN}`);
  write('(real stacks choose them per RFC 6528; a ping resolved ARP first, so each trip is 2 ms)');
  write('');
  server.tcp.listen({ port: SERVER_PORT });
  write(`server: listen(${SERVER_PORT})                → LISTEN`);
  const start = net.now();
  const socket = client.tcp.connect({ remoteAddress: '10.0.0.2', remotePort: SERVER_PORT });
  write(`client: connect(10.0.0.2:${SERVER_PORT}) at ${ms(start)} ms → SYN-SENT`);
  let established = -1;
  socket.on('connect', () => (established = net.now()));
  net.runFor('1s');
  recorder.detach();

  const clientKey = socketKey(socket);
  const rows = segmentRows(recorder.events, clientKey, 'client', 'server', { client: 'CLOSED', server: 'LISTEN' });
  write('');
  for (const line of formatRows(rows, 'client', 'server')) write(line);

  write('');
  write('In the textbook\'s letters (i = client ISS, j = server ISS):');
  const [syn, synAck, ack] = rows;
  const check = (what: string, actual: number | undefined, expected: number): string => `${what} = ${expected}${actual === expected ? ' ✓' : ` ✗ (got ${actual})`}`;
  if (syn && synAck && ack) {
    const i = CLIENT_ISN;
    const j = SERVER_ISN;
    write(`  ${'SYN'.padEnd(8)} ${check('seq=i', syn.seq, i)}`);
    write(`  ${'SYN,ACK'.padEnd(8)} ${check('seq=j', synAck.seq, j)}   ${check('ack=i+1', synAck.ack, i + 1)}`);
    write(`  ${'ACK'.padEnd(8)} ${check('seq=i+1', ack.seq, i + 1)}   ${check('ack=j+1', ack.ack, j + 1)}`);
  }
  if (established >= 0) {
    write(`client ESTABLISHED after ${ms(established - start)} ms (one round trip); the server after the third segment arrives.`);
  }

  write('');
  const format = args.includes('--mermaid') ? 'mermaid' : 'text';
  // Under `netlayers run ... --trace ladder` the command draws the ladder; one is enough.
  if (!commandDrawsLadder()) write(ladder(recorder.events, { connection: clientKey, format, width: 96 }).trimEnd());
  write('');
  write(`${ms(net.now())} ms of virtual time, ${(performance.now() - wallStart).toFixed(0)} ms of wall-clock time`);
  return { rows, clientKey };
}

if (invokedDirectly(import.meta.url)) {
  honourTraceFlag();
  await main();
}
