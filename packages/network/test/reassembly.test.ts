// Reassembly (RFC 791 §3.2, RFC 815): in and out of order, timeout at exactly the configured
// time, duplicates, overlaps (same bytes accepted, different bytes discard the datagram),
// malformed fragments, and the memory bound.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createNodeContext, createSimulationContext, DropReason, Ipv4Address, NS_PER_S, type DropEvent } from '@netlayers/core';
import { Reassembler, emitIpv4Header, fragmentDatagram, makeIpv4Header, type Fragment, type Ipv4Header } from '../src/index.ts';

function setup(options: { timeout?: number; memoryLimit?: number } = {}) {
  const sim = createSimulationContext(3);
  const node = createNodeContext(sim, 'h');
  const drops: DropEvent[] = [];
  sim.trace.on('drop', (e) => drops.push(e));
  const expired: { at: number; header: Ipv4Header; bytes: Uint8Array }[] = [];
  const reassembler = new Reassembler(node, { timeout: options.timeout ?? 30 * NS_PER_S, memoryLimit: options.memoryLimit ?? 256 * 1024 }, (bytes, header) =>
    expired.push({ at: sim.scheduler.now(), header, bytes }),
  );
  return { sim, node, drops, expired, reassembler };
}

function fragmentsOf(length: number, identification = 9, mtu = 1500, source = '10.0.0.1'): { payload: Uint8Array; fragments: Fragment[] } {
  const payload = new Uint8Array(length);
  for (let i = 0; i < length; i++) payload[i] = (i * 13 + identification) & 0xff;
  const header = makeIpv4Header({ source: Ipv4Address.parse(source), destination: Ipv4Address.parse('10.0.0.2'), protocol: 17, payloadLength: length, identification });
  return { payload, fragments: fragmentDatagram(header, payload, mtu)! };
}

function wire(f: Fragment): Uint8Array {
  const bytes = new Uint8Array(f.header.totalLength);
  emitIpv4Header(f.header, bytes);
  bytes.set(f.payload, f.header.headerLength);
  return bytes;
}

const add = (r: Reassembler, f: Fragment) => r.add(f.header, f.payload, wire(f), 'eth0');

