// IPv4 packets forwarded through one router: Ethernet in (FCS checked), IPv4 parsed and its
// checksum verified, TTL decremented with the RFC 1624 update, longest-prefix match over a
// table of 1,000 routes, ARP-resolved next hop, Ethernet out (FCS computed).

import { createNodeContext, createSimulationContext, Ipv4Address, MacAddress, EtherType, IpProtocol } from '@netlayers/core';
import { EthernetInterface, buildEthernetFrame, parseEthernetFrame, parseArpPacket, encodeArpPacket, ArpOperation } from '@netlayers/link';
import { Ipv4Layer, makeIpv4Header, emitIpv4Header } from '@netlayers/network';
import { BenchPort } from './bench-port.ts';
import { micro, type BenchResult, type BenchSuite } from './harness.ts';

export async function networkBenchmarks(): Promise<BenchResult[]> {
  const sim = createSimulationContext(1);
  const node = createNodeContext(sim, 'r1');
  const router = new Ipv4Layer(node, { forwarding: true });
  const inPort = new BenchPort('r1:eth0');
  const outPort = new BenchPort('r1:eth1');
  const eth0 = new EthernetInterface(node, inPort, { name: 'eth0' });
  const eth1 = new EthernetInterface(node, outPort, { name: 'eth1' });
  router.addInterface(eth0, '10.0.0.1/24');
  router.addInterface(eth1, '10.0.1.1/24');
  for (let i = 0; i < 1000; i++) router.addRoute(`172.${16 + (i >> 8)}.${i & 0xff}.0/24`, '10.0.1.2');
  router.addRoute('192.168.0.0/16', '10.0.1.2');

  // The next hop answers ARP, like a real neighbour.
  const neighbour = MacAddress.parse('02:00:00:00:01:02');
  outPort.onTransmit = (frame) => {
    const eth = parseEthernetFrame(frame);
    if ('wireError' in eth || eth.etherType !== EtherType.ARP) return;
    const arp = parseArpPacket(eth.payload);
    if ('wireError' in arp || arp.operation !== ArpOperation.Request || arp.targetProtocol.equals(arp.senderProtocol)) return;
    const reply = encodeArpPacket({ operation: ArpOperation.Reply, senderHardware: neighbour, senderProtocol: arp.targetProtocol, targetHardware: arp.senderHardware, targetProtocol: arp.senderProtocol });
    sim.scheduler.schedule(0, () => outPort.deliver(buildEthernetFrame({ destination: arp.senderHardware, source: neighbour, etherType: EtherType.ARP }, reply)));
  };

  const sender = MacAddress.parse('02:00:00:00:00:02');
  const datagram = new Uint8Array(46);
  emitIpv4Header(makeIpv4Header({ source: Ipv4Address.parse('10.0.0.2'), destination: Ipv4Address.parse('192.168.7.9'), protocol: IpProtocol.UDP, payloadLength: 26, ttl: 64 }), datagram);
  const template = buildEthernetFrame({ destination: eth0.hardwareAddress!, source: sender, etherType: EtherType.IPv4 }, datagram);
  inPort.deliver(template.slice());
  sim.scheduler.runFor(1_000_000); // resolve the next hop (not runUntilIdle: that would age the ARP entry out)

  const result = await micro('router: 64-byte IPv4 packets forwarded (Ethernet in and out)', 'packets/s', () => {
    const n = 20_000;
    const before = outPort.stats.txFrames;
    for (let i = 0; i < n; i++) inPort.deliver(template.slice());
    if (outPort.stats.txFrames - before !== n) throw new Error(`router forwarded ${outPort.stats.txFrames - before} of ${n}`);
    return n;
  }, { target: 200_000 });
  return [result];
}

export const suite: BenchSuite = { name: 'router', description: '64-byte IPv4 packets forwarded by an Ipv4Layer router (Ethernet in and out, 1,000 routes)', run: networkBenchmarks };
