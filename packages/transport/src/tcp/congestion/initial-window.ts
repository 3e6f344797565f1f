// Initial congestion window: RFC 5681 §3.1 (2 to 4 segments by SMSS, equation 1) or
// RFC 6928's larger IW = min(10*MSS, max(2*MSS, 14600)), or a fixed number of segments.

import { InvalidArgumentError } from '@netlayers/core';

/** 'rfc5681' (default), 'rfc6928' (IW10), or a whole number of segments. */
export type InitialWindowPolicy = 'rfc5681' | 'rfc6928' | number;

/** The initial window in bytes for a sender whose SMSS is `smss`. */
export function initialWindow(smss: number, policy: InitialWindowPolicy = 'rfc5681'): number {
  if (policy === 'rfc5681') {
    if (smss > 2190) return 2 * smss;
    if (smss > 1095) return 3 * smss;
    return 4 * smss;
  }
  if (policy === 'rfc6928') return Math.min(10 * smss, Math.max(2 * smss, 14600));
  if (typeof policy !== 'number' || !Number.isInteger(policy) || policy < 1) {
    throw new InvalidArgumentError('initialWindow', policy, "must be 'rfc5681', 'rfc6928' or a whole number of segments >= 1");
  }
  return policy * smss;
}
