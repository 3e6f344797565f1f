// A tiny model of a sender for congestion-control tests: each round trip the whole window
// is in flight and every segment is acknowledged individually, spread over one RTT.

import type { CongestionControl } from '../../../src/tcp/congestion/index.ts';

/** Acknowledge one window's worth of SMSS segments over one RTT; returns the time after it. */
export function ackOneRound(cc: CongestionControl, smss: number, now: number, rtt: number): number {
  const segments = Math.max(1, Math.floor(cc.cwnd / smss));
  for (let i = 0; i < segments; i++) {
    const at = now + Math.round((rtt * (i + 1)) / segments);
    cc.onAck(smss, (segments - i - 1) * smss, at, rtt);
  }
  return now + rtt;
}

/** Rounds until cwnd first reaches `bytes` (or `maxRounds`); returns the number of rounds. */
export function roundsUntil(cc: CongestionControl, smss: number, start: number, rtt: number, bytes: number, maxRounds = 10_000): number {
  let now = start;
  for (let round = 1; round <= maxRounds; round++) {
    now = ackOneRound(cc, smss, now, rtt);
    if (cc.cwnd >= bytes) return round;
  }
  return Infinity;
}
