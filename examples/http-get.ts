// One web request from `GET /` down to the bits and back: the client resolves server.lab
// with DNS (RFC 1035), opens a TCP connection across a router (RFC 9293, RFC 1812) and
// sends an HTTP/1.1 request (RFC 9112); the server answers with a chunked response and a
// second pipelined request rides the same connection. Run: npx tsx examples/http-get.ts [--trace]

import { Network } from '@netlayers/lab';
import { DnsResolver, DnsServer, HttpClientConnection, HttpServer, httpGet } from '@netlayers/application';
import { logLayers } from './support/layer-log.ts';
import { invokedDirectly } from './support/run-direct.ts';

export async function main(write: (line: string) => void = console.log, trace = process.argv.includes('--trace')): Promise<void> {
  const net = new Network({ seed: 1 });
  const sw = net.addSwitch('sw1');
  const r1 = net.addRouter('r1');
  const client = net.addHost('client', { gateway: '10.0.1.1' });
  const server = net.addHost('server', { gateway: '10.0.2.1' });
  const ns = net.addHost('ns', { gateway: '10.0.1.1' });
  net.connect([client, '10.0.1.10/24'], sw);
  net.connect([ns, '10.0.1.53/24'], sw);
  net.connect([r1, '10.0.1.1/24'], sw);
  net.connect([r1, '10.0.2.1/24'], [server, '10.0.2.10/24'], { bandwidth: '10Mbps', delay: '2ms' });
  net.runFor('1ms');

  new DnsServer(ns.udp, { zone: { 'server.lab': '10.0.2.10', 'www.lab': '10.0.2.10' }, node: ns.context });
  new HttpServer(server.tcp, {
    port: 80,
    node: server.context,
    handler: (req, res) => {
      if (req.path === '/') {
        res.setHeader('Content-Type', 'text/html; charset=utf-8');
        res.end(`<h1>Hello from server.lab</h1><p>You are ${req.remoteAddress}:${req.remotePort}</p>\n`);
      } else if (req.path === '/stream') {
        res.setHeader('Content-Type', 'text/plain');
        res.write('chunk one\n');
        res.write('chunk two\n');
        res.end();
      } else {
        res.send(404, `no ${req.path} here\n`);
      }
    },
  });
  const resolver = new DnsResolver(client.udp, { servers: ['10.0.1.53'], node: client.context });

  write(`client 10.0.1.10 --sw1-- r1 --10Mbit/s, 2ms-- server 10.0.2.10   (DNS: ns 10.0.1.53)`);
  write(trace ? 'every layer, as it happens:\n' : 'the application dialogue (run with --trace for every layer):\n');
  const stop = logLayers(net.trace, { write, ...(trace ? {} : { roles: ['application'] as const }) });
  const response = await net.drive(httpGet(client.tcp, 'http://server.lab/', { resolver, node: client.context }));
  stop();
  write('');
  write(`HTTP/1.1 ${response.status} ${response.reason}`);
  for (const [name, value] of response.headers.entries()) write(`${name}: ${value}`);
  write('');
  write(new TextDecoder().decode(response.body).trimEnd());

  write('\ntwo pipelined requests on one persistent connection:');
  const stop2 = logLayers(net.trace, { write, roles: ['application'] });
  const connection = new HttpClientConnection(client.tcp, { host: 'www.lab', resolver, node: client.context });
  const [stream, missing] = await net.drive(Promise.all([connection.request({ path: '/stream' }), connection.request({ path: '/missing' })]));
  connection.close();
  net.runFor('1s');
  stop2();
  write(`/stream  -> ${stream.status}, Transfer-Encoding: ${stream.headers.get('transfer-encoding')}, body ${JSON.stringify(new TextDecoder().decode(stream.body))}`);
  write(`/missing -> ${missing.status} ${missing.reason}`);
}

if (invokedDirectly(import.meta.url)) await main();
