import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { DropReason, InvalidArgumentError, InvalidUnitError, NS_PER_MS } from '@netlayers/core';
import { PointToPointLink } from '../src/index.ts';
import { frameEvents, numberedFrame, recordArrivals, recordTrace, seqOf, world } from './support/harness.ts';

/** Two nodes joined by one link; returns both ports and what each receives. */
function pair(options: ConstructorParameters<typeof PointToPointLink>[1] = {}, seed = 1) {
  const w = world(seed);
  const a = w.node('a');
  const b = w.node('b');
  const link = new PointToPointLink(w.sim, options);
  const pa = link.attach(a, 'eth0');
  const pb = link.attach(b, 'eth0');
  return { w, a, b, link, pa, pb, atA: recordArrivals(pa, w.sim), atB: recordArrivals(pb, w.sim) };
}

// 1500-byte frame at 100 Mbit/s with 20 B of preamble/SFD/IFG: 1520 * 8 / 1e8 s = 121.6 µs.
const SER_1500 = 121_600;
const DELAY = 5_000;

describe('PointToPointLink timing', () => {
  it('delivers a 1500-byte frame when its last bit has propagated: serialization + delay', () => {
    const { w, pa, atB } = pair();
    expect(pa.transmit(numberedFrame(1, 1500))).toBe(true);
    w.sim.scheduler.runUntil(SER_1500 + DELAY - 1);
    expect(atB).toHaveLength(0);
    w.sim.scheduler.runUntilIdle();
    expect(atB.map((x) => x.time)).toEqual([SER_1500 + DELAY]);
  });

  it('queues back-to-back frames behind each other on the line', () => {
    const { w, pa, atB } = pair();
    for (let i = 0; i < 3; i++) pa.transmit(numberedFrame(i, 1500));
    w.sim.scheduler.runUntilIdle();
    expect(atB.map((x) => x.time)).toEqual([1, 2, 3].map((k) => k * SER_1500 + DELAY));
    expect(atB.map((x) => seqOf(x.frame))).toEqual([0, 1, 2]);
  });

  it('starts a frame sent after the line went idle at once, not at the old schedule', () => {
    const { w, pa, atB } = pair({ bandwidth: '1Gbps', delay: '2ms', framingOverhead: 0 });
    pa.transmit(numberedFrame(1, 1000));
    w.sim.scheduler.runUntil(10 * NS_PER_MS);
    pa.transmit(numberedFrame(2, 1000));
    w.sim.scheduler.runUntilIdle();
    // 1000 B at 1 Gbit/s = 8 µs, no overhead.
    expect(atB.map((x) => x.time)).toEqual([8_000 + 2 * NS_PER_MS, 10 * NS_PER_MS + 8_000 + 2 * NS_PER_MS]);
  });

  it('rounds serialization to integer nanoseconds', () => {
    const { w, pa, atB } = pair({ bandwidth: '3Mbps', delay: 0, framingOverhead: 0 });
    pa.transmit(numberedFrame(1, 100)); // 800 bits / 3e6 = 266666.67 ns
    w.sim.scheduler.runUntilIdle();
    expect(atB[0]!.time).toBe(266_667);
  });

  it('is full duplex: both directions at once take no longer than one', () => {
    const { w, pa, pb, atA, atB } = pair();
    pa.transmit(numberedFrame(1, 1500));
    pb.transmit(numberedFrame(2, 1500));
    w.sim.scheduler.runUntilIdle();
    expect(atB.map((x) => [x.time, seqOf(x.frame)])).toEqual([[SER_1500 + DELAY, 1]]);
    expect(atA.map((x) => [x.time, seqOf(x.frame)])).toEqual([[SER_1500 + DELAY, 2]]);
  });

  it('delivers the bytes unchanged, in order, and never back to the sender', () => {
    const { w, pa, atA, atB } = pair();
    const sent = Array.from({ length: 20 }, (_, i) => numberedFrame(i, 60 + i * 50));
    const copies = sent.map((f) => f.slice());
    for (const f of sent) pa.transmit(f);
    w.sim.scheduler.runUntilIdle();
    expect(atB.map((x) => x.frame)).toEqual(copies);
    expect(atA).toHaveLength(0);
  });
});

