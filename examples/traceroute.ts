// Host, three routers, host: probes with TTL 1, 2, 3, 4 each die one hop further and the
// router there answers ICMP time exceeded (RFC 792, RFC 1812 §5.3.1), revealing the path.
// Run: npx tsx examples/traceroute.ts

import { Network } from '@netlayers/lab';
import { logLayers } from './support/layer-log.ts';
import { invokedDirectly } from './support/run-direct.ts';

export async function main(write: (line: string) => void = console.log, verbose = process.argv.includes('--trace')): Promise<void> {
  const net = new Network({ seed: 2 });
  const src = net.addHost('src', { gateway: '10.0.0.1' });
  const r1 = net.addRouter('r1');
  const r2 = net.addRouter('r2');
  const r3 = net.addRouter('r3');
  const dst = net.addHost('dst', { gateway: '10.0.3.1' });
  net.connect([src, '10.0.0.10/24'], [r1, '10.0.0.1/24'], { delay: '1ms' });
  net.connect([r1, '10.0.1.1/24'], [r2, '10.0.1.2/24'], { delay: '2ms' });
  net.connect([r2, '10.0.2.2/24'], [r3, '10.0.2.3/24'], { delay: '3ms' });
  net.connect([r3, '10.0.3.1/24'], [dst, '10.0.3.10/24'], { delay: '1ms' });
  r1.ip.addRoute('10.0.2.0/24', '10.0.1.2');
  r1.ip.addRoute('10.0.3.0/24', '10.0.1.2');
  r2.ip.addRoute('10.0.0.0/24', '10.0.1.1');
  r2.ip.addRoute('10.0.3.0/24', '10.0.2.3');
  r3.ip.addRoute('10.0.0.0/24', '10.0.2.2');
  r3.ip.addRoute('10.0.1.0/24', '10.0.2.2');
  net.runFor('1ms');

  write('routing tables:');
  for (const r of [r1, r2, r3]) {
    write(`  ${r.name}: ${r.ip.routes.entries().map((e) => `${e.prefix} ${e.nextHop ? `via ${e.nextHop}` : 'connected'} dev ${e.iface}`).join('; ')}`);
  }
  write('');
  await src.ping('10.0.3.10'); // warm the ARP caches on the path, so RTTs show only the path
  const stop = verbose ? logLayers(net.trace, { write, roles: ['network'] }) : () => {};
  write('traceroute to 10.0.3.10, 30 hops max');
  const hops = await src.traceroute('10.0.3.10');
  stop();
  for (const hop of hops as readonly { ttl: number; from?: { toString(): string }; rtt?: number; reached?: boolean }[]) {
    const rtt = hop.rtt === undefined ? '*' : `${(hop.rtt / 1e6).toFixed(3)} ms`;
    write(`  ${String(hop.ttl).padStart(2)}  ${String(hop.from ?? '*').padEnd(12)} ${rtt}${hop.reached ? '   (destination)' : ''}`);
  }
}

if (invokedDirectly(import.meta.url)) await main();
