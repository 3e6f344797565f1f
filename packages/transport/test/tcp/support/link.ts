// Two FakeIp endpoints joined by a seeded, impaired link for end-to-end TCP tests: fixed
// one-way delay, optional bandwidth, and loss, duplication, reordering and corruption drawn
// from their own Random stream (never the nodes'), so a seed reproduces a run exactly.

import { createNodeContext, createSimulationContext, Ipv4Address, NS_PER_MS, Random, type NodeContext, type SimulationContext } from '@netlayers/core';
import { TcpLayer, type TcpOptions } from '../../../src/tcp/index.ts';
import { FakeIp, type SentDatagram } from './fake-ip.ts';

export interface Impairments {
  /** One-way delay in ns (default 5 ms). */
  delay?: number;
  loss?: number;
  duplicate?: number;
  /** Probability that a datagram is held back by up to `reorderDelay` extra ns. */
  reorder?: number;
  reorderDelay?: number;
  corrupt?: number;
  /** Bits per second; 0 = infinite. */
  bandwidth?: number;
  /** Drop datagrams for which this returns true (tests aiming at one segment). */
  dropIf?: (datagram: SentDatagram, from: 'a' | 'b') => boolean;
}

export interface Pair {
  readonly sim: SimulationContext;
  readonly nodeA: NodeContext;
  readonly nodeB: NodeContext;
  readonly ipA: FakeIp;
  readonly ipB: FakeIp;
  readonly a: TcpLayer;
  readonly b: TcpLayer;
  readonly addressA: Ipv4Address;
  readonly addressB: Ipv4Address;
  /** Counts of what the link did. */
  readonly link: { delivered: number; lost: number; duplicated: number; corrupted: number; reordered: number; largestSegment: number };
  impairments: Impairments;
  /** Run for `duration` ns of virtual time, or until nothing is left to do. */
  run(duration?: number): void;
}

export function createPair(options: { seed?: number; impair?: Impairments; tcp?: TcpOptions; tcpA?: TcpOptions; tcpB?: TcpOptions; mtu?: number } = {}): Pair {
  const sim = createSimulationContext(options.seed ?? 1);
  const nodeA = createNodeContext(sim, 'a');
  const nodeB = createNodeContext(sim, 'b');
  const addressA = Ipv4Address.parse('10.0.0.1');
  const addressB = Ipv4Address.parse('10.0.0.2');
  const ipA = new FakeIp(addressA, options.mtu ?? 1500);
  const ipB = new FakeIp(addressB, options.mtu ?? 1500);
  ipA.keepLimit = 16;
  ipB.keepLimit = 16;
  const random = new Random(`link:${options.seed ?? 1}`);
  const link = { delivered: 0, lost: 0, duplicated: 0, corrupted: 0, reordered: 0, largestSegment: 0 };
  const pair: Pair = {
    sim,
    nodeA,
    nodeB,
    ipA,
    ipB,
    a: new TcpLayer(nodeA, ipA, { ...options.tcp, ...options.tcpA }),
    b: new TcpLayer(nodeB, ipB, { ...options.tcp, ...options.tcpB }),
    addressA,
    addressB,
    link,
    impairments: options.impair ?? {},
    run(duration?: number) {
      if (duration === undefined) sim.scheduler.runUntilIdle(5_000_000);
      else sim.scheduler.runFor(duration);
    },
  };
  const busyUntil = { a: 0, b: 0 };
  const wire = (from: 'a' | 'b', to: FakeIp, source: Ipv4Address) => (datagram: SentDatagram) => {
    const im = pair.impairments;
    const scheduler = sim.scheduler;
    if (datagram.bytes.length > link.largestSegment) link.largestSegment = datagram.bytes.length;
    if (im.dropIf?.(datagram, from)) {
      link.lost++;
      return;
    }
    if (im.loss !== undefined && random.chance(im.loss)) {
      link.lost++;
      return;
    }
    let departure = scheduler.now();
    if (im.bandwidth !== undefined && im.bandwidth > 0) {
      departure = Math.max(departure, busyUntil[from]) + Math.ceil(((datagram.bytes.length + 20) * 8 * 1e9) / im.bandwidth);
      busyUntil[from] = departure;
    }
    const copies = im.duplicate !== undefined && random.chance(im.duplicate) ? 2 : 1;
    if (copies === 2) link.duplicated++;
    for (let c = 0; c < copies; c++) {
      let bytes = datagram.bytes;
      if (im.corrupt !== undefined && random.chance(im.corrupt)) {
        bytes = bytes.slice();
        const bit = random.int(0, bytes.length * 8 - 1);
        bytes[bit >> 3]! ^= 1 << (bit & 7);
        link.corrupted++;
      }
      let at = departure + (im.delay ?? 5 * NS_PER_MS);
      if (im.reorder !== undefined && random.chance(im.reorder)) {
        at += random.int(1, im.reorderDelay ?? 10 * NS_PER_MS);
        link.reordered++;
      }
      scheduler.scheduleAt(at, () => {
        link.delivered++;
        to.deliver(bytes, source);
      });
    }
  };
  ipA.onSend = wire('a', ipB, addressA);
  ipB.onSend = wire('b', ipA, addressB);
  return pair;
}

/** Bytes 0..n-1 of a deterministic pattern. */
export function pattern(n: number, seed = 7): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

export { concat } from '@netlayers/testing';

/** Assert two byte arrays are equal, naming the first difference (fast, unlike a deep equal of megabytes). */
export function expectBytes(actual: Uint8Array, expected: Uint8Array): void {
  if (actual.length !== expected.length) throw new Error(`expected ${expected.length} bytes, got ${actual.length}`);
  for (let i = 0; i < actual.length; i++) {
    if (actual[i] !== expected[i]) throw new Error(`bytes differ first at offset ${i}: expected ${expected[i]}, got ${actual[i]}`);
  }
}
