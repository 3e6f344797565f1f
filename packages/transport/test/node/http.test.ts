import { describe, expect, it } from 'vitest';
import http from 'node:http';
import net from 'node:net';
import { createHash } from 'node:crypto';
import { InvalidAddressError, Random, createSimulationContext } from '@netlayers/core';
import { attachNodeServer, createConnectionFor, type StreamSocketDuplex } from '../../src/node/index.ts';
import { MemoryNetwork } from '@netlayers/testing';
import { once, runUntilSettled } from './support/drive.ts';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  remotePort: number;
}

function request(options: http.RequestOptions, body?: Uint8Array): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), remotePort: Number(res.headers['x-client-port']) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

function setup() {
  const sim = createSimulationContext(1);
  const network = new MemoryNetwork(sim.scheduler);
  const server = network.transport('10.0.0.2');
  const client = network.transport('10.0.0.1');
  return { sim, network, server, client };
}

describe('Node http over a StreamTransport (in-memory)', () => {
  it('serves http.createServer through attachNodeServer to http.request with createConnection', async () => {
    const { sim, server, client } = setup();
    const httpServer = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const socket = req.socket as unknown as StreamSocketDuplex;
        res.setHeader('x-client-port', String(socket.remotePort));
        res.setHeader('x-client-address', socket.remoteAddress);
        res.end(`${req.method} ${req.url} got ${Buffer.concat(chunks).length} bytes`);
      });
    });
    const detach = attachNodeServer(httpServer, server.listen({ port: 80 }));
    const reply = await runUntilSettled(
      sim.scheduler,
      request({ host: '10.0.0.2', port: 80, method: 'POST', path: '/upload', createConnection: createConnectionFor(client) }, new Uint8Array(3000)),
    );
    expect(reply.status).toBe(200);
    expect(reply.body.toString()).toBe('POST /upload got 3000 bytes');
    expect(reply.headers['x-client-address']).toBe('10.0.0.1');
    expect(reply.remotePort).toBeGreaterThanOrEqual(49152);
    detach();
    httpServer.close();
  });

  it('carries a 1 MB response byte for byte', async () => {
    const { sim, server, client } = setup();
    const body = new Random('http-1mb').bytes(1 << 20);
    const httpServer = http.createServer((_req, res) => {
      res.setHeader('content-type', 'application/octet-stream');
      res.end(body);
    });
    attachNodeServer(httpServer, server.listen({ port: 80 }));
    const reply = await runUntilSettled(
      sim.scheduler,
      request({ host: '10.0.0.2', path: '/big', createConnection: createConnectionFor(client) }),
      64,
    );
    expect(reply.body.length).toBe(body.length);
    expect(createHash('sha256').update(reply.body).digest('hex')).toBe(createHash('sha256').update(body).digest('hex'));
    httpServer.close();
  });

  it('reuses one connection for sequential requests through a keep-alive http.Agent', async () => {
    const { sim, server, client } = setup();
    let connections = 0;
    const httpServer = http.createServer((req, res) => {
      res.setHeader('x-client-port', String((req.socket as unknown as StreamSocketDuplex).remotePort));
      res.end('ok');
    });
    httpServer.on('connection', () => connections++);
    attachNodeServer(httpServer, server.listen({ port: 8080 }));
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    agent.createConnection = createConnectionFor(client);
    const first = await runUntilSettled(sim.scheduler, request({ host: '10.0.0.2', port: 8080, path: '/1', agent }));
    const second = await runUntilSettled(sim.scheduler, request({ host: '10.0.0.2', port: 8080, path: '/2', agent }));
    expect(first.body.toString()).toBe('ok');
    expect(second.body.toString()).toBe('ok');
    expect(second.remotePort).toBe(first.remotePort);
    expect(connections).toBe(1);
    agent.destroy();
    httpServer.close();
  });

  it('reports a refused connection as a request error with code ECONNREFUSED', async () => {
    const { sim, client } = setup();
    const failed = request({ host: '10.0.0.2', port: 81, createConnection: createConnectionFor(client) }).then(
      () => 'succeeded',
      (e: NodeJS.ErrnoException) => e.code,
    );
    expect(await runUntilSettled(sim.scheduler, failed)).toBe('ECONNREFUSED');
  });

  it('resolves host names only through a lookup function', async () => {
    const { sim, server, client } = setup();
    const httpServer = http.createServer((_req, res) => res.end('named'));
    attachNodeServer(httpServer, server.listen({ port: 80 }));
    const bare = createConnectionFor(client);
    expect(() => bare({ host: 'www.example', port: 80 })).toThrow(InvalidAddressError);
    const named = createConnectionFor(client, { lookup: (name) => (name === 'www.example' ? '10.0.0.2' : '0.0.0.0') });
    const reply = await runUntilSettled(sim.scheduler, request({ host: 'www.example', createConnection: named }));
    expect(reply.body.toString()).toBe('named');
    httpServer.close();
  });

  it('feeds a net.Server too, and calls the connect callback once connected', async () => {
    const { sim, server, client } = setup();
    const echo = net.createServer((socket) => socket.pipe(socket));
    attachNodeServer(echo, server.listen({ port: 7 }));
    let connectedAt = -1;
    const socket = createConnectionFor(client)({ host: '10.0.0.2', port: 7 }, (error, s) => {
      expect(error).toBeNull();
      expect(s).toBe(socket);
      connectedAt = sim.scheduler.now();
    });
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.end('echo me');
    await runUntilSettled(sim.scheduler, once(socket, 'close'));
    expect(Buffer.concat(chunks).toString()).toBe('echo me');
    expect(connectedAt).toBe(2_000_000);
    echo.close();
  });
});
