// The four-layer build (RFC 1122's model: application, transport, internet, network access)
// passes the same end-to-end tests as the five-layer build (ping across a router, a TCP
// transfer, an HTTP request), and its trace shows four layers:
// the same topology, once with Ethernet over point-to-point links (link + physical) and once
// with the PPP network-access module (one layer) — a one-line change in `connect`.
import { describe, expect, it } from 'vitest';
import { Network, type ConnectOptions } from '@netlayers/lab';
import { HttpServer, httpGet } from '@netlayers/application';
import type { Role, StreamSocket } from '@netlayers/core';
import { networkAccess } from '@netlayers/swaps';
import { concat, firstDifference, testBytes } from '@netlayers/testing';

type Shape = 'five-layer' | 'four-layer';

function build(shape: Shape) {
  const net = new Network({ seed: 11 });
  const roles = new Set<Role>();
  net.trace.on('event', (e) => roles.add(e.role));
  const client = net.addHost('client', { gateway: '10.0.1.1' });
  const router = net.addRouter('r1');
  const server = net.addHost('server', { gateway: '10.0.2.1' });
  const link: ConnectOptions =
    shape === 'four-layer'
      ? { access: networkAccess({ bandwidth: '10Mbps', delay: '1ms' }), label: 'PPP in HDLC-like framing (RFC 1661/1662)' }
      : { bandwidth: '10Mbps', delay: '1ms' };
  net.connect([client, '10.0.1.10/24'], [router, '10.0.1.1/24'], link);
  net.connect([router, '10.0.2.1/24'], [server, '10.0.2.10/24'], link);
  return { net, client, router, server, roles };
}

describe.each(['five-layer', 'four-layer'] as const)('%s stack: end to end', (shape) => {
  it('pings across a router', async () => {
    const { client } = build(shape);
    const result = await client.ping('10.0.2.10');
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.from.toString()).toBe('10.0.2.10');
      expect(result.ttl).toBe(63); // one router decremented it
      expect(result.rtt).toBeGreaterThan(4_000_000); // four 1 ms hops, plus serialization
    }
  });

  it('carries a 200 kB TCP transfer across the router, exactly', () => {
    const { net, client, server } = build(shape);
    const data = testBytes(200_000, 'four-layer-tcp');
    const received: Uint8Array[] = [];
    let ended = false;
    server.tcp.listen({ port: 9000 }).on('connection', (socket: StreamSocket) => {
      socket.on('data', (chunk) => received.push(chunk.slice()));
      socket.on('end', () => {
        ended = true;
        socket.end();
      });
    });
    const socket = client.tcp.connect({ remoteAddress: '10.0.2.10', remotePort: 9000 });
    socket.on('connect', () => socket.end(data));
    net.runFor('30s');
    expect(ended).toBe(true);
    const all = concat(received);
    expect({ length: all.length, firstDifference: firstDifference(all, data) }).toEqual({ length: data.length, firstDifference: -1 });
  });
});

describe.each(['five-layer', 'four-layer'] as const)('%s stack: an application on top', (shape) => {
  it('answers an HTTP/1.1 request across the router', async () => {
    const { net, client, server } = build(shape);
    new HttpServer(server.tcp, { port: 80, handler: (request, response) => response.send(200, `hello ${request.path} over ${shape}`) });
    const response = await net.drive(httpGet(client.tcp, 'http://10.0.2.10/greeting'));
    expect(response.status).toBe(200);
    expect(new TextDecoder().decode(response.body)).toBe(`hello /greeting over ${shape}`);
  });
});

describe('the two builds side by side', () => {
  it('the five-layer trace has link and physical roles; the four-layer one has network-access instead', async () => {
    const five = build('five-layer');
    await five.client.ping('10.0.2.10');
    const four = build('four-layer');
    await four.client.ping('10.0.2.10');
    expect(five.roles.has('link')).toBe(true);
    expect(five.roles.has('physical')).toBe(true);
    expect(five.roles.has('network-access')).toBe(false);
    expect([...four.roles].sort()).toEqual(['network', 'network-access']);
  });

  it('describeStack shows one network-access layer in the four-layer model', () => {
    const { client } = build('four-layer');
    const text = client.describeStack('tcpip-4');
    const lines = text.split('\n');
    expect(lines.find((l) => l.includes('Link (network access)'))).toContain('PPP in HDLC-like framing');
    expect(client.components().map((c) => c.role)).toEqual(['application', 'transport', 'network', 'network-access']);
  });

  it('describeStack in the five-layer model shows physical as part of the access module', () => {
    const { client } = build('four-layer');
    const five = client.describeStack('tcpip-5');
    expect(five).toMatch(/Link\s+PPP in HDLC-like framing/);
    expect(five).toMatch(/Physical\s+\(within the network-access module/);
  });
});
