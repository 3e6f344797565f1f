// Our IPv4 layer runs the network conformance suite (over the reference fake link segment).
import { Ipv4Layer } from '@netlayers/network';
import { networkLayerSuite } from '../src/index.ts';

networkLayerSuite('Ipv4Layer', (node) => new Ipv4Layer(node));
networkLayerSuite('Ipv4Layer (forwarding router)', (node) => new Ipv4Layer(node, { forwarding: true }));
