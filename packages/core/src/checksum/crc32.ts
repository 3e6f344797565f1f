// CRC-32 as IEEE 802.3 uses it for the Ethernet frame check sequence: reflected polynomial
// 0xEDB88320, initial value 0xFFFFFFFF, final XOR 0xFFFFFFFF. Node's zlib.crc32 (native,
// same polynomial) is used when present for inputs of 128 bytes and more; it is loaded
// through the `#native-crc32` import condition, so browsers never load node:zlib. A
// slicing-by-8 table version does shorter inputs, is the fallback (and all of it in a
// browser) and the reference the tests compare against.

import { nativeCrc32 } from '#native-crc32';

const TABLES: Uint32Array[] = (() => {
  const tables: Uint32Array[] = [];
  const t0 = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t0[n] = c >>> 0;
  }
  tables.push(t0);
  for (let t = 1; t < 8; t++) {
    const prev = tables[t - 1]!;
    const cur = new Uint32Array(256);
    for (let n = 0; n < 256; n++) cur[n] = (t0[prev[n]! & 0xff]! ^ (prev[n]! >>> 8)) >>> 0;
    tables.push(cur);
  }
  return tables;
})();

/** Pure TypeScript CRC-32 (slicing-by-8). */
export function crc32Portable(bytes: Uint8Array, start = 0, end = bytes.length): number {
  const [t0, t1, t2, t3, t4, t5, t6, t7] = TABLES as [Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array];
  let crc = 0xffffffff;
  let i = start;
  for (; i + 8 <= end; i += 8) {
    const lo = crc ^ (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24));
    crc =
      t7[lo & 0xff]! ^ t6[(lo >>> 8) & 0xff]! ^ t5[(lo >>> 16) & 0xff]! ^ t4[lo >>> 24]! ^
      t3[bytes[i + 4]!]! ^ t2[bytes[i + 5]!]! ^ t1[bytes[i + 6]!]! ^ t0[bytes[i + 7]!]!;
  }
  for (; i < end; i++) crc = t0[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** Below this many bytes the table version beats the native call (its fixed cost dominates). */
const NATIVE_FROM = 128;

const native = nativeCrc32;

/** CRC-32 (IEEE 802.3) of `bytes[start..end)`. */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  if (native !== undefined && end - start >= NATIVE_FROM) {
    return native(start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end)) >>> 0;
  }
  return crc32Portable(bytes, start, end);
}
