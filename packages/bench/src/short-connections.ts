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
import { shortConnections } from './short-connections-scenario.ts';

const args = process.argv.slice(2);
const { lab, root } = await loadLab(args);
const count = Number(args[0] ?? 20_000);
const concurrency = Number(args[1] ?? 200);
const seed = Number(args[2] ?? 1);
const scenario = shortConnections(lab, { count, concurrency, seed });
const cpuStart = process.cpuUsage();
const wallStart = process.hrtime.bigint();
scenario.start();
scenario.net.runUntilIdle();
const wall = Number(process.hrtime.bigint() - wallStart) / 1e9;
const cpuUsed = process.cpuUsage(cpuStart);
const cpu = (cpuUsed.user + cpuUsed.system) / 1e6;
if (scenario.finished() !== count) throw new Error(`${scenario.finished()} of ${count} connections finished`);
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
