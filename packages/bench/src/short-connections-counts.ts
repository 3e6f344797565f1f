// What one short connection costs (the scenario of short-connections.ts: RFC 9293 §3.5 open,
// one request, one response, §3.6 close, 100 ms MSL): per connection, scheduler events, TCP
// segments on the wire (both directions, from the client's per-connection counters), SYN
// retransmissions (RFC 6298 §5 timeouts while connecting), CPU time, and heap bytes
// allocated (V8's sampling heap profiler, with objects later collected by minor and major
// GC kept, so it counts allocation, not what survives), with the top allocation sites.
// Run:
//   node --import tsx packages/bench/src/short-connections-counts.ts [count] [concurrency] [seed] [--top N] [--no-heap]

import { Session } from 'node:inspector/promises';
import * as lab from '@netlayers/lab';
import { shortConnections } from './short-connections-scenario.ts';

const argv = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const at = argv.indexOf(name);
  if (at < 0) return undefined;
  const value = argv[at + 1];
  argv.splice(at, 2);
  return value;
};
const noHeap = argv.includes('--no-heap');
if (noHeap) argv.splice(argv.indexOf('--no-heap'), 1);
const top = Number(flag('--top') ?? 15);
const count = Number(argv[0] ?? 20_000);
const concurrency = Number(argv[1] ?? 200);
const seed = Number(argv[2] ?? 1);

interface SamplingNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: SamplingNode[];
}

let segments = 0;
let synTimeouts = 0;
const scenario = shortConnections(lab, {
  count,
  concurrency,
  seed,
  onClose: (s) => {
    const stats = (s as unknown as { stats?: { segmentsSent: number; segmentsReceived: number; timeouts: number } }).stats;
    if (stats !== undefined) {
      segments += stats.segmentsSent + stats.segmentsReceived;
      synTimeouts += stats.timeouts;
    }
  },
});
const net = scenario.net;

const session = new Session();
if (!noHeap) {
  session.connect();
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 1024,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  } as never);
}
const events0 = net.scheduler.executedCount;
const cpuStart = process.cpuUsage();
scenario.start();
net.runUntilIdle();
const cpuUsed = process.cpuUsage(cpuStart);
const events = net.scheduler.executedCount - events0;
if (scenario.finished() !== count) throw new Error(`${scenario.finished()} of ${count} connections finished`);
const cpuUs = (cpuUsed.user + cpuUsed.system) / count;
console.log(
  `${count} connections (${concurrency} at once, seed ${seed}), per connection: ${(events / count).toFixed(2)} scheduler events, ${(segments / count).toFixed(2)} segments, ${(synTimeouts / count).toFixed(4)} retransmission timeouts, ${cpuUs.toFixed(1)} µs CPU${noHeap ? '' : ' (with the heap sampler on)'}`,
);
if (!noHeap) {
  const { profile } = (await session.post('HeapProfiler.stopSampling')) as unknown as { profile: { head: SamplingNode } };
  session.disconnect();
  const bySite = new Map<string, number>();
  let total = 0;
  const name = (node: SamplingNode): string => `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.split('/').slice(-2).join('/')}`;
  const walk = (node: SamplingNode, parent: SamplingNode | null): void => {
    if (node.selfSize > 0) {
      // Built-ins (no script) are shown with their caller: `subarray < parseTcpSegment tcp/wire.ts`.
      const site = node.callFrame.url === '' && parent !== null ? `${name(node)}< ${name(parent)}` : name(node);
      bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
      total += node.selfSize;
    }
    for (const child of node.children) walk(child, node);
  };
  walk(profile.head, null);
  console.log(`heap allocated: ${(total / count / 1024).toFixed(1)} KiB per connection (sampled)`);
  console.log('| allocation site | bytes per connection | share |');
  console.log('|---|---|---|');
  for (const [site, bytes] of [...bySite].sort((x, y) => y[1] - x[1]).slice(0, top)) {
    console.log(`| \`${site}\` | ${Math.round(bytes / count)} | ${((100 * bytes) / total).toFixed(1)} % |`);
  }
}
