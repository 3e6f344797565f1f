// The main demo (`pnpm demo`): client — switch — router — server. The client opens a TCP
// connection (RFC 9293 three-way handshake, fixed ISNs of 0 so the numbers read like a
// textbook), sends an HTTP-like request, reads the response and closes first, so it is the
// client that waits in TIME-WAIT for 2*MSL. Then it shows the run: the topology, one data
// frame's encapsulation in the five- and four-layer models, the ladder diagram with both
// sides' states, the layer walk of the request across the switch and the router, a few
// tcpdump lines, and a pcap file for Wireshark. Virtual time: it finishes in about a second.

import { resolve } from 'node:path';
import { Network } from '@netlayers/lab';
import { TraceRecorder, capture, dissect, encapsulation, ladder, layerWalk, tcpdump } from '@netlayers/trace';
import { commandDrawsLadder, honourTraceFlag, invokedDirectly } from './support/run-direct.ts';

export interface DemoResult {
  /** Everything the demo prints. */
  readonly output: string;
  /** Where the pcap was written, or undefined when not asked to write one. */
  readonly pcapPath: string | undefined;
  readonly request: string;
  readonly response: string;
  /** What each side received, as the applications saw it. */
  readonly received: { readonly client: string; readonly server: string };
  readonly recorder: TraceRecorder;
}

export const REQUEST = 'GET /index.html HTTP/1.1\r\nHost: server\r\n\r\n';
export const RESPONSE = 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello';

export function runDemo(options: { color?: boolean; pcapPath?: string | null } = {}): DemoResult {
  const color = options.color ?? false;
  const net = new Network({ seed: 1 });
  const recorder = new TraceRecorder().record(net.trace);
  // Capture where tcpdump would: the client's interface, both directions.
  const pcap = capture(net.trace, { format: 'pcap', node: 'client', iface: 'eth0' });

  const link = { bandwidth: '100Mbps', delay: '1ms' };
  const sw = net.addSwitch('sw1');
  const r1 = net.addRouter('r1');
  const client = net.addHost('client', { gateway: '10.0.1.1', tcp: { initialSequenceNumber: 0 } });
  const server = net.addHost('server', { gateway: '10.0.2.1', tcp: { initialSequenceNumber: 0 } });
  net.connect([client, '10.0.1.10/24'], sw, link);
  net.connect([r1, '10.0.1.1/24'], sw, link);
  net.connect([r1, '10.0.2.1/24'], [server, '10.0.2.10/24'], link);

  const received = { client: '', server: '' };
  const decoder = { client: new TextDecoder(), server: new TextDecoder() };
  server.tcp.listen({ port: 80 }).on('connection', (socket) => {
    socket.on('data', (chunk) => {
      received.server += decoder.server.decode(chunk, { stream: true });
      if (received.server.endsWith('\r\n\r\n')) socket.write(RESPONSE);
    });
    socket.on('end', () => socket.end());
  });
  const socket = client.tcp.connect({ remoteAddress: '10.0.2.10', remotePort: 80 });
  socket.on('connect', () => socket.write(REQUEST));
  socket.on('data', (chunk) => {
    received.client += decoder.client.decode(chunk, { stream: true });
    if (received.client.endsWith('hello')) socket.end();
  });
  net.runUntilIdle();

  const out: string[] = [];
  const heading = (text: string): void => {
    out.push('', color ? `\x1b[1m${text}\x1b[0m` : text, '='.repeat(text.length));
  };
  out.push('netlayers demo: an HTTP-like request across a switch and a router');
  heading('Topology');
  out.push('  client ---------- sw1 ---------- r1 ---------- server');
  out.push('  10.0.1.10/24     (switch)        10.0.1.1/24   10.0.2.10/24');
  out.push('  gw 10.0.1.1                      10.0.2.1/24   gw 10.0.2.1');
  for (const l of net.links) out.push(`  ${l.a} - ${l.b}: ${l.label}`);

  // The request as the client's port sent it.
  const requestFrame = recorder
    .query()
    .kind('frame')
    .node('client')
    .where((e) => e.action === 'tx' && dissect(e).layers.some((l) => l.role === 'application'))
    .first();
  if (requestFrame !== undefined) {
    heading('One data frame, layer by layer (TCP/IP five-layer model)');
    out.push(encapsulation(requestFrame, { model: 'tcpip-5' }).trimEnd());
    heading('The same frame in the TCP/IP four-layer model');
    out.push(encapsulation(requestFrame, { model: 'tcpip-4', fields: false }).trimEnd());
  }

  if (!commandDrawsLadder()) {
    heading('The connection, segment by segment (times in seconds)');
    out.push(ladder(recorder.events, { width: 100, color }).trimEnd());
  }

  heading('The request\'s walk through the stacks');
  out.push(layerWalk(recorder.events).trimEnd());

  heading('tcpdump-style lines: what client sent and received (first ten)');
  out.push(...tcpdump(recorder.events, { node: 'client', tcpOptions: false, interfaces: false }).slice(0, 10));

  let pcapPath: string | undefined;
  if (options.pcapPath !== null) {
    pcapPath = pcap.writeFile(resolve(options.pcapPath ?? 'netlayers-demo.pcap'));
    out.push('', `Wrote ${pcap.frames.length} frames seen on client eth0 to ${pcapPath} (open it in Wireshark).`);
  }
  pcap.stop();
  recorder.detach();
  return { output: `${out.join('\n')}\n`, pcapPath, request: REQUEST, response: RESPONSE, received, recorder };
}

if (invokedDirectly(import.meta.url)) {
  honourTraceFlag();
  const color = process.stdout.isTTY === true && process.env['NO_COLOR'] === undefined;
  process.stdout.write(runDemo({ color }).output);
}