describe('PointToPointLink queue and MTU', () => {
  it('drops beyond queueLimit waiting frames (drop-tail) and counts each drop', () => {
    const { w, a, pa, atB } = pair({ queueLimit: 2 });
    const accepted = [0, 1, 2, 3, 4].map((i) => pa.transmit(numberedFrame(i, 1500)));
    // Frame 0 is on the line, 1 and 2 wait, 3 and 4 find the queue full.
    expect(accepted).toEqual([true, true, true, false, false]);
    w.sim.scheduler.runUntilIdle();
    expect(atB.map((x) => seqOf(x.frame))).toEqual([0, 1, 2]);
    expect(pa.stats.drops).toBe(2);
    expect(a.counters.get(`drop.physical.${DropReason.QueueFull}`)).toBe(2);
  });

  it('with queueLimit 0 keeps only the frame on the line', () => {
    const { w, pa, atB } = pair({ queueLimit: 0 });
    expect(pa.transmit(numberedFrame(0))).toBe(true);
    expect(pa.transmit(numberedFrame(1))).toBe(false);
    w.sim.scheduler.runUntilIdle();
    expect(pa.transmit(numberedFrame(2))).toBe(true);
    w.sim.scheduler.runUntilIdle();
    expect(atB.map((x) => seqOf(x.frame))).toEqual([0, 2]);
  });

  it('carries frames up to mtu + 22 bytes and drops larger ones as TooBig', () => {
    const { w, a, link, pa, atB } = pair();
    expect(link.capabilities.maxFrameBytes).toBe(1522);
    expect(pa.capabilities.mtu).toBe(1500);
    expect(pa.transmit(numberedFrame(1, 1522))).toBe(true);
    expect(pa.transmit(numberedFrame(2, 1523))).toBe(false);
    w.sim.scheduler.runUntilIdle();
    expect(atB.map((x) => x.frame.length)).toEqual([1522]);
    expect(a.counters.get(`drop.physical.${DropReason.TooBig}`)).toBe(1);
  });

  it('honours a jumbo MTU', () => {
    const { w, pa, atB } = pair({ mtu: 9000 });
    expect(pa.transmit(numberedFrame(1, 9022))).toBe(true);
    expect(pa.transmit(numberedFrame(2, 9023))).toBe(false);
    w.sim.scheduler.runUntilIdle();
    expect(atB).toHaveLength(1);
  });
});

