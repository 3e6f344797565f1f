// The conformance suite for stream transports, run against your implementation, lossy
// cases included from the start: a network that loses, corrupts, duplicates and reorders
// segments, and losses placed to catch ACK off-by-ones. It fails until the layer works; each
// failure names the rule (with its RFC section), what was expected, what happened, and the
// last trace events. docs/swap-a-layer.md says what to do when each case fails.
// Run it: cd packages/<your-layer> && npx vitest run
import { streamTransportSuite } from '@netlayers/testing';
import { MyStreamTransport } from '../src/index.ts';

streamTransportSuite('MyStreamTransport', (node, ip) => new MyStreamTransport(node, ip), { lossy: true });
