// Capture points as tcpdump has them: a node's NIC sees 'tx' when it hands a frame to the
// medium (before any impairment) and 'rx' when the medium delivers one; what the medium does
// in between (loss, duplication, corruption, delay) is traced on the medium, never on a node.

import { describe, expect, it } from 'vitest';
import { DropReason, type FrameEvent } from '@netlayers/core';
import { Hub, PointToPointLink, type MediumOptions } from '../src/index.ts';
import { bitDifference, frameEvents, numberedFrame, recordArrivals, recordTrace, seqOf, world } from './support/harness.ts';

function link(options: MediumOptions) {
  const w = world(3);
  const a = w.node('a');
  const b = w.node('b');
  const medium = new PointToPointLink(w.sim, { name: 'a-b', ...options });
  const pa = medium.attach(a, 'eth0');
  const pb = medium.attach(b, 'eth0');
  const atB = recordArrivals(pb, w.sim);
  const events = recordTrace(w.sim);
  return { w, a, b, medium, pa, pb, atB, events };
}

const at = (events: FrameEvent[], node: string, action: FrameEvent['action']) => events.filter((e) => e.node === node && e.action === action);

describe('capture points: tx before the medium, rx after it', () => {
  it('loss: sender tx, medium lost (with a drop event on the medium), nothing at the receiver', () => {
    const { w, a, pa, events, atB } = link({ impairments: { loss: 1 } });
    pa.transmit(numberedFrame(1));
    w.sim.scheduler.runUntilIdle();
    const frames = frameEvents(events);
    expect(atB).toHaveLength(0);
    expect(at(frames, 'a', 'tx').map((e) => seqOf(e.bytes))).toEqual([1]);
    expect(at(frames, 'b', 'rx')).toHaveLength(0);
    expect(at(frames, 'a-b', 'lost')).toHaveLength(1);
    expect(at(frames, 'a-b', 'lost')[0]).toMatchObject({ iface: 'a:eth0', role: 'physical', protocol: 'phy', detail: 'loss (p=1)' });
    expect(frames.filter((e) => e.node === 'a').map((e) => e.action)).toEqual(['tx']);
    expect(events.find((e) => e.kind === 'drop')).toMatchObject({ node: 'a-b', reason: DropReason.Impairment, iface: 'a:eth0' });
    // The drop is still counted against the sending node's port.
    expect(a.counters.get('drop.physical.impairment')).toBe(1);
    expect(pa.stats.drops).toBe(1);
  });

  it('reordering: the sender\'s capture keeps the order it sent in; the receiver sees the overtaking', () => {
    const { w, pa, events, atB } = link({ bandwidth: '1Gbps', impairments: { reorder: { probability: 0.5, delay: '1ms' } } });
    for (let i = 0; i < 40; i++) pa.transmit(numberedFrame(i));
    w.sim.scheduler.runUntilIdle();
    const frames = frameEvents(events);
    expect(at(frames, 'a', 'tx').map((e) => seqOf(e.bytes))).toEqual(Array.from({ length: 40 }, (_, i) => i));
    const received = at(frames, 'b', 'rx').map((e) => seqOf(e.bytes));
    expect(received).toEqual(atB.map((x) => seqOf(x.frame)));
    expect(received).not.toEqual([...received].sort((x, y) => x - y));
    expect(at(frames, 'a-b', 'delayed').length).toBeGreaterThan(0);
    expect(at(frames, 'a-b', 'delayed')[0]!.detail).toMatch(/reorder/);
    // Each tx at the sender precedes, in time, the rx of the same frame.
    for (const rx of at(frames, 'b', 'rx')) expect(at(frames, 'a', 'tx').find((tx) => seqOf(tx.bytes) === seqOf(rx.bytes))!.time).toBeLessThan(rx.time);
  });

  it('duplication: one tx at the sender, two rx at the receiver, a duplicated event on the medium', () => {
    const { w, pa, events, atB } = link({ impairments: { duplicate: 1 } });
    pa.transmit(numberedFrame(5));
    w.sim.scheduler.runUntilIdle();
    const frames = frameEvents(events);
    expect(at(frames, 'a', 'tx')).toHaveLength(1);
    expect(at(frames, 'b', 'rx')).toHaveLength(2);
    expect(atB).toHaveLength(2);
    expect(at(frames, 'a-b', 'duplicated').map((e) => seqOf(e.bytes))).toEqual([5]);
  });

  it('corruption: the sender captures the frame it sent, the receiver the corrupted one', () => {
    const { w, pa, events } = link({ impairments: { corrupt: 1 } });
    const sent = numberedFrame(9);
    pa.transmit(sent.slice());
    w.sim.scheduler.runUntilIdle();
    const frames = frameEvents(events);
    expect(at(frames, 'a', 'tx')[0]!.bytes).toEqual(sent);
    expect(bitDifference(at(frames, 'b', 'rx')[0]!.bytes, sent)).toBe(1);
    const corrupted = at(frames, 'a-b', 'corrupted');
    expect(corrupted).toHaveLength(1);
    expect(corrupted[0]!.bytes).toEqual(at(frames, 'b', 'rx')[0]!.bytes);
    expect(corrupted[0]!.detail).toMatch(/^flipped bit \d of byte \d+ \(of 64\)$/);
  });

  it('a hub\'s losses are on the hub, and its ports still capture at their NICs', () => {
    const w = world(1);
    const hub = new Hub(w.sim, { name: 'hub1', impairments: { loss: 1 } });
    const p1 = hub.attach(w.node('h1'), 'eth0');
    hub.attach(w.node('h2'), 'eth0');
    const events = recordTrace(w.sim);
    p1.transmit(numberedFrame(1));
    w.sim.scheduler.runUntilIdle();
    const frames = frameEvents(events);
    expect(frames.map((e) => `${e.node} ${e.iface} ${e.action}`)).toEqual(['h1 eth0 tx', 'hub1 h1:eth0 lost']);
  });

  it('a frame on the wire when the link goes down is lost on the medium; queued ones on the node', () => {
    const { w, medium, pa, events } = link({});
    for (let i = 0; i < 3; i++) pa.transmit(numberedFrame(i, 1500));
    w.sim.scheduler.runUntil(100_000);
    medium.setUp(false);
    const frames = frameEvents(events);
    expect(frames.map((e) => `${e.node} ${e.action} ${seqOf(e.bytes)}`)).toEqual(['a tx 0', 'a-b lost 0', 'a lost 1', 'a lost 2']);
  });

  it('a frame refused by the sender\'s own port (queue full) never appears as tx', () => {
    const { w, pa, events } = link({ queueLimit: 0 });
    pa.transmit(numberedFrame(1));
    pa.transmit(numberedFrame(2));
    w.sim.scheduler.runUntilIdle();
    const frames = frameEvents(events);
    expect(frames.map((e) => `${e.node} ${e.action} ${seqOf(e.bytes)}`)).toEqual(['a tx 1', 'a lost 2', 'b rx 1']);
  });
});
