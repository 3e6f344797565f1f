// Two hosts through a switch: ARP resolves the neighbour's MAC address, then an ICMP echo
// request and reply cross the switch (RFC 826, RFC 792). Run: npx tsx examples/ping.ts

import { Network } from '@netlayers/lab';
import { logLayers } from './support/layer-log.ts';
import { honourTraceFlag, invokedDirectly } from './support/run-direct.ts';

export async function main(write: (line: string) => void = console.log): Promise<void> {
  const net = new Network({ seed: 1 });
  const sw = net.addSwitch('sw1');
  const a = net.addHost('a');
  const b = net.addHost('b');
  net.connect([a, '10.0.0.1/24'], sw, { bandwidth: '100Mbps', delay: '10us' });
  net.connect([b, '10.0.0.2/24'], sw, { bandwidth: '100Mbps', delay: '10us' });
  net.runFor('1ms'); // let the gratuitous ARPs of the interfaces coming up go by

  write('ping 10.0.0.2 from a (10.0.0.1) — each line: virtual time, node, layer, event\n');
  const stop = logLayers(net.trace, { write });
  const first = await a.ping('10.0.0.2');
  stop();
  write('');
  write(`first reply:  ${JSON.stringify(first, replacer)}   (includes the ARP exchange)`);
  const second = await a.ping('10.0.0.2');
  write(`second reply: ${JSON.stringify(second, replacer)}   (ARP cache hit: just the echo)`);
  const arp = [...a.interfaces.values()][0]!.link as unknown as { arpCache?: { entries(): unknown[] } };
  if (arp.arpCache) write(`a's ARP cache: ${JSON.stringify(arp.arpCache.entries(), replacer)}`);
}

function replacer(key: string, value: unknown): unknown {
  if (key === 'rtt' && typeof value === 'number') return `${(value / 1000).toFixed(1)} µs`;
  return value;
}

if (invokedDirectly(import.meta.url)) {
  honourTraceFlag();
  await main();
}
