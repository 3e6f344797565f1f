// The Internet checksum (RFC 1071): the 16-bit one's complement of the one's complement
// sum of 16-bit words. Partial sums compose, so a pseudo-header (RFC 9293 §3.1, RFC 768)
// and a payload can be summed separately; RFC 1624 gives the incremental update a router
// uses when it decrements TTL.

/** True on little-endian machines (all that run Node or a browser today); words are then read 32 bits at a time. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * The last two ArrayBuffers summed through 32-bit reads and their Uint32Array views. Packets
 * share 64 KiB slabs, and a sender's fresh slab and a receiver's older one alternate, so two
 * entries mostly hit.
 */
let wordsOf: ArrayBufferLike | null = null;
let words: Uint32Array<ArrayBufferLike> = new Uint32Array(0);
let previousOf: ArrayBufferLike | null = null;
let previous: Uint32Array<ArrayBufferLike> = new Uint32Array(0);

function wordsView(buffer: ArrayBufferLike): Uint32Array<ArrayBufferLike> {
  if (buffer === wordsOf) return words;
  const keep = words;
  const keepOf = wordsOf;
  if (buffer === previousOf) {
    words = previous;
  } else {
    words = new Uint32Array(buffer, 0, buffer.byteLength >>> 2);
  }
  wordsOf = buffer;
  previous = keep;
  previousOf = keepOf;
  return words;
}

/** At most this many 32-bit words are added before a fold, so the double stays an exact integer (< 2^53). */
const WORDS_PER_FOLD = 1 << 20;

/**
 * Add `bytes[start..end)` to a running one's complement sum (not yet folded). Odd-length
 * input is padded with a zero byte, as RFC 1071 says. `start` must be even relative to the
 * checksummed region if you split a region into several calls.
 *
 * RFC 1071 §2(B) and §4.1: the sum is byte-order independent and can be taken over wider
 * words. Where the region's address is even, this adds little-endian 32-bit words (one read
 * per four bytes) in a double, reduces that modulo 0xFFFF (which is what end-around carries
 * compute), and swaps the two bytes of the result back to network order.
 */
export function onesComplementSum(bytes: Uint8Array, start = 0, end = bytes.length, initial = 0): number {
  let i = start;
  if (end - i < 32 || !LITTLE_ENDIAN || ((bytes.byteOffset + i) & 1) !== 0) return sumBytes(bytes, i, end, initial);
  let sum = initial;
  if (((bytes.byteOffset + i) & 2) !== 0) {
    sum += (bytes[i]! << 8) | bytes[i + 1]!;
    i += 2;
  }
  const w = wordsView(bytes.buffer);
  let k = (bytes.byteOffset + i) >>> 2;
  const count = (end - i) >>> 2;
  const stop = k + count;
  // A resizable buffer that grew after its view was cached: take the byte path.
  if (stop > w.length) return sumBytes(bytes, start, end, initial);
  let swapped = 0;
  while (k < stop) {
    const chunkStop = Math.min(stop, k + WORDS_PER_FOLD);
    let le = 0;
    for (; k + 4 <= chunkStop; k += 4) le += w[k]! + w[k + 1]! + w[k + 2]! + w[k + 3]!;
    for (; k < chunkStop; k++) le += w[k]!;
    let r = le % 0xffff;
    if (r === 0 && le !== 0) r = 0xffff;
    swapped += ((r & 0xff) << 8) | (r >>> 8);
  }
  i += count << 2;
  return sumBytes(bytes, i, end, sum + swapped);
}

/** The byte-at-a-time sum (network-order 16-bit words), for short or odd-addressed regions and the tail. */
function sumBytes(bytes: Uint8Array, start: number, end: number, initial: number): number {
  let sum = initial;
  let i = start;
  // Eight bytes (four words) per step; fold every 4 K steps so the sum stays a small integer.
  const unrolledEnd = end - 7;
  while (i < unrolledEnd) {
    const stop = Math.min(unrolledEnd, i + 8 * 4096);
    for (; i < stop; i += 8) {
      sum += ((bytes[i]! << 8) | bytes[i + 1]!) + ((bytes[i + 2]! << 8) | bytes[i + 3]!) + ((bytes[i + 4]! << 8) | bytes[i + 5]!) + ((bytes[i + 6]! << 8) | bytes[i + 7]!);
    }
    sum = (sum & 0xffff) + (sum >>> 16);
  }
  const last = end - 1;
  for (; i < last; i += 2) sum += (bytes[i]! << 8) | bytes[i + 1]!;
  if (i === last) sum += bytes[i]! << 8;
  return sum;
}

/** Fold a running sum to 16 bits and complement it: the value to write in a header. */
export function finishChecksum(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** The Internet checksum of `bytes[start..end)`. Over a region that holds its own correct checksum it is 0. */
export function internetChecksum(bytes: Uint8Array, start = 0, end = bytes.length): number {
  return finishChecksum(onesComplementSum(bytes, start, end));
}

/** Sum of the IPv4 pseudo-header used by TCP and UDP: source, destination, zero, protocol, length. */
export function pseudoHeaderSum(source: number, destination: number, protocol: number, length: number): number {
  return (source >>> 16) + (source & 0xffff) + (destination >>> 16) + (destination & 0xffff) + protocol + length;
}

/** RFC 1624 eqn. 3: the new checksum after one 16-bit header word changes from `oldWord` to `newWord`. */
export function updateChecksum(checksum: number, oldWord: number, newWord: number): number {
  let sum = (~checksum & 0xffff) + (~oldWord & 0xffff) + (newWord & 0xffff);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}
