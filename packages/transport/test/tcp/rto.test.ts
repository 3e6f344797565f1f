// The RFC 6298 estimator: first sample, smoothing, granularity, bounds and backoff.
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
