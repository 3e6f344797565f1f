// Our transports run the conformance suites of @netlayers/testing over the suite's
// reference fake IP network: TCP the stream suite (with the lossy cases), UDP the
// datagram suite.
import { datagramTransportSuite, streamTransportSuite } from '@netlayers/testing';
import { TcpLayer, UdpLayer } from '../src/index.ts';

streamTransportSuite('TcpLayer', (node, ip) => new TcpLayer(node, ip), { lossy: true });
datagramTransportSuite('UdpLayer', (node, ip) => new UdpLayer(node, ip));
