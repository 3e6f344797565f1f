// Test topologies of Ipv4Layers joined by fake wires (@netlayers/testing's FakeLinkSegment).
//
//   a (10.0.1.1/24) --w1 1ms-- r1 eth0 10.0.1.254/24
//                              r1 eth1 10.0.12.1/30 --w2 2ms-- r2 eth0 10.0.12.2/30
//                                                             r2 eth1 10.0.2.254/24 --w3 3ms-- b (10.0.2.2/24)

import { NS_PER_MS, createNodeContext, createSimulationContext, type SimulationContext } from '@netlayers/core';
import { FakeLinkSegment, type FakeLinkInterface } from '@netlayers/testing';
import { Ipv4Layer, type Ipv4LayerOptions } from '../../src/index.ts';

export interface Chain {
  readonly sim: SimulationContext;
  readonly a: Ipv4Layer;
  readonly r1: Ipv4Layer;
  readonly r2: Ipv4Layer;
  readonly b: Ipv4Layer;
  readonly w1: FakeLinkSegment;
  readonly w2: FakeLinkSegment;
  readonly w3: FakeLinkSegment;
  readonly links: { readonly [K in 'aEth0' | 'r1Eth0' | 'r1Eth1' | 'r2Eth0' | 'r2Eth1' | 'bEth0']: FakeLinkInterface };
}

export interface ChainOptions {
  /** MTU of the r1-r2 link (default 1500). */
  readonly coreMtu?: number;
  readonly hostOptions?: Ipv4LayerOptions;
  readonly routerOptions?: Ipv4LayerOptions;
}

/**
 * A wire for the network layer's tests: a FakeLinkSegment with a `delay` in ns that pads every
 * delivered packet with 4 bytes (so the layer must trust its Total Length, not the frame's) and
 * throws on a packet over an interface's MTU (fragmenting is the network layer's job).
 */
export function fakeWire(delay: number): FakeLinkSegment {
  return new FakeLinkSegment({ delay, padding: 4, oversize: 'throw' });
}

export function chain(options: ChainOptions = {}): Chain {
  const sim = createSimulationContext(7);
  const w1 = fakeWire(1 * NS_PER_MS);
  const w2 = fakeWire(2 * NS_PER_MS);
  const w3 = fakeWire(3 * NS_PER_MS);
  const a = new Ipv4Layer(createNodeContext(sim, 'a'), options.hostOptions);
  const b = new Ipv4Layer(createNodeContext(sim, 'b'), options.hostOptions);
  const r1 = new Ipv4Layer(createNodeContext(sim, 'r1'), { ...options.routerOptions, forwarding: true });
  const r2 = new Ipv4Layer(createNodeContext(sim, 'r2'), { ...options.routerOptions, forwarding: true });
  const coreMtu = options.coreMtu ?? 1500;
  const links = {
    aEth0: w1.attach(a.node, 'eth0'),
    r1Eth0: w1.attach(r1.node, 'eth0'),
    r1Eth1: w2.attach(r1.node, 'eth1', { mtu: coreMtu }),
    r2Eth0: w2.attach(r2.node, 'eth0', { mtu: coreMtu }),
    r2Eth1: w3.attach(r2.node, 'eth1'),
    bEth0: w3.attach(b.node, 'eth0'),
  };
  a.addInterface(links.aEth0, '10.0.1.1/24');
  a.setDefaultGateway('10.0.1.254');
  r1.addInterface(links.r1Eth0, '10.0.1.254/24');
  r1.addInterface(links.r1Eth1, '10.0.12.1/30');
  r1.addRoute('10.0.2.0/24', '10.0.12.2');
  r2.addInterface(links.r2Eth0, '10.0.12.2/30');
  r2.addInterface(links.r2Eth1, '10.0.2.254/24');
  r2.addRoute('10.0.1.0/24', '10.0.12.1');
  b.addInterface(links.bEth0, '10.0.2.2/24');
  b.setDefaultGateway('10.0.2.254');
  return { sim, a, r1, r2, b, w1, w2, w3, links };
}
