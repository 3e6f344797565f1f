import { describe, expect, it } from 'vitest';
import { NS_PER_MS, NS_PER_S } from '@netlayers/core';
import {
  CUBIC_ALPHA,
  CubicCongestionControl,
  NewRenoCongestionControl,
  cubicK,
  cubicWindow,
} from '../../src/tcp/congestion/index.ts';
import { ackOneRound, roundsUntil } from './support/rounds.ts';

const SMSS = 1000;

/** A CUBIC sender that has just come out of fast recovery after a loss at `segments`. */
function afterLossAt(segments: number, options = {}): CubicCongestionControl {
  const cc = new CubicCongestionControl({ initialWindow: segments, ...options });
  cc.init(SMSS, 0);
  cc.onEnterRecovery(segments * SMSS, 0);
  cc.onExitRecovery(segments * SMSS, 0);
  return cc;
}

describe('CUBIC formulas (RFC 9438 eq. 1 and 2)', () => {
  it('computes K = cbrt((W_max - cwnd_epoch) / C)', () => {
    // W_max = 100, cwnd_epoch = 70: K = cbrt(30 / 0.4) = cbrt(75) = 4.2171633...
    expect(cubicK(100, 70)).toBeCloseTo(4.2171633, 6);
    // W_max = 20, cwnd_epoch = 14: cbrt(6 / 0.4) = cbrt(15) = 2.4662121...
    expect(cubicK(20, 14)).toBeCloseTo(2.4662121, 6);
    expect(cubicK(50, 60)).toBe(0);
  });

  it('computes W_cubic(t) = C*(t-K)^3 + W_max', () => {
    const k = 4.2171633265;
    expect(cubicWindow(0, k, 100)).toBeCloseTo(70, 6);
    expect(cubicWindow(k, k, 100)).toBeCloseTo(100, 9);
    // 0.4 * (2 - 4.2171633)^3 + 100 = 0.4 * -10.899161 + 100 = 95.640336
    expect(cubicWindow(2, k, 100)).toBeCloseTo(95.640336, 5);
    // 0.4 * (6 - 4.2171633)^3 + 100 = 0.4 * 5.666758 + 100 = 102.266703
    expect(cubicWindow(6, k, 100)).toBeCloseTo(102.266703, 5);
    expect(CUBIC_ALPHA).toBeCloseTo((3 * 0.3) / 1.7, 12);
  });
});

