// Swapping physical + link behaviour: four hosts on one shared half-duplex bus with CSMA/CD
// (IEEE 802.3 clause 4: carrier sense, collision detection, jam, truncated binary
// exponential backoff) instead of full-duplex point-to-point cables. Three hosts send a
// burst of UDP datagrams to the fourth at the same instant: watch them defer, collide and
// back off, and every datagram still arrive. The one-line change is the segment:
// `net.addSegment('bus', (sim) => new CsmaCdBus(sim, { bandwidth: '10Mbps' }))`.
// Run: npx tsx examples/csma-cd.ts

import { Network } from '@netlayers/lab';
import { CsmaCdBus } from '@netlayers/swaps';
import { honourTraceFlag, invokedDirectly } from './support/run-direct.ts';

export interface BusReport {
  readonly received: number;
  readonly sent: number;
  readonly collisions: number;
  readonly deferrals: number;
  readonly excessiveCollisionDrops: number;
  readonly lines: string[];
}

export function run(seed = 4): BusReport {
  const net = new Network({ seed });
  const bus = net.addSegment('bus', (sim) => new CsmaCdBus(sim, { bandwidth: '10Mbps', delay: '2us' }), 'CSMA/CD bus, 10 Mbit/s');
  const hosts = ['h1', 'h2', 'h3', 'h4'].map((name, i) => {
    const host = net.addHost(name);
    net.connect([host, `10.0.0.${i + 1}/24`], bus);
    return host;
  });
  const [sink, ...senders] = hosts as [(typeof hosts)[0], ...typeof hosts];
  let received = 0;
  sink.udp.bind({ port: 9 }).on('message', () => received++);
  // Warm the ARP caches first, so the burst below is data frames only.
  for (const s of senders) s.udp.bind().send('hello', 9, '10.0.0.1');
  net.runFor('100ms');
  received = 0;
  const perSender = 20;
  for (const s of senders) {
    const socket = s.udp.bind();
    for (let i = 0; i < perSender; i++) socket.send(new Uint8Array(1000), 9, '10.0.0.1');
  }
  net.runFor('1s');
  const stations = (bus.medium as CsmaCdBus).ports;
  const lines = stations.map((st) => `${st.name.padEnd(10)} sent ${String(st.stats.txFrames).padStart(3)} frames, ${String(st.csmaStats.deferrals).padStart(3)} deferrals, ${String(st.csmaStats.collisions).padStart(3)} collisions`);
  const sum = (f: (s: (typeof stations)[number]) => number): number => stations.reduce((n, s) => n + f(s), 0);
  return {
    received,
    sent: senders.length * perSender,
    collisions: sum((s) => s.csmaStats.collisions),
    deferrals: sum((s) => s.csmaStats.deferrals),
    excessiveCollisionDrops: sum((s) => s.csmaStats.excessiveCollisionDrops),
    lines,
  };
}

export async function main(write: (line: string) => void = console.log): Promise<void> {
  const report = run();
  write('Three hosts each send 20 × 1000-byte UDP datagrams to h1 at once, over one CSMA/CD bus:\n');
  for (const line of report.lines) write(`  ${line}`);
  write(`\n${report.received} of ${report.sent} datagrams arrived; ${report.collisions} collisions, ${report.deferrals} deferrals, ${report.excessiveCollisionDrops} frames dropped after 16 attempts.`);
}

if (invokedDirectly(import.meta.url)) {
  honourTraceFlag();
  await main();
}
