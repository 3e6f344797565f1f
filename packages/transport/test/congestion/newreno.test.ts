import { describe, expect, it } from 'vitest';
import { NewRenoCongestionControl } from '../../src/tcp/congestion/index.ts';

const SMSS = 1000;

function inRecovery(): NewRenoCongestionControl {
  const cc = new NewRenoCongestionControl();
  cc.init(SMSS, 0);
  cc.onEnterRecovery(20 * SMSS, 0);
  return cc;
}

describe('NewRenoCongestionControl (RFC 6582 §3.2)', () => {
  it('enters recovery with ssthresh = FlightSize/2 and cwnd = ssthresh + 3*SMSS', () => {
    const cc = inRecovery();
    expect(cc.name).toBe('newreno');
    expect(cc.ssthresh).toBe(10 * SMSS);
    expect(cc.cwnd).toBe(13 * SMSS);
  });

  it('deflates by the acknowledged bytes and adds back one SMSS on a partial ACK of >= SMSS', () => {
    const cc = inRecovery();
    cc.onDupAckInRecovery();
    cc.onDupAckInRecovery();
    expect(cc.cwnd).toBe(15 * SMSS);
    cc.onPartialAck(3 * SMSS);
    expect(cc.cwnd).toBe(15 * SMSS - 3 * SMSS + SMSS);
  });

  it('adds nothing back when the partial ACK covers less than one SMSS', () => {
    const cc = inRecovery();
    cc.onPartialAck(500);
    expect(cc.cwnd).toBe(13 * SMSS - 500);
  });

  it('sets cwnd = min(ssthresh, max(FlightSize, SMSS) + SMSS) on the full ACK', () => {
    const small = inRecovery();
    small.onExitRecovery(4 * SMSS, 1);
    expect(small.cwnd).toBe(5 * SMSS);
    const large = inRecovery();
    large.onExitRecovery(18 * SMSS, 1);
    expect(large.cwnd).toBe(10 * SMSS);
    const empty = inRecovery();
    empty.onExitRecovery(0, 1);
    expect(empty.cwnd).toBe(2 * SMSS);
  });

  it('grows again in congestion avoidance after recovery', () => {
    const cc = inRecovery();
    cc.onExitRecovery(18 * SMSS, 1);
    for (let i = 0; i < 10; i++) cc.onAck(SMSS, 9 * SMSS, 2 + i, undefined);
    expect(cc.cwnd).toBe(11 * SMSS);
  });
});