describe('PointToPointLink attach, stats and tracing', () => {
  it('accepts exactly two ends; a third attach throws naming the port', () => {
    const { w, link } = pair();
    expect(() => link.attach(w.node('c'), 'eth9')).toThrow(InvalidArgumentError);
    expect(() => link.attach(w.node('c'), 'eth9')).toThrow(/"eth9"/);
    expect(link.name).toBe('a:eth0<->b:eth0');
  });

  it('refuses a node from another simulation', () => {
    const { link } = pair();
    const stranger = world().node('x');
    expect(() => new PointToPointLink(world().sim).attach(stranger, 'eth0')).toThrow(/node "x"/);
    expect(link.ports).toHaveLength(2);
  });

  it('names ports node:iface and reports capabilities from options', () => {
    const { pa, pb } = pair({ bandwidth: '10Mbps', delay: '2ms', mtu: 1400 });
    expect(pa.name).toBe('a:eth0');
    expect(pb.name).toBe('b:eth0');
    expect(pa.capabilities).toMatchObject({ mtu: 1400, maxFrameBytes: 1422, bitsPerSecond: 10e6, propagationDelay: 2 * NS_PER_MS });
  });

  it('accepts a port name already qualified with the node ("a:eth0") without doubling it', () => {
    const w = world();
    const link = new PointToPointLink(w.sim);
    const pa = link.attach(w.node('a'), 'a:eth0');
    const pb = link.attach(w.node('b'), 'eth1');
    recordArrivals(pb, w.sim);
    const events = recordTrace(w.sim);
    pa.transmit(numberedFrame(1));
    w.sim.scheduler.runUntilIdle();
    expect([pa.name, pb.name]).toEqual(['a:eth0', 'b:eth1']);
    expect(frameEvents(events).map((e) => `${e.node} ${e.iface} ${e.action}`)).toEqual(['a eth0 tx', 'b eth1 rx']);
  });

  it('counts frames and bytes per port', () => {
    const { w, pa, pb } = pair();
    pa.transmit(numberedFrame(1, 100));
    pa.transmit(numberedFrame(2, 200));
    pb.transmit(numberedFrame(3, 300));
    w.sim.scheduler.runUntilIdle();
    expect(pa.stats).toEqual({ txFrames: 2, txBytes: 300, rxFrames: 1, rxBytes: 300, drops: 0 });
    expect(pb.stats).toEqual({ txFrames: 1, txBytes: 300, rxFrames: 2, rxBytes: 300, drops: 0 });
  });

  it('traces tx on the sender when serialization starts and rx on the receiver when the last bit arrives', () => {
    const { w, pa } = pair();
    const events = recordTrace(w.sim);
    const f1 = numberedFrame(1, 1500);
    const f2 = numberedFrame(2, 1500);
    const expected = [f1.slice(), f2.slice()];
    pa.transmit(f1);
    pa.transmit(f2);
    w.sim.scheduler.runUntilIdle();
    const frames = frameEvents(events).map((e) => ({ time: e.time, node: e.node, action: e.action, iface: e.iface, role: e.role, protocol: e.protocol, seq: seqOf(e.bytes) }));
    expect(frames).toEqual([
      { time: 0, node: 'a', action: 'tx', iface: 'eth0', role: 'physical', protocol: 'phy', seq: 1 },
      { time: SER_1500, node: 'a', action: 'tx', iface: 'eth0', role: 'physical', protocol: 'phy', seq: 2 },
      { time: SER_1500 + DELAY, node: 'b', action: 'rx', iface: 'eth0', role: 'physical', protocol: 'phy', seq: 1 },
      { time: 2 * SER_1500 + DELAY, node: 'b', action: 'rx', iface: 'eth0', role: 'physical', protocol: 'phy', seq: 2 },
    ]);
    expect(frameEvents(events).filter((e) => e.action === 'rx').map((e) => e.bytes)).toEqual(expected);
  });

  it('traces a queue-full drop as a drop event and a lost frame', () => {
    const { w, pa } = pair({ queueLimit: 0 });
    const events = recordTrace(w.sim);
    pa.transmit(numberedFrame(1));
    pa.transmit(numberedFrame(2));
    const drop = events.find((e) => e.kind === 'drop');
    expect(drop).toMatchObject({ node: 'a', role: 'physical', protocol: 'phy', reason: DropReason.QueueFull, length: 64, iface: 'eth0' });
    expect(frameEvents(events).filter((e) => e.action === 'lost').map((e) => seqOf(e.bytes))).toEqual([2]);
  });

  it('builds no events when nobody is tracing, but still counts drops', () => {
    const { w, a, b, link, pa } = pair({ queueLimit: 0 });
    expect(w.sim.trace.active).toBe(false);
    const emitted = [vi.spyOn(a.tracer, 'emit'), vi.spyOn(b.tracer, 'emit'), vi.spyOn(w.sim.trace, 'publish')];
    pa.transmit(numberedFrame(1));
    pa.transmit(numberedFrame(2));
    w.sim.scheduler.runUntilIdle();
    link.setUp(false);
    expect(emitted.map((spy) => spy.mock.calls.length)).toEqual([0, 0, 0]);
    expect(a.counters.get('drop.physical.queue-full')).toBe(1);
  });
});

