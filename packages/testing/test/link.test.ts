// Our link layers run the link conformance suite: Ethernet on a hub, on a point-to-point
// link and on the CSMA/CD bus swap (the PhyPort entry), and the four-layer network-access
// module, PPP over its own wire (the pair entry). The swaps are imported by path:
// @netlayers/testing does not list @netlayers/swaps as a dependency.
import { EthernetInterface } from '@netlayers/link';
import { Hub, PointToPointLink } from '@netlayers/physical';
import { createNetworkAccessLink } from '../../swaps/src/access/index.ts';
import { CsmaCdBus } from '../../swaps/src/physical/index.ts';
import { linkLayerSuite, linkPairSuite } from '../src/index.ts';

linkLayerSuite('EthernetInterface on a Hub', (node, port, name) => new EthernetInterface(node, port, { name }), (sim) => new Hub(sim, { bandwidth: '100Mbps' }));
linkLayerSuite('EthernetInterface on a PointToPointLink', (node, port, name) => new EthernetInterface(node, port, { name }), (sim) => new PointToPointLink(sim));
linkLayerSuite('EthernetInterface on a CsmaCdBus (swap)', (node, port, name) => new EthernetInterface(node, port, { name }), (sim) => new CsmaCdBus(sim));
linkPairSuite('NetworkAccessInterface (PPP, four-layer)', (sim, a, b) => createNetworkAccessLink(sim, { a, b, bandwidth: '10Mbps', delay: '1ms' }));
