// The study note's three-way handshake (三次握手), with its numbering and letters: 第一次握手
// SYN seq=i; 第二次握手 SYN,ACK seq=y ack=i+1; 第三次握手 ACK seq=i+1 ack=y+1 (RFC 9293 §3.5).
// By default the client's ISS is the note's i = 1 and the server picks y by RFC 6528;
// `--random` lets both sides pick, as real stacks do, and shows the relative numbers
// Wireshark prints. Every letter is checked against the segment that crossed the wire.
// Run: npx tsx examples/note-handshake.ts [--random] [--isn N]

import { TraceRecorder, ladder } from '@netlayers/trace';
import { segmentRows, socketKey, ms, type SegmentRow } from './three-way-handshake.ts';
import { letter, noteLan, option, plus } from './support/note.ts';
import { commandDrawsLadder, honourTraceFlag, invokedDirectly } from './support/run-direct.ts';

export interface NoteHandshakeResult {
  readonly i: number;
  readonly y: number;
  readonly rows: readonly SegmentRow[];
}

export async function main(write: (line: string) => void = console.log, args: readonly string[] = process.argv.slice(2)): Promise<NoteHandshakeResult> {
  const random = args.includes('--random');
  const isnText = option(args, '--isn');
  const clientIsn = random ? undefined : Number(isnText ?? 1);
  if (clientIsn !== undefined && !(Number.isInteger(clientIsn) && clientIsn >= 0 && clientIsn <= 0xffffffff)) throw new RangeError(`--isn must be an integer from 0 to 4294967295 (got ${isnText})`);
  const { net, client, server } = await noteLan(clientIsn === undefined ? {} : { clientIsn });
  const recorder = new TraceRecorder().record(net.trace);
  server.tcp.listen({ port: 80 });
  const socket = client.tcp.connect({ remoteAddress: '10.0.0.2', remotePort: 80 });
  net.runFor('100ms');
  recorder.detach();
  const key = socketKey(socket);
  const rows = segmentRows(recorder.events, key, 'client', 'server', { client: 'CLOSED', server: 'LISTEN' });
  const [syn, synAck, ack] = rows;
  if (!syn || !synAck || !ack) throw new Error('the handshake did not complete');
  const i = syn.seq;
  const y = synAck.seq;

  write('三次握手 — the three-way handshake, as the study note numbers it (RFC 9293 §3.5)');
  write(`client ${key.split('-')[0]} → server ${key.split('-')[1]}; i = the client's initial sequence number, y = the server's`);
  write(random ? `Both sides chose their ISN (RFC 6528): i = ${i}, y = ${y}.` : `The client's ISN is the note's i = ${i}; the server chose y = ${y} (RFC 6528).`);
  write('');
  write(`1. 第一次握手  client → server  ${syn.flags.padEnd(8)} ${letter('seq=i', i, syn.seq)}`);
  write(`   client: CLOSED → ${syn.after['client']} (sent at ${ms(syn.sent)} ms)`);
  write(`2. 第二次握手  server → client  ${synAck.flags.padEnd(8)} ${letter('seq=y', y, synAck.seq)}, ${letter('ack=i+1', plus(i, 1), synAck.ack)}`);
  write(`   server: the new connection LISTEN → ${synAck.after['server']}; the listening socket itself stays in LISTEN for the next client`);
  write(`3. 第三次握手  client → server  ${ack.flags.padEnd(8)} ${letter('seq=i+1', plus(i, 1), ack.seq)}, ${letter('ack=y+1', plus(y, 1), ack.ack)}`);
  write(`   client: ${syn.after['client']} → ${ack.after['client'] ?? 'ESTABLISHED'} when the SYN,ACK arrived; server → ${ack.after['server']} when this ACK arrived`);
  write('');
  write('Why i is "usually 1" in the note, and why it is not on the wire:');
  write('  Real stacks pick a hard-to-guess ISN (RFC 6528) so that an off-path attacker cannot forge');
  write('  segments and old duplicates do not fall into a new connection. Wireshark shows *relative*');
  write('  numbers: the SYN as seq=0, so the first data byte (and the third segment) as seq=1 — that');
  write('  is the 1 people remember. In relative numbers this handshake reads:');
  write(`    SYN seq=0 · SYN,ACK seq=0 ack=1 · ACK seq=1 ack=1   (absolute: ${i}, ${y}/${synAck.ack}, ${ack.seq}/${ack.ack})`);
  if (!commandDrawsLadder()) write(ladder(recorder.events, { connection: key, format: 'text', width: 96 }).trimEnd());
  return { i, y, rows };
}

if (invokedDirectly(import.meta.url)) {
  honourTraceFlag();
  await main();
}
