// The real thing: Node's own http server and client over two TcpLayers, joined by the shared
// fake IP network of @netlayers/testing, which loses and reorders datagrams, all in virtual time.

import { describe, expect, it } from 'vitest';
import http from 'node:http';
import { createHash } from 'node:crypto';
import { NS_PER_MS, Random, createNodeContext, createSimulationContext } from '@netlayers/core';
import { TcpLayer } from '../../src/tcp/index.ts';
import { attachNodeServer, createConnectionFor, type StreamSocketDuplex } from '../../src/node/index.ts';
import { FakeIpNetwork } from '@netlayers/testing';
import { runUntilSettled } from './support/drive.ts';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function tcpPair(seed: number) {
  const sim = createSimulationContext(seed);
  const net = new FakeIpNetwork(sim, {
    delay: 5 * NS_PER_MS,
    bandwidth: 100e6,
    loss: 0.01,
    reorder: 0.02,
    reorderDelay: 4 * NS_PER_MS,
  });
  const serverNode = createNodeContext(sim, 'server');
  const clientNode = createNodeContext(sim, 'client');
  const server = new TcpLayer(serverNode, net.addNode(serverNode, '10.0.0.2'), { rtoMin: '200ms' });
  const client = new TcpLayer(clientNode, net.addNode(clientNode, '10.0.0.1'), { rtoMin: '200ms' });
  return { sim, net, server, client };
}

describe('Node http over TcpLayer on a lossy, reordering link', () => {
  it('serves a 1 MB response from http.createServer to http.request, byte for byte', async () => {
    const { sim, net, server, client } = tcpPair(2024);
    const body = new Random('tcp-http-1mb').bytes(1 << 20);
    const httpServer = http.createServer((req, res) => {
      res.setHeader('content-type', 'application/octet-stream');
      res.setHeader('x-peer', `${(req.socket as unknown as StreamSocketDuplex).remoteAddress}`);
      res.end(body);
    });
    attachNodeServer(httpServer, server.listen({ port: 80 }), { timers: sim.scheduler });

    const response = new Promise<{ status: number; peer: string; bytes: Buffer }>((resolve, reject) => {
      const req = http.request({ host: '10.0.0.2', port: 80, path: '/blob', createConnection: createConnectionFor(client, { timers: sim.scheduler }) }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, peer: String(res.headers['x-peer']), bytes: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
    const started = sim.scheduler.now();
    const result = await runUntilSettled(sim.scheduler, response);
    expect(result.status).toBe(200);
    expect(result.peer).toBe('10.0.0.1');
    expect(result.bytes.length).toBe(body.length);
    expect(sha256(result.bytes)).toBe(sha256(body));
    // The link really lost and reordered segments, and it all took virtual, not wall, time.
    expect(net.stats.lost).toBeGreaterThan(3);
    expect(net.stats.reordered).toBeGreaterThan(3);
    expect(sim.scheduler.now() - started).toBeGreaterThan(80 * NS_PER_MS);
    httpServer.close();
  });

  it('posts a 256 KB body and reads the echo through a keep-alive agent, twice on one connection', async () => {
    const { sim, server, client } = tcpPair(7);
    const upload = new Random('tcp-http-upload').bytes(256 * 1024);
    let connections = 0;
    const httpServer = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => res.end(createHash('sha256').update(Buffer.concat(chunks)).digest('hex')));
    });
    httpServer.on('connection', () => connections++);
    attachNodeServer(httpServer, server.listen({ port: 8080 }), { timers: sim.scheduler });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    agent.createConnection = createConnectionFor(client, { timers: sim.scheduler });
    const post = () =>
      new Promise<string>((resolve, reject) => {
        const req = http.request({ host: '10.0.0.2', port: 8080, method: 'POST', agent }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => resolve(text));
        });
        req.on('error', reject);
        req.end(upload);
      });
    expect(await runUntilSettled(sim.scheduler, post())).toBe(sha256(upload));
    expect(await runUntilSettled(sim.scheduler, post())).toBe(sha256(upload));
    expect(connections).toBe(1);
    agent.destroy();
    httpServer.close();
  });
});
