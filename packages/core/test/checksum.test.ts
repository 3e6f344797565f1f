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
