// Our UDP runs the datagram transport conformance suite (over the reference fake IP network).
import { UdpLayer } from '@netlayers/transport';
import { datagramTransportSuite } from '../src/index.ts';

datagramTransportSuite('UdpLayer', (node, ip) => new UdpLayer(node, ip));
