// Sequence-number arithmetic modulo 2^32 (RFC 9293 §3.4): every comparison of sequence
// numbers goes through these, so a connection behaves the same on both sides of 2^32 - 1.
// Two numbers compare by the sign of their 32-bit difference (serial arithmetic, RFC 1982).

/** a + n, wrapped to 32 bits. */
export function seqAdd(a: number, n: number): number {
  return (a + n) >>> 0;
}

/** a - b as a signed 32-bit distance: positive when a is "after" b. */
export function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}

/** a < b modulo 2^32. */
export function seqLt(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}

/** a <= b modulo 2^32. */
export function seqLeq(a: number, b: number): boolean {
  return ((a - b) | 0) <= 0;
}

/** a > b modulo 2^32. */
export function seqGt(a: number, b: number): boolean {
  return ((a - b) | 0) > 0;
}

/** a >= b modulo 2^32. */
export function seqGeq(a: number, b: number): boolean {
  return ((a - b) | 0) >= 0;
}

/** The later of two sequence numbers. */
export function seqMax(a: number, b: number): number {
  return seqGt(a, b) ? a : b;
}

/** The earlier of two sequence numbers. */
export function seqMin(a: number, b: number): number {
  return seqLt(a, b) ? a : b;
}

/** low <= x < high, modulo 2^32 (an empty range when low == high). */
export function seqInRange(x: number, low: number, high: number): boolean {
  return ((x - low) >>> 0) < ((high - low) >>> 0);
}
