// Fragmentation (RFC 791 §3.2): sizes and offsets of a 4000-byte datagram over MTU 1500,
// 8-byte boundaries, which options are copied, re-fragmenting a fragment.

import { describe, expect, it } from 'vitest';
import { Ipv4Address, isWireError } from '@netlayers/core';
import { Ipv4OptionType, emitIpv4Header, fragmentDatagram, makeIpv4Header, parseIpv4, type Ipv4Header } from '../src/index.ts';

const src = Ipv4Address.parse('10.0.1.1');
const dst = Ipv4Address.parse('10.0.2.2');

function payloadOf(length: number): Uint8Array {
  const p = new Uint8Array(length);
  for (let i = 0; i < length; i++) p[i] = (i * 31 + 7) & 0xff;
  return p;
}

describe('fragmentDatagram', () => {
  it('splits a 4000-byte datagram over MTU 1500 into 1500 + 1500 + 1040 at offsets 0, 1480, 2960', () => {
    const payload = payloadOf(3980);
    const header = makeIpv4Header({ source: src, destination: dst, protocol: 17, payloadLength: 3980, identification: 42 });
    expect(header.totalLength).toBe(4000);
    const fragments = fragmentDatagram(header, payload, 1500)!;
    expect(fragments.map((f) => f.header.totalLength)).toEqual([1500, 1500, 1040]);
    expect(fragments.map((f) => f.header.fragmentOffset)).toEqual([0, 1480, 2960]);
    expect(fragments.map((f) => f.header.moreFragments)).toEqual([true, true, false]);
    expect(fragments.every((f) => f.header.identification === 42)).toBe(true);
    // The pieces are the payload, in order, without gaps.
    const joined = new Uint8Array(3980);
    for (const f of fragments) joined.set(f.payload, f.header.fragmentOffset);
    expect(joined).toEqual(payload);
    // Each emits to a valid datagram whose offset field is offset / 8.
    for (const f of fragments) {
      const bytes = new Uint8Array(f.header.totalLength);
      emitIpv4Header(f.header, bytes);
      bytes.set(f.payload, 20);
      const back = parseIpv4(bytes);
      expect(isWireError(back)).toBe(false);
      expect(((bytes[6]! & 0x1f) << 8 | bytes[7]!) * 8).toBe(f.header.fragmentOffset);
    }
  });

  it('keeps every fragment but the last a multiple of 8 data bytes when the MTU is not', () => {
    const header = makeIpv4Header({ source: src, destination: dst, protocol: 17, payloadLength: 1000 });
    const fragments = fragmentDatagram(header, payloadOf(1000), 597)!;
    // 597 - 20 = 577 → 576 data bytes per fragment.
    expect(fragments.map((f) => f.payload.length)).toEqual([576, 424]);
    expect(fragments[1]!.header.fragmentOffset).toBe(576);
  });

  it('returns the datagram unchanged when it fits, and null when not even 8 bytes fit', () => {
    const header = makeIpv4Header({ source: src, destination: dst, protocol: 17, payloadLength: 100 });
    const one = fragmentDatagram(header, payloadOf(100), 120)!;
    expect(one).toHaveLength(1);
    expect(one[0]!.header).toBe(header);
    expect(fragmentDatagram(header, payloadOf(100), 27)).toBeNull();
  });

  it('copies only options with the copied flag into later fragments', () => {
    const options = [
      { type: Ipv4OptionType.RecordRoute, data: Uint8Array.from([4, 0, 0, 0, 0, 0, 0, 0, 0]) }, // not copied
      { type: Ipv4OptionType.LooseSourceRoute, data: Uint8Array.from([4, 10, 0, 2, 2]) }, // copied
    ];
    const header = makeIpv4Header({ source: src, destination: dst, protocol: 17, payloadLength: 2000, options });
    expect(header.headerLength).toBe(20 + 20);
    const fragments = fragmentDatagram(header, payloadOf(2000), 1000)!;
    expect(fragments[0]!.header.options.map((o) => o.type)).toEqual([7, 131]);
    expect(fragments[0]!.header.headerLength).toBe(40);
    expect(fragments[0]!.payload.length).toBe(960);
    for (const f of fragments.slice(1)) {
      expect(f.header.options.map((o) => o.type)).toEqual([131]);
      expect(f.header.headerLength).toBe(28);
    }
    expect(fragments[1]!.payload.length).toBe(968);
    expect(fragments.every((f) => f.header.totalLength <= 1000)).toBe(true);
  });

  it('re-fragmenting a middle fragment keeps its offset base and its MF on the last piece', () => {
    const middle: Ipv4Header = { ...makeIpv4Header({ source: src, destination: dst, protocol: 17, payloadLength: 1480 }), fragmentOffset: 1480, moreFragments: true };
    const pieces = fragmentDatagram(middle, payloadOf(1480), 576)!;
    expect(pieces.map((p) => [p.header.fragmentOffset, p.payload.length, p.header.moreFragments])).toEqual([
      [1480, 552, true],
      [2032, 552, true],
      [2584, 376, true],
    ]);
  });
});
