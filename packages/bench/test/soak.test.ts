// A slice of the soak (src/soak.ts) in the test suite: 240 seeded 1 MiB transfers under 10%
// loss, 2% duplication, 5% reordering and 1% corruption, 40 for each of Reno, NewReno and
// CUBIC under the 'rfc' and 'linux' profiles. Every one must arrive byte-exact (sha256)
// within 600 simulated seconds: no stall, no error. The full 10,000 runs on demand.

import { describe, expect, it } from 'vitest';
import { runSoakTransfer, type SoakCase, type SoakResult } from '../src/soak/transfer.ts';

const SEEDS_PER_PAIR = 40;

describe('soak: 1 MiB under 10% loss, 2% duplication, 5% reordering, 1% corruption', () => {
  for (const profile of ['rfc', 'linux'] as const) {
    for (const congestionControl of ['reno', 'newreno', 'cubic'] as const) {
      it(`${congestionControl}, profile '${profile}': ${SEEDS_PER_PAIR} seeds, all exact, none stalled`, () => {
        const bad: SoakResult[] = [];
        let retransmissions = 0;
        for (let seed = 1; seed <= SEEDS_PER_PAIR; seed++) {
          const c: SoakCase = { seed, congestionControl, profile };
          const r = runSoakTransfer(c);
          retransmissions += r.retransmissions;
          if (!r.exact || r.stalled || r.errors.length > 0) bad.push(r);
        }
        expect(bad).toEqual([]);
        // The impairments were real: every transfer had to recover.
        expect(retransmissions).toBeGreaterThan(SEEDS_PER_PAIR * 10);
      });
    }
  }
});
