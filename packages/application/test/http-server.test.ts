import { describe, expect, it } from 'vitest';
import { NS_PER_MS } from '@netlayers/core';
import { HttpServer } from '../src/http/server.ts';
import { HttpClientConnection, HttpLimitError, HttpProtocolError, httpGet, httpRequest } from '../src/http/client.ts';
import { HttpRequestParser, HttpResponseParser } from '../src/http/parser.ts';
import { InvalidArgumentError } from '@netlayers/core';
import type { HttpResponse } from '../src/http/message.ts';
import { FakeNetwork, type MemorySocket } from '@netlayers/testing';
import { bytes, drive, text } from './support/drive.ts';

function setup(chunkSize = 0) {
  const net = new FakeNetwork({ chunkSize, randomChunks: chunkSize > 1 });
  const server = net.addHost('server', '10.0.2.10');
  const client = net.addHost('client', '10.0.1.10');
  return { net, server, client };
}

/** Send raw bytes to a server and collect everything it sends back until it closes. */
function rawExchange(net: FakeNetwork, client: ReturnType<typeof setup>['client'], request: string) {
  const socket = client.tcp.connect({ remoteAddress: '10.0.2.10', remotePort: 80 }) as MemorySocket;
  const received: Uint8Array[] = [];
  let closedByServer = false;
  socket.on('connect', () => socket.write(request));
  socket.on('data', (c) => received.push(c));
  socket.on('end', () => {
    closedByServer = true;
    socket.end();
  });
  net.scheduler.runUntilIdle();
  const all = text(new Uint8Array(received.flatMap((c) => [...c])));
  return { all, closedByServer };
}

