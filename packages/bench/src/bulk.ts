// Bulk-transfer benchmark of the full stack (issue 14): two hosts through a learning switch
// (or, with --p2p, one point-to-point cable), TCP over IPv4 over Ethernet at MTU 1500, 1 MiB
// windows, every Internet checksum (RFC 1071) and every FCS (IEEE 802.3 CRC-32) computed by
// the sender and verified by each receiver (the switch checks the FCS store-and-forward).
// Prints MB/s of goodput, µs of wall and CPU time per 1448-byte data segment, and the
// scheduler events per segment.
//
//   npx tsx packages/bench/src/bulk.ts [MB=100] [runs=5] [--p2p] [--lab <checkout>] [--json]
//
// --lab <checkout> runs the same scenario against another checkout's layers, which is how
// bulk-ab.ts compares this tree with an older one: the script re-runs itself with that
// checkout as working directory, so its own tsconfig maps every @netlayers/* package, and
// refuses to run if any layer resolved to another tree (load-lab.ts). --json prints one JSON
// line, with the checkout and the packages it was verified to load from.

import { loadLab } from './load-lab.ts';

interface LabModule {
  Network: new (options: { seed: number }) => LabNetwork;
}
interface LabSocket {
  write(chunk: Uint8Array): boolean;
  on(event: string, listener: (arg: Uint8Array) => void): unknown;
}
interface LabHost {
  tcp: {
    listen(o: { port: number }): { on(e: 'connection', l: (s: LabSocket) => void): unknown };
    connect(o: { remoteAddress: string; remotePort: number }): LabSocket;
  };
}
interface LabNetwork {
  addHost(name: string, options: { tcp: Record<string, unknown> }): LabHost;
  addSwitch(name: string): unknown;
  connect(a: unknown, b: unknown, options: Record<string, unknown>): void;
  runFor(d: string): void;
  runUntilIdle(): void;
  now(): number;
  scheduler: { executedCount: number };
}

const args = process.argv.slice(2);
const { lab: loadedLab, root, packages } = await loadLab(args, '--lab');
const lab = loadedLab as unknown as LabModule;
const flag = (name: string): boolean => args.includes(name);
const positional = args.filter((a) => !a.startsWith('--'));
const megabytes = Number(positional[0] ?? 100);
const runs = Number(positional[1] ?? 5);
const p2p = flag('--p2p');
const json = flag('--json');

const MSS = 1448; // 1500 − 20 (IPv4) − 20 (TCP) − 12 (timestamps option)
const LINK = { bandwidth: '10Gbps', delay: '10us', queueLimit: 1000 };
const TCP = { sendBufferSize: '1MiB', receiveBufferSize: '1MiB' };


interface Run {
  mbps: number;
  wallUsPerSegment: number;
  cpuUsPerSegment: number;
  eventsPerSegment: number;
  cpuSeconds: number;
}

function once(totalBytes: number): Run {
  const net = new lab.Network({ seed: 1 });
  const a = net.addHost('a', { tcp: TCP });
  const b = net.addHost('b', { tcp: TCP });
  if (p2p) {
    net.connect([a, '10.0.0.1/24'], [b, '10.0.0.2/24'], LINK);
  } else {
    const sw = net.addSwitch('sw');
    net.connect([a, '10.0.0.1/24'], sw, LINK);
    net.connect([b, '10.0.0.2/24'], sw, LINK);
  }
  net.runFor('1ms');
  let received = 0;
  b.tcp.listen({ port: 5001 }).on('connection', (s) => s.on('data', (c) => (received += c.length)));
  const s = a.tcp.connect({ remoteAddress: '10.0.0.2', remotePort: 5001 });
  const chunk = new Uint8Array(65536).fill(0x5a);
  let sent = 0;
  const pump = (): void => {
    while (sent < totalBytes) {
      const n = Math.min(chunk.length, totalBytes - sent);
      sent += n;
      if (!s.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return;
    }
  };
  s.on('connect', pump);
  s.on('drain', pump);
  const events0 = net.scheduler.executedCount;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  net.runUntilIdle();
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  if (received !== totalBytes) throw new Error(`bulk: received ${received} of ${totalBytes}`);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const segments = totalBytes / MSS;
  return {
    mbps: totalBytes / 1e6 / wall,
    wallUsPerSegment: (wall * 1e6) / segments,
    cpuUsPerSegment: (cpuSeconds * 1e6) / segments,
    eventsPerSegment: (net.scheduler.executedCount - events0) / segments,
    cpuSeconds,
  };
}

const totalBytes = Math.round(megabytes * 1e6);
once(Math.min(totalBytes, 10e6)); // warm-up: JIT and slabs
const results: Run[] = [];
for (let i = 0; i < runs; i++) {
  const r = once(totalBytes);
  results.push(r);
  if (!json) {
    console.log(
      `run ${i + 1}: ${r.mbps.toFixed(1)} MB/s  ${r.wallUsPerSegment.toFixed(2)} µs/segment wall  ${r.cpuUsPerSegment.toFixed(2)} µs/segment CPU  ${r.eventsPerSegment.toFixed(2)} events/segment`,
    );
  }
}
const sorted = results.map((r) => r.mbps).sort((x, y) => x - y);
const median = sorted[Math.floor(sorted.length / 2)]!;
if (json) {
  console.log(JSON.stringify({ megabytes, p2p, root, packages, runs: results }));
} else {
  console.log(`${megabytes} MB ${p2p ? 'point-to-point' : 'through a switch'}: median ${median.toFixed(1)} MB/s, min ${sorted[0]!.toFixed(1)}, max ${sorted[sorted.length - 1]!.toFixed(1)}`);
}
