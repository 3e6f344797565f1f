import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { internetChecksum, onesComplementSum, finishChecksum, pseudoHeaderSum, updateChecksum, crc32, crc32Portable, Random } from '../src/index.ts';

const hex = (s: string): Uint8Array => Uint8Array.from(s.match(/../g)!.map((b) => parseInt(b, 16)));

describe('Internet checksum (RFC 1071)', () => {
  it('matches the RFC 1071 §3 worked example (sum 0xddf2)', () => {
    const data = hex('0001f203f4f5f6f7');
    expect(finishChecksum(onesComplementSum(data))).toBe(~0xddf2 & 0xffff);
  });

  it('computes a real IPv4 header checksum (0xb861) and verifies to zero', () => {
    const header = hex('450000730000400040110000c0a80001c0a800c7');
    const sum = internetChecksum(header);
    expect(sum).toBe(0xb861);
    header[10] = sum >> 8;
    header[11] = sum & 0xff;
    expect(internetChecksum(header)).toBe(0);
  });

  it('pads odd lengths with a zero byte', () => {
    expect(internetChecksum(hex('010203'))).toBe(internetChecksum(hex('01020300')));
  });

  it('composes partial sums (pseudo-header + segment)', () => {
    const seg = new Random(9).bytes(101);
    const whole = finishChecksum(onesComplementSum(seg, 0, seg.length, pseudoHeaderSum(0x0a000001, 0x0a000002, 6, seg.length)));
    const split = finishChecksum(onesComplementSum(seg, 40, seg.length, onesComplementSum(seg, 0, 40, pseudoHeaderSum(0x0a000001, 0x0a000002, 6, seg.length))));
    expect(split).toBe(whole);
  });

  it('32-bit word sums agree with a 16-bit reference at every alignment, length and split', () => {
    // The reference: RFC 1071's definition, one network-order 16-bit word at a time, folded.
    const reference = (b: Uint8Array, start: number, end: number, initial: number): number => {
      let sum = initial;
      for (let i = start; i < end; i += 2) {
        sum += (b[i]! << 8) | (i + 1 < end ? b[i + 1]! : 0);
        sum = (sum & 0xffff) + (sum >>> 16);
      }
      return sum;
    };
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 3000 }),
        fc.nat(7),
        fc.nat(3000),
        fc.nat(0x3ffff),
        fc.constantFrom(0x00, 0xff, -1),
        (data, shift, cut, initial, fill) => {
          // Place the data at every byte offset of a larger buffer (aligned, odd, 2 mod 4),
          // sometimes all 0xFF or all zero (the sums that wrap to 0xFFFF or stay 0).
          const buffer = new Uint8Array(data.length + 8);
          const view = buffer.subarray(shift % 8, (shift % 8) + data.length);
          if (fill === -1) view.set(data);
          else view.fill(fill);
          const start = Math.min(cut, view.length) & ~1;
          expect(finishChecksum(onesComplementSum(view, start, view.length, initial))).toBe(finishChecksum(reference(view, start, view.length, initial)));
          expect(finishChecksum(onesComplementSum(view, 0, start, onesComplementSum(view, start, view.length)))).toBe(finishChecksum(reference(view, 0, view.length, 0)));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('32-bit word sums stay right when a resizable buffer grows after it was summed', () => {
    type Resizable = ArrayBuffer & { resize(length: number): void };
    const ResizableBuffer = ArrayBuffer as unknown as new (length: number, options: { maxByteLength: number }) => Resizable;
    const buffer = new ResizableBuffer(64, { maxByteLength: 4096 });
    const first = new Uint8Array(buffer, 0, 64);
    first.set(new Random(3).bytes(64));
    expect(internetChecksum(first)).toBe(internetChecksum(first.slice()));
    buffer.resize(4096);
    const grown = new Uint8Array(buffer, 0, 4096);
    grown.set(new Random(4).bytes(4096 - 64), 64);
    // Compared with the same bytes in an ordinary buffer (no cached view to go stale).
    expect(internetChecksum(grown)).toBe(internetChecksum(grown.slice()));
    expect(internetChecksum(grown, 2, 4000)).toBe(internetChecksum(grown.slice(), 2, 4000));
  });

  it('32-bit word sums stay exact across their fold boundary (8 MiB + odd tail, all 0xFF)', () => {
    const big = new Uint8Array(8 * 1024 * 1024 + 4 * 1024 + 3).fill(0xff);
    // 0xFFFF words sum to 0xFFFF (negative zero) however many there are; the odd tail byte adds 0xFF00.
    expect(finishChecksum(onesComplementSum(big))).toBe(~(0xffff + 0xff00 - 0xffff) & 0xffff);
  });

  it('RFC 1624 incremental update equals recomputation (TTL decrement)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 20, maxLength: 20 }), (random) => {
        const header = random.slice();
        header[10] = 0;
        header[11] = 0;
        const c = internetChecksum(header);
        header[10] = c >> 8;
        header[11] = c & 0xff;
        const oldWord = (header[8]! << 8) | header[9]!;
        header[8] = (header[8]! - 1) & 0xff;
        const newWord = (header[8]! << 8) | header[9]!;
        const incremental = updateChecksum(c, oldWord, newWord);
        header[10] = 0;
        header[11] = 0;
        const full = internetChecksum(header);
        // 0x0000 and 0xffff are the same value in one's complement.
        expect(incremental === full || (incremental ^ full) === 0xffff).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('CRC-32 (IEEE 802.3)', () => {
  it('gives the standard check value for "123456789"', () => {
    const data = new TextEncoder().encode('123456789');
    expect(crc32Portable(data)).toBe(0xcbf43926);
    expect(crc32(data)).toBe(0xcbf43926);
  });

  it('native and portable implementations agree on random data and sub-ranges', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000, size: 'max' }), fc.nat(), fc.nat(), (data, a, b) => {
        const start = a % (data.length + 1);
        const end = start + (b % (data.length - start + 1));
        expect(crc32(data, start, end)).toBe(crc32Portable(data, start, end));
      }),
      { numRuns: 200 },
    );
  });
});
