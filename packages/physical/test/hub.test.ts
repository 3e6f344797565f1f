import { describe, expect, it } from 'vitest';
import { Hub } from '../src/index.ts';
import { frameEvents, numberedFrame, recordArrivals, recordTrace, seqOf, world } from './support/harness.ts';

function star(count: number, options: ConstructorParameters<typeof Hub>[1] = {}) {
  const w = world();
  const hub = new Hub(w.sim, options);
  const names = Array.from({ length: count }, (_, i) => `h${i + 1}`);
  const ports = names.map((n) => hub.attach(w.node(n), 'eth0'));
  const arrivals = ports.map((p) => recordArrivals(p, w.sim));
  return { w, hub, ports, arrivals };
}

// 64 B + 20 B overhead at 100 Mbit/s = 6720 ns; default delay 5 µs.
const SER_64 = 6_720;
const DELAY = 5_000;

describe('Hub', () => {
  it('repeats a frame to every other port after serialization and propagation, not back to the sender', () => {
    const { w, ports, arrivals } = star(4);
    ports[1]!.transmit(numberedFrame(42));
    w.sim.scheduler.runUntilIdle();
    expect(arrivals.map((list) => list.map((x) => [x.time, seqOf(x.frame)]))).toEqual([
      [[SER_64 + DELAY, 42]],
      [],
      [[SER_64 + DELAY, 42]],
      [[SER_64 + DELAY, 42]],
    ]);
  });

  it('gives each receiver its own copy of the bytes', () => {
    const { w, ports, arrivals } = star(3);
    ports[0]!.transmit(numberedFrame(1));
    w.sim.scheduler.runUntilIdle();
    const [first, second] = [arrivals[1]![0]!.frame, arrivals[2]![0]!.frame];
    expect(first).toEqual(second);
    first[10] = first[10]! ^ 0xff;
    expect(second).toEqual(numberedFrame(1));
  });

  it('gives every port its own transmitter: two ports sending at once do not collide or wait', () => {
    const { w, ports, arrivals } = star(3);
    ports[0]!.transmit(numberedFrame(1));
    ports[1]!.transmit(numberedFrame(2));
    w.sim.scheduler.runUntilIdle();
    expect(arrivals[2]!.map((x) => [x.time, seqOf(x.frame)])).toEqual([
      [SER_64 + DELAY, 1],
      [SER_64 + DELAY, 2],
    ]);
    expect(arrivals[0]!.map((x) => seqOf(x.frame))).toEqual([2]);
    expect(arrivals[1]!.map((x) => seqOf(x.frame))).toEqual([1]);
  });

  it('queues frames from one port behind each other', () => {
    const { w, ports, arrivals } = star(2);
    for (let i = 0; i < 3; i++) ports[0]!.transmit(numberedFrame(i));
    w.sim.scheduler.runUntilIdle();
    expect(arrivals[1]!.map((x) => x.time)).toEqual([1, 2, 3].map((k) => k * SER_64 + DELAY));
  });

  it('accepts any number of ports and traces one rx per receiver', () => {
    const { w, ports, arrivals } = star(12);
    const events = recordTrace(w.sim);
    ports[11]!.transmit(numberedFrame(5));
    w.sim.scheduler.runUntilIdle();
    expect(arrivals.filter((a) => a.length === 1)).toHaveLength(11);
    const frames = frameEvents(events);
    expect(frames.filter((e) => e.action === 'tx').map((e) => e.node)).toEqual(['h12']);
    expect(frames.filter((e) => e.action === 'rx').map((e) => e.node)).toEqual(Array.from({ length: 11 }, (_, i) => `h${i + 1}`));
    expect(ports[11]!.stats.txFrames).toBe(1);
    expect(ports[0]!.stats.rxFrames).toBe(1);
  });

  it('delivers to a port attached while the frame was in flight', () => {
    const { w, hub, ports } = star(1);
    ports[0]!.transmit(numberedFrame(3));
    w.sim.scheduler.runUntil(SER_64);
    const late = hub.attach(w.node('late'), 'eth0');
    const got = recordArrivals(late, w.sim);
    w.sim.scheduler.runUntilIdle();
    expect(got.map((x) => seqOf(x.frame))).toEqual([3]);
  });

  it('going down loses frames everywhere and tells every port', () => {
    const { w, hub, ports, arrivals } = star(3);
    const changes: boolean[] = [];
    for (const p of ports) p.onLinkChange((up) => changes.push(up));
    ports[0]!.transmit(numberedFrame(1));
    ports[1]!.transmit(numberedFrame(2));
    hub.setUp(false);
    w.sim.scheduler.runUntilIdle();
    expect(arrivals.flat()).toHaveLength(0);
    expect(changes).toEqual([false, false, false]);
    expect(ports[0]!.stats.drops + ports[1]!.stats.drops).toBe(2);
    hub.setUp(true);
    ports[2]!.transmit(numberedFrame(3));
    w.sim.scheduler.runUntilIdle();
    expect(arrivals[0]!.map((x) => seqOf(x.frame))).toEqual([3]);
  });

  it('reports its capabilities and a default name from its ports', () => {
    const { hub } = star(2, { bandwidth: '10Mbps' });
    expect(hub.capabilities.bitsPerSecond).toBe(10e6);
    expect(hub.name).toBe('hub[h1:eth0, h2:eth0]');
    expect(new Hub(world().sim, { name: 'lobby' }).name).toBe('lobby');
  });
});
