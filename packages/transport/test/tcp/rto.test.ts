// The RFC 6298 estimator: first sample, smoothing, granularity, bounds and backoff; and
// Linux's (tcp_rtt_estimator, __tcp_set_rto): the minimum floors the variance term.
import { describe, expect, it } from 'vitest';
import { NS_PER_MS, NS_PER_S } from '@netlayers/core';
import { RtoEstimator } from '../../src/tcp/index.ts';

const bounds = { initial: NS_PER_S, min: 200 * NS_PER_MS, max: 60 * NS_PER_S, granularity: NS_PER_MS };

describe('RtoEstimator (RFC 6298)', () => {
  it('starts at the initial RTO', () => {
    expect(new RtoEstimator(bounds).rto).toBe(NS_PER_S);
  });

  it('first sample: SRTT = R, RTTVAR = R/2, RTO = SRTT + max(G, 4*RTTVAR)', () => {
    const e = new RtoEstimator(bounds);
    e.sample(100 * NS_PER_MS);
    expect(e.srtt).toBe(100 * NS_PER_MS);
    expect(e.rttvar).toBe(50 * NS_PER_MS);
    expect(e.rto).toBe(300 * NS_PER_MS);
  });

  it('later samples: alpha 1/8, beta 1/4', () => {
    const e = new RtoEstimator(bounds);
    e.sample(100 * NS_PER_MS);
    e.sample(200 * NS_PER_MS);
    expect(e.rttvar).toBe(0.75 * 50 * NS_PER_MS + 0.25 * 100 * NS_PER_MS);
    expect(e.srtt).toBe(0.875 * 100 * NS_PER_MS + 0.125 * 200 * NS_PER_MS);
    expect(e.rto).toBe(Math.round(e.srtt! + 4 * e.rttvar));
  });

  it('applies the minimum, then doubles on each backoff up to the maximum', () => {
    const e = new RtoEstimator({ ...bounds, min: NS_PER_S });
    e.sample(10 * NS_PER_MS);
    expect(e.rto).toBe(NS_PER_S);
    const seen: number[] = [];
    for (let i = 0; i < 8; i++) {
      e.backoff();
      seen.push(e.rto / NS_PER_S);
    }
    expect(seen).toEqual([2, 4, 8, 16, 32, 60, 60, 60]);
    e.sample(10 * NS_PER_MS);
    expect(e.rto).toBe(NS_PER_S);
  });

  it('uses the clock granularity when the variance is tiny', () => {
    const e = new RtoEstimator({ ...bounds, min: 0, granularity: 5 * NS_PER_MS });
    for (let i = 0; i < 50; i++) e.sample(10 * NS_PER_MS);
    expect(e.rto).toBe(15 * NS_PER_MS);
  });
});

describe("RtoEstimator ('linux': tcp_rtt_estimator and __tcp_set_rto)", () => {
  const linux = { ...bounds, formula: 'linux' as const };
  const ms = NS_PER_MS;

  it('first sample: RTO = SRTT + max(2*R, rto_min), so a 2 ms path gets 202 ms where RFC 6298 gives 200 ms', () => {
    const e = new RtoEstimator(linux);
    e.sample(2 * ms, { una: 100, nxt: 200 });
    expect(e.srtt).toBe(2 * ms);
    expect(e.rto).toBe(202 * ms);
    const rfc = new RtoEstimator(bounds);
    rfc.sample(2 * ms);
    expect(rfc.rto).toBe(200 * ms);
    // On a long path 4*mdev (2*R) is above the floor: 300 ms + 600 ms.
    const far = new RtoEstimator(linux);
    far.sample(300 * ms);
    expect(far.rto).toBe(900 * ms);
  });

  it('a rise in RTT raises the variance term at once; it decays only a quarter of the way per round trip', () => {
    const e = new RtoEstimator(linux);
    e.sample(100 * ms, { una: 0, nxt: 1000 }); // mdev 50 ms, variance max(200 ms, 200 ms) = 200 ms
    expect(e.rto).toBe(300 * ms);
    e.sample(500 * ms, { una: 500, nxt: 1000 }); // err 400: srtt 150, mdev 50 + (400-50)/4 = 137.5, 4*mdev = 550
    expect(e.srtt).toBe(150 * ms);
    expect(e.rto).toBe(700 * ms);
    // Same round (SND.UNA has not passed 1000): steady samples do not shrink it.
    e.sample(150 * ms, { una: 900, nxt: 1000 });
    expect(e.rto).toBe(700 * ms);
    // The round ends (SND.UNA passes 1000): the variance term moves a quarter of the way
    // towards the round's largest 4*mdev, which the rise set at 550 ms: stays at 550.
    e.sample(150 * ms, { una: 1001, nxt: 2000 });
    expect(e.rto).toBe(700 * ms);
    // Steady samples shrink mdev by a quarter each (137.5 ms * 0.75^3 by now): the next
    // round's largest 4*mdev is 232.03125 ms, and the term moves a quarter of the way to it.
    e.sample(150 * ms, { una: 2001, nxt: 3000 });
    expect(e.rto).toBeCloseTo((150 + 550 - (550 - 4 * 137.5 * 0.75 ** 3) / 4) * ms, -1);
  });

  it('a falling RTT moves mdev an eighth as much as a rising one', () => {
    const up = new RtoEstimator(linux);
    up.sample(100 * ms);
    up.sample(200 * ms); // err +100: mdev 50 + (100 - 50)/4 = 62.5
    expect(up.rttvar).toBe(62.5 * ms);
    expect(up.rto).toBe(112.5 * ms + 250 * ms);
    const down = new RtoEstimator(linux);
    down.sample(100 * ms);
    down.sample(0); // err -100: mdev 50 + ((100 - 50)/8)/4 = 51.5625
    expect(down.rttvar).toBe(51.5625 * ms);
    expect(down.rto).toBe(87.5 * ms + 206.25 * ms);
  });
});
