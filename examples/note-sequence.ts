// The sequence number space (RFC 9293 §3.4): a 32-bit field, so numbers run from 0 to
// 2^32 − 1 = 4294967295 and then wrap to 0; comparisons are modulo 2^32. The study note
// gives the range as [0, 4284967296]: a typo for [0, 4294967295]. This connection starts
// 1000 bytes below the top (client ISS 4294966295) and sends 4000 bytes, so its segments
// cross the wrap and the receiver still puts every byte in order.
// Run: npx tsx examples/note-sequence.ts [--bytes 4000]

import { TraceRecorder } from '@netlayers/trace';
import { segmentRows, segmentLabel, socketKey } from './three-way-handshake.ts';
import { noteLan, option } from './support/note.ts';
import { honourTraceFlag, invokedDirectly } from './support/run-direct.ts';

export const TOP = 2 ** 32 - 1;
export const CLIENT_ISS = TOP - 1000;

export interface NoteSequenceResult {
  readonly seqs: readonly number[];
  readonly wrapped: boolean;
  readonly received: number;
  readonly intact: boolean;
}

export async function main(write: (line: string) => void = console.log, args: readonly string[] = process.argv.slice(2)): Promise<NoteSequenceResult> {
  const size = Number(option(args, '--bytes') ?? 4000);
  if (!(Number.isInteger(size) && size > 0 && size <= 1_000_000)) throw new RangeError(`--bytes must be 1 to 1000000 (got ${option(args, '--bytes')})`);
  const { net, client, server } = await noteLan({ clientIsn: CLIENT_ISS, serverIsn: 1000 });
  const recorder = new TraceRecorder().record(net.trace);
  const chunks: Uint8Array[] = [];
  server.tcp.listen({ port: 80 }).on('connection', (peer) => peer.on('data', (d) => chunks.push(d)));
  const data = new Uint8Array(size).map((_, i) => i % 251);
  const socket = client.tcp.connect({ remoteAddress: '10.0.0.2', remotePort: 80 });
  socket.on('connect', () => socket.end(data));
  net.runFor('2s');
  recorder.detach();
  const received = chunks.reduce((n, c) => n + c.length, 0);
  const all = new Uint8Array(received);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  const intact = received === size && all.every((b, i) => b === i % 251);
  const rows = segmentRows(recorder.events, socketKey(socket), 'client', 'server', { client: 'CLOSED', server: 'LISTEN' }).filter((r) => r.from === 'client');
  const seqs = rows.map((r) => r.seq);
  const wrapped = seqs.some((s, i) => i > 0 && s < seqs[i - 1]!);

  write('The sequence number space (RFC 9293 §3.4): 32 bits, 0 … 2^32 − 1 = 4294967295, then 0 again');
  write(`The note's range [0, 4284967296] is a typo: 2^32 − 1 = ${TOP}.`);
  write(`The client starts at ISS = ${CLIENT_ISS} (1000 below the top) and sends ${size} bytes:`);
  write('');
  for (const r of rows) {
    const end = (r.seq + r.len) >>> 0;
    const crosses = r.len > 0 && end < r.seq;
    const covers = r.len > 0 ? `data ${r.seq} … ${(end - 1) >>> 0}` : r.flags.includes('SYN') ? `the SYN occupies ${r.seq}` : 'no data';
    const fin = r.flags.includes('FIN') ? `, the FIN occupies ${end}` : '';
    write(`  ${segmentLabel(r).padEnd(44)} ${covers}${fin}${crosses ? '   ← wraps past 4294967295 to 0' : ''}`);
  }
  write('');
  write(`Sequence numbers ${wrapped ? 'wrapped past 2^32 − 1 back to small numbers' : 'did not wrap'}; the server received ${received} bytes, ${intact ? 'all in order ✓' : 'NOT intact ✗'}.`);
  write('TCP compares sequence numbers modulo 2^32 ("a < b" means 0 < b − a < 2^31), so the wrap changes nothing;');
  write('at high speeds one connection can wrap within a segment\'s lifetime, which is why RFC 7323 adds PAWS.');
  return { seqs, wrapped, received, intact };
}

if (invokedDirectly(import.meta.url)) {
  honourTraceFlag();
  await main();
}
