// Our physical media run the physical conformance suite: the point-to-point link and hub of
// @netlayers/physical, and the CSMA/CD shared bus swap (imported by path: @netlayers/testing
// does not list @netlayers/swaps as a dependency).
import { Hub, PointToPointLink } from '@netlayers/physical';
import { CsmaCdBus } from '../../swaps/src/physical/index.ts';
import { physicalMediumSuite } from '../src/index.ts';

physicalMediumSuite('PointToPointLink', (sim) => new PointToPointLink(sim, { bandwidth: '100Mbps', delay: '5us' }));
physicalMediumSuite('PointToPointLink (slow, long)', (sim) => new PointToPointLink(sim, { bandwidth: '1Mbps', delay: '20ms', mtu: 576 }));
physicalMediumSuite('Hub', (sim) => new Hub(sim, { bandwidth: '10Mbps', delay: '2us' }));
physicalMediumSuite('CsmaCdBus (swap)', (sim) => new CsmaCdBus(sim, { bandwidth: '10Mbps', delay: '1us' }));
