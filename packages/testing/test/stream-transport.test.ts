// Our stream transports run the stream transport conformance suite (over the reference
// fake IP network): TCP, and the two ARQ swaps. The swaps are imported by path:
// @netlayers/testing does not list @netlayers/swaps as a dependency.
import { TcpLayer } from '@netlayers/transport';
import { GoBackNTransport, StopAndWaitTransport } from '../../swaps/src/transport/index.ts';
import { streamTransportSuite } from '../src/index.ts';

streamTransportSuite('TcpLayer', (node, ip) => new TcpLayer(node, ip), { lossy: true });
streamTransportSuite('GoBackNTransport', (node, ip) => new GoBackNTransport(node, ip), { lossy: true });
streamTransportSuite('StopAndWaitTransport', (node, ip) => new StopAndWaitTransport(node, ip), { lossy: true });
