// DNS over UDP (RFC 1035): a stub resolver asks an authoritative server two networks away
// for A, CNAME and PTR records, gets NXDOMAIN for a name that does not exist, and retries
// after a timeout when the server is briefly down. Run: npx tsx examples/dns-lookup.ts [--trace]

import { Network } from '@netlayers/lab';
import { DnsResolver, DnsServer, DnsType, describeDnsMessage, type DnsError } from '@netlayers/application';
import { logLayers } from './support/layer-log.ts';
import { invokedDirectly } from './support/run-direct.ts';

export async function main(write: (line: string) => void = console.log, trace = process.argv.includes('--trace')): Promise<void> {
  const net = new Network({ seed: 1 });
  const r1 = net.addRouter('r1');
  const client = net.addHost('client', { gateway: '10.0.1.1' });
  const ns = net.addHost('ns', { gateway: '10.0.2.1' });
  net.connect([client, '10.0.1.10/24'], [r1, '10.0.1.1/24'], { delay: '1ms' });
  net.connect([r1, '10.0.2.1/24'], [ns, '10.0.2.53/24'], { delay: '1ms' });
  net.runFor('1ms');

  const startServer = () =>
    new DnsServer(ns.udp, {
      zone: { 'server.lab': '10.0.2.10', 'mail.lab': '10.0.2.25' },
      records: [{ name: 'www.lab', class: 1, ttl: 60, data: { type: DnsType.CNAME, host: 'server.lab' } }],
      node: ns.context,
    });
  let dns = startServer();
  const resolver = new DnsResolver(client.udp, { servers: ['10.0.2.53'], timeout: '1s', retries: 2, node: client.context });
  const stop = logLayers(net.trace, { write, ...(trace ? {} : { roles: ['application'] as const }) });

  write('resolve server.lab:');
  write(`  -> ${await net.drive(resolver.resolve('server.lab'))}\n`);
  write('resolve www.lab (a CNAME):');
  const answer = await net.drive(resolver.query('www.lab', DnsType.A));
  write(`  -> ${describeDnsMessage(answer)}\n`);
  write('reverse lookup of 10.0.2.25 (PTR):');
  write(`  -> ${await net.drive(resolver.reverse('10.0.2.25'))}\n`);
  write('resolve nothing.lab:');
  try {
    await net.drive(resolver.resolve('nothing.lab'));
  } catch (error) {
    write(`  -> ${(error as DnsError).message}\n`);
  }
  write('resolve mail.lab while the name server restarts (the first query finds no server):');
  dns.close();
  net.scheduler.schedule(500e6, () => (dns = startServer()));
  const started = net.now();
  const address = await net.drive(resolver.resolve('mail.lab'));
  write(`  -> ${address} after ${((net.now() - started) / 1e6).toFixed(1)} ms (retransmissions: ${resolver.stats.retransmissions})`);
  stop();
}

if (invokedDirectly(import.meta.url)) await main();
