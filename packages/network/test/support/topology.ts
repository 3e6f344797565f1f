// Test topologies of Ipv4Layers joined by fake wires (see fake-link.ts).
//
//   a (10.0.1.1/24) --w1 1ms-- r1 eth0 10.0.1.254/24
//                              r1 eth1 10.0.12.1/30 --w2 2ms-- r2 eth0 10.0.12.2/30
//                                                             r2 eth1 10.0.2.254/24 --w3 3ms-- b (10.0.2.2/24)

import { NS_PER_MS, type SimulationContext } from '@netlayers/core';
import { Ipv4Layer, type Ipv4LayerOptions } from '../../src/index.ts';
import { FakeLink, FakeWire, nodeIn, simulation } from './fake-link.ts';

export interface Chain {
  readonly sim: SimulationContext;
  readonly a: Ipv4Layer;
  readonly r1: Ipv4Layer;
  readonly r2: Ipv4Layer;
  readonly b: Ipv4Layer;
  readonly w1: FakeWire;
  readonly w2: FakeWire;
  readonly w3: FakeWire;
  readonly links: { readonly [K in 'aEth0' | 'r1Eth0' | 'r1Eth1' | 'r2Eth0' | 'r2Eth1' | 'bEth0']: FakeLink };
}

export interface ChainOptions {
  /** MTU of the r1-r2 link (default 1500). */
  readonly coreMtu?: number;
  readonly hostOptions?: Ipv4LayerOptions;
  readonly routerOptions?: Ipv4LayerOptions;
}

export function chain(options: ChainOptions = {}): Chain {
  const sim = simulation(7);
  const w1 = new FakeWire(sim, 1 * NS_PER_MS);
  const w2 = new FakeWire(sim, 2 * NS_PER_MS);
  const w3 = new FakeWire(sim, 3 * NS_PER_MS);
  const links = {
    aEth0: new FakeLink('eth0', w1),
    r1Eth0: new FakeLink('eth0', w1),
    r1Eth1: new FakeLink('eth1', w2, options.coreMtu ?? 1500),
    r2Eth0: new FakeLink('eth0', w2, options.coreMtu ?? 1500),
    r2Eth1: new FakeLink('eth1', w3),
    bEth0: new FakeLink('eth0', w3),
  };
  const a = new Ipv4Layer(nodeIn(sim, 'a'), options.hostOptions);
  const b = new Ipv4Layer(nodeIn(sim, 'b'), options.hostOptions);
  const r1 = new Ipv4Layer(nodeIn(sim, 'r1'), { ...options.routerOptions, forwarding: true });
  const r2 = new Ipv4Layer(nodeIn(sim, 'r2'), { ...options.routerOptions, forwarding: true });
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
