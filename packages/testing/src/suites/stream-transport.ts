// Conformance suite for the stream transport contract (StreamTransport / StreamSocket in
// @netlayers/core): what an application relies on from TCP (RFC 9293) or any replacement.
// Connection set-up, exact in-order bytes (small, large, many writes, both directions),
// half-close (RFC 9293 §3.6: 'end' at the peer, the other direction still open), abort,
// refusal (ECONNREFUSED), misuse errors, and — for implementations that claim it — exact
// delivery over a seeded network that loses, reorders and duplicates datagrams.

import { describe, expect, it } from 'vitest';
import type { IpService, NodeContext, StreamSocket, StreamTransport } from '@netlayers/core';
import { FakeIpNetwork, type FakeIpNetworkOptions } from '../fakes/ip-network.ts';
import { codeOf, concat, createWorld, firstDifference, runUntil, testBytes, text, thrown, type TestWorld } from './support.ts';

export interface StreamTransportSuiteOptions {
  /** Also check exact delivery over a lossy, reordering, duplicating network. */
  readonly lossy?: boolean;
  /** Impairments of the lossy network (default loss 3%, reorder 5%, duplicate 2%). */
  readonly impairments?: Pick<FakeIpNetworkOptions, 'loss' | 'reorder' | 'duplicate' | 'delay'>;
  /** Virtual time allowed for the large transfers (default "10min"). */
  readonly transferLimit?: string;
}

interface Recorder {
  readonly chunks: Uint8Array[];
  readonly events: string[];
  error?: unknown;
  ended: boolean;
  closed: boolean;
  bytes(): Uint8Array;
}

function record(socket: StreamSocket): Recorder {
  const r: Recorder = {
    chunks: [],
    events: [],
    ended: false,
    closed: false,
    bytes: () => concat(r.chunks),
  };
  socket.on('connect', () => r.events.push('connect'));
  socket.on('data', (chunk) => r.chunks.push(chunk.slice()));
  socket.on('end', () => {
    r.ended = true;
    r.events.push('end');
  });
  socket.on('error', (error) => {
    r.error = error;
    r.events.push(`error:${codeOf(error)}`);
  });
  socket.on('close', () => {
    r.closed = true;
    r.events.push('close');
  });
  return r;
}

interface Connected {
  readonly world: TestWorld;
  readonly client: StreamSocket;
  readonly server: StreamSocket;
  readonly c: Recorder;
  readonly s: Recorder;
  readonly clientTransport: StreamTransport;
  readonly serverTransport: StreamTransport;
}

const PORT = 7000;

