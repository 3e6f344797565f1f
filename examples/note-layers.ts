// The study note's layers and models: OSI's seven layers folded into TCP/IP (application,
// presentation and session become one application layer), the two four-layer groupings the
// note lists (application, transport, network, link — RFC 1122's — and transport, network,
// link, physical), and the five-layer model, with what each layer does (the note's 1–5),
// shown on one real HTTP request: the client's stack in each model, then one frame of the
// request taken apart layer by layer in each model.
// Run: npx tsx examples/note-layers.ts [--model tcpip-4]

import { LAYER_MODELS, getModel, type FrameEvent, type ModelId } from '@netlayers/core';
import { Network } from '@netlayers/lab';
import { encapsulation } from '@netlayers/trace';
import { option } from './support/note.ts';
import { honourTraceFlag, invokedDirectly } from './support/run-direct.ts';

/** What each role does, in the note's words (its list 1–5), for the five roles. */
export const ROLE_JOBS = {
  application: '1. 应用层 serves the user\'s processes directly: HTTP for the web, SMTP for mail, FTP for files',
  transport: '2. 传输控制层 carries data between the two hosts\' processes: TCP (connections, reliable) and UDP (datagrams)',
  network: '3. 网络层 moves packets across the network: chooses the route through routers to the other host',
  link: '4. 链路层 the hardware side: the NIC and its driver, frames between neighbours on one link',
  physical: '5. 物理层 the medium itself: bits on a cable or fibre, connectors, the timing of the signal',
} as const;

export async function main(write: (line: string) => void = console.log, args: readonly string[] = process.argv.slice(2)): Promise<{ frame: FrameEvent | undefined }> {
  const only = option(args, '--model');
  const models = only === undefined ? Object.values(LAYER_MODELS) : [getModel(only)];
  const net = new Network({ seed: 1 });
  const client = net.addHost('client', { gateway: '10.0.1.1' });
  const router = net.addRouter('r1');
  const server = net.addHost('server', { gateway: '10.0.2.1' });
  net.connect([client, '10.0.1.10/24'], [router, '10.0.1.1/24'], { delay: '1ms' });
  net.connect([router, '10.0.2.1/24'], [server, '10.0.2.10/24'], { delay: '1ms' });
  let request: FrameEvent | undefined;
  net.trace.on('frame', (e) => {
    if (request === undefined && e.node === 'client' && e.action === 'tx' && e.bytes.length > 100) request = e;
  });
  server.tcp.listen({ port: 80 }).on('connection', (peer) => peer.on('data', () => peer.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi')));
  const socket = client.tcp.connect({ remoteAddress: '10.0.2.10', remotePort: 80 });
  socket.on('connect', () => socket.write('GET / HTTP/1.1\r\nHost: server\r\n\r\n'));
  net.runFor('1s');

  write('What each layer does (the note\'s list):');
  for (const job of Object.values(ROLE_JOBS)) write(`  ${job}`);
  write('');
  for (const model of models) {
    write(`${model.title} — ${model.note}`);
    write(client.describeStack(model.id as ModelId));
    write('');
  }
  if (request !== undefined) {
    write('One frame of the HTTP request, as it left the client\'s NIC, taken apart in each model:');
    for (const model of models) {
      write('');
      write(encapsulation(request, { model, fields: false }));
    }
  }
  write('');
  write('Corrections to the note: TCP/IP is not a simplification of OSI — TCP/IP was designed in the 1970s and');
  write('OSI\'s reference model published in 1984, separately; the mapping above is how the two line up. And the');
  write('grouping "transport, network, link, physical" leaves out the application, the layer the note itself lists');
  write('first: it counts the layers of the network below a process, not the layers of a host.');
  return { frame: request };
}

if (invokedDirectly(import.meta.url)) {
  honourTraceFlag();
  await main();
}
