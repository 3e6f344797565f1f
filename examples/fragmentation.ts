// A 4000-byte ping over links with a 1500-byte MTU: the sender's IPv4 layer cuts the
// datagram into fragments on 8-byte boundaries (RFC 791 §3.2), the router forwards each one,
// and the destination reassembles them before ICMP sees the echo. Then the same ping with
// DF set, across a router whose next link has a 1000-byte MTU: ICMP fragmentation needed.
// Run: npx tsx examples/fragmentation.ts

import { formatDuration } from '@netlayers/core';
import { Network } from '@netlayers/lab';
import { logLayers } from './support/layer-log.ts';
import { honourTraceFlag, invokedDirectly } from './support/run-direct.ts';

export async function main(write: (line: string) => void = console.log): Promise<void> {
  const net = new Network({ seed: 3 });
  const a = net.addHost('a', { gateway: '10.0.0.1' });
  const r = net.addRouter('r');
  const b = net.addHost('b', { gateway: '10.0.1.1' });
  const c = net.addHost('c', { gateway: '10.0.2.1' });
  net.connect([a, '10.0.0.10/24'], [r, '10.0.0.1/24'], { mtu: 1500 });
  net.connect([r, '10.0.1.1/24'], [b, '10.0.1.10/24'], { mtu: 1500 });
  net.connect([r, '10.0.2.1/24'], [c, '10.0.2.10/24'], { mtu: 1000 });
  net.runFor('1ms');
  await a.ping('10.0.1.10'); // warm the ARP caches so the log shows only the fragments

  write('ping -s 4000 10.0.1.10 (MTU 1500 on every link)\n');
  let stop = logLayers(net.trace, { write, roles: ['network'] });
  const result = await a.ping('10.0.1.10', { size: 4000 });
  stop();
  write(`\nresult: ${result.ok ? `reply of ${result.bytes} bytes after ${(result.rtt / 1e6).toFixed(3)} ms` : JSON.stringify(result)}\n`);

  write('ping -s 1400 -M do 10.0.2.10 (DF set; the link r → c has MTU 1000)\n');
  stop = logLayers(net.trace, { write, roles: ['network'] });
  const df = await a.ping('10.0.2.10', { size: 1400, dontFragment: true });
  stop();
  // Durations with their unit: the error came back after rtt.
  write(`\nresult: ${JSON.stringify(df, (key, value: unknown) => (key === 'rtt' && typeof value === 'number' ? formatDuration(value) : value))}`);
}

if (invokedDirectly(import.meta.url)) {
  honourTraceFlag();
  await main();
}