describe('PointToPointLink down and up', () => {
  it('loses frames on the wire and in the queue, reports down to both ends and refuses to transmit', () => {
    const { w, a, link, pa, pb, atB } = pair();
    const changes: string[] = [];
    pa.onLinkChange((up) => changes.push(`a:${up}`));
    pb.onLinkChange((up) => changes.push(`b:${up}`));
    const events = recordTrace(w.sim);
    for (let i = 0; i < 3; i++) pa.transmit(numberedFrame(i, 1500));
    // At 100 µs frame 0 is still being serialized; frames 1 and 2 wait.
    w.sim.scheduler.runUntil(100_000);
    link.setUp(false);
    expect(changes).toEqual(['a:false', 'b:false']);
    expect(pa.isUp).toBe(false);
    expect(pb.isUp).toBe(false);
    expect(a.counters.get('drop.physical.interface-down')).toBe(3);
    expect(frameEvents(events).filter((e) => e.action === 'lost').map((e) => seqOf(e.bytes))).toEqual([0, 1, 2]);
    expect(pb.transmit(numberedFrame(9))).toBe(false);
    w.sim.scheduler.runUntilIdle();
    expect(atB).toHaveLength(0);
    expect(events.filter((e) => e.kind === 'state').map((e) => e.kind === 'state' && `${e.node} ${e.from}->${e.to}`)).toEqual(['a up->down', 'b up->down']);
  });

  it('loses a frame in propagation (after serialization ended) when the link goes down', () => {
    const { w, link, pa, atB } = pair({ delay: '1ms' });
    pa.transmit(numberedFrame(1, 1500));
    w.sim.scheduler.runUntil(SER_1500 + 10);
    link.setUp(false);
    w.sim.scheduler.runUntilIdle();
    expect(atB).toHaveLength(0);
    expect(pa.stats.drops).toBe(1);
  });

  it('comes back up: listeners hear it and frames flow again; setUp with the same state is a no-op', () => {
    const { w, link, pa, atB } = pair();
    const changes: boolean[] = [];
    pa.onLinkChange((up) => changes.push(up));
    link.setUp(false);
    link.setUp(false);
    w.sim.scheduler.runUntil(NS_PER_MS);
    link.setUp(true);
    link.setUp(true);
    expect(changes).toEqual([false, true]);
    expect(pa.transmit(numberedFrame(7, 1500))).toBe(true);
    w.sim.scheduler.runUntilIdle();
    expect(atB.map((x) => x.time)).toEqual([NS_PER_MS + SER_1500 + DELAY]);
  });
});