describe('HttpServer', () => {
  it('serves a GET with Content-Length and keeps the connection open', async () => {
    const { net, server, client } = setup();
    new HttpServer(server.tcp, { port: 80, node: server.context, handler: (req, res) => res.send(200, `you asked for ${req.path} from ${req.remoteAddress}`) });
    const connection = new HttpClientConnection(client.tcp, { host: '10.0.2.10' });
    const first = await drive(net, connection.request({ path: '/hello' }));
    expect(first.status).toBe(200);
    expect(first.headers.get('content-length')).toBe(String(first.body.length));
    expect(text(first.body)).toBe('you asked for /hello from 10.0.1.10');
    expect(first.keepAlive).toBe(true);
    const second = await drive(net, connection.request({ path: '/again' }));
    expect(text(second.body)).toContain('/again');
    expect(client.tcp.sockets).toHaveLength(1); // both exchanges on one connection
  });

  it('answers pipelined requests in request order even when handlers finish out of order', async () => {
    const { net, server, client } = setup(1);
    const delays: Record<string, number> = { '/slow': 30, '/medium': 10, '/fast': 0 };
    new HttpServer(server.tcp, {
      port: 80,
      handler: (req, res) => {
        net.scheduler.schedule((delays[req.path] ?? 0) * NS_PER_MS, () => res.send(200, req.path));
      },
    });
    const connection = new HttpClientConnection(client.tcp, { host: '10.0.2.10' });
    const responses = await drive(net, Promise.all(['/slow', '/medium', '/fast'].map((path) => connection.request({ path }))));
    expect(responses.map((r) => text(r.body))).toEqual(['/slow', '/medium', '/fast']);
  });

  it('streams a chunked response, decoded by the client split at every byte', async () => {
    const { net, server, client } = setup(1);
    new HttpServer(server.tcp, {
      port: 80,
      handler: (_req, res) => {
        res.setHeader('Content-Type', 'text/plain');
        res.write('first ');
        net.scheduler.schedule(5 * NS_PER_MS, () => {
          res.write('second');
          res.end();
        });
      },
    });
    const response = await drive(net, httpRequest(client.tcp, { host: '10.0.2.10', port: 80, path: '/' }));
    expect(response.headers.get('transfer-encoding')).toBe('chunked');
    expect(text(response.body)).toBe('first second');
  });

  it('reads a chunked request body and its trailers', async () => {
    const { net, server, client } = setup(3);
    let seen = '';
    new HttpServer(server.tcp, {
      port: 80,
      handler: (req, res) => {
        seen = text(req.body);
        res.send(201, String(req.body.length));
      },
    });
    const response = await drive(net, httpRequest(client.tcp, { host: '10.0.2.10', method: 'POST', path: '/up', body: 'payload bytes', chunked: true }));
    expect(response.status).toBe(201);
    expect(seen).toBe('payload bytes');
  });

  it('closes after a response to Connection: close, and after an HTTP/1.0 request', () => {
    const { net, server, client } = setup();
    const seen: string[] = [];
    new HttpServer(server.tcp, { port: 80, handler: (req, res) => (seen.push(req.path), res.end('ok')) });
    const a = rawExchange(net, client, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\nGET /ignored HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(a.closedByServer).toBe(true);
    expect(a.all.match(/HTTP\/1\.1 200/g)).toHaveLength(1);
    expect(a.all).toContain('Connection: close');
    expect(seen).toEqual(['/']); // the request after Connection: close is never handled
    const b = rawExchange(net, client, 'GET / HTTP/1.0\r\n\r\n');
    expect(b.closedByServer).toBe(true);
    expect(b.all).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    const c = rawExchange(net, client, 'GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n');
    expect(c.closedByServer).toBe(false);
    expect(c.all).toContain('Connection: keep-alive');
  });

  it.each([
    ['garbage', 'HELLO THERE\r\n\r\n', 400],
    ['HTTP/3.0', 'GET / HTTP/3.0\r\nHost: x\r\n\r\n', 505],
    ['too large body', `POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2000\r\n\r\n`, 413],
    ['too many fields', `GET / HTTP/1.1\r\nHost: x\r\n${'A: b\r\n'.repeat(20)}\r\n`, 431],
  ])('answers %s with its status, then closes', (_name, request, status) => {
    const { net, server, client } = setup();
    let errors = 0;
    const http = new HttpServer(server.tcp, { port: 80, node: server.context, limits: { maxBodyBytes: 1000, maxHeaderCount: 10 }, handler: (_req, res) => res.end('ok') });
    http.on('clientError', () => errors++);
    const r = rawExchange(net, client, request);
    expect(r.all.startsWith(`HTTP/1.1 ${status} `)).toBe(true);
    expect(r.closedByServer).toBe(true);
    expect(errors).toBe(1);
    expect(server.context.counters.get('drop.application.malformed')).toBe(1);
    // ...and keeps serving other clients.
    const ok = rawExchange(net, client, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(ok.all).toMatch(/^HTTP\/1\.1 200 OK/);
  });

  it('answers a valid request before a malformed pipelined one, then 400', () => {
    const { net, server, client } = setup();
    new HttpServer(server.tcp, { port: 80, handler: (_req, res) => res.end('fine') });
    const r = rawExchange(net, client, 'GET / HTTP/1.1\r\nHost: x\r\n\r\nBROKEN\r\n\r\n');
    expect(r.all.indexOf('200 OK')).toBeLessThan(r.all.indexOf('400 Bad Request'));
    expect(r.closedByServer).toBe(true);
  });

  it('turns a throwing or rejecting handler into a 500 and keeps running', async () => {
    const { net, server, client } = setup();
    new HttpServer(server.tcp, {
      port: 80,
      handler: async (req) => {
        if (req.path === '/throw') throw new Error('boom');
        await Promise.reject(new Error('async boom'));
      },
    });
    const a = await drive(net, httpRequest(client.tcp, { host: '10.0.2.10', path: '/throw' }));
    const b = await drive(net, httpRequest(client.tcp, { host: '10.0.2.10', path: '/reject' }));
    expect([a.status, b.status]).toEqual([500, 500]);
  });

  it('answers HEAD with the headers of GET and no content', () => {
    const { net, server, client } = setup();
    new HttpServer(server.tcp, { port: 80, handler: (_req, res) => res.send(200, 'twelve bytes') });
    const r = rawExchange(net, client, 'HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    const parser = new HttpResponseParser();
    parser.expectResponseTo('HEAD');
    const [response] = parser.push(bytes(r.all)) as HttpResponse[];
    expect(response!.headers.get('content-length')).toBe('12');
    expect(r.all.endsWith('\r\n\r\n')).toBe(true);
  });
});

describe('HTTP client', () => {
  it('reads a response delimited by the server closing the connection', async () => {
    const { net, server, client } = setup(2);
    server.tcp.listen({ port: 8080 }).on('connection', (socket) => {
      socket.once('data', () => socket.end('HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nno length here'));
    });
    const response = await drive(net, httpRequest(client.tcp, { host: '10.0.2.10', port: 8080 }));
    expect(text(response.body)).toBe('no length here');
  });

  it('resolves host names with the resolver it is given', async () => {
    const { net, server, client } = setup();
    new HttpServer(server.tcp, { port: 80, handler: (req, res) => res.end(req.headers.get('host') ?? '') });
    const resolver = { resolve: async (name: string) => (name === 'server.lab' ? server.address : Promise.reject(new Error('ENOTFOUND'))) };
    const response = await drive(net, httpGet(client.tcp, 'http://server.lab/index.html', { resolver }));
    expect(text(response.body)).toBe('server.lab');
    await expect(httpGet(client.tcp, 'http://elsewhere.lab/', { resolver })).rejects.toThrow('ENOTFOUND');
    expect(() => httpGet(client.tcp, 'https://server.lab/')).toThrow(/only http/);
  });

  it('rejects with ECONNREFUSED when nothing listens, and times out in virtual time', async () => {
    const { net, server, client } = setup();
    await expect(drive(net, httpRequest(client.tcp, { host: '10.0.2.10', port: 81 }))).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    server.tcp.listen({ port: 82 }); // accepts, never answers
    const started = net.scheduler.now();
    await expect(drive(net, httpRequest(client.tcp, { host: '10.0.2.10', port: 82, node: client.context, timeout: '2s' }))).rejects.toMatchObject({ code: 'ETIMEDOUT' });
    expect(net.scheduler.now() - started).toBeGreaterThanOrEqual(2e9);
  });

  it('rejects a malformed response and refuses bad arguments', async () => {
    const { net, server, client } = setup();
    server.tcp.listen({ port: 80 }).on('connection', (s) => s.on('data', () => s.write('NOT HTTP AT ALL\r\n\r\n')));
    await expect(drive(net, httpRequest(client.tcp, { host: '10.0.2.10' }))).rejects.toThrow(/malformed response/);
    const c = new HttpClientConnection(client.tcp, { host: '10.0.2.10' });
    expect(() => c.request({ path: '/has space' })).toThrow(/invalid path/);
    expect(() => c.request({ headers: { 'X-Evil': 'a\r\nInjected: yes' } })).toThrow(/header X-Evil value/);
  });

  it('lets httpGet raise its 8 MiB body limit, and reports a body over the limit as HttpLimitError', async () => {
    const { net, server, client } = setup();
    const big = new Uint8Array(9 * 1024 * 1024).fill(0x61);
    new HttpServer(server.tcp, { port: 80, handler: (_req, res) => res.send(200, big) });
    const refused = drive(net, httpGet(client.tcp, 'http://10.0.2.10/big'));
    await expect(refused).rejects.toBeInstanceOf(HttpLimitError);
    await expect(refused).rejects.toBeInstanceOf(HttpProtocolError); // still a protocol-level failure for old catchers
    await expect(refused).rejects.toMatchObject({ code: 'ERR_HTTP_LIMIT', limit: 'maxBodyBytes', value: 8 * 1024 * 1024 });
    await expect(refused).rejects.toThrow(/limits\.maxBodyBytes = 8388608/);
    const response = await drive(net, httpGet(client.tcp, 'http://10.0.2.10/big', { limits: { maxBodyBytes: 16 * 1024 * 1024 } }));
    expect(response.body.length).toBe(big.length);
  });

  it('applies header-count and header-size limits given to httpGet', async () => {
    const { net, server, client } = setup();
    new HttpServer(server.tcp, {
      port: 80,
      handler: (_req, res) => {
        for (let i = 0; i < 20; i++) res.headers.append(`X-Field-${i}`, 'v'.repeat(50));
        res.send(200, 'ok');
      },
    });
    await expect(drive(net, httpGet(client.tcp, 'http://10.0.2.10/', { limits: { maxHeaderCount: 10 } }))).rejects.toMatchObject({ limit: 'maxHeaderCount', value: 10 });
    await expect(drive(net, httpGet(client.tcp, 'http://10.0.2.10/', { limits: { maxHeaderBytes: 500 } }))).rejects.toMatchObject({ limit: 'maxHeaderBytes', value: 500 });
    const ok = await drive(net, httpGet(client.tcp, 'http://10.0.2.10/', { limits: { maxHeaderCount: 30 } }));
    expect(ok.headers.get('x-field-19')).toBe('v'.repeat(50));
  });

  it('refuses limits that are not integers in range, or not limits at all, with InvalidArgumentError', async () => {
    const { server, client } = setup();
    const bad: [object, RegExp][] = [
      [{ maxBodyBytes: -1 }, /maxBodyBytes -1: must be an integer from 0/],
      [{ maxBodyBytes: 1.5 }, /maxBodyBytes 1.5/],
      [{ maxHeaderCount: 0 }, /maxHeaderCount 0: must be an integer from 1/],
      [{ maxLineLength: Number.NaN }, /maxLineLength NaN/],
      [{ maxHeaderBytes: '16k' }, /maxHeaderBytes "16k"/],
      [{ maxBodyBytes: 2 ** 31 }, /to 2147483647/],
      [{ maxBodySize: 10 }, /HTTP limit "maxBodySize": is not a limit; the limits are maxLineLength, maxHeaderBytes, maxHeaderCount, maxBodyBytes/],
    ];
    for (const [limits, message] of bad) {
      expect(() => httpGet(client.tcp, 'http://10.0.2.10/', { limits: limits as never })).toThrow(message);
      expect(() => httpGet(client.tcp, 'http://10.0.2.10/', { limits: limits as never })).toThrow(InvalidArgumentError);
      await expect(httpRequest(client.tcp, { host: '10.0.2.10', limits: limits as never })).rejects.toThrow(message);
      expect(() => new HttpServer(server.tcp, { port: 80, handler: () => undefined, limits: limits as never })).toThrow(message);
      expect(() => new HttpRequestParser(limits as never)).toThrow(message);
      expect(() => new HttpResponseParser(limits as never)).toThrow(message);
    }
    expect(client.tcp.sockets).toHaveLength(0); // nothing was opened for a refused call
    expect(() => httpGet(client.tcp, 'http://10.0.2.10/', { timeout: '1s' })).toThrow(/a timeout needs options.node/);
    expect(() => httpGet(client.tcp, 'http://10.0.2.10/', { node: client.context, timeout: 'soon' })).toThrow(/soon/);
    await expect(httpRequest(client.tcp, { host: '10.0.2.10', node: client.context, timeout: 0 })).rejects.toThrow(/timeout 0: must be longer than zero/);
  });
});
