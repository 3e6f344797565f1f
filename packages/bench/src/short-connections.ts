// Short connections through the full stack (lab Network: TCP, IPv4, Ethernet with FCS, a
// client and a server on one point-to-point cable): each connection opens (RFC 9293 §3.5),
// carries one request and one response, and closes (§3.6, the client's side through
// TIME-WAIT with a 100 ms MSL so ports recycle). `concurrency` connections are in flight at
// once; a new one starts as each closes. Reports connections per CPU second and per wall
// second. Run:
//   node --import tsx packages/bench/src/short-connections.ts [count] [concurrency] [seed] [--root DIR]
// Defaults: 20,000 connections, 200 at once, seed 1. `--root DIR` runs the same measurement
// against another checkout (e.g. the code before a change).

import { loadLab } from './load-lab.ts';

const args = process.argv.slice(2);
const { lab, root } = await loadLab(args);
const count = Number(args[0] ?? 20_000);
const concurrency = Number(args[1] ?? 200);
const seed = Number(args[2] ?? 1);
for (const [name, value] of [['count', count], ['concurrency', concurrency], ['seed', seed]] as const) {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${value}`);
}

const tcp = { msl: '100ms', ephemeralPorts: [1024, 65535] } as const;
const net = new lab.Network({ seed });
const server = net.addHost('server', { tcp });
const client = net.addHost('client', { tcp });
net.connect([server, '10.0.0.1/24'], [client, '10.0.0.2/24'], { bandwidth: '10Gbps', delay: '10us', queueLimit: 10_000 });
net.runFor('1ms');
const response = new TextEncoder().encode('HTTP/1.1 204 No Content\r\n\r\n');
const request = new TextEncoder().encode('GET / HTTP/1.1\r\nHost: server\r\n\r\n');
server.tcp.listen({ port: 80, backlog: 4096 }).on('connection', (s) => {
  s.on('data', () => s.end(response));
});
let started = 0;
let finished = 0;
const open = (): void => {
  if (started >= count) return;
  started++;
  const s = client.tcp.connect({ remoteAddress: '10.0.0.1', remotePort: 80 });
  s.on('connect', () => s.write(request));
  s.on('end', () => s.end());
  s.on('close', () => {
    finished++;
    open();
  });
};
const cpuStart = process.cpuUsage();
const wallStart = process.hrtime.bigint();
for (let i = 0; i < concurrency; i++) open();
net.runUntilIdle();
const wall = Number(process.hrtime.bigint() - wallStart) / 1e9;
const cpuUsed = process.cpuUsage(cpuStart);
const cpu = (cpuUsed.user + cpuUsed.system) / 1e6;
if (finished !== count) throw new Error(`${finished} of ${count} connections finished`);
console.log(
  JSON.stringify({
    root,
    connections: count,
    concurrency,
    seed,
    connPerCpuSecond: Math.round(count / cpu),
    connPerWallSecond: Math.round(count / wall),
    cpuSeconds: Number(cpu.toFixed(3)),
    wallSeconds: Number(wall.toFixed(3)),
  }),
);
