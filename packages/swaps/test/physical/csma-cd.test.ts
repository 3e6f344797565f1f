import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createNodeContext, DropReason, InvalidArgumentError, InvalidUnitError, Random, type MetricEvent, type NoteEvent } from '@netlayers/core';
import { ATTEMPT_LIMIT, CsmaCdBus } from '../../src/physical/index.ts';
import { busWith, frameId, numberedFrame } from './support/harness.ts';

// 10 Mbit/s: one bit is 100 ns. A 64-byte frame plus 8 bytes of preamble/SFD is 576 bits.
const BIT = 100;
const FRAME_64 = (64 + 8) * 8 * BIT; // 57.6 µs
const DELAY = 1_000; // default 1 µs
const IFG = 96 * BIT; // 9.6 µs
const JAM = 32 * BIT; // 3.2 µs
const SLOT = 512 * BIT; // 51.2 µs

describe('CsmaCdBus without contention', () => {
  it('delivers a frame to every other station at serialization + propagation, not to the sender', () => {
    const { sim, stations, arrivals } = busWith(3);
    expect(stations[0]!.transmit(numberedFrame(1, 1))).toBe(true);
    sim.scheduler.runUntilIdle();
    expect(arrivals).toEqual([[], [{ time: FRAME_64 + DELAY, id: '1:1' }], [{ time: FRAME_64 + DELAY, id: '1:1' }]]);
    expect(stations[0]!.csmaStats.collisions).toBe(0);
  });

  it('separates back-to-back frames from one station by the inter-frame gap', () => {
    const { sim, stations, arrivals } = busWith(2);
    for (let i = 0; i < 3; i++) stations[0]!.transmit(numberedFrame(1, i));
    sim.scheduler.runUntilIdle();
    expect(arrivals[1]!.map((a) => a.time)).toEqual([0, 1, 2].map((k) => k * (FRAME_64 + IFG) + FRAME_64 + DELAY));
  });

  it('defers while it senses another carrier, then waits the gap after it ends', () => {
    const { sim, stations, arrivals } = busWith(2);
    stations[0]!.transmit(numberedFrame(1, 1));
    // s2 hears s1 from 1 µs on; at 10 µs it must wait until s1's carrier ends here (58.6 µs) + IFG.
    sim.scheduler.runUntil(10_000);
    stations[1]!.transmit(numberedFrame(2, 1));
    sim.scheduler.runUntilIdle();
    const s2Start = FRAME_64 + DELAY + IFG;
    expect(arrivals[0]).toEqual([{ time: s2Start + FRAME_64 + DELAY, id: '2:1' }]);
    expect(stations[1]!.csmaStats.deferrals).toBe(1);
    expect(stations[1]!.csmaStats.collisions).toBe(0);
  });

  it('reports capabilities and drops frames over mtu + 22 bytes', () => {
    const { stations, nodes } = busWith(2);
    expect(stations[0]!.capabilities).toMatchObject({ mtu: 1500, maxFrameBytes: 1522, bitsPerSecond: 10e6, propagationDelay: DELAY });
    expect(stations[0]!.transmit(numberedFrame(1, 1, 1523))).toBe(false);
    expect(nodes[0]!.counters.get(`drop.physical.${DropReason.TooBig}`)).toBe(1);
  });

  it('drops beyond the queue limit', () => {
    const { stations } = busWith(2, { queueLimit: 2 });
    const accepted = [0, 1, 2, 3].map((i) => stations[0]!.transmit(numberedFrame(1, i)));
    expect(accepted).toEqual([true, true, true, false]);
    expect(stations[0]!.stats.drops).toBe(1);
  });
});

