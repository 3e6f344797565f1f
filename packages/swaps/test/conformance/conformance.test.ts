// The swaps run the conformance suites of the layer each replaces: the two ARQ transports
// the stream suite (with the lossy cases), the CSMA/CD bus the physical suite and, with our
// Ethernet on top, the link suite; the four-layer network-access module (PPP over its own
// wire) the link suite's pair entry. (@netlayers/link is a devDependency, for that one case.)
import { EthernetInterface } from '@netlayers/link';
import { linkLayerSuite, linkPairSuite, physicalMediumSuite, streamTransportSuite } from '@netlayers/testing';
import { createNetworkAccessLink } from '../../src/access/index.ts';
import { CsmaCdBus } from '../../src/physical/index.ts';
import { GoBackNTransport, StopAndWaitTransport } from '../../src/transport/index.ts';

streamTransportSuite('GoBackNTransport', (node, ip) => new GoBackNTransport(node, ip), { lossy: true });
// Stop-and-wait numbers segments 0 and 1 only (an alternating bit): over a network that
// reorders, a late old segment or ACK is indistinguishable from a new one, so the protocol
// assumes FIFO delivery and the reordering case is skipped for it (it deadlocks there).
streamTransportSuite('StopAndWaitTransport', (node, ip) => new StopAndWaitTransport(node, ip), { lossy: true, assumesFifo: true });
physicalMediumSuite('CsmaCdBus (swap)', (sim) => new CsmaCdBus(sim, { bandwidth: '10Mbps', delay: '1us' }));
linkLayerSuite('EthernetInterface on a CsmaCdBus (swap)', (node, port, name) => new EthernetInterface(node, port, { name }), (sim) => new CsmaCdBus(sim));
linkPairSuite('NetworkAccessInterface (PPP, four-layer)', (sim, a, b) => createNetworkAccessLink(sim, { a, b, bandwidth: '10Mbps', delay: '1ms' }));
