// Swapping the transport: the same 200 kB upload, the same application code, over three
// stream transports — TCP (RFC 9293), go-back-N and stop-and-wait — across a 10 Mbit/s link
// with 10 ms of delay that loses 1% of frames. The only change is one entry in each host's
// stack description: `{ stack: { stream: (node, ip) => new GoBackNTransport(node, ip) } }`.
// Run: npx tsx examples/swap-transport.ts

import { Network, type StackSpec } from '@netlayers/lab';
import type { PduEvent } from '@netlayers/core';
import { GoBackNTransport, StopAndWaitTransport } from '@netlayers/swaps';
import { honourTraceFlag, invokedDirectly } from './support/run-direct.ts';

export interface TransferReport {
  readonly transport: string;
  readonly delivered: number;
  readonly exact: boolean;
  /** Virtual milliseconds from connect() to the last byte at the server. */
  readonly milliseconds: number;
  readonly segmentsSent: number;
  readonly retransmissions: number;
}

const STACKS: Record<string, StackSpec | undefined> = {
  'TCP (default)': undefined,
  'go-back-N, window 16': { stream: (node, ip) => new GoBackNTransport(node, ip, { window: 16, timeout: '60ms' }), labels: { stream: 'go-back-N' } },
  'stop-and-wait': { stream: (node, ip) => new StopAndWaitTransport(node, ip, { timeout: '60ms' }), labels: { stream: 'stop-and-wait' } },
};

export function transfer(name: string, stack: StackSpec | undefined, size = 200_000): TransferReport {
  const net = new Network({ seed: 2 });
  const client = net.addHost('client', stack ? { stack } : {});
  const server = net.addHost('server', stack ? { stack } : {});
  net.connect([client, '10.0.0.1/24'], [server, '10.0.0.2/24'], { bandwidth: '10Mbps', delay: '10ms', impairments: { loss: 0.01 } });
  let segmentsSent = 0;
  let retransmissions = 0;
  net.trace.on('pdu', (e: PduEvent) => {
    if (e.role === 'transport' && e.node === 'client' && e.direction === 'down') {
      segmentsSent++;
      if (e.retransmission === true) retransmissions++;
    }
  });
  const data = new Uint8Array(size).map((_, i) => (i * 7) & 0xff);
  const received: Uint8Array[] = [];
  let doneAt = -1;
  let total = 0;
  server.tcp.listen({ port: 5001 }).on('connection', (socket) => {
    socket.on('data', (chunk) => {
      received.push(chunk.slice());
      total += chunk.length;
      if (total >= size && doneAt < 0) doneAt = net.now();
    });
    socket.on('end', () => socket.end());
  });
  const start = net.now();
  const socket = client.tcp.connect({ remoteAddress: '10.0.0.2', remotePort: 5001 });
  socket.on('connect', () => socket.end(data));
  net.runFor('120s');
  const all = new Uint8Array(total);
  let offset = 0;
  for (const chunk of received) {
    all.set(chunk, offset);
    offset += chunk.length;
  }
  const exact = total === size && all.every((b, i) => b === data[i]);
  return { transport: name, delivered: total, exact, milliseconds: Math.round((doneAt - start) / 1e6), segmentsSent, retransmissions };
}

export async function main(write: (line: string) => void = console.log): Promise<void> {
  write('200 kB upload over 10 Mbit/s, 10 ms one way, 1% frame loss\n');
  write(`${'transport'.padEnd(22)} ${'time'.padStart(9)}  ${'segments'.padStart(8)}  ${'retransmitted'.padStart(13)}  exact`);
  for (const [name, stack] of Object.entries(STACKS)) {
    const r = transfer(name, stack);
    write(`${r.transport.padEnd(22)} ${`${r.milliseconds} ms`.padStart(9)}  ${String(r.segmentsSent).padStart(8)}  ${String(r.retransmissions).padStart(13)}  ${r.exact}`);
  }
}

if (invokedDirectly(import.meta.url)) {
  honourTraceFlag();
  await main();
}
