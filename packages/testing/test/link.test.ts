// Our Ethernet interface runs the link conformance suite, on a hub and on a point-to-point link.
import { EthernetInterface } from '@netlayers/link';
import { Hub, PointToPointLink } from '@netlayers/physical';
import { linkLayerSuite } from '../src/index.ts';

linkLayerSuite('EthernetInterface on a Hub', (node, port, name) => new EthernetInterface(node, port, { name }), (sim) => new Hub(sim, { bandwidth: '100Mbps' }));
linkLayerSuite('EthernetInterface on a PointToPointLink', (node, port, name) => new EthernetInterface(node, port, { name }), (sim) => new PointToPointLink(sim));
