// The Internet checksum (RFC 1071): the 16-bit one's complement of the one's complement
// sum of 16-bit words. Partial sums compose, so a pseudo-header (RFC 9293 §3.1, RFC 768)
// and a payload can be summed separately; RFC 1624 gives the incremental update a router
// uses when it decrements TTL.

/**
 * Add `bytes[start..end)` to a running one's complement sum (not yet folded). Odd-length
 * input is padded with a zero byte, as RFC 1071 says. `start` must be even relative to the
 * checksummed region if you split a region into several calls.
 */
export function onesComplementSum(bytes: Uint8Array, start = 0, end = bytes.length, initial = 0): number {
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
