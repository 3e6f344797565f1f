// The second process of the VXLAN test: half a lab (a switch and a host) whose switch is
// tunnelled over VXLAN to the test's process, which holds the router and a server. It pings
// the server through the router, sends it `bytes` over TCP, and prints one JSON line with
// what it saw. Run: tsx vxlan-side-b.ts '<json config>'

import { createHash } from 'node:crypto';
import { Network } from '../../src/index.ts';
import { VxlanEndpoint, runRealtime } from '../../src/node.ts';

interface Config {
  address: string;
  port: number;
  remote: string;
  vni: number;
  host: string;
  gateway: string;
  target: string;
  bytes: number;
}

const config = JSON.parse(process.argv[2]!) as Config;
const net = new Network({ seed: 2 });
const vtep = await VxlanEndpoint.open(net, { vni: config.vni, address: config.address, port: config.port, remotes: [config.remote], name: 'vtepB' });
const sw = net.addSwitch('swB');
const host = net.addHost('hostB', { gateway: config.gateway });
net.connect([host, config.host], sw);
net.connect(sw, net.addSegment('tunnel', () => vtep, `VXLAN ${config.vni}`));

const ping = await runRealtime(net, { until: host.ping(config.target, { timeout: '3s' }), timeoutMs: 10_000 });
const payload = new Uint8Array(config.bytes).map((_, i) => (i * 7 + (i >>> 10)) & 0xff);
const socket = host.tcp.connect({ remoteAddress: config.target, remotePort: 9000 });
const started = process.hrtime.bigint();
const closed = new Promise<void>((resolve, reject) => {
  socket.on('connect', () => socket.end(payload));
  socket.on('data', () => undefined);
  socket.on('end', () => resolve());
  socket.on('error', reject);
});
await runRealtime(net, { until: closed, timeoutMs: 60_000 });
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
console.log(JSON.stringify({
  ping: ping.ok ? { ok: true, rttMs: ping.rtt / 1e6 } : { ok: false },
  sent: config.bytes,
  sha256: createHash('sha256').update(payload).digest('hex'),
  seconds,
  stats: vtep.stats,
  counters: vtep.counters,
}));
vtep.close();
