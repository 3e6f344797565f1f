// Sockets and connections, as the study note's last line puts it ("socket: ip+port"):
// a socket is named by IP address and port; a connection by the 4-tuple of both sockets
// (RFC 9293 §3.3.1). Two clients connect to the same server socket 10.0.0.2:80; the server
// keeps their connections apart by the 4-tuple, each gets only its own bytes, and the
// listening socket stays in LISTEN throughout.
// Run: npx tsx examples/note-sockets.ts

import { Network } from '@netlayers/lab';
import type { StreamSocket } from '@netlayers/core';
import { honourTraceFlag, invokedDirectly } from './support/run-direct.ts';

export interface NoteSocketsResult {
  readonly tuples: readonly string[];
  readonly echoes: Readonly<Record<string, string>>;
}

const tuple = (s: StreamSocket): string => `(${s.localAddress}, ${s.localPort}, ${s.remoteAddress}, ${s.remotePort})`;

export async function main(write: (line: string) => void = console.log): Promise<NoteSocketsResult> {
  const net = new Network({ seed: 1 });
  const sw = net.addSwitch('sw1');
  const server = net.addHost('server');
  const alice = net.addHost('alice');
  const bob = net.addHost('bob');
  net.connect([server, '10.0.0.2/24'], sw, { delay: '1ms' });
  net.connect([alice, '10.0.0.10/24'], sw, { delay: '1ms' });
  net.connect([bob, '10.0.0.20/24'], sw, { delay: '1ms' });

  const serverSide: StreamSocket[] = [];
  const listener = server.tcp.listen({ port: 80 });
  listener.on('connection', (peer) => {
    serverSide.push(peer);
    // Echo back, upper-cased, to whoever sent it: the connection decides where bytes go.
    peer.on('data', (chunk) => peer.write(new TextDecoder().decode(chunk).toUpperCase()));
  });
  const echoes: Record<string, string> = {};
  const open = (host: typeof alice, text: string, localPort?: number): StreamSocket => {
    const socket = host.tcp.connect({ remoteAddress: '10.0.0.2', remotePort: 80, ...(localPort ? { localPort } : {}) });
    socket.on('connect', () => socket.write(text));
    socket.on('data', (d) => (echoes[`${host.name}:${socket.localPort}`] = (echoes[`${host.name}:${socket.localPort}`] ?? '') + new TextDecoder().decode(d)));
    return socket;
  };
  const a = open(alice, 'hello from alice');
  const b = open(bob, 'hello from bob');
  const a2 = open(alice, 'alice again, another port');
  net.runFor('200ms');

  write('A socket is ip:port; a connection is the 4-tuple (local ip, local port, remote ip, remote port).');
  write(`The server's listening socket ${listener.localAddress}:${listener.localPort} (0.0.0.0: any local address) accepted all three and stays in LISTEN;`);
  write('each accepted connection is a new socket of its own.');
  write('');
  write('Client sockets and their connections:');
  for (const s of [a, b, a2]) write(`  ${`${s.localAddress}:${s.localPort}`.padEnd(20)} connection ${tuple(s)}  ${s.state}`);
  write('');
  write('The server side: three sockets on the same local ip:port, told apart by the remote half:');
  for (const s of serverSide) write(`  ${`${s.localAddress}:${s.localPort}`.padEnd(20)} connection ${tuple(s)}  ${s.state}`);
  write('');
  write('Each client got back only its own bytes:');
  for (const [who, text] of Object.entries(echoes)) write(`  ${who.padEnd(14)} "${text}"`);
  return { tuples: serverSide.map(tuple), echoes };
}

if (invokedDirectly(import.meta.url)) {
  honourTraceFlag();
  await main();
}