export function streamTransportSuite(name: string, factory: (node: NodeContext, ip: IpService) => StreamTransport, options: StreamTransportSuiteOptions = {}): void {
  const limit = options.transferLimit ?? '10min';

  function transports(network: FakeIpNetworkOptions = {}, seed: number | string = 1): { world: TestWorld; clientTransport: StreamTransport; serverTransport: StreamTransport } {
    const world = createWorld(seed);
    const net = new FakeIpNetwork(world.sim, { delay: '1ms', ...network });
    const clientNode = world.node('client');
    const serverNode = world.node('server');
    const clientTransport = factory(clientNode, net.addNode(clientNode, '10.0.0.1'));
    const serverTransport = factory(serverNode, net.addNode(serverNode, '10.0.0.2'));
    return { world, clientTransport, serverTransport };
  }

  function connected(network: FakeIpNetworkOptions = {}, seed: number | string = 1): Connected {
    const { world, clientTransport, serverTransport } = transports(network, seed);
    const listener = serverTransport.listen({ port: PORT });
    let server: StreamSocket | undefined;
    let s: Recorder | undefined;
    listener.on('connection', (socket) => {
      server = socket;
      s = record(socket);
    });
    const client = clientTransport.connect({ remoteAddress: '10.0.0.2', remotePort: PORT });
    const c = record(client);
    runUntil(world.sim, () => server !== undefined && c.events.includes('connect'), '60s');
    expect(c.events).toContain('connect');
    expect(server).toBeDefined();
    return { world, client, server: server!, c, s: s!, clientTransport, serverTransport };
  }

  function expectBytes(actual: Uint8Array, expected: Uint8Array): void {
    expect({ length: actual.length, firstDifference: firstDifference(actual, expected) }).toEqual({ length: expected.length, firstDifference: -1 });
  }

  describe(`${name}: stream transport conformance`, () => {
    it('connects: connect event at the client, connection event at the listener, addresses and ports set', () => {
      const k = connected();
      expect(k.client.remoteAddress.toString()).toBe('10.0.0.2');
      expect(k.client.remotePort).toBe(PORT);
      expect(k.client.localAddress.toString()).toBe('10.0.0.1');
      expect(k.client.localPort).toBeGreaterThanOrEqual(1);
      expect(k.client.localPort).toBeLessThanOrEqual(65535);
      expect(k.server.localPort).toBe(PORT);
      expect(k.server.remoteAddress.toString()).toBe('10.0.0.1');
      expect(k.server.remotePort).toBe(k.client.localPort);
    });

    it('delivers a small write exactly', () => {
      const k = connected();
      k.client.write('hello, stream');
      runUntil(k.world.sim, () => k.s.bytes().length >= 13, '60s');
      expect(text(k.s.bytes())).toBe('hello, stream');
      expect(k.server.bytesRead).toBe(13);
      expect(k.client.bytesWritten).toBe(13);
    });

    it('delivers a large write exactly and in order', () => {
      const k = connected();
      const data = testBytes(200_000, 'large');
      k.client.write(data);
      runUntil(k.world.sim, () => k.s.bytes().length >= data.length, limit);
      expectBytes(k.s.bytes(), data);
    });

    it('delivers many small writes as one exact byte stream', () => {
      const k = connected();
      const parts: Uint8Array[] = [];
      for (let i = 0; i < 400; i++) parts.push(testBytes(1 + ((i * 37) % 300), `w${i}`));
      for (const part of parts) k.client.write(part);
      const all = concat(parts);
      runUntil(k.world.sim, () => k.s.bytes().length >= all.length, limit);
      expectBytes(k.s.bytes(), all);
    });

    it('carries both directions at once', () => {
      const k = connected();
      const up = testBytes(60_000, 'up');
      const down = testBytes(50_000, 'down');
      k.client.write(up);
      k.server.write(down);
      runUntil(k.world.sim, () => k.s.bytes().length >= up.length && k.c.bytes().length >= down.length, limit);
      expectBytes(k.s.bytes(), up);
      expectBytes(k.c.bytes(), down);
    });

    it("half-closes: end() gives 'end' at the peer, which can still send back", () => {
      const k = connected();
      k.client.end('request');
      runUntil(k.world.sim, () => k.s.ended, '60s');
      expect(text(k.s.bytes())).toBe('request');
      expect(k.s.ended).toBe(true);
      expect(k.c.ended).toBe(false);
      k.server.write('response part 1, ');
      k.server.end('part 2');
      runUntil(k.world.sim, () => k.c.ended, '60s');
      expect(text(k.c.bytes())).toBe('response part 1, part 2');
      runUntil(k.world.sim, () => k.c.closed && k.s.closed, limit);
      expect([k.c.closed, k.s.closed]).toEqual([true, true]);
      expect(k.c.error).toBeUndefined();
      expect(k.s.error).toBeUndefined();
      // 'end' comes after all the data and before 'close'.
      expect(k.c.events.indexOf('end')).toBeLessThan(k.c.events.indexOf('close'));
    });

    it('destroy() aborts: the peer sees the connection close', () => {
      const k = connected();
      k.client.write('some data');
      runUntil(k.world.sim, () => k.s.bytes().length >= 9, '60s');
      k.client.destroy();
      runUntil(k.world.sim, () => k.s.closed && k.c.closed, limit);
      expect(k.c.closed).toBe(true);
      expect(k.s.closed).toBe(true);
      if (k.s.error !== undefined) expect(codeOf(k.s.error)).toMatch(/^E[A-Z]+$/);
    });

    it('refuses a connection to a port nobody listens on with a SocketError', () => {
      const { world, clientTransport } = transports();
      const socket = clientTransport.connect({ remoteAddress: '10.0.0.2', remotePort: 9 });
      const r = record(socket);
      runUntil(world.sim, () => r.error !== undefined, limit);
      expect(codeOf(r.error)).toBe('ECONNREFUSED');
      expect(r.events).not.toContain('connect');
      runUntil(world.sim, () => r.closed, '60s');
      expect(r.closed).toBe(true);
    });

    it('throws typed errors for misuse: ports out of range, write after end (EPIPE)', () => {
      const { clientTransport, serverTransport } = transports();
      for (const port of [70000, -1, 1.5]) {
        const error = thrown(() => clientTransport.connect({ remoteAddress: '10.0.0.2', remotePort: port }));
        expect(codeOf(error)).toMatch(/^(ERR_[A-Z_]+|E[A-Z]+)$/); // a typed core error, with its code
        expect(String((error as Error).message)).toContain(String(port));
      }
      const listenError = thrown(() => serverTransport.listen({ port: 65536 }));
      expect(codeOf(listenError)).toMatch(/^(ERR_[A-Z_]+|E[A-Z]+)$/);
      expect(String((listenError as Error).message)).toContain('65536');
      const k = connected();
      k.client.end();
      const epipe = thrown(() => k.client.write('late'));
      expect(codeOf(epipe)).toBe('EPIPE');
    });

    if (options.lossy === true) {
      it('delivers exactly and in order over a lossy, reordering, duplicating network', () => {
        const impairments = { loss: 0.03, reorder: 0.05, duplicate: 0.02, ...options.impairments };
        const k = connected(impairments, 'lossy');
        const up = testBytes(100_000, 'lossy-up');
        const down = testBytes(30_000, 'lossy-down');
        k.client.write(up);
        k.client.end();
        k.server.write(down);
        runUntil(k.world.sim, () => k.s.ended && k.c.bytes().length >= down.length, limit);
        expectBytes(k.s.bytes(), up);
        expectBytes(k.c.bytes(), down);
        expect(k.s.ended).toBe(true);
        k.server.end();
        runUntil(k.world.sim, () => k.c.ended, limit);
        expect(k.c.ended).toBe(true);
      });
    }
  });
}
