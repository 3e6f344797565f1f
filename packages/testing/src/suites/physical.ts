// Conformance suite for the physical contract (Medium / PhyPort in @netlayers/core): any
// medium — a point-to-point link, a hub, a CSMA/CD bus, a student's own — runs it with a
// factory. It checks what the link layer above relies on: whole frames arrive intact and
// in order, timing follows the advertised line rate and propagation delay, maxFrameBytes is
// enforced, the right ports receive, the sender never hears itself, stats count, and the
// same seed gives the same run.

import { describe, expect } from 'vitest';
import type { Medium, PhyPort, SimulationContext } from '@netlayers/core';
import { createWorld, runUntil, sameBytes, testBytes, type TestWorld, teachingIt } from './support.ts';

const it = teachingIt('physical medium conformance', {
  'advertises sane capabilities': { rfc: 'RFC 791 §3.2 (every link carries 68-byte datagrams)', hint: 'capabilities: bitsPerSecond > 0, an integer propagationDelay, mtu >= 68, maxFrameBytes >= mtu' },
  'delivers frames intact and in order on a clean medium': { hint: 'queue frames per port in FIFO order and hand each receiver a copy of the exact bytes' },
  'delivers in both directions': { hint: 'each port transmits and receives independently (full duplex on a point-to-point medium)' },
  'takes serialization plus propagation time, as the capabilities say': { hint: 'a frame arrives after bytes * 8 / bitsPerSecond (serialization) + propagationDelay; frames from one port never overlap' },
  'refuses a frame larger than maxFrameBytes and counts the drop': { hint: 'transmit() returns false for an oversized frame and stats.drops counts it' },
  'never delivers a frame back to its sender': { hint: 'skip the sending port when carrying a frame to the others' },
  'shared: every other attached port receives each frame': { hint: 'on a shared medium (a bus), carry each frame to every other port' },
  'point-to-point: the one peer receives, in each direction': { hint: 'a point-to-point medium allows two ports and carries each frame to the other one' },
  'counts frames and bytes at both ends': { hint: 'count txFrames/txBytes when a frame leaves, rxFrames/rxBytes when it arrives' },
  'gives the same run for the same seed': { hint: 'draw any randomness from sim.random (forked), never Math.random; no wall-clock time' },
});

export interface PhysicalMediumSuiteOptions {
  /**
   * 'point-to-point' (two ports) or 'shared' (every port hears every frame). Default: shared
   * when a third port can be attached, else point-to-point.
   */
  readonly topology?: 'point-to-point' | 'shared';
  /**
   * Extra bytes of wire time per frame the medium may add beyond the frame itself
   * (preamble, inter-frame gap, padding). Default 64.
   */
  readonly overheadBytes?: number;
}

interface Received {
  readonly port: string;
  readonly time: number;
  readonly bytes: Uint8Array;
}

function attachRecorded(world: TestWorld, medium: Medium, names: readonly string[]): { ports: PhyPort[]; received: Received[] } {
  const received: Received[] = [];
  const ports = names.map((name) => {
    const port = medium.attach(world.node(name), 'eth0');
    port.setReceiver((frame) => received.push({ port: name, time: world.sim.scheduler.now(), bytes: frame.slice() }));
    return port;
  });
  return { ports, received };
}

/** A recognisable frame: its index in the first two bytes, then seeded bytes. */
function frame(index: number, length: number): Uint8Array {
  const bytes = testBytes(length, `frame-${index}`);
  bytes[0] = index >>> 8;
  bytes[1] = index & 0xff;
  return bytes;
}

function detectTopology(factory: (sim: SimulationContext) => Medium): 'point-to-point' | 'shared' {
  const world = createWorld('topology-probe');
  const medium = factory(world.sim);
  medium.attach(world.node('a'), 'eth0');
  medium.attach(world.node('b'), 'eth0');
  try {
    medium.attach(world.node('c'), 'eth0');
    return 'shared';
  } catch {
    return 'point-to-point';
  }
}