describe('CsmaCdBus collisions', () => {
  it('two stations sending at the same instant collide, jam, back off and both frames get through', () => {
    const { sim, stations, arrivals, trace } = busWith(3);
    const events = trace();
    stations[0]!.transmit(numberedFrame(1, 1));
    stations[1]!.transmit(numberedFrame(2, 1));
    sim.scheduler.runUntilIdle();
    expect(arrivals[2]!.map((a) => a.id).sort()).toEqual(['1:1', '2:1']);
    expect(arrivals[0]!.map((a) => a.id)).toEqual(['2:1']);
    expect(arrivals[1]!.map((a) => a.id)).toEqual(['1:1']);
    // Both hear the other's carrier one propagation delay in and jam (s2 first: s1's carrier
    // was put on the bus first, so its arrival at s2 is processed first).
    const notes = events.filter((e): e is NoteEvent => e.kind === 'note' && e.protocol === 'csma-cd');
    const firstCollisions = notes.filter((n) => n.message.startsWith('collision'));
    expect(firstCollisions.slice(0, 2).map((n) => [n.time, n.node, n.message])).toEqual([
      [DELAY, 's2', 'collision with s1:eth0 on attempt 1: sending a 32-bit jam'],
      [DELAY, 's1', 'collision with s2:eth0 on attempt 1: sending a 32-bit jam'],
    ]);
    const backoffs = events.filter((e): e is MetricEvent => e.kind === 'metric');
    expect(backoffs.slice(0, 2).map((m) => [m.time, m.node, m.values.attempt, m.values.k])).toEqual([
      [DELAY + JAM, 's2', 1, 1],
      [DELAY + JAM, 's1', 1, 1],
    ]);
    for (const m of backoffs) {
      const { slots, k, backoffNs } = m.values as { slots: number; k: number; backoffNs: number };
      expect(slots).toBeGreaterThanOrEqual(0);
      expect(slots).toBeLessThan(2 ** k);
      expect(backoffNs).toBe(slots * SLOT);
    }
    expect(stations[0]!.csmaStats.collisions).toBeGreaterThanOrEqual(1);
    expect(stations[1]!.csmaStats.collisions).toBe(stations[0]!.csmaStats.collisions);
    // Each frame is traced once as tx (first attempt), whatever the retries.
    const tx = events.filter((e) => e.kind === 'frame' && e.action === 'tx');
    expect(tx.map((e) => [e.time, e.node])).toEqual([[0, 's1'], [0, 's2']]);
  });

  it('the winner of a backoff sends when its slot comes; the loser defers to it', () => {
    // Seeds differ in the backoff draws; find one where the draws differ on the first try.
    for (let seed = 1; seed < 50; seed++) {
      const { sim, stations, arrivals, trace } = busWith(3, {}, seed);
      const events = trace();
      stations[0]!.transmit(numberedFrame(1, 1));
      stations[1]!.transmit(numberedFrame(2, 1));
      sim.scheduler.runUntilIdle();
      const metrics = events.filter((e): e is MetricEvent => e.kind === 'metric');
      if (metrics.length !== 2 || metrics[0]!.values.slots === metrics[1]!.values.slots) continue;
      const s1Slots = metrics.find((m) => m.node === 's1')!.values.slots;
      const winner = s1Slots === 0 ? '1:1' : '2:1';
      // Slot 0: the winner retries when its jam ends, but still hears the other's jam for one
      // delay; it then waits the gap: start = jam end + delay + IFG.
      const start = DELAY + JAM + DELAY + IFG;
      expect(arrivals[2]![0]).toEqual({ time: start + FRAME_64 + DELAY, id: winner });
      return;
    }
    throw new Error('no seed gave different backoff draws');
  });

  it('many stations under load all deliver their frames or count excessive-collision drops', () => {
    const count = 12;
    const perStation = 20;
    const { sim, bus, stations, arrivals, nodes } = busWith(count + 1, { queueLimit: 100 });
    for (let s = 0; s < count; s++) for (let i = 0; i < perStation; i++) stations[s]!.transmit(numberedFrame(s + 1, i, 100));
    sim.scheduler.runUntilIdle();
    const listener = arrivals[count]!.map((a) => a.id);
    expect(new Set(listener).size).toBe(listener.length);
    for (let s = 0; s < count; s++) {
      const delivered = listener.filter((id) => id.startsWith(`${s + 1}:`)).length;
      expect(delivered + stations[s]!.csmaStats.excessiveCollisionDrops).toBe(perStation);
      expect(nodes[s]!.counters.get(`drop.physical.${DropReason.Collision}`)).toBe(stations[s]!.csmaStats.excessiveCollisionDrops);
      // Each station hears everything the others got through.
      expect(arrivals[s]!.length).toBe(listener.length - delivered);
    }
    expect(bus.stats.collisions).toBeGreaterThan(count);
    expect(bus.stats.deferrals).toBeGreaterThan(0);
    expect(bus.stats.lateCollisions).toBe(0);
    // Frames from one station arrive in the order it sent them.
    for (let s = 0; s < count; s++) {
      const seqs = listener.filter((id) => id.startsWith(`${s + 1}:`)).map((id) => Number(id.split(':')[1]));
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    }
  });

  it('shows the capture effect: the station that wins the channel keeps it until its queue is empty', () => {
    const { sim, stations, arrivals } = busWith(5);
    for (let s = 0; s < 4; s++) for (let i = 0; i < 5; i++) stations[s]!.transmit(numberedFrame(s + 1, i, 100));
    sim.scheduler.runUntilIdle();
    const senders = arrivals[4]!.map((a) => a.id.split(':')[0]);
    expect(senders).toHaveLength(20);
    const runs = senders.filter((s, i) => i === 0 || s !== senders[i - 1]).length;
    expect(runs).toBe(4);
  });

  it(`gives up after ${ATTEMPT_LIMIT} attempts with a Collision drop`, () => {
    // Two stations whose backoff streams always agree collide on every attempt.
    const { sim, bus, trace } = busWith(0);
    const events = trace();
    const [a, b, c] = ['s1', 's2', 's3'].map((n) => createNodeContext(sim, n));
    const s1 = bus.attach(a!, 'eth0', new Random(5));
    const s2 = bus.attach(b!, 'eth0', new Random(5));
    const listener = bus.attach(c!, 'eth0');
    const heard: Uint8Array[] = [];
    listener.setReceiver((f) => heard.push(f));
    s1.transmit(numberedFrame(1, 1));
    s2.transmit(numberedFrame(2, 1));
    sim.scheduler.runUntilIdle();
    expect(heard).toEqual([]);
    expect(s1.csmaStats).toMatchObject({ collisions: ATTEMPT_LIMIT, excessiveCollisionDrops: 1 });
    expect(s2.csmaStats).toMatchObject({ collisions: ATTEMPT_LIMIT, excessiveCollisionDrops: 1 });
    expect(a!.counters.get('drop.physical.collision')).toBe(1);
    const lost = events.filter((e) => e.kind === 'frame' && e.action === 'lost');
    expect(lost.map((e) => e.node).sort()).toEqual(['s1', 's2']);
    expect(lost[0]).toMatchObject({ detail: `excessive collisions: gave up after ${ATTEMPT_LIMIT} attempts` });
  });

  it('k stops growing at 10', () => {
    const { sim, bus, trace } = busWith(0);
    const events = trace();
    const s1 = bus.attach(createNodeContext(sim, 's1'), 'eth0', new Random(9));
    const s2 = bus.attach(createNodeContext(sim, 's2'), 'eth0', new Random(9));
    s1.transmit(numberedFrame(1, 1));
    s2.transmit(numberedFrame(2, 1));
    sim.scheduler.runUntilIdle();
    const ks = events.filter((e): e is MetricEvent => e.kind === 'metric' && e.node === 's1').map((m) => m.values.k);
    expect(ks).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10, 10, 10, 10, 10]);
  });

  it('marks a frame lost to a late collision when 2 * delay exceeds the frame time', () => {
    // 10 km of cable: 50 µs each way, longer than half a 64-byte frame.
    const { sim, stations, arrivals, bus, trace } = busWith(2, { delay: '50us' });
    const events = trace();
    stations[0]!.transmit(numberedFrame(1, 1, 64));
    sim.scheduler.runUntil(40_000);
    stations[1]!.transmit(numberedFrame(2, 1, 64));
    sim.scheduler.runUntilIdle();
    expect(bus.stats.lateCollisions).toBeGreaterThan(0);
    expect(arrivals[1]!.map((a) => a.id)).not.toContain('1:1');
    // The frame was sent (the station's capture has it); the bus lost it.
    const late = events.filter((e) => e.kind === 'frame' && e.action === 'lost' && e.detail === 'late collision');
    expect(late.length).toBeGreaterThan(0);
    for (const e of late) expect(e).toMatchObject({ node: bus.name, iface: expect.stringMatching(/^s\d:eth0$/) });
  });
});