describe('PointToPointLink options', () => {
  it('uses the documented defaults', () => {
    const { link } = pair();
    expect(link.capabilities).toEqual({ mtu: 1500, maxFrameBytes: 1522, bitsPerSecond: 100e6, propagationDelay: 5_000, framingOverhead: 20 });
  });

  it.each([
    [{ delay: -5 }, InvalidUnitError, '"-5"'],
    [{ delay: '-5ms' }, InvalidUnitError, '"-5ms"'],
    [{ delay: '5 parsecs' }, InvalidUnitError, '"5 parsecs"'],
    [{ bandwidth: 0 }, InvalidUnitError, '"0"'],
    [{ bandwidth: '0Mbps' }, InvalidUnitError, '"0Mbps"'],
    [{ bandwidth: 'fast' }, InvalidUnitError, '"fast"'],
    [{ mtu: 10 }, InvalidArgumentError, 'mtu 10'],
    [{ mtu: 1500.5 }, InvalidArgumentError, 'mtu 1500.5'],
    [{ queueLimit: -1 }, InvalidArgumentError, 'queueLimit -1'],
    [{ framingOverhead: -20 }, InvalidArgumentError, 'framingOverhead -20'],
    [{ impairments: { loss: 1.5 } }, InvalidArgumentError, 'loss 1.5'],
    [{ impairments: { duplicate: -0.1 } }, InvalidArgumentError, 'duplicate -0.1'],
    [{ impairments: { jitter: '-1ms' } }, InvalidUnitError, '"-1ms"'],
    [{ impairments: { rateLimit: 0 } }, InvalidUnitError, '"0"'],
  ])('rejects %j with a typed error naming the value', (options, errorClass, named) => {
    const w = world();
    let caught: unknown;
    try {
      new PointToPointLink(w.sim, options as never);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(errorClass);
    expect((caught as Error).message).toContain(named);
  });

  it('throws when given something that is not a frame', () => {
    const { pa } = pair();
    expect(() => pa.transmit('hello' as never)).toThrow(InvalidArgumentError);
  });

  it('applies impairments to both directions of the link', () => {
    const { w, a, b, pa, pb, atA, atB } = pair({ impairments: { loss: 1 } });
    pa.transmit(numberedFrame(1));
    pb.transmit(numberedFrame(2));
    w.sim.scheduler.runUntilIdle();
    expect(atA).toHaveLength(0);
    expect(atB).toHaveLength(0);
    expect(a.counters.get('drop.physical.impairment')).toBe(1);
    expect(b.counters.get('drop.physical.impairment')).toBe(1);
    expect(pa.stats.drops).toBe(1);
  });
});

describe('PointToPointLink invariants under random traffic', () => {
  const trafficArb = fc.record({
    queueLimit: fc.integer({ min: 0, max: 8 }),
    bandwidth: fc.constantFrom('1Mbps', '10Mbps', '100Mbps', '1Gbps'),
    delay: fc.integer({ min: 0, max: 2_000_000 }),
    sends: fc.array(fc.record({ at: fc.integer({ min: 0, max: 5_000_000 }), size: fc.integer({ min: 1, max: 1600 }), fromA: fc.boolean() }), { maxLength: 60 }),
  });

  it('every frame is delivered in order or counted as a drop, never earlier than serialization + delay, never overlapping on the wire', () => {
    fc.assert(
      fc.property(trafficArb, ({ queueLimit, bandwidth, delay, sends: unordered }) => {
        // Number frames in the order they are sent, so "in order" means by sequence number.
        const sends = [...unordered].sort((x, y) => x.at - y.at);
        const { w, pa, pb, atA, atB, link } = pair({ queueLimit, bandwidth, delay });
        const sentTimes = new Map<number, number>();
        sends.forEach((s, seq) => {
          w.sim.scheduler.scheduleAt(s.at, () => {
            sentTimes.set(seq, w.sim.scheduler.now());
            (s.fromA ? pa : pb).transmit(numberedFrame(seq, Math.max(4, s.size)));
          });
        });
        w.sim.scheduler.runUntilIdle();
        const { bitsPerSecond, framingOverhead } = link.capabilities;
        for (const [arrivals, port, fromA] of [[atB, pa, true], [atA, pb, false]] as const) {
          const offered = sends.filter((s) => s.fromA === fromA).length;
          expect(arrivals.length + port.stats.drops).toBe(offered);
          const seqs = arrivals.map((x) => seqOf(x.frame));
          expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
          let lastArrival = -Infinity;
          for (const { time, frame } of arrivals) {
            const ser = Math.round(((frame.length + framingOverhead) * 8 * 1e9) / bitsPerSecond);
            expect(time).toBeGreaterThanOrEqual(sentTimes.get(seqOf(frame))! + ser + delay);
            expect(time - ser).toBeGreaterThanOrEqual(lastArrival);
            lastArrival = time;
          }
        }
      }),
      { numRuns: 200, seed: 1234 },
    );
  });
});
