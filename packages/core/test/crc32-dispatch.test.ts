// Which CRC-32 runs for which length: below 256 bytes (ACKs, ARP, small frames) the table
// version, whose slicing-by-16 loop beats the fixed cost of a call into node:zlib; from 256
// bytes the native one. Both must equal a bit-at-a-time reference across 16-byte steps.

import { describe, expect, it, vi } from 'vitest';

const calls: number[] = [];
vi.mock('#native-crc32', async () => {
  const zlib = await import('node:zlib');
  const native = (zlib as unknown as { crc32: (d: Uint8Array) => number }).crc32;
  return {
    nativeCrc32: (data: Uint8Array): number => {
      calls.push(data.length);
      return native(data);
    },
  };
});

const { crc32, crc32Portable } = await import('../src/checksum/crc32.ts');

/** IEEE 802.3 CRC-32 one bit at a time: the definition. */
function bitwise(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

describe('crc32 dispatch', () => {
  it('keeps frames under 256 bytes (a 66-byte ACK, a 200-byte frame) off the native call', () => {
    const frame = new Uint8Array(1514).map((_, i) => (i * 131 + 7) & 0xff);
    calls.length = 0;
    for (const n of [66, 200, 255]) expect(crc32(frame, 0, n)).toBe(bitwise(frame.subarray(0, n)));
    expect(calls).toEqual([]);
    for (const n of [256, 1514]) expect(crc32(frame, 0, n)).toBe(bitwise(frame.subarray(0, n)));
    expect(calls).toEqual([256, 1514]);
  });

  it('the table version equals the bit-at-a-time definition at every length to 80 and any start', () => {
    const data = new Uint8Array(100).map((_, i) => (i * 37 + 11) & 0xff);
    for (let start = 0; start < 17; start++) {
      for (let end = start; end <= start + 80; end++) expect(crc32Portable(data, start, end)).toBe(bitwise(data.subarray(start, end)));
    }
  });
});