describe('CsmaCdBus determinism and options', () => {
  function run(seed: number) {
    const { sim, stations, arrivals } = busWith(5, {}, seed);
    for (let s = 0; s < 4; s++) for (let i = 0; i < 10; i++) stations[s]!.transmit(numberedFrame(s + 1, i));
    sim.scheduler.runUntilIdle();
    return arrivals[4]!;
  }

  it('the same seed gives the same deliveries at the same times', () => {
    expect(run(11)).toEqual(run(11));
    expect(run(11)).toHaveLength(40);
  });

  it('a different seed gives different backoff and so different times', () => {
    expect(run(12)).not.toEqual(run(11));
  });

  it('rejects bad options with typed errors naming the value', () => {
    const sim = busWith(0).sim;
    expect(() => new CsmaCdBus(sim, { bandwidth: 0 })).toThrow(InvalidUnitError);
    expect(() => new CsmaCdBus(sim, { delay: '-5ms' })).toThrow(/"-5ms"/);
    expect(() => new CsmaCdBus(sim, { mtu: 20 })).toThrow(InvalidArgumentError);
    expect(() => new CsmaCdBus(sim, { queueLimit: -1 })).toThrow(/queueLimit -1/);
  });
});

describe('CsmaCdBus invariants under random load', () => {
  const loadArb = fc.record({
    stations: fc.integer({ min: 2, max: 8 }),
    delay: fc.integer({ min: 0, max: 2_500 }),
    seed: fc.integer({ min: 1, max: 1_000_000 }),
    sends: fc.array(fc.record({ station: fc.nat(), at: fc.integer({ min: 0, max: 2_000_000 }), size: fc.integer({ min: 1, max: 1518 }) }), { maxLength: 80 }),
  });

  it('every frame is delivered to all others or counted as dropped; delivered frames never overlap and are a gap apart', () => {
    fc.assert(
      fc.property(loadArb, ({ stations: count, delay, seed, sends }) => {
        const { sim, bus, stations } = busWith(count + 1, { delay }, seed);
        const listenerIndex = count;
        const heard: { time: number; id: string; length: number }[] = [];
        stations[listenerIndex]!.setReceiver((frame) => heard.push({ time: sim.scheduler.now(), id: frameId(frame), length: frame.length }));
        const offered = new Array<number>(count).fill(0);
        sends.forEach((s, seq) => {
          const from = s.station % count;
          offered[from]!++;
          sim.scheduler.scheduleAt(s.at, () => stations[from]!.transmit(numberedFrame(from + 1, seq, Math.max(5, s.size))));
        });
        sim.scheduler.runUntilIdle();
        for (let s = 0; s < count; s++) {
          const delivered = heard.filter((h) => h.id.startsWith(`${s + 1}:`)).length;
          expect(delivered + stations[s]!.stats.drops).toBe(offered[s]);
          expect(stations[s]!.stats.rxFrames).toBe(heard.length - delivered);
        }
        expect(new Set(heard.map((h) => h.id)).size).toBe(heard.length);
        // On the bus: frame i occupies [arrival - delay - serialization, arrival - delay).
        let previousEnd = -Infinity;
        for (const h of heard) {
          const end = h.time - delay;
          const start = end - (h.length + 8) * 8 * BIT;
          expect(start - previousEnd).toBeGreaterThanOrEqual(IFG);
          previousEnd = end;
        }
        expect(bus.stats.lateCollisions).toBe(0);
      }),
      { numRuns: 150, seed: 4321 },
    );
  });
});
