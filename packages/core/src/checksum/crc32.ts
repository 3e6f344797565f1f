// CRC-32 as IEEE 802.3 uses it for the Ethernet frame check sequence: reflected polynomial
// 0xEDB88320, initial value 0xFFFFFFFF, final XOR 0xFFFFFFFF. Node's zlib.crc32 (native,
// same polynomial) is used when present for inputs of 256 bytes and more; it is loaded
// through the `#native-crc32` import condition, so browsers never load node:zlib. Below
// that the native call's fixed cost (~150 ns) dominates, and a slicing-by-16 table version
// (sixteen 256-entry tables in one flat Int32Array, sixteen bytes per step) is faster; it is
// also the fallback (all of it in a browser) and the reference the tests compare against.

import { nativeCrc32 } from '#native-crc32';

/** Table t (0..15) at [t * 256, t * 256 + 256): t0 is the byte-wise table, t(k) = one more zero byte after t(k-1). */
const TABLES: Int32Array = (() => {
  const tables = new Int32Array(16 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    tables[n] = c;
  }
  for (let t = 1; t < 16; t++) {
    for (let n = 0; n < 256; n++) {
      const prev = tables[(t - 1) * 256 + n]!;
      tables[t * 256 + n] = tables[prev & 0xff]! ^ (prev >>> 8);
    }
  }
  return tables;
})();

/** Pure TypeScript CRC-32 (slicing-by-16) of `bytes[start..end)`. */
export function crc32Portable(bytes: Uint8Array, start = 0, end = bytes.length): number {
  const t = TABLES;
  let crc = -1;
  let i = start;
  for (; i + 16 <= end; i += 16) {
    const lo = crc ^ (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24));
    crc =
      t[3840 + (lo & 0xff)]! ^ t[3584 + ((lo >>> 8) & 0xff)]! ^ t[3328 + ((lo >>> 16) & 0xff)]! ^ t[3072 + (lo >>> 24)]! ^
      t[2816 + bytes[i + 4]!]! ^ t[2560 + bytes[i + 5]!]! ^ t[2304 + bytes[i + 6]!]! ^ t[2048 + bytes[i + 7]!]! ^
      t[1792 + bytes[i + 8]!]! ^ t[1536 + bytes[i + 9]!]! ^ t[1280 + bytes[i + 10]!]! ^ t[1024 + bytes[i + 11]!]! ^
      t[768 + bytes[i + 12]!]! ^ t[512 + bytes[i + 13]!]! ^ t[256 + bytes[i + 14]!]! ^ t[bytes[i + 15]!]!;
  }
  for (; i < end; i++) crc = t[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}

/** Below this many bytes the table version beats the native call (its fixed cost dominates). */
const NATIVE_FROM = 256;

const native = nativeCrc32;

/** CRC-32 (IEEE 802.3) of `bytes[start..end)`. */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  if (native !== undefined && end - start >= NATIVE_FROM) {
    return native(start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end)) >>> 0;
  }
  return crc32Portable(bytes, start, end);
}
