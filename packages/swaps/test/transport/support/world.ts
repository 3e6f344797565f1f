// Two hosts joined by the shared fake IP network of @netlayers/testing, each running a StreamTransport made by `make`, and a
// small application written only against StreamTransport: the client sends a body and
// half-closes, the server answers with its own body once the client's has ended.

import { createHash } from 'node:crypto';
import {
  createNodeContext,
  createSimulationContext,
  type IpService,
  type NodeContext,
  type SimulationContext,
  type StreamSocket,
  type StreamTransport,
} from '@netlayers/core';
import { FakeIpNetwork, concat, type FakeIpNetworkOptions, type FakeIpService } from '@netlayers/testing';

export interface World<T extends StreamTransport> {
  readonly sim: SimulationContext;
  readonly net: FakeIpNetwork;
  readonly ipA: FakeIpService;
  readonly ipB: FakeIpService;
  readonly nodeA: NodeContext;
  readonly nodeB: NodeContext;
  readonly a: T;
  readonly b: T;
}

export function world<T extends StreamTransport>(make: (node: NodeContext, ip: IpService) => T, link: FakeIpNetworkOptions = {}, seed = 1): World<T> {
  const sim = createSimulationContext(seed);
  const net = new FakeIpNetwork(sim, link);
  const nodeA = createNodeContext(sim, 'a');
  const nodeB = createNodeContext(sim, 'b');
  const ipA = net.addNode(nodeA, '10.0.0.1');
  const ipB = net.addNode(nodeB, '10.0.0.2');
  return { sim, net, ipA, ipB, nodeA, nodeB, a: make(nodeA, ipA), b: make(nodeB, ipB) };
}

export interface ExchangeResult {
  readonly atServer: Uint8Array;
  readonly atClient: Uint8Array;
  readonly client: StreamSocket;
  readonly server: StreamSocket | undefined;
  readonly events: string[];
  /** Virtual time from connect() until the client's 'end'. */
  readonly duration: number;
}

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Write `body` respecting write()'s return value and 'drain', then end(). */
export function sendAll(socket: StreamSocket, body: Uint8Array, chunk = 4096): void {
  let offset = 0;
  const pump = (): void => {
    while (offset < body.length) {
      const piece = body.subarray(offset, offset + chunk);
      offset += piece.length;
      if (!socket.write(piece)) {
        socket.once('drain', pump);
        return;
      }
    }
    socket.end();
  };
  pump();
}

/** Run the request/response application over `w` and return what each side received. */
export function exchange<T extends StreamTransport>(w: World<T>, request: Uint8Array, response: Uint8Array, port = 80): ExchangeResult {
  const events: string[] = [];
  const serverChunks: Uint8Array[] = [];
  const clientChunks: Uint8Array[] = [];
  let server: StreamSocket | undefined;
  const listener = w.b.listen({ port });
  listener.on('connection', (socket) => {
    server = socket;
    socket.on('data', (c) => serverChunks.push(c));
    socket.on('end', () => {
      events.push('server:end');
      sendAll(socket, response);
    });
    socket.on('error', (e) => events.push(`server:error:${e.code}`));
    socket.on('close', (hadError) => events.push(`server:close:${hadError}`));
  });
  const start = w.sim.scheduler.now();
  let duration = -1;
  const client = w.a.connect({ remoteAddress: '10.0.0.2', remotePort: port });
  client.on('connect', () => events.push('client:connect'));
  client.on('data', (c) => clientChunks.push(c));
  client.on('end', () => {
    events.push('client:end');
    duration = w.sim.scheduler.now() - start;
  });
  client.on('error', (e) => events.push(`client:error:${e.code}`));
  client.on('close', (hadError) => events.push(`client:close:${hadError}`));
  sendAll(client, request);
  w.sim.scheduler.runUntilIdle(5_000_000);
  listener.close();
  return { atServer: concat(serverChunks), atClient: concat(clientChunks), client, server, events, duration };
}
