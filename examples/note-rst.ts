// RST, one of the study note's six flags (RFC 9293 §3.5.2, §3.10.7.1): the two ways a
// connection meets a reset. (1) connect() to a port nobody listens on: the host answers the
// SYN with RST,ACK and the client's connect fails with ECONNREFUSED. (2) An application
// aborts an established connection (destroy()): its TCP sends RST and the peer's socket
// fails with ECONNRESET, with no FIN and no TIME-WAIT on either side.
// Run: npx tsx examples/note-rst.ts

import { TraceRecorder, ladder } from '@netlayers/trace';
import { segmentRows, segmentLabel, socketKey, ms } from './three-way-handshake.ts';
import { noteLan } from './support/note.ts';
import { commandDrawsLadder, honourTraceFlag, invokedDirectly } from './support/run-direct.ts';

export interface NoteRstResult {
  readonly refused: { readonly error: string; readonly reply: string };
  readonly reset: { readonly error: string; readonly rst: string; readonly peerState: string };
}

export async function main(write: (line: string) => void = console.log): Promise<NoteRstResult> {
  const { net, client, server } = await noteLan({ clientIsn: 1, serverIsn: 1000 });
  const recorder = new TraceRecorder().record(net.trace);

  write('RST — reset (RFC 9293 §3.5.2)');
  write('');
  write('1. A SYN to a closed port: 10.0.0.2 has nothing listening on port 81');
  const refusedSocket = client.tcp.connect({ remoteAddress: '10.0.0.2', remotePort: 81 });
  let refusedError = '';
  refusedSocket.on('error', (e) => (refusedError = e.message));
  net.runFor('100ms');
  const refusedRows = segmentRows(recorder.events, socketKey(refusedSocket), 'client', 'server', { client: 'CLOSED', server: 'CLOSED' });
  for (const r of refusedRows) write(`   ${r.from} → ${r.to}  ${segmentLabel(r).padEnd(36)} at ${ms(r.sent)} ms`);
  write(`   the client's connect() fails: ${refusedError}`);
  write('');

  write('2. Aborting an established connection: the client calls destroy()');
  let peerError = '';
  server.tcp.listen({ port: 80 }).on('connection', (peer) => {
    peer.on('error', (e) => (peerError = e.message));
  });
  const socket = client.tcp.connect({ remoteAddress: '10.0.0.2', remotePort: 80 });
  net.runFor('50ms');
  socket.destroy();
  net.runFor('100ms');
  recorder.detach();
  const rows = segmentRows(recorder.events, socketKey(socket), 'client', 'server', { client: 'CLOSED', server: 'LISTEN' });
  for (const r of rows) write(`   ${r.from} → ${r.to}  ${segmentLabel(r).padEnd(36)} client ${r.after['client']}, server ${r.after['server']}`);
  const rst = rows.find((r) => r.flags.includes('RST'));
  const peerState = rst?.after['server'] ?? '';
  write(`   the server's connection goes straight to ${peerState}: no FIN, no TIME-WAIT; its application gets ${peerError || 'no error'}`);
  if (!commandDrawsLadder()) write(ladder(recorder.events, { connection: socketKey(socket), format: 'text', width: 96 }).trimEnd());
  return {
    refused: { error: refusedError, reply: refusedRows.find((r) => r.from === 'server') ? segmentLabel(refusedRows.find((r) => r.from === 'server')!) : '' },
    reset: { error: peerError, rst: rst ? segmentLabel(rst) : '', peerState },
  };
}

if (invokedDirectly(import.meta.url)) {
  honourTraceFlag();
  await main();
}
