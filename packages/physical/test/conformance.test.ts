// Our physical media run the physical conformance suite of @netlayers/testing: the
// point-to-point link (fast and short, slow and long) and the hub.
import { physicalMediumSuite } from '@netlayers/testing';
import { Hub, PointToPointLink } from '../src/index.ts';

physicalMediumSuite('PointToPointLink', (sim) => new PointToPointLink(sim, { bandwidth: '100Mbps', delay: '5us' }));
physicalMediumSuite('PointToPointLink (slow, long)', (sim) => new PointToPointLink(sim, { bandwidth: '1Mbps', delay: '20ms', mtu: 576 }));
physicalMediumSuite('Hub', (sim) => new Hub(sim, { bandwidth: '10Mbps', delay: '2us' }));
