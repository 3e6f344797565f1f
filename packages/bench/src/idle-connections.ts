// Idle established connections, both ends in one process, through the full stack (lab
// Network: TCP, IPv4, Ethernet with FCS, one point-to-point cable). Opens `count`
// connections (RFC 9293 §3.5 three-way handshakes, every checksum and FCS verified), lets
// them settle to ESTABLISHED with no timer left, then reports the process RSS and the heap
// per endpoint (two endpoints per connection). A client has 64,512 ephemeral ports towards
// one server port, so the server listens on one port per 60,000 connections. Run:
//   node --expose-gc --max-old-space-size=6144 --import tsx packages/bench/src/idle-connections.ts [count] [--root DIR]
// `--root DIR` runs the same measurement against another checkout (e.g. the code before a change).

import { loadLab } from './load-lab.ts';

const args = process.argv.slice(2);
const { lab, root } = await loadLab(args);
const count = Number(args[0] ?? 1_000_000);
if (!Number.isInteger(count) || count < 1) throw new Error(`count must be a positive integer, got ${args[0]}`);
const PER_PORT = 60_000;

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');
const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(0);

const net = new lab.Network({ seed: 1 });
const server = net.addHost('server', { tcp: { backlog: 65_535 } });
const client = net.addHost('client', { tcp: { ephemeralPorts: [1024, 65535] } });
net.connect([server, '10.0.0.1/24'], [client, '10.0.0.2/24'], { bandwidth: '100Gbps', delay: '10us', queueLimit: 100_000 });
const ports = Math.ceil(count / PER_PORT);
let accepted = 0;
for (let p = 0; p < ports; p++) server.tcp.listen({ port: 9000 + p, backlog: 65_535 }).on('connection', () => accepted++);
client.tcp.connect({ remoteAddress: '10.0.0.1', remotePort: 9 }); // resolve ARP first (refused: RST)
net.runFor('10ms');
gc();
const before = process.memoryUsage();
const started = process.hrtime.bigint();
const cpuStart = process.cpuUsage();
const sockets: { readonly state: string }[] = [];
for (let i = 0; i < count; i++) {
  sockets.push(client.tcp.connect({ remoteAddress: '10.0.0.1', remotePort: 9000 + Math.floor(i / PER_PORT) }));
  if (i % 1000 === 999) net.runFor('1ms');
}
net.runFor('3s');
const wall = Number(process.hrtime.bigint() - started) / 1e9;
const cpu = process.cpuUsage(cpuStart);
gc();
gc();
const after = process.memoryUsage();
let established = 0;
for (const s of sockets) if (s.state === 'ESTABLISHED') established++;
if (established !== count || accepted !== count) throw new Error(`established ${established} client / ${accepted} server of ${count}`);
const heapPerEndpoint = (after.heapUsed - before.heapUsed) / (2 * count);
console.log(
  JSON.stringify({
    root,
    connections: count,
    rssMiB: Number(mib(after.rss)),
    heapUsedMiB: Number(mib(after.heapUsed)),
    externalMiB: Number(mib(after.external + after.arrayBuffers)),
    heapBytesPerEndpoint: Math.round(heapPerEndpoint),
    rssBytesPerEndpoint: Math.round((after.rss - before.rss) / (2 * count)),
    setupWallSeconds: Number(wall.toFixed(2)),
    setupCpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(2)),
  }),
);
