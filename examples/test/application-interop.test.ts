// Interoperability of the application layer's HTTP/1.1 with Node's own http module, both
// ways, over the emulated TCP across a router and a lossy link (the Node stream adapters
// of @netlayers/transport carry Node's sockets).

import http from 'node:http';
import { createHash } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import { Network } from '@netlayers/lab';
import { createConnectionFor, attachNodeServer } from '@netlayers/transport/node';
import { HttpServer, httpRequest, HttpClientConnection } from '@netlayers/application';

function lossyNetwork(seed: number) {
  const net = new Network({ seed });
  const r1 = net.addRouter('r1');
  const client = net.addHost('client', { gateway: '10.0.1.1' });
  const server = net.addHost('server', { gateway: '10.0.2.1' });
  net.connect([client, '10.0.1.10/24'], [r1, '10.0.1.1/24'], { bandwidth: '10Mbps', delay: '1ms' });
  net.connect([r1, '10.0.2.1/24'], [server, '10.0.2.10/24'], { bandwidth: '10Mbps', delay: '2ms', impairments: { loss: 0.03 } });
  net.runFor('1ms');
  const losses = { count: 0 };
  net.trace.on('event', (e) => {
    if ((e.kind === 'frame' && e.action === 'lost') || (e.kind === 'drop' && e.reason === 'impairment')) losses.count++;
  });
  return { net, client, server, losses };
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('HTTP interop with Node over a lossy routed link', () => {
  it("Node's http client talks to our HttpServer (chunked upload, keep-alive, large response)", async () => {
    const { net, client, server, losses } = lossyNetwork(3);
    const big = net.random.fork('body').bytes(200_000);
    new HttpServer(server.tcp, {
      port: 80,
      handler: (req, res) => {
        if (req.path === '/echo') res.send(200, `got ${req.body.length} bytes, sha ${sha(req.body)}, te=${req.headers.get('transfer-encoding')}`);
        else res.end(big);
      },
    });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    (agent as unknown as { createConnection: unknown }).createConnection = createConnectionFor(client.tcp);
    const request = (options: http.RequestOptions, body?: Uint8Array[]): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> =>
      new Promise((resolve, reject) => {
        const req = http.request({ host: '10.0.2.10', port: 80, agent, ...options }, (res) => {
          const parts: Buffer[] = [];
          res.on('data', (c: Buffer) => parts.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
          res.on('error', reject);
        });
        req.on('error', reject);
        for (const part of body ?? []) req.write(part);
        req.end();
      });
    const upload = net.random.fork('upload').bytes(50_000);
    const first = await net.drive(request({ method: 'POST', path: '/echo' }, [upload.subarray(0, 20_000), upload.subarray(20_000)]));
    expect(first.status).toBe(200);
    expect(first.body.toString()).toBe(`got 50000 bytes, sha ${sha(upload)}, te=chunked`);
    const second = await net.drive(request({ method: 'GET', path: '/big' }));
    expect(second.headers['content-length']).toBe('200000');
    expect(sha(second.body)).toBe(sha(big));
    agent.destroy();
    expect(losses.count).toBeGreaterThan(0); // TCP recovered from real losses
  });

  it("our client talks to Node's http server (chunked response, pipelining on one connection)", async () => {
    const { net, client, server, losses } = lossyNetwork(5);
    const nodeServer = http.createServer((req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (c: Buffer) => parts.push(c));
      req.on('end', () => {
        res.setHeader('Content-Type', 'text/plain');
        res.write(`${req.method} ${req.url} `);
        res.write(`host=${req.headers.host} `);
        res.end(`body=${Buffer.concat(parts).length}`);
      });
    });
    attachNodeServer(nodeServer, server.tcp.listen({ port: 8080 }));
    const one = await net.drive(httpRequest(client.tcp, { host: '10.0.2.10', port: 8080, method: 'POST', path: '/submit', body: 'x'.repeat(30_000) }));
    expect(one.status).toBe(200);
    expect(one.headers.get('transfer-encoding')).toBe('chunked');
    expect(new TextDecoder().decode(one.body)).toBe('POST /submit host=10.0.2.10:8080 body=30000');
    const connection = new HttpClientConnection(client.tcp, { host: '10.0.2.10', port: 8080 });
    const [a, b] = await net.drive(Promise.all([connection.request({ path: '/a' }), connection.request({ path: '/b' })]));
    expect([new TextDecoder().decode(a.body), new TextDecoder().decode(b.body)]).toEqual(['GET /a host=10.0.2.10:8080 body=0', 'GET /b host=10.0.2.10:8080 body=0']);
    connection.close();
    nodeServer.close();
    expect(losses.count).toBeGreaterThan(0);
  });
});