describe('Reassembler', () => {
  it('reassembles fragments in order into the original datagram', () => {
    const { reassembler } = setup();
    const { payload, fragments } = fragmentsOf(3980);
    expect(add(reassembler, fragments[0]!)).toBeNull();
    expect(add(reassembler, fragments[1]!)).toBeNull();
    const whole = add(reassembler, fragments[2]!)!;
    expect(whole.payload).toEqual(payload);
    expect(whole.header).toMatchObject({ totalLength: 4000, moreFragments: false, fragmentOffset: 0, identification: 9 });
    expect(whole.fragments).toBe(3);
    expect(whole.datagram.length).toBe(4000);
    expect(reassembler.pendingCount).toBe(0);
    expect(reassembler.bytesHeld).toBe(0);
  });

  it('reassembles in any order', () => {
    const { reassembler } = setup();
    const { payload, fragments } = fragmentsOf(3980);
    expect(add(reassembler, fragments[2]!)).toBeNull();
    expect(add(reassembler, fragments[0]!)).toBeNull();
    expect(add(reassembler, fragments[1]!)!.payload).toEqual(payload);
  });

  it('keeps datagrams apart by source and identification', () => {
    const { reassembler } = setup();
    const one = fragmentsOf(2000, 1);
    const two = fragmentsOf(2000, 1, 1500, '10.0.0.9');
    const three = fragmentsOf(2000, 2);
    add(reassembler, one.fragments[0]!);
    add(reassembler, two.fragments[0]!);
    add(reassembler, three.fragments[0]!);
    expect(reassembler.pendingCount).toBe(3);
    expect(add(reassembler, two.fragments[1]!)!.payload).toEqual(two.payload);
    expect(add(reassembler, one.fragments[1]!)!.payload).toEqual(one.payload);
    expect(reassembler.pendingCount).toBe(1);
  });

  it('times out at exactly the configured time, drops with ReassemblyTimeout and reports fragment 0', () => {
    const { sim, reassembler, drops, expired } = setup({ timeout: 5 * NS_PER_S });
    const { fragments } = fragmentsOf(3980);
    sim.scheduler.runUntil(1000);
    add(reassembler, fragments[0]!);
    sim.scheduler.runUntil(2 * NS_PER_S);
    add(reassembler, fragments[2]!); // the timer runs from the first fragment, not the last
    sim.scheduler.runUntil(5 * NS_PER_S + 999);
    expect(expired).toHaveLength(0);
    sim.scheduler.runUntil(5 * NS_PER_S + 1000);
    expect(expired).toHaveLength(1);
    expect(expired[0]!.at).toBe(5 * NS_PER_S + 1000);
    expect(expired[0]!.header.fragmentOffset).toBe(0);
    expect(expired[0]!.bytes.length).toBe(1500);
    expect(drops.map((d) => [d.reason, d.time, d.length])).toEqual([[DropReason.ReassemblyTimeout, 5 * NS_PER_S + 1000, 1480 + 1020]]);
    expect(reassembler.bytesHeld).toBe(0);
    // The missing piece arriving later starts over; it does not complete anything.
    expect(add(reassembler, fragments[1]!)).toBeNull();
  });

  it('does not report a timeout upward when fragment 0 never came (no ICMP is due)', () => {
    const { sim, reassembler, drops, expired } = setup({ timeout: NS_PER_S });
    const { fragments } = fragmentsOf(3980);
    add(reassembler, fragments[1]!);
    sim.scheduler.runUntilIdle();
    expect(expired).toHaveLength(0);
    expect(drops.map((d) => d.reason)).toEqual([DropReason.ReassemblyTimeout]);
  });

  it('ignores an exact duplicate', () => {
    const { reassembler, drops } = setup();
    const { payload, fragments } = fragmentsOf(3980);
    add(reassembler, fragments[0]!);
    add(reassembler, fragments[0]!);
    add(reassembler, fragments[1]!);
    expect(reassembler.bytesHeld).toBe(2960);
    expect(add(reassembler, fragments[2]!)!.payload).toEqual(payload);
    expect(drops).toHaveLength(0);
  });

  it('accepts an overlap that carries the same bytes', () => {
    const { reassembler } = setup();
    const { payload, fragments } = fragmentsOf(3980);
    const f0 = fragments[0]!;
    // A fragment covering 1000..2480 with the original bytes overlaps both neighbours consistently.
    const overlap: Fragment = { header: { ...f0.header, fragmentOffset: 1000, totalLength: 20 + 1480 }, payload: payload.subarray(1000, 2480) };
    add(reassembler, f0);
    add(reassembler, overlap);
    add(reassembler, fragments[2]!);
    expect(add(reassembler, fragments[1]!)!.payload).toEqual(payload);
  });

  it('reassembles any cover of the datagram by fragments in any order, overlaps and duplicates included', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 600 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 40 })), { maxLength: 30 }),
        fc.array(fc.nat(), { maxLength: 60 }),
        (blocks, extras, shuffle) => {
          // The payload is `blocks` 8-byte blocks plus a tail; fragments are runs of blocks.
          const length = blocks * 8 + 5;
          const { payload } = fragmentsOf(length);
          const base = fragmentsOf(length).fragments[0]!.header;
          const piece = (from: number, to: number): Fragment => ({
            header: { ...base, fragmentOffset: from, moreFragments: to < length, totalLength: 20 + to - from },
            payload: payload.subarray(from, to),
          });
          const list: Fragment[] = [];
          for (let at = 0; at < length; ) {
            const size = Math.min(length - at, 8 * (1 + (list.length % 5)));
            const to = at + size >= length ? length : at + size;
            list.push(piece(at, to));
            at = to;
          }
          for (const [start, run] of extras) {
            const from = (start % blocks) * 8;
            const to = Math.min(length, from + run * 8);
            list.push(piece(from, to < length && (to - from) % 8 !== 0 ? from + 8 : to));
          }
          for (let i = list.length - 1; i > 0; i--) {
            const j = (shuffle[i % Math.max(1, shuffle.length)] ?? 0) % (i + 1);
            [list[i], list[j]] = [list[j]!, list[i]!];
          }
          const { reassembler, drops } = setup();
          const results = list.map((f) => add(reassembler, f)).filter((r) => r !== null);
          // Whatever completes it first is the whole datagram; later copies start a new one.
          expect(results.length).toBeGreaterThanOrEqual(1);
          expect(results[0]!.payload).toEqual(payload);
          expect(drops).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('takes the length from a last fragment whose bytes an overlapping fragment already brought', () => {
    const { reassembler, drops } = setup();
    const { payload, fragments } = fragmentsOf(3984);
    const [f0, f1, f2] = fragments as [Fragment, Fragment, Fragment];
    // 1480..3984 with MF set brings every byte after fragment 0; the real last fragment then
    // adds no byte, only the length.
    const wide: Fragment = { header: { ...f1.header, fragmentOffset: 1480, moreFragments: true, totalLength: 20 + 2504 }, payload: payload.subarray(1480, 3984) };
    expect(add(reassembler, wide)).toBeNull();
    expect(add(reassembler, f0)).toBeNull();
    expect(add(reassembler, f2)!.payload).toEqual(payload);
    expect(drops).toEqual([]);
  });

  it('discards the whole datagram on an overlap with different bytes (teardrop), and its later fragments too', () => {
    const { sim, reassembler, drops } = setup({ timeout: NS_PER_S });
    const { fragments } = fragmentsOf(3980);
    add(reassembler, fragments[0]!);
    const evil = fragments[1]!.payload.slice();
    evil[0] = evil[0]! ^ 0xff;
    const rewritten: Fragment = { header: { ...fragments[1]!.header, fragmentOffset: 1472 }, payload: evil };
    expect(add(reassembler, rewritten)).toBeNull();
    expect(drops.map((d) => d.reason)).toEqual([DropReason.FragmentInvalid]);
    expect(drops[0]!.detail).toMatch(/overlaps 0-1480 with different contents/);
    expect(reassembler.bytesHeld).toBe(0);
    expect(add(reassembler, fragments[1]!)).toBeNull();
    expect(add(reassembler, fragments[2]!)).toBeNull();
    expect(drops.map((d) => d.reason)).toEqual([DropReason.FragmentInvalid, DropReason.FragmentInvalid, DropReason.FragmentInvalid]);
    sim.scheduler.runUntilIdle();
    // The tombstone expires silently; after it a fresh datagram with that id reassembles.
    expect(drops).toHaveLength(3);
    for (const f of fragments) add(reassembler, f);
    expect(reassembler.pendingCount).toBe(0);
  });

  it('rejects a non-last fragment whose size is not a multiple of 8, and disagreeing last fragments', () => {
    const { reassembler, drops } = setup();
    const { fragments } = fragmentsOf(3980);
    const odd: Fragment = { header: { ...fragments[0]!.header, totalLength: 20 + 1479 }, payload: fragments[0]!.payload.subarray(0, 1479) };
    expect(add(reassembler, odd)).toBeNull();
    add(reassembler, fragments[2]!);
    const shorterLast: Fragment = { header: { ...fragments[2]!.header, totalLength: 20 + 16 }, payload: fragments[2]!.payload.subarray(0, 16) };
    add(reassembler, shorterLast);
    expect(drops.map((d) => d.reason)).toEqual([DropReason.FragmentInvalid, DropReason.FragmentInvalid]);
    expect(drops[1]!.detail).toMatch(/disagree/);
  });

  it('bounds memory: the oldest pending datagram is evicted with ReassemblyOverflow', () => {
    const { reassembler, drops } = setup({ memoryLimit: 4000 });
    const first = fragmentsOf(3980, 1);
    const second = fragmentsOf(3980, 2);
    add(reassembler, first.fragments[0]!);
    add(reassembler, first.fragments[1]!);
    expect(reassembler.bytesHeld).toBe(2960);
    add(reassembler, second.fragments[0]!); // 2960 + 1480 > 4000: evict datagram 1
    expect(drops.map((d) => [d.reason, d.length])).toEqual([[DropReason.ReassemblyOverflow, 2960]]);
    expect(reassembler.bytesHeld).toBe(1480);
    add(reassembler, second.fragments[1]!);
    expect(add(reassembler, second.fragments[2]!)!.payload).toEqual(second.payload);
    expect(add(reassembler, first.fragments[2]!)).toBeNull();
  });

  it('drops a single fragment larger than the whole memory limit', () => {
    const { reassembler, drops } = setup({ memoryLimit: 1000 });
    const { fragments } = fragmentsOf(3980);
    expect(add(reassembler, fragments[0]!)).toBeNull();
    expect(drops.map((d) => d.reason)).toEqual([DropReason.ReassemblyOverflow]);
    expect(reassembler.bytesHeld).toBe(0);
  });
});
