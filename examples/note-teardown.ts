// The study note's four-way teardown (四次挥手), with its numbering and letters (RFC 9293
// §3.6): 第一次挥手 FIN seq=m (client → FIN-WAIT-1); 第二次挥手 ACK seq=n ack=m+1 (server →
// CLOSE-WAIT, client → FIN-WAIT-2); 第三次挥手 FIN,ACK seq=w ack=m+1 (server → LAST-ACK);
// 第四次挥手 ACK seq=m+1 ack=w+1 (client → TIME-WAIT for 2*MSL, server → CLOSED). Every
// letter is checked against the wire. `--data N` has the server send N more bytes while in
// CLOSE-WAIT, which is when w differs from n; `--immediate` has the server close as soon as
// the FIN arrives, when the 2nd and 3rd segments can merge into one FIN,ACK.
// Run: npx tsx examples/note-teardown.ts [--data 100] [--immediate] [--msl 30s]

import { TraceRecorder, ladder } from '@netlayers/trace';
import { formatDuration, parseDuration } from '@netlayers/core';
import { otherStateChanges, segmentRows, socketKey, ms, type SegmentRow } from './three-way-handshake.ts';
import { letter, noteLan, option, plus } from './support/note.ts';
import { commandDrawsLadder, honourTraceFlag, invokedDirectly } from './support/run-direct.ts';

export interface NoteTeardownResult {
  readonly m: number;
  readonly n: number;
  readonly w: number;
  readonly rows: readonly SegmentRow[];
  readonly timeWaitNs: number;
}

export async function main(write: (line: string) => void = console.log, args: readonly string[] = process.argv.slice(2)): Promise<NoteTeardownResult> {
  const extra = Number(option(args, '--data') ?? 0);
  if (!(Number.isInteger(extra) && extra >= 0 && extra <= 65535)) throw new RangeError(`--data must be a byte count from 0 to 65535 (got ${option(args, '--data')})`);
  const immediate = args.includes('--immediate');
  const msl = option(args, '--msl') ?? '2min';
  const { net, client, server } = await noteLan({ clientIsn: 1, serverIsn: 1000, msl });
  const listener = server.tcp.listen({ port: 80 });
  listener.on('connection', (peer) => {
    peer.on('end', () => {
      // The application decides when to close: the note's 2nd and 3rd waves are separate
      // segments because the server still had something to do (here: wait 10 ms, maybe send).
      const close = (): void => {
        if (extra > 0) peer.write(new Uint8Array(extra).fill(0x6e));
        peer.end();
      };
      if (immediate) close();
      else net.scheduler.schedule(parseDuration('10ms'), close);
    });
  });
  const socket = client.tcp.connect({ remoteAddress: '10.0.0.2', remotePort: 80 });
  net.runFor('50ms');
  const recorder = new TraceRecorder().record(net.trace);
  const closedAt = net.now();
  socket.end();
  net.runFor(parseDuration(msl) * 2 + parseDuration('1s'));
  recorder.detach();
  const key = socketKey(socket);
  const rows = segmentRows(recorder.events, key, 'client', 'server', { client: 'ESTABLISHED', server: 'ESTABLISHED' });
  const others = otherStateChanges(recorder.events, key, 'client', 'server');
  const fin = rows.find((r) => r.from === 'client' && r.flags.includes('FIN'));
  const serverFin = rows.find((r) => r.from === 'server' && r.flags.includes('FIN'));
  const ackOfFin = rows.find((r) => r.from === 'server' && r.ack === plus(fin?.seq ?? 0, 1) && !r.flags.includes('FIN'));
  const lastAck = rows.find((r) => r.from === 'client' && r.ack === plus(serverFin?.seq ?? 0, 1 + 0) && r.sent > (serverFin?.sent ?? 0));
  if (!fin || !serverFin || !lastAck) throw new Error('the teardown did not complete');
  const m = fin.seq;
  const w = serverFin.seq;
  const n = ackOfFin?.seq ?? w;
  const timeWait = others.find((c) => c.node === 'client' && c.from === 'TIME-WAIT');
  const enteredTimeWait = rows.find((r) => r.after['client'] === 'TIME-WAIT');

  write('四次挥手 — the four-way teardown, as the study note numbers it (RFC 9293 §3.6)');
  write(`client ${key.split('-')[0]} closes first; m, n, w are the sequence numbers the note names (MSL ${formatDuration(parseDuration(msl))})`);
  write('');
  write(`1. 第一次挥手  client → server  ${fin.flags.padEnd(8)} ${letter('seq=m', m, fin.seq)}   client: ESTABLISHED → FIN-WAIT-1 (close() at ${ms(closedAt)} ms)`);
  if (ackOfFin) {
    write(`2. 第二次挥手  server → client  ${ackOfFin.flags.padEnd(8)} ${letter('seq=n', n, ackOfFin.seq)}, ${letter('ack=m+1', plus(m, 1), ackOfFin.ack)}`);
    write(`   server: ESTABLISHED → CLOSE-WAIT (its application is told: end of data); client: FIN-WAIT-1 → ${ackOfFin.after['client']}`);
  } else {
    write('2. 第二次挥手  merged into the next segment: the server closed at once, so its ACK of the FIN rode on its own FIN');
  }
  write(`3. 第三次挥手  server → client  ${serverFin.flags.padEnd(8)} ${letter('seq=w', w, serverFin.seq)}, ${letter('ack=m+1', plus(m, 1), serverFin.ack)}   server: CLOSE-WAIT → LAST-ACK`);
  write(`   w - n = ${(w - n) >>> 0}: the bytes the server still sent in CLOSE-WAIT${extra > 0 ? ` (--data ${extra})` : ' (none, so w = n)'}`);
  write(`4. 第四次挥手  client → server  ${lastAck.flags.padEnd(8)} ${letter('seq=m+1', plus(m, 1), lastAck.seq)}, ${letter('ack=w+1', plus(w, 1), lastAck.ack)}`);
  write(`   client: FIN-WAIT-2 → ${enteredTimeWait?.after['client'] ?? 'TIME-WAIT'}; server: LAST-ACK → ${lastAck.after['server']} when it arrives`);
  const waited = timeWait && enteredTimeWait ? timeWait.time - (enteredTimeWait.arrived ?? enteredTimeWait.sent) : NaN;
  write(`   client: TIME-WAIT → CLOSED after ${formatDuration(Math.max(0, waited))} = 2*MSL (at ${ms(timeWait?.time ?? NaN)} ms)`);
  write('');
  write('Corrections to the note:');
  write('  - The first FIN also carries ACK (FIN,ACK): after the handshake every segment has ACK set (RFC 9293 §3.10.7.4).');
  write('  - n and w are equal unless the server sends data between its ACK and its FIN (try --data 100);');
  write('    a server that closes at once can send one FIN,ACK instead of two segments (try --immediate).');
  write('  - RFC 793 set MSL to 2 minutes, so TIME-WAIT lasts 4 minutes; Linux waits 60 s (try --msl 30s).');
  if (!commandDrawsLadder()) write(ladder(recorder.events, { connection: key, format: 'text', width: 96 }).trimEnd());
  return { m, n, w, rows, timeWaitNs: waited };
}

if (invokedDirectly(import.meta.url)) {
  honourTraceFlag();
  await main();
}