export function physicalMediumSuite(name: string, factory: (sim: SimulationContext) => Medium, options: PhysicalMediumSuiteOptions = {}): void {
  const overhead = options.overheadBytes ?? 64;

  describe(`${name}: physical medium conformance`, () => {
    const topology = options.topology ?? detectTopology(factory);

    it('advertises sane capabilities', () => {
      const caps = factory(createWorld().sim).capabilities;
      expect(caps.bitsPerSecond).toBeGreaterThan(0);
      expect(Number.isInteger(caps.propagationDelay) && caps.propagationDelay >= 0).toBe(true);
      expect(caps.mtu).toBeGreaterThanOrEqual(68); // RFC 791: every link carries 68-byte datagrams
      expect(caps.maxFrameBytes).toBeGreaterThanOrEqual(caps.mtu);
    });

    it('delivers frames intact and in order on a clean medium', () => {
      const world = createWorld();
      const medium = factory(world.sim);
      const { ports, received } = attachRecorded(world, medium, ['a', 'b']);
      const max = Math.min(medium.capabilities.maxFrameBytes, 1514);
      const sent: Uint8Array[] = [];
      for (let i = 0; i < 30; i++) {
        const f = frame(i, 64 + ((i * 97) % (max - 63)));
        sent.push(f);
        expect(ports[0]!.transmit(f.slice())).toBe(true);
      }
      runUntil(world, () => received.length >= sent.length, '10s');
      const atB = received.filter((r) => r.port === 'b');
      expect(atB.length).toBe(sent.length);
      // Frame by frame: the index of the first frame that differs (-1: none).
      expect(atB.findIndex((r, i) => !sameBytes(r.bytes, sent[i]!))).toBe(-1);
    });

    it('delivers in both directions', () => {
      const world = createWorld();
      const medium = factory(world.sim);
      const { ports, received } = attachRecorded(world, medium, ['a', 'b']);
      ports[0]!.transmit(frame(1, 100));
      runUntil(world, () => received.length >= 1, '10s');
      ports[1]!.transmit(frame(2, 200));
      runUntil(world, () => received.length >= 2, '10s');
      expect(received.map((r) => [r.port, r.bytes.length])).toEqual([['b', 100], ['a', 200]]);
    });

    it('takes serialization plus propagation time, as the capabilities say', () => {
      const world = createWorld();
      const medium = factory(world.sim);
      const { bitsPerSecond, propagationDelay, maxFrameBytes } = medium.capabilities;
      const { ports, received } = attachRecorded(world, medium, ['a', 'b']);
      const size = Math.min(1000, maxFrameBytes);
      const start = world.sim.scheduler.now();
      ports[0]!.transmit(frame(1, size));
      ports[0]!.transmit(frame(2, size));
      runUntil(world, () => received.length >= 2, '60s');
      expect(received.length).toBe(2);
      const serialization = (bytes: number): number => (bytes * 8 * 1e9) / bitsPerSecond;
      const first = received[0]!.time - start;
      expect(first).toBeGreaterThanOrEqual(Math.floor(propagationDelay + serialization(size)) - 1);
      expect(first).toBeLessThanOrEqual(Math.ceil(propagationDelay + serialization(size + overhead)) + 1);
      // The second frame waits for the first to leave the wire: no overlap.
      expect(received[1]!.time - received[0]!.time).toBeGreaterThanOrEqual(Math.floor(serialization(size)) - 1);
    });

    it('refuses a frame larger than maxFrameBytes and counts the drop', () => {
      const world = createWorld();
      const medium = factory(world.sim);
      const { ports, received } = attachRecorded(world, medium, ['a', 'b']);
      const max = medium.capabilities.maxFrameBytes;
      const dropsBefore = ports[0]!.stats.drops;
      expect(ports[0]!.transmit(new Uint8Array(max + 1))).toBe(false);
      expect(ports[0]!.stats.drops).toBe(dropsBefore + 1);
      expect(ports[0]!.transmit(frame(7, max))).toBe(true);
      runUntil(world, () => received.length >= 1, '60s');
      world.sim.scheduler.runFor(1e9);
      expect(received.map((r) => r.bytes.length)).toEqual([max]);
    });

    it('never delivers a frame back to its sender', () => {
      const world = createWorld();
      const medium = factory(world.sim);
      const names = topology === 'shared' ? ['a', 'b', 'c'] : ['a', 'b'];
      const { ports, received } = attachRecorded(world, medium, names);
      ports[0]!.transmit(frame(1, 128));
      runUntil(world, () => received.length >= names.length - 1, '10s');
      world.sim.scheduler.runFor(1e9);
      expect(received.filter((r) => r.port === 'a')).toEqual([]);
    });

    if (topology === 'shared') {
      it('shared: every other attached port receives each frame', () => {
        const world = createWorld();
        const medium = factory(world.sim);
        const { ports, received } = attachRecorded(world, medium, ['a', 'b', 'c', 'd']);
        ports[1]!.transmit(frame(1, 300));
        runUntil(world, () => received.length >= 3, '10s');
        world.sim.scheduler.runFor(1e9);
        expect(received.map((r) => r.port).sort()).toEqual(['a', 'c', 'd']);
        for (const r of received) expect(r.bytes).toEqual(frame(1, 300));
      });
    } else {
      it('point-to-point: the one peer receives, in each direction', () => {
        const world = createWorld();
        const medium = factory(world.sim);
        const { ports, received } = attachRecorded(world, medium, ['a', 'b']);
        ports[0]!.transmit(frame(1, 80));
        ports[1]!.transmit(frame(2, 90));
        runUntil(world, () => received.length >= 2, '10s');
        world.sim.scheduler.runFor(1e9);
        expect(received.map((r) => `${r.port}:${r.bytes.length}`).sort()).toEqual(['a:90', 'b:80']);
      });
    }

    it('counts frames and bytes at both ends', () => {
      const world = createWorld();
      const medium = factory(world.sim);
      const { ports, received } = attachRecorded(world, medium, ['a', 'b']);
      const sizes = [64, 500, 1000, 77];
      for (const [i, size] of sizes.entries()) ports[0]!.transmit(frame(i, Math.min(size, medium.capabilities.maxFrameBytes)));
      runUntil(world, () => received.length >= sizes.length, '10s');
      world.sim.scheduler.runFor(1e9);
      const total = received.reduce((n, r) => n + r.bytes.length, 0);
      expect(ports[0]!.stats.txFrames).toBe(sizes.length);
      expect(ports[0]!.stats.txBytes).toBe(total);
      expect(ports[1]!.stats.rxFrames).toBe(sizes.length);
      expect(ports[1]!.stats.rxBytes).toBe(total);
      expect(ports[0]!.stats.drops).toBe(0);
    });

    it('gives the same run for the same seed', () => {
      const run = (): string[] => {
        const world = createWorld(42);
        const medium = factory(world.sim);
        const { ports, received } = attachRecorded(world, medium, ['a', 'b']);
        const max = medium.capabilities.maxFrameBytes;
        // Both ends talk at once: on a shared medium this is where randomness (backoff) enters.
        for (let i = 0; i < 20; i++) {
          ports[0]!.transmit(frame(i, Math.min(max, 64 + i * 50)));
          ports[1]!.transmit(frame(100 + i, Math.min(max, 1000 - i * 30)));
        }
        runUntil(world, () => received.length >= 40, '60s');
        return received.map((r) => `${r.time}:${r.port}:${r.bytes[0]}.${r.bytes[1]}:${r.bytes.length}`);
      };
      const first = run();
      expect(first.length).toBe(40);
      expect(run()).toEqual(first);
    });
  });
}
