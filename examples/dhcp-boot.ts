// DHCP (RFC 2131, options RFC 2132): three laptops with no address boot on a switched LAN;
// each broadcasts DHCPDISCOVER from 0.0.0.0:68, takes the router's OFFER, REQUESTs it and
// on the ACK configures its address, default route and DNS server — then pings beyond the
// router and renews its lease at T1. Run: npx tsx examples/dhcp-boot.ts [--trace]

import { Network } from '@netlayers/lab';
import { DhcpClient, DhcpServer } from '@netlayers/application';
import { MacAddress } from '@netlayers/core';
import { logLayers } from './support/layer-log.ts';
import { invokedDirectly } from './support/run-direct.ts';

export async function main(write: (line: string) => void = console.log, trace = process.argv.includes('--trace')): Promise<void> {
  const net = new Network({ seed: 1 });
  const sw = net.addSwitch('sw1');
  const r1 = net.addRouter('r1');
  const server = net.addHost('server', { gateway: '10.0.2.1' });
  net.connect([r1, '10.0.1.1/24'], sw);
  net.connect([r1, '10.0.2.1/24'], [server, '10.0.2.10/24'], { delay: '1ms' });
  const laptops = ['laptop1', 'laptop2', 'laptop3'].map((name) => {
    const host = net.addHost(name);
    net.connect({ node: host, iface: 'eth0', address: null }, sw);
    return host;
  });
  net.runFor('1ms');

  const dhcp = new DhcpServer(r1.udp, { pool: { from: '10.0.1.100', to: '10.0.1.199' }, subnet: '10.0.1.0/24', router: '10.0.1.1', dnsServers: ['10.0.2.53'], leaseTime: '10min', iface: 'eth0', node: r1.context });
  const stop = logLayers(net.trace, { write, ...(trace ? {} : { roles: ['application'] as const }) });
  write('three hosts boot with no address; the DHCP server runs on r1 (10.0.1.1):\n');
  const clients = laptops.map((host) => {
    const mac = host.interfaces.get('eth0')!.link.hardwareAddress ?? MacAddress.random(host.context.random);
    return new DhcpClient(host.udp, host.ip, { iface: 'eth0', mac, node: host.context, hostName: host.name });
  });
  const leases = await net.drive(Promise.all(clients.map((c) => c.start())));
  stop();
  write('');
  for (const [i, lease] of leases.entries()) {
    write(`${laptops[i]!.name}: ${lease.address} router ${lease.router} dns ${lease.dnsServers.join(', ')} lease ${lease.leaseTime}s (T1 ${lease.renewalTime}s, T2 ${lease.rebindingTime}s)`);
  }
  write(`server's leases: ${dhcp.leases().map((l) => `${l.address}=${l.chaddr}`).join('  ')}`);
  const ping = await net.drive(laptops[0]!.ping('10.0.2.10'));
  write(`\nlaptop1 pings 10.0.2.10 through its new default route: ${ping.ok ? 'reply' : 'no reply'}`);
  write('\nfive minutes later (T1), laptop1 renews by unicast:');
  const stop2 = logLayers(net.trace, { write, roles: ['application'] });
  net.runFor('5min');
  stop2();
  write(`laptop1 is ${clients[0]!.state} with ${clients[0]!.lease?.address}`);
}

if (invokedDirectly(import.meta.url)) await main();
