// Distance-vector routing, the network-layer swap: four routers in a ring learn every route
// from each other with a RIP-like protocol (RFC 2453) over UDP port 520 — no static routes.
// Then the r4–r1 cable, which r1's route to h3 uses, is cut: the routers withdraw what went through it (triggered updates,
// poisoned reverse) and find the way round. The one-line change is `new DistanceVectorRouter(...)`.
// Part two turns split horizon and triggered updates off and breaks a link just as a stale
// update is on its way: count-to-infinity (RFC 2453 §3.4.1), the metric climbing to 16.
// Run: npx tsx examples/distance-vector.ts

import { Network } from '@netlayers/lab';
import { PointToPointLink } from '@netlayers/physical';
import { DistanceVectorRouter } from '@netlayers/swaps';
import { honourTraceFlag, invokedDirectly } from './support/run-direct.ts';

export async function main(write: (line: string) => void = console.log): Promise<void> {
  const net = new Network({ seed: 5 });
  const h1 = net.addHost('h1', { gateway: '192.168.1.1' });
  const h3 = net.addHost('h3', { gateway: '192.168.3.1' });
  const [r1, r2, r3, r4] = ['r1', 'r2', 'r3', 'r4'].map((name) => net.addRouter(name)) as [ReturnType<Network['addRouter']>, ReturnType<Network['addRouter']>, ReturnType<Network['addRouter']>, ReturnType<Network['addRouter']>];
  net.connect([h1, '192.168.1.10/24'], [r1, '192.168.1.1/24']);
  net.connect([h3, '192.168.3.10/24'], [r3, '192.168.3.1/24']);
  net.connect([r1, '10.0.12.1/24'], [r2, '10.0.12.2/24']);
  net.connect([r2, '10.0.23.2/24'], [r3, '10.0.23.3/24']);
  net.connect([r3, '10.0.34.3/24'], [r4, '10.0.34.4/24']);
  net.connect([r4, '10.0.41.4/24'], [r1, '10.0.41.1/24'], { name: 'r4-r1' });

  // The swap: each router runs distance-vector routing over its own UDP.
  const rip = [r1, r2, r3, r4].map((r) => new DistanceVectorRouter(r.context, r.ip, r.udp));
  net.trace.on('state', (e) => {
    if (e.protocol === 'rip' && e.node === 'r1') write(`${(e.time / 1e9).toFixed(3).padStart(8)} s  r1  ${e.entity}: ${e.from} → ${e.to} (${e.cause ?? ''})`);
  });
  for (const router of rip) router.start();
  net.runFor('10s');

  const table = (): void => {
    for (const route of rip[0]!.routes()) write(`    ${route.prefix.toString().padEnd(18)} metric ${String(route.metric).padStart(2)}  ${route.nextHop === null ? 'connected' : `via ${route.nextHop}`} on ${route.iface}`);
  };
  write('\nr1 distance-vector table after 10 s:');
  table();
  const before = await h1.ping('192.168.3.10');
  write(`\nping h1 → h3: ${before.ok ? `reply, ttl ${before.ttl} (${64 - before.ttl} routers)` : before.reason}`);

  write('\n-- cutting r4–r1 --\n');
  const cable = net.links.find((l) => l.name === 'r4-r1')!.medium as PointToPointLink;
  cable.setUp(false);
  net.runFor('40s');
  write('\nr1 distance-vector table 40 s later:');
  table();
  const after = await h1.ping('192.168.3.10');
  write(`\nping h1 → h3: ${after.ok ? `reply, ttl ${after.ttl} (${64 - after.ttl} routers)` : after.reason}`);
  for (const router of rip) router.stop();

  write('\n-- part two: r1 — r2 — r3, no split horizon, no triggered updates --\n');
  countToInfinity(write);
}

/** r2 loses its link to r3 while r1's regular update, still advertising r3's LAN, is in flight. */
export function countToInfinity(write: (line: string) => void): number[] {
  const net = new Network({ seed: 5 });
  const [r1, r2, r3] = ['r1', 'r2', 'r3'].map((name) => net.addRouter(name)) as [ReturnType<Network['addRouter']>, ReturnType<Network['addRouter']>, ReturnType<Network['addRouter']>];
  const lan = net.addHost('lan3');
  net.connect([r3, '192.168.3.1/24'], [lan, '192.168.3.10/24']);
  net.connect([r1, '10.0.12.1/24'], [r2, '10.0.12.2/24']);
  net.connect([r2, '10.0.23.2/24'], [r3, '10.0.23.3/24'], { name: 'r2-r3' });
  const rip = [r1, r2, r3].map((r) => new DistanceVectorRouter(r.context, r.ip, r.udp, { splitHorizon: 'off', triggeredUpdates: false }));
  for (const router of rip) router.start();
  net.runFor('70s');
  const metrics: number[] = [];
  net.trace.on('state', (e) => {
    if (e.protocol !== 'rip' || e.entity !== '192.168.3.0/24' || e.node === 'r3') return;
    write(`${(e.time / 1e9).toFixed(1).padStart(7)} s  ${e.node}  ${e.from} → ${e.to}`);
    const m = /metric (\d+)/.exec(e.to);
    if (m !== null) metrics.push(Number(m[1]));
  });
  const cable = net.links.find((l) => l.name === 'r2-r3')!.medium as PointToPointLink;
  let cut = false;
  net.trace.on('pdu', (e) => {
    // r1 sends its regular update towards r2: cut r2–r3 while it is on the wire.
    if (!cut && e.node === 'r1' && e.protocol === 'udp' && e.direction === 'down' && e.connection?.endsWith('10.0.12.255:520') === true) {
      cut = true;
      net.scheduler.schedule(0, () => cable.setUp(false));
    }
  });
  net.runFor('600s');
  return metrics;
}

if (invokedDirectly(import.meta.url)) {
  honourTraceFlag();
  await main();
}
