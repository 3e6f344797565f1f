// The combinations the lab builds, held to the link conformance suite of
// @netlayers/testing: our Ethernet interface on our hub and on our point-to-point cable.
import { EthernetInterface } from '@netlayers/link';
import { Hub, PointToPointLink } from '@netlayers/physical';
import { linkLayerSuite } from '@netlayers/testing';

linkLayerSuite('EthernetInterface on a Hub', (node, port, name) => new EthernetInterface(node, port, { name }), (sim) => new Hub(sim, { bandwidth: '100Mbps' }));
linkLayerSuite('EthernetInterface on a PointToPointLink', (node, port, name) => new EthernetInterface(node, port, { name }), (sim) => new PointToPointLink(sim));
