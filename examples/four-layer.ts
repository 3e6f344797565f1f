// The four-layer build (RFC 1122: application, transport, internet, link): the same hosts
// and router, but every connection is one network-access module — PPP in HDLC-like framing
// (RFC 1661/1662) over its own serial wire — standing where Ethernet and the cable stand in
// the five-layer build. A ping's trace then has four layers, not five. The one-line change
// is the connection's `access` option: `{ access: networkAccess({ bandwidth: '2Mbps' }) }`.
// Run: npx tsx examples/four-layer.ts

import { Network } from '@netlayers/lab';
import type { Role } from '@netlayers/core';
import { networkAccess } from '@netlayers/swaps';
import { logLayers } from './support/layer-log.ts';
import { honourTraceFlag, invokedDirectly } from './support/run-direct.ts';

export async function main(write: (line: string) => void = console.log): Promise<void> {
  const net = new Network({ seed: 1 });
  const h1 = net.addHost('h1', { gateway: '10.0.1.1' });
  const r1 = net.addRouter('r1');
  const h2 = net.addHost('h2', { gateway: '10.0.2.1' });
  const ppp = { access: networkAccess({ bandwidth: '2Mbps', delay: '5ms' }), label: 'PPP in HDLC-like framing (RFC 1661/1662), 2 Mbit/s serial line' };
  net.connect([h1, '10.0.1.10/24'], [r1, '10.0.1.1/24'], ppp);
  net.connect([r1, '10.0.2.1/24'], [h2, '10.0.2.10/24'], ppp);

  write(h1.describeStack('tcpip-4'));
  write('\nping h1 → h2, layer by layer:\n');
  const roles = new Set<Role>();
  net.trace.on('event', (e) => roles.add(e.role));
  const stop = logLayers(net.trace, { write });
  const result = await h1.ping('10.0.2.10');
  stop();
  write(`\nresult: ${result.ok ? `reply from ${result.from}, ttl ${result.ttl}, ${(result.rtt / 1e6).toFixed(3)} ms` : result.reason}`);
  write(`roles in the trace: ${[...roles].sort().join(', ')}`);
}

if (invokedDirectly(import.meta.url)) {
  honourTraceFlag();
  await main();
}
