// The study note's six TCP flags, each seen on the wire in one short connection (RFC 9293
// §3.1): SYN opens (synchronize sequence numbers), ACK acknowledges, PSH pushes data to the
// receiving application, URG marks urgent data (RFC 6093: the pointer is the byte after it),
// FIN ends one direction, RST aborts. The client connects, sends "hello" (PSH), an urgent
// byte "!" (URG), half-closes (FIN), and finally aborts (RST) a second connection.
// Run: npx tsx examples/note-flags.ts

import { TraceRecorder } from '@netlayers/trace';
import type { TcpSocket } from '@netlayers/transport';
import { segmentRows, segmentLabel, socketKey } from './three-way-handshake.ts';
import { noteLan } from './support/note.ts';
import { honourTraceFlag, invokedDirectly } from './support/run-direct.ts';

export const FLAG_MEANINGS = {
  SYN: 'synchronize: opens a connection and carries the sender\'s initial sequence number',
  ACK: 'acknowledgement: the ack field is valid (set on every segment after the first)',
  PSH: 'push: hand the data to the receiving application now',
  URG: 'urgent: the urgent pointer marks where urgent data ends',
  FIN: 'finish: the sender has no more data (one direction closes)',
  RST: 'reset: abort the connection at once',
} as const;

export interface NoteFlagsResult {
  /** For each flag, the first segment that carried it ("PSH,ACK seq=2 ack=1001 len=5"). */
  readonly seen: Readonly<Record<keyof typeof FLAG_MEANINGS, string | undefined>>;
  readonly urgentEnd: number | undefined;
}

export async function main(write: (line: string) => void = console.log): Promise<NoteFlagsResult> {
  const { net, client, server } = await noteLan({ clientIsn: 1, serverIsn: 1000 });
  const recorder = new TraceRecorder().record(net.trace);
  let urgentEnd: number | undefined;
  server.tcp.listen({ port: 80 }).on('connection', (peer) => {
    peer.on('urgent', (end) => (urgentEnd = end));
    peer.on('end', () => peer.end());
  });
  const socket = client.tcp.connect({ remoteAddress: '10.0.0.2', remotePort: 80 }) as TcpSocket;
  socket.on('connect', () => {
    socket.write('hello');
    net.scheduler.schedule(5_000_000, () => socket.write('!', { urgent: true }));
    net.scheduler.schedule(10_000_000, () => socket.end());
  });
  net.runFor('100ms');
  const aborted = client.tcp.connect({ remoteAddress: '10.0.0.2', remotePort: 80 });
  aborted.on('error', () => {});
  aborted.on('connect', () => aborted.destroy());
  net.runFor('100ms');
  recorder.detach();
  const rows = [
    ...segmentRows(recorder.events, socketKey(socket), 'client', 'server', { client: 'CLOSED', server: 'LISTEN' }),
    ...segmentRows(recorder.events, socketKey(aborted), 'client', 'server', { client: 'CLOSED', server: 'LISTEN' }),
  ];
  const seen = Object.fromEntries(
    (Object.keys(FLAG_MEANINGS) as (keyof typeof FLAG_MEANINGS)[]).map((flag) => {
      const row = rows.find((r) => r.flags.split(',').includes(flag));
      return [flag, row ? `${row.from} → ${row.to}  ${segmentLabel(row)}` : undefined];
    }),
  ) as Record<keyof typeof FLAG_MEANINGS, string | undefined>;
  write('TCP\'s six flags, as the study note lists them, each on a real segment:');
  write('');
  for (const [flag, meaning] of Object.entries(FLAG_MEANINGS)) {
    write(`  ${flag.padEnd(4)} ${meaning}`);
    write(`       first seen: ${seen[flag as keyof typeof FLAG_MEANINGS] ?? '✗ not on the wire'}`);
  }
  write('');
  write(`The server's socket was told that urgent data ends at stream offset ${urgentEnd} (the "!" after "hello").`);
  write('Flags combine: SYN,ACK answers a SYN; FIN,ACK and PSH,ACK carry an acknowledgement too.');
  write('RFC 9293 also defines ECE and CWR (explicit congestion notification, RFC 3168), beyond the note\'s six.');
  return { seen, urgentEnd };
}

if (invokedDirectly(import.meta.url)) {
  honourTraceFlag();
  await main();
}