describe('CubicCongestionControl', () => {
  it('reduces by beta = 0.7 and records W_max on a loss', () => {
    const cc = new CubicCongestionControl({ initialWindow: 100 });
    cc.init(SMSS, 0);
    cc.onEnterRecovery(100 * SMSS, 0);
    expect(cc.name).toBe('cubic');
    expect(cc.ssthresh).toBe(70 * SMSS);
    expect(cc.cwnd).toBe(73 * SMSS);
    expect(cc.wMax).toBe(100);
    cc.onExitRecovery(70 * SMSS, 0);
    expect(cc.cwnd).toBe(70 * SMSS);
  });

  it('starts the congestion avoidance epoch with K from W_max and cwnd_epoch', () => {
    const cc = afterLossAt(100);
    const start = 3 * NS_PER_S;
    cc.onAck(SMSS, 69 * SMSS, start, 100 * NS_PER_MS);
    expect(cc.epoch).toBe(start);
    expect(cc.k).toBeCloseTo(4.2171633, 6);
    expect(cc.wEst).toBeGreaterThan(70);
  });

  it('follows W_cubic(t) back to the plateau at W_max near t = K, then probes beyond it', () => {
    const rtt = 100 * NS_PER_MS;
    const cc = afterLossAt(100);
    let now = 0;
    const samples: Array<{ t: number; w: number; est: number }> = [];
    for (let round = 0; round < 70; round++) {
      now = ackOneRound(cc, SMSS, now, rtt);
      samples.push({ t: (now - cc.epoch!) / NS_PER_S, w: cc.cwnd / SMSS, est: cc.wEst });
    }
    for (const { t, w, est } of samples) {
      const curve = cubicWindow(t, cc.k, cc.wMax);
      // In the cubic region the window tracks the curve closely (it aims one RTT ahead);
      // where the Reno-friendly estimate is ahead of the curve, cwnd is W_est (§4.3).
      if (curve >= est) expect(Math.abs(w - curve)).toBeLessThan(0.1);
      else expect(Math.abs(w - est)).toBeLessThan(0.01);
    }
    const atK = samples.find((s) => s.t >= cc.k)!;
    expect(atK.w).toBeGreaterThan(99.5);
    expect(atK.w).toBeLessThan(100.5);
    // Concave below W_max (growth slows approaching it), convex above (growth speeds up).
    const growth = (from: number, to: number) => samples[to]!.w - samples[from]!.w;
    expect(growth(0, 10)).toBeGreaterThan(growth(20, 30));
    expect(growth(50, 55)).toBeGreaterThan(growth(45, 50));
    // Late in the stage W_est (alpha = 1 once it passed cwnd_prior) overtakes the curve.
    expect(samples[69]!.est).toBeGreaterThan(cubicWindow(samples[69]!.t, cc.k, cc.wMax));
  });

  it('applies fast convergence when a loss comes below the previous W_max (§4.7)', () => {
    const cc = afterLossAt(100);
    // Regrow to 90 segments by hand, then lose again.
    while (cc.cwnd < 90 * SMSS) cc.onAck(SMSS, 0, 1, undefined);
    const w = cc.cwnd / SMSS;
    cc.onEnterRecovery(cc.cwnd, 2);
    expect(cc.wMax).toBeCloseTo((w * 1.7) / 2, 2);

    const plain = afterLossAt(100, { fastConvergence: false });
    while (plain.cwnd < 90 * SMSS) plain.onAck(SMSS, 0, 1, undefined);
    const wPlain = plain.cwnd / SMSS;
    plain.onEnterRecovery(plain.cwnd, 2);
    expect(plain.wMax).toBeCloseTo(wPlain, 2);
  });

  it('follows the Reno-friendly estimate when it is ahead of the cubic curve (§4.3)', () => {
    // Small window, short RTT: the cubic curve barely moves in ten round trips.
    const rtt = NS_PER_MS;
    const cc = afterLossAt(20);
    expect(cc.cwnd).toBe(14 * SMSS);
    let now = 0;
    for (let i = 0; i < 10; i++) now = ackOneRound(cc, SMSS, now, rtt);
    const t = (now - cc.epoch!) / NS_PER_S;
    expect(cubicWindow(t, cc.k, cc.wMax)).toBeLessThan(14.1);
    // W_est grows alpha_cubic = 0.529 segments per RTT: about 14 + 10 * 0.529 = 19.3.
    expect(cc.cwnd / SMSS).toBeGreaterThan(18.5);
    expect(cc.cwnd / SMSS).toBeLessThan(20);
  });

  it('after an RTO: loss window, ssthresh = 0.7*flight, then K = 0 and W_max = cwnd at the next CA start (§4.8)', () => {
    const cc = afterLossAt(100);
    cc.onRetransmitTimeout(50 * SMSS, 1);
    expect(cc.cwnd).toBe(SMSS);
    expect(cc.ssthresh).toBe(35 * SMSS);
    let now = NS_PER_S;
    while (cc.inSlowStart) now = ackOneRound(cc, SMSS, now, 10 * NS_PER_MS);
    const atStart = cc.cwnd / SMSS;
    now = ackOneRound(cc, SMSS, now, 10 * NS_PER_MS);
    expect(cc.k).toBe(0);
    expect(cc.wMax).toBeCloseTo(atStart, 0);
    expect(cc.cwnd / SMSS).toBeGreaterThanOrEqual(atStart);
  });

  it('regrows to W_max much faster than NewReno on a long fat path', () => {
    const rtt = 100 * NS_PER_MS;
    const segments = 1000;
    const cubic = afterLossAt(segments);
    const newreno = new NewRenoCongestionControl({ initialWindow: segments });
    newreno.init(SMSS, 0);
    newreno.onEnterRecovery(segments * SMSS, 0);
    newreno.onExitRecovery(segments * SMSS, 0);
    expect(newreno.cwnd).toBe(500 * SMSS);

    const cubicRounds = roundsUntil(cubic, SMSS, 0, rtt, segments * SMSS);
    const renoRounds = roundsUntil(newreno, SMSS, 0, rtt, segments * SMSS);
    // CUBIC: K = cbrt(300 / 0.4) = 9.09 s = about 91 RTTs; Reno: 500 RTTs at +1 SMSS each.
    expect(renoRounds).toBe(500);
    expect(cubicRounds).toBeGreaterThan(80);
    expect(cubicRounds).toBeLessThan(95);
  });
});
