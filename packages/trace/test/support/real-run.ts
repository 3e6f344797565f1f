// Test support: a real run over the default stacks from @netlayers/lab — client, switch,
// router, server; one request and response over TCP with fixed ISNs, the client closing
// first — recorded from the start.

import type { TraceEvent } from '@netlayers/core';
import { Network } from '@netlayers/lab';
import { TraceRecorder } from '../../src/recorder.ts';

export const REAL_REQUEST = 'GET / HTTP/1.1\r\nHost: server\r\n\r\n';
export const REAL_RESPONSE = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';

export function realExchange(options: { loss?: number; seed?: number } = {}): { net: Network; recorder: TraceRecorder; events: readonly TraceEvent[]; received: { client: string; server: string } } {
  const net = new Network({ seed: options.seed ?? 3 });
  const recorder = new TraceRecorder().record(net.trace);
  const sw = net.addSwitch('sw1');
  const r1 = net.addRouter('r1');
  const client = net.addHost('client', { gateway: '10.0.1.1', tcp: { initialSequenceNumber: 0 } });
  const server = net.addHost('server', { gateway: '10.0.2.1', tcp: { initialSequenceNumber: 0 } });
  net.connect([client, '10.0.1.10/24'], sw, { delay: '1ms' });
  net.connect([r1, '10.0.1.1/24'], sw, { delay: '1ms' });
  net.connect([r1, '10.0.2.1/24'], [server, '10.0.2.10/24'], { delay: '1ms', ...(options.loss ? { impairments: { loss: options.loss } } : {}) });
  const received = { client: '', server: '' };
  server.tcp.listen({ port: 80 }).on('connection', (s) => {
    s.on('data', (chunk) => {
      received.server += new TextDecoder().decode(chunk);
      if (received.server.endsWith('\r\n\r\n')) s.write(REAL_RESPONSE);
    });
    s.on('end', () => s.end());
  });
  const socket = client.tcp.connect({ remoteAddress: '10.0.2.10', remotePort: 80 });
  socket.on('connect', () => socket.write(REAL_REQUEST));
  socket.on('data', (chunk) => {
    received.client += new TextDecoder().decode(chunk);
    if (received.client.endsWith('ok')) socket.end();
  });
  net.runUntilIdle();
  return { net, recorder, events: recorder.events, received };
}
