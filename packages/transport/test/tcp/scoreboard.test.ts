// The sender's SACK scoreboard (RFC 6675): merging, holes, IsLost boundary.
import { describe, expect, it } from 'vitest';
import { SackScoreboard } from '../../src/tcp/scoreboard.ts';

describe('SackScoreboard', () => {
  it('merges blocks and ignores those outside (SND.UNA, SND.MAX]', () => {
    const s = new SackScoreboard();
    expect(s.update([[2000, 3000], [5000, 6000]], 1000, 10000)).toBe(2000);
    expect(s.update([[2500, 5500]], 1000, 10000)).toBe(2000);
    expect(s.update([[500, 900], [9000, 11000], [0, 0]], 1000, 10000)).toBe(0);
    expect(s.sackedBytes).toBe(4000);
    expect(s.highestSacked).toBe(6000);
    expect(s.isSacked(4000)).toBe(true);
    expect(s.isSacked(1999)).toBe(false);
  });

  it('finds holes in order', () => {
    const s = new SackScoreboard();
    s.update([[2000, 3000], [4000, 5000]], 1000, 8000);
    expect(s.nextHole(1000, 8000)).toEqual([1000, 2000]);
    expect(s.nextHole(2000, 8000)).toEqual([3000, 4000]);
    expect(s.nextHole(4500, 8000)).toEqual([5000, 8000]);
    expect(s.nextHole(2000, 3000)).toBeUndefined();
  });

  it('declares a hole lost once more than 2*SMSS bytes above it are SACKed', () => {
    const s = new SackScoreboard();
    s.update([[2000, 3000]], 1000, 10000);
    expect(s.lostBoundary(1000)).toBeUndefined();
    s.update([[3000, 4001]], 1000, 10000);
    // 2001 bytes SACKed above anything below 2000: the boundary sits 2001 bytes below the top.
    expect(s.lostBoundary(1000)).toBe(2000);
  });

  it('forgets what SND.UNA passes', () => {
    const s = new SackScoreboard();
    s.update([[2000, 3000], [4000, 5000]], 1000, 8000);
    s.ackTo(2500);
    expect(s.sackedBytes).toBe(1500);
    s.ackTo(5000);
    expect(s.isEmpty).toBe(true);
  });
});
