// Our Ethernet interface runs the link conformance suite of @netlayers/testing on the
// suite's reference medium, shared (a bus: ARP, broadcast, frames for another host) and
// point-to-point. On our own hub and cable it runs in @netlayers/lab's tests, on the
// CSMA/CD bus in @netlayers/swaps' tests.
import { FakeMedium, linkLayerSuite } from '@netlayers/testing';
import { EthernetInterface } from '../src/index.ts';

linkLayerSuite('EthernetInterface on a shared FakeMedium', (node, port, name) => new EthernetInterface(node, port, { name }));
linkLayerSuite('EthernetInterface on a point-to-point FakeMedium', (node, port, name) => new EthernetInterface(node, port, { name }), (sim) => new FakeMedium(sim.scheduler, { bandwidth: '100Mbps' }));
