// Behaviour the allocation-light hot paths must keep: slab-carved buffers start zeroed and
// never overlap, Packet.bytes follows every head/tail move, the unrolled checksum equals the
// word-by-word definition, and MacAddress.fromBytes reads the same address it always did.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { allocBytes, copyBytes, onesComplementSum, finishChecksum, MacAddress, Packet, Random } from '../src/index.ts';

/** RFC 1071 word by word, folding as it goes: the reference the fast sum must match. */
function referenceSum(bytes: Uint8Array, start: number, end: number, initial: number): number {
  let sum = initial;
  for (let i = start; i < end; i += 2) {
    sum += (bytes[i]! << 8) | (i + 1 < end ? bytes[i + 1]! : 0);
    sum = (sum & 0xffff) + (sum >>> 16);
  }
  return sum;
}

describe('allocBytes / copyBytes', () => {
  it('hands out zeroed regions of the exact length that never overlap, even after earlier ones were written', () => {
    const taken: Uint8Array[] = [];
    for (let i = 0; i < 400; i++) {
      const length = (i * 37) % 1700;
      const bytes = allocBytes(length);
      expect(bytes.length).toBe(length);
      expect(bytes.every((b) => b === 0)).toBe(true);
      bytes.fill(0xff);
      taken.push(bytes);
    }
    for (const bytes of taken) expect(bytes.every((b) => b === 0xff)).toBe(true);
    const big = allocBytes(20_000);
    expect(big.length).toBe(20_000);
    expect(big.every((b) => b === 0)).toBe(true);
  });

  it('copyBytes is independent of its source', () => {
    const source = new Uint8Array([1, 2, 3, 4, 5]);
    const copy = copyBytes(source);
    source[0] = 99;
    expect([...copy]).toEqual([1, 2, 3, 4, 5]);
    copy[1] = 42;
    expect(source[1]).toBe(2);
  });

  it('Packet.alloc gives zero payload bytes after other packets dirtied the slab', () => {
    for (let i = 0; i < 100; i++) Packet.alloc(1500).bytes.fill(0xaa);
    const p = Packet.alloc(1500);
    expect(p.bytes.every((b) => b === 0)).toBe(true);
    expect(p.prepend(60).every((b) => b === 0)).toBe(true);
  });
});

describe('Packet.bytes after head and tail moves', () => {
  it('always shows exactly the current bytes', () => {
    const p = Packet.from(new Uint8Array([5, 6, 7]), 4, 4);
    const first = p.bytes;
    expect(p.bytes).toBe(first);
    p.prepend(2).set([3, 4]);
    expect([...p.bytes]).toEqual([3, 4, 5, 6, 7]);
    p.append(1).set([8]);
    expect([...p.bytes]).toEqual([3, 4, 5, 6, 7, 8]);
    p.pull(1);
    expect([...p.bytes]).toEqual([4, 5, 6, 7, 8]);
    p.truncate(3);
    expect([...p.bytes]).toEqual([4, 5, 6]);
    p.prepend(10).fill(1); // beyond the headroom: grows
    expect(p.length).toBe(13);
    expect([...p.bytes.subarray(10)]).toEqual([4, 5, 6]);
    expect([...first]).toEqual([5, 6, 7]);
  });
});

describe('onesComplementSum', () => {
  it('matches the word-by-word definition for every length, offset and initial value', () => {
    const random = new Random(7);
    const data = random.bytes(3000);
    for (let length = 0; length <= 64; length++) {
      for (const start of [0, 2, 14]) {
        const initial = random.nextUint32() & 0x3ffff;
        expect(finishChecksum(onesComplementSum(data, start, start + length, initial))).toBe(finishChecksum(referenceSum(data, start, start + length, initial)));
      }
    }
    // fast-check: 200 random even starts and lengths; a failure shrinks to the smallest range.
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 1999 }), (a, length) => {
        const start = a & ~1;
        const end = start + length;
        expect(finishChecksum(onesComplementSum(data, start, end))).toBe(finishChecksum(referenceSum(data, start, end, 0)));
      }),
      { numRuns: 200 },
    );
  });

  it('stays exact over inputs long enough to need intermediate folding', () => {
    const all = new Uint8Array(200_000).fill(0xff);
    expect(finishChecksum(onesComplementSum(all))).toBe(finishChecksum(referenceSum(all, 0, all.length, 0)));
    const random = new Random(3).bytes(131_071);
    expect(finishChecksum(onesComplementSum(random, 0, random.length, 0xfffff))).toBe(finishChecksum(referenceSum(random, 0, random.length, 0xfffff)));
  });
});

describe('MacAddress.fromBytes', () => {
  it('reads the same address as parse, whatever was read before (recent-address cache)', () => {
    // fast-check: 10 runs of 200 addresses read one after another (2000 in all), a third of
    // them sharing a last octet (and so cache slots); a failure shrinks to the shortest run.
    const address = fc.tuple(fc.uint8Array({ minLength: 6, maxLength: 6 }), fc.integer({ min: 0, max: 2 })).map(([octets, share]) => {
      if (share === 0) octets[5] = 0x10; // many addresses sharing cache slots
      return octets;
    });
    fc.assert(
      fc.property(fc.array(address, { minLength: 200, maxLength: 200 }), (addresses) => {
        for (const octets of addresses) {
          const text = [...octets].map((o) => o.toString(16).padStart(2, '0')).join(':');
          const frame = new Uint8Array(14);
          frame.set(octets, 6);
          const mac = MacAddress.fromBytes(frame, 6);
          expect(mac.toString()).toBe(text);
          expect(mac.equals(MacAddress.parse(text))).toBe(true);
          expect([...mac.bytes()]).toEqual([...octets]);
        }
      }),
      { numRuns: 10 },
    );
  });

  it('returns an address value that later changes to the frame cannot alter', () => {
    const frame = new Uint8Array([2, 0, 0, 0, 0, 1]);
    const mac = MacAddress.fromBytes(frame);
    frame[5] = 9;
    expect(mac.toString()).toBe('02:00:00:00:00:01');
    expect(MacAddress.fromBytes(frame).toString()).toBe('02:00:00:00:00:09');
  });
});
