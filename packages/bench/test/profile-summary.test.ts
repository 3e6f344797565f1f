// profile-summary: self time from a .cpuprofile, merged by function and location, idle left out.

import { describe, it, expect } from 'vitest';
import { markdown, parseProfile, selfTimes } from '../src/profile-summary.ts';

const frame = (functionName: string, url = '', lineNumber = -1) => ({ functionName, url, lineNumber, scriptId: '0', columnNumber: 0 });

describe('profile-summary', () => {
  it('adds each sample\'s interval to its function, merges call paths, drops idle', () => {
    const profile = {
      nodes: [
        { id: 1, callFrame: frame('(root)'), children: [2, 3, 5] },
        { id: 2, callFrame: frame('crc32', 'file:///x/fcs.ts', 9), children: [4] },
        { id: 3, callFrame: frame('parse', 'file:///x/tcp.ts', 99) },
        { id: 4, callFrame: frame('crc32', 'file:///x/fcs.ts', 9) },
        { id: 5, callFrame: frame('(idle)') },
      ],
      // Intervals: the delta recorded with the next sample.
      samples: [2, 3, 4, 5, 2, 3],
      timeDeltas: [0, 100, 300, 200, 1000, 50],
      startTime: 0,
      endTime: 2000,
    };
    const { rows, totalMs } = selfTimes(parseProfile(JSON.stringify(profile)), 10);
    // crc32: 100 (node 2) + 200 (node 4) + 50 (node 2 again); parse: 300 + 0 (last sample); idle 1000 left out.
    expect(rows.map((r) => [r.name, r.location, r.selfMs])).toEqual([
      ['crc32', 'fcs.ts:10', 0.35],
      ['parse', 'tcp.ts:100', 0.3],
    ]);
    expect(totalMs).toBeCloseTo(0.65);
    expect(rows[0]!.share).toBeCloseTo(0.35 / 0.65);
    expect(markdown(rows, totalMs)).toContain('| `crc32` | fcs.ts:10 | 0.3 ms | 53.8 % |');
  });

  it('refuses what is not a profile', () => {
    expect(() => parseProfile('{"nodes":[],"samples":[1],"timeDeltas":[]}')).toThrow(/not a V8 .cpuprofile/);
  });
});
