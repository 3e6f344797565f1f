import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, NS_PER_MS } from '@netlayers/core';
import { INITIAL_SSTHRESH, RenoCongestionControl } from '../../src/tcp/congestion/index.ts';
import { ackOneRound } from './support/rounds.ts';

const SMSS = 1000;
const RTT = 50 * NS_PER_MS;

function reno(options = {}): RenoCongestionControl {
  const cc = new RenoCongestionControl(options);
  cc.init(SMSS, 0);
  return cc;
}

describe('RenoCongestionControl', () => {
  it('starts at the RFC 5681 initial window with an arbitrarily high ssthresh', () => {
    const cc = reno();
    expect(cc.name).toBe('reno');
    expect(cc.cwnd).toBe(4 * SMSS);
    expect(cc.ssthresh).toBe(INITIAL_SSTHRESH);
    expect(cc.inSlowStart).toBe(true);
    const iw10 = reno({ initialWindow: 'rfc6928' });
    expect(iw10.cwnd).toBe(10 * SMSS);
  });

  it('doubles cwnd every round trip in slow start', () => {
    const cc = reno();
    let now = 0;
    const seen = [cc.cwnd];
    for (let i = 0; i < 5; i++) {
      now = ackOneRound(cc, SMSS, now, RTT);
      seen.push(cc.cwnd);
    }
    expect(seen).toEqual([4000, 8000, 16000, 32000, 64000, 128000]);
  });

  it('limits a stretch ACK to L = 2*SMSS in slow start (RFC 3465 §2.2)', () => {
    const cc = reno();
    cc.onAck(5 * SMSS, 0, 1, undefined);
    expect(cc.cwnd).toBe(4 * SMSS + 2 * SMSS);
    cc.onAck(SMSS / 2, 0, 2, undefined);
    expect(cc.cwnd).toBe(6 * SMSS + SMSS / 2);
  });

  it('grows by about one SMSS per round trip in congestion avoidance', () => {
    const cc = reno({ initialSsthresh: 10 * SMSS });
    let now = 0;
    while (cc.inSlowStart) now = ackOneRound(cc, SMSS, now, RTT);
    expect(cc.cwnd).toBe(10 * SMSS);
    const seen: number[] = [];
    for (let i = 0; i < 6; i++) {
      now = ackOneRound(cc, SMSS, now, RTT);
      seen.push(cc.cwnd);
    }
    expect(seen).toEqual([11000, 12000, 13000, 14000, 15000, 16000]);
  });

  it('counts bytes, not ACKs, in congestion avoidance (RFC 3465 §2.1)', () => {
    const cc = reno({ initialSsthresh: 4 * SMSS });
    expect(cc.inSlowStart).toBe(false);
    // Eight ACKs of half a segment each = one full window of 4000 bytes: +1 SMSS once.
    for (let i = 0; i < 7; i++) cc.onAck(SMSS / 2, 0, i, undefined);
    expect(cc.cwnd).toBe(4 * SMSS);
    cc.onAck(SMSS / 2, 0, 8, undefined);
    expect(cc.cwnd).toBe(5 * SMSS);
  });

  it('halves the flight into ssthresh and inflates by three segments on fast retransmit', () => {
    const cc = reno();
    cc.onEnterRecovery(20 * SMSS, 0);
    expect(cc.ssthresh).toBe(10 * SMSS);
    expect(cc.cwnd).toBe(13 * SMSS);
    cc.onDupAckInRecovery();
    cc.onDupAckInRecovery();
    expect(cc.cwnd).toBe(15 * SMSS);
    cc.onExitRecovery(5 * SMSS, 1);
    expect(cc.cwnd).toBe(10 * SMSS);
  });

  it('deflates to ssthresh on the first new ACK (Reno has no partial-ACK arithmetic)', () => {
    const cc = reno();
    cc.onEnterRecovery(20 * SMSS, 0);
    cc.onDupAckInRecovery();
    cc.onPartialAck(3 * SMSS);
    expect(cc.cwnd).toBe(10 * SMSS);
  });

  it('never sets ssthresh below 2*SMSS (RFC 5681 eq. 4)', () => {
    const cc = reno();
    cc.onEnterRecovery(SMSS, 0);
    expect(cc.ssthresh).toBe(2 * SMSS);
    cc.onRetransmitTimeout(0, 1);
    expect(cc.ssthresh).toBe(2 * SMSS);
  });

  it('collapses to the loss window on RTO and keeps ssthresh across backed-off RTOs', () => {
    const cc = reno();
    cc.onRetransmitTimeout(24 * SMSS, 0);
    expect(cc.cwnd).toBe(SMSS);
    expect(cc.ssthresh).toBe(12 * SMSS);
    // The same segment times out again before anything new is acknowledged.
    cc.onRetransmitTimeout(SMSS, 1);
    expect(cc.ssthresh).toBe(12 * SMSS);
    expect(cc.cwnd).toBe(SMSS);
    // Once new data is acknowledged, a later RTO computes ssthresh afresh.
    cc.onAck(SMSS, 0, 2, undefined);
    cc.onRetransmitTimeout(6 * SMSS, 3);
    expect(cc.ssthresh).toBe(3 * SMSS);
  });

  it('uses L = 1*SMSS in the slow start after a timeout (RFC 3465 §2.3)', () => {
    const cc = reno();
    cc.onRetransmitTimeout(40 * SMSS, 0);
    cc.onAck(4 * SMSS, 0, 1, undefined);
    expect(cc.cwnd).toBe(2 * SMSS);
  });

  it('does not grow on an ACK that acknowledges nothing', () => {
    const cc = reno();
    cc.onAck(0, 0, 1, undefined);
    expect(cc.cwnd).toBe(4 * SMSS);
  });

  it('rejects a bad SMSS or option, naming the value', () => {
    const cc = new RenoCongestionControl();
    expect(() => cc.init(0, 0)).toThrow(InvalidArgumentError);
    expect(() => cc.init(1.5, 0)).toThrow(/smss 1\.5/);
    expect(() => new RenoCongestionControl({ byteCountingLimit: 0 })).toThrow(/byteCountingLimit 0/);
  });
});
