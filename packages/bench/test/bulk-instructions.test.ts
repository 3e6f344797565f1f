// bulk-instructions.ts's arithmetic: the instruction total read from a cachegrind summary, and
// instructions per segment as the difference of two transfers (start-up and exit cancel out).

import { describe, expect, it } from 'vitest';
import { instructionsFrom, perSegment } from '../src/bulk-instructions.ts';

describe('bulk-instructions', () => {
  it('reads the I refs total of a cachegrind summary', () => {
    const stderr = '==23209== \n==23209== I   refs:      1,698,855,486\n';
    expect(instructionsFrom(stderr)).toBe(1_698_855_486);
    expect(instructionsFrom('valgrind: failed to start tool')).toBeNull();
  });

  it('divides the difference in instructions by the difference in 1448-byte segments', () => {
    // 1448 × 1000 more bytes and 50 M more instructions: 50,000 per segment, whatever the fixed cost.
    expect(perSegment({ bytes: 1448 * 500, instructions: 900e6 }, { bytes: 1448 * 1500, instructions: 950e6 })).toBe(50_000);
  });
});
