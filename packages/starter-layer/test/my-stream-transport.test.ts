// The conformance suite for stream transports, run against your implementation. It fails
// until the layer works; make it pass, then add { lossy: true } and make that pass too.
// Run it: cd packages/<your-layer> && npx vitest run
import { streamTransportSuite } from '@netlayers/testing';
import { MyStreamTransport } from '../src/index.ts';

streamTransportSuite('MyStreamTransport', (node, ip) => new MyStreamTransport(node, ip));
// streamTransportSuite('MyStreamTransport', (node, ip) => new MyStreamTransport(node, ip), { lossy: true });
