// Our IPv4 layer runs the network conformance suite of @netlayers/testing (over the
// suite's reference fake link segment), as a host and as a forwarding router.
import { networkLayerSuite } from '@netlayers/testing';
import { Ipv4Layer } from '../src/index.ts';

networkLayerSuite('Ipv4Layer', (node) => new Ipv4Layer(node));
networkLayerSuite('Ipv4Layer (forwarding router)', (node) => new Ipv4Layer(node, { forwarding: true }));
