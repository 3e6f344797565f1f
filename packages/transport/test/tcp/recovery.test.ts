// Loss recovery at the segment level: which echoed timestamps time the path (RFC 7323 §4.1
// with Karn's rule), what a partial ACK in SACK recovery resends (RFC 6675 §5), D-SACK
// generation (RFC 2883 §4), RACK-TLP (RFC 8985), PRR (RFC 6937), undo of spurious
// retransmissions (RFC 3708, RFC 3522) and the stack profiles.

import { describe, expect, it } from 'vitest';
import { Harness, LOCAL_ISS, REMOTE_ISS } from './support/harness.ts';
import { InvalidArgumentError } from '@netlayers/core';
import { resolveTcpConfig, type TcpOptions } from '../../src/tcp/index.ts';

const MS = 1e6;

/** Passive open with timestamps (and SACK) negotiated; the peer's ACK of our SYN,ACK comes `rttMs` later. */
function establishedWithTimestamps(options: TcpOptions = {}, rttMs = 10) {
  const h = new Harness({ timestamps: true, sack: true, ...options });
  const { accepted } = h.listen();
  h.send({ flags: 'SYN', seq: REMOTE_ISS, options: { mss: 1000, sackPermitted: true, timestamps: { value: 500, echo: 0 } } });
  const synAck = h.expectOne({ flags: 'SYN,ACK', seq: LOCAL_ISS, ack: REMOTE_ISS + 1 });
  const ourTs = synAck.options.timestamps!.value;
  h.advance(rttMs * MS);
  h.send({ flags: 'ACK', seq: REMOTE_ISS + 1, ack: LOCAL_ISS + 1, options: { timestamps: { value: 510, echo: ourTs } } });
  h.expectNone();
  const socket = accepted[0]!;
  const info = () => h.tcp.connections()[0]!;
  return { h, socket, info };
}

describe('RTT samples from echoed timestamps (RFC 7323 §4.1, RFC 6298 §3)', () => {
  it('does not time an ACK whose TSecr is older than the retransmission it answers (the lost-ACK stall)', () => {
    const { h, socket, info } = establishedWithTimestamps();
    expect(info().srtt).toBe(10 * MS);
    socket.write(new Uint8Array(100).fill(1));
    const original = h.expectOne({ seq: LOCAL_ISS + 1, len: 100 });
    // The peer got it, but its ACK is lost. Our RTO (1 s) resends the segment.
    h.advance(1_000 * MS);
    const resent = h.expectOne({ seq: LOCAL_ISS + 1, len: 100 });
    expect(resent.options.timestamps!.value).toBeGreaterThan(original.options.timestamps!.value);
    // The peer already has the data: it answers the duplicate with TS.Recent, the TSval of
    // the original (RFC 7323 §4.3 keeps TS.Recent from the last in-window segment).
    h.advance(10 * MS);
    h.send({ flags: 'ACK', seq: REMOTE_ISS + 1, ack: LOCAL_ISS + 101, options: { timestamps: { value: 1520, echo: original.options.timestamps!.value } } });
    // That echo times our own timeout (1.01 s), not the 10 ms path: it must not be sampled.
    expect(info().sndUna).toBe(LOCAL_ISS + 101);
    expect(info().srtt).toBe(10 * MS);
    // An echo of the retransmission (or later data) times the path again.
    socket.write(new Uint8Array(100).fill(2));
    const next = h.expectOne({ seq: LOCAL_ISS + 101, len: 100 });
    h.advance(20 * MS);
    h.send({ flags: 'ACK', seq: REMOTE_ISS + 1, ack: LOCAL_ISS + 201, options: { timestamps: { value: 1540, echo: next.options.timestamps!.value } } });
    expect(info().srtt).toBeCloseTo(0.875 * 10 * MS + 0.125 * 20 * MS, -3);
  });

  it("'linux' (with the transmission log) times an ACK held past one timeout when it echoes this episode's original transmission, as Linux does", () => {
    // A Linux receiver whose reader lags holds its ACK until its delayed-ACK timer (up to its
    // RTO, ~200 ms). Our RTO (SRTT + 200 ms = 210 ms) fires first; the held ACK then comes,
    // echoing the original transmission. Linux's sender times it (tcp_ack_update_rtt falls
    // back to TSecr); so must we, or every such hold costs another timeout.
    const { h, socket, info } = establishedWithTimestamps({ profile: 'linux', tlp: false });
    expect(info().srtt).toBe(10 * MS);
    socket.write(new Uint8Array(100).fill(1));
    const original = h.expectOne({ seq: LOCAL_ISS + 1, len: 100 });
    h.advance(210 * MS);
    const resent = h.expectOne({ seq: LOCAL_ISS + 1, len: 100 });
    expect(resent.options.timestamps!.value).toBeGreaterThan(original.options.timestamps!.value);
    h.advance(20 * MS);
    h.send({ flags: 'ACK', seq: REMOTE_ISS + 1, ack: LOCAL_ISS + 101, options: { timestamps: { value: 760, echo: original.options.timestamps!.value } } });
    // The sample is 230 ms: SRTT 10 + (230 - 10)/8 = 37.5 ms.
    expect(info().srtt).toBeCloseTo(37.5 * MS, -5);
  });

  it("'linux' still refuses an echo older than the episode's data, or one after a second timeout", () => {
    const { h, socket, info } = establishedWithTimestamps({ profile: 'linux', tlp: false });
    socket.write(new Uint8Array(100).fill(1));
    const original = h.expectOne({ seq: LOCAL_ISS + 1, len: 100 });
    h.advance(210 * MS);
    h.expectOne({ seq: LOCAL_ISS + 1, len: 100 });
    // An echo from before this data was ever sent (a stale TS.Recent): not timed.
    h.send({ flags: 'ACK', seq: REMOTE_ISS + 1, ack: LOCAL_ISS + 101, options: { timestamps: { value: 760, echo: original.options.timestamps!.value - 50 } } });
    expect(info().sndUna).toBe(LOCAL_ISS + 101);
    expect(info().srtt).toBe(10 * MS);
    // Two timeouts in a row: the echo of the original would time both backoffs; not timed.
    socket.write(new Uint8Array(100).fill(2));
    const second = h.expectOne({ seq: LOCAL_ISS + 101, len: 100 });
    h.advance(info().rto);
    h.expectOne({ seq: LOCAL_ISS + 101, len: 100 });
    h.advance(info().rto);
    h.expectOne({ seq: LOCAL_ISS + 101, len: 100 });
    h.send({ flags: 'ACK', seq: REMOTE_ISS + 1, ack: LOCAL_ISS + 201, options: { timestamps: { value: 1900, echo: second.options.timestamps!.value } } });
    expect(info().sndUna).toBe(LOCAL_ISS + 201);
    expect(info().srtt).toBe(10 * MS);
  });
});

describe('SACK loss recovery (RFC 6675)', () => {
  it('a partial ACK does not resend SND.UNA when IsLost() does not hold for it (§5 NextSeg)', () => {
    const h = new Harness({ sack: true, initialWindow: 10 });
    const { accepted } = h.listen();
    h.send({ flags: 'SYN', seq: REMOTE_ISS, options: { mss: 1000, sackPermitted: true } });
    h.expectOne({ flags: 'SYN,ACK' });
    h.send({ flags: 'ACK', seq: REMOTE_ISS + 1, ack: LOCAL_ISS + 1 });
    const socket = accepted[0]!;
    const S = (i: number): number => LOCAL_ISS + 1 + i * 1000;
    socket.write(new Uint8Array(20_000).fill(7));
    const first = h.takeSent();
    expect(first.map((s) => s.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(S));
    const dupAck = (blocks: [number, number][], ack = S(0)): void => h.send({ seq: REMOTE_ISS + 1, ack, options: { sack: blocks } });
    // S0 is lost; S1..S3 arrive: three duplicate ACKs, fast retransmit of S0.
    dupAck([[S(1), S(2)]]);
    dupAck([[S(1), S(3)]]);
    dupAck([[S(1), S(4)]]);
    expect(h.takeSent().map((s) => s.seq)).toContain(S(0));
    // S4 arrives, S5 is lost, S6 arrives.
    dupAck([[S(1), S(5)]]);
    dupAck([[S(6), S(7)], [S(1), S(5)]]);
    h.takeSent();
    // The retransmitted S0 arrives: a partial ACK up to S5. Only S6 (1000 bytes) is SACKed
    // above S5, not more than (DupThresh - 1) * SMSS: IsLost(S5) is false, S5 may still arrive.
    dupAck([[S(6), S(7)]], S(5));
    const after = h.takeSent();
    expect(after.map((s) => s.seq)).not.toContain(S(5));
    // The window left by the ACK goes to new data (NextSeg rule 2).
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((s) => s.seq >= S(10))).toBe(true);
  });
});

/** Passive open with SACK (no timestamps), MSS 1000, the handshake's RTT `rttMs`; returns a sender of `bytes`. */
function sackSender(options: TcpOptions, bytes = 20_000, rttMs = 10) {
  const h = new Harness({ sack: true, ...options });
  const { accepted } = h.listen();
  h.send({ flags: 'SYN', seq: REMOTE_ISS, options: { mss: 1000, sackPermitted: true } });
  h.expectOne({ flags: 'SYN,ACK' });
  h.advance(rttMs * MS);
  h.send({ flags: 'ACK', seq: REMOTE_ISS + 1, ack: LOCAL_ISS + 1 });
  const socket = accepted[0]!;
  socket.write(new Uint8Array(bytes).fill(9));
  const S = (i: number): number => LOCAL_ISS + 1 + i * 1000;
  const ack = (to: number, blocks: [number, number][] = []): void => h.send({ seq: REMOTE_ISS + 1, ack: to, options: blocks.length > 0 ? { sack: blocks } : {} });
  const info = () => h.tcp.connections()[0]!;
  return { h, socket, S, ack, info };
}

describe('profiles', () => {
  it("'rfc' (the default) keeps the RFC defaults; 'linux' changes exactly the documented knobs; explicit options win", () => {
    const rfc = resolveTcpConfig({ profile: 'rfc' });
    expect(resolveTcpConfig({})).toEqual(rfc);
    expect(rfc).toMatchObject({ profile: 'rfc', rtoMin: 1e9, delayedAck: 200e6, initialWindow: 'rfc5681', rack: false, tlp: false, prr: false, dsack: false, undo: false });
    const linux = resolveTcpConfig({ profile: 'linux' });
    expect(linux).toMatchObject({ profile: 'linux', rtoMin: 200e6, delayedAck: 40e6, initialWindow: 'rfc6928', rack: true, tlp: true, prr: true, dsack: true, undo: true });
    const changed = Object.keys(rfc).filter((k) => JSON.stringify(rfc[k as keyof typeof rfc]) !== JSON.stringify(linux[k as keyof typeof linux]));
    expect(linux).toMatchObject({ rtoFormula: 'linux', congestionControl: 'cubic' });
    expect(rfc).toMatchObject({ rtoFormula: 'rfc6298', congestionControl: 'newreno' });
    expect(changed.sort()).toEqual(['congestionControl', 'delayedAck', 'dsack', 'initialWindow', 'nagle', 'profile', 'prr', 'ptoFormula', 'rack', 'rtoFormula', 'rtoMin', 'tlp', 'undo']);
    expect(linux).toMatchObject({ ptoFormula: 'linux' });
    expect(rfc).toMatchObject({ ptoFormula: 'rfc8985' });
    expect(() => resolveTcpConfig({ ptoFormula: 'bsd' as 'linux' })).toThrow(InvalidArgumentError);
    expect(() => resolveTcpConfig({ nagle: 'bsd' as 'minshall' })).toThrow(InvalidArgumentError);
    expect(resolveTcpConfig({ profile: 'linux', congestionControl: 'newreno', rtoFormula: 'rfc6298' })).toMatchObject({ congestionControl: 'newreno', rtoFormula: 'rfc6298' });
    expect(() => resolveTcpConfig({ rtoFormula: 'bsd' as 'linux' })).toThrow(InvalidArgumentError);
    expect(resolveTcpConfig({ profile: 'linux', rtoMin: '1s', rack: false })).toMatchObject({ rtoMin: 1e9, rack: false, tlp: true });
    expect(() => resolveTcpConfig({ profile: 'bsd' as 'rfc' })).toThrow(InvalidArgumentError);
    expect(() => resolveTcpConfig({ initialWindow: 0 })).toThrow(InvalidArgumentError);
  });

  it("'linux' sends an initial window of 10 segments, 'rfc' the RFC 5681 window (4 at MSS 1000)", () => {
    expect(sackSender({ profile: 'linux' }).h.takeSent()).toHaveLength(10);
    expect(sackSender({ profile: 'rfc' }).h.takeSent()).toHaveLength(4);
    expect(sackSender({}).h.takeSent()).toHaveLength(4);
  });
});

describe('D-SACK generation (RFC 2883 §4)', () => {
  for (const profile of ['linux', 'rfc'] as const) {
    it(`${profile}: a segment already received is ${profile === 'linux' ? 'reported in the first SACK block' : 'acknowledged without a D-SACK block'}`, () => {
      const h = new Harness({ sack: true, profile });
      h.listen();
      h.send({ flags: 'SYN', seq: REMOTE_ISS, options: { mss: 1000, sackPermitted: true } });
      h.expectOne({ flags: 'SYN,ACK' });
      h.send({ flags: 'ACK', seq: REMOTE_ISS + 1, ack: LOCAL_ISS + 1 });
      h.send({ seq: REMOTE_ISS + 1, ack: LOCAL_ISS + 1, payload: 'x'.repeat(100) });
      h.expectOne({ ack: REMOTE_ISS + 101 });
      // The same segment again (its ACK was lost, the peer resent it).
      h.send({ seq: REMOTE_ISS + 1, ack: LOCAL_ISS + 1, payload: 'x'.repeat(100) });
      const reply = h.expectOne({ ack: REMOTE_ISS + 101 });
      if (profile === 'linux') expect(reply.options.sack).toEqual([[REMOTE_ISS + 1, REMOTE_ISS + 101]]);
      else expect(reply.options.sack).toBeUndefined();
      // Reported once: the next ACK has no D-SACK.
      h.send({ seq: REMOTE_ISS + 101, ack: LOCAL_ISS + 1, payload: 'y' });
      h.advance(1e9);
      const next = h.takeSent();
      expect(next.every((s) => s.options.sack === undefined)).toBe(true);
    });
  }
});

describe('RACK (RFC 8985 §6)', () => {
  it('detects a lost first segment from time after one SACK, without three duplicate ACKs', () => {
    const { h, S, ack, info } = sackSender({ profile: 'linux', tlp: false });
    h.takeSent();
    h.advance(10 * MS);
    ack(S(0), [[S(1), S(2)]]);
    // One duplicate ACK: not lost yet, the reordering window (min_RTT / 4 = 2.5 ms) runs.
    expect(h.takeSent().map((s) => s.seq)).not.toContain(S(0));
    h.advance(3 * MS);
    expect(h.takeSent().map((s) => s.seq)).toContain(S(0));
    expect(info().stats.rackLosses).toBeGreaterThan(0);
  });

  it("the 'rfc' profile waits for the third duplicate ACK (RFC 5681 §3.2)", () => {
    const { h, S, ack } = sackSender({ profile: 'rfc' });
    h.takeSent();
    h.advance(10 * MS);
    ack(S(0), [[S(1), S(2)]]);
    h.advance(50 * MS);
    expect(h.takeSent().map((s) => s.seq)).not.toContain(S(0));
    ack(S(0), [[S(1), S(3)]]);
    ack(S(0), [[S(1), S(4)]]);
    expect(h.takeSent().map((s) => s.seq)).toContain(S(0));
  });
});

describe('Tail Loss Probe (RFC 8985 §7)', () => {
  it("'rfc8985' PTO: resends the last segment after 2*SRTT, long before the RTO", () => {
    const { h, S, ack, info } = sackSender({ profile: 'linux', ptoFormula: 'rfc8985' }, 2000);
    expect(h.takeSent().map((s) => s.seq)).toEqual([S(0), S(1)]);
    // Neither segment (nor any ACK) arrives. SRTT is 10 ms: the probe goes at 20 ms.
    h.advance(19 * MS);
    h.expectNone();
    h.advance(2 * MS);
    h.expectOne({ seq: S(1), len: 1000 });
    expect(info().stats.tailLossProbes).toBe(1);
    expect(info().stats.timeouts).toBe(0);
    // The probe's ACK SACKs it; RACK then finds S0 lost and recovery resends it.
    h.advance(10 * MS);
    ack(S(0), [[S(1), S(2)]]);
    h.advance(5 * MS);
    expect(h.takeSent().map((s) => s.seq)).toContain(S(0));
    expect(info().stats.timeouts).toBe(0);
  });

  it("'rfc8985' PTO adds WCDelAckT (200 ms) when a single segment is in flight", () => {
    const { h, S, info } = sackSender({ profile: 'linux', ptoFormula: 'rfc8985', rtoMin: '1s' }, 500);
    h.expectOne({ seq: S(0), len: 500 });
    h.advance(219 * MS);
    h.expectNone();
    h.advance(2 * MS);
    h.expectOne({ seq: S(0), len: 500 });
    expect(info().stats.tailLossProbes).toBe(1);
  });

  it("'linux' PTO is 2*SRTT + 2 ms (TCP_TIMEOUT_MIN) with several segments out, as tcp_schedule_loss_probe()", () => {
    const { h, S, info } = sackSender({ profile: 'linux' }, 2000);
    expect(h.takeSent().map((s) => s.seq)).toEqual([S(0), S(1)]);
    // SRTT 10 ms: RFC 8985's PTO would fire at 20 ms, Linux's at 22 ms.
    h.advance(21 * MS);
    h.expectNone();
    h.advance(2 * MS);
    h.expectOne({ seq: S(1), len: 1000 });
    expect(info().stats.tailLossProbes).toBe(1);
  });

  it("'linux' PTO adds the minimum RTO (not a fixed 200 ms) when a single segment is in flight", () => {
    // rtoMin 300 ms: PTO = 20 + 300 = 320 ms; the RTO (SRTT + max(4*mdev, 300 ms) = 310 ms)
    // comes first, so the probe goes in its place at 310 ms.
    const { h, S, info } = sackSender({ profile: 'linux', rtoMin: '300ms' }, 500);
    h.expectOne({ seq: S(0), len: 500 });
    h.advance(309 * MS);
    h.expectNone();
    h.advance(2 * MS);
    h.expectOne({ seq: S(0), len: 500 });
    expect(info().stats.tailLossProbes).toBe(1);
    expect(info().stats.timeouts).toBe(0);
  });

  for (const ptoFormula of ['rfc8985', 'linux'] as const) {
    it(`${ptoFormula}: when the RTO would fire before the PTO, the probe goes in its place and the RTO is restarted (§7.2, §7.3)`, () => {
      // PTO = 2 * 10 ms + 200 ms = 220 ms; the RTO (Linux's formula: SRTT + max(4*mdev,
      // 200 ms) = 10 + max(20, 200) = 210 ms) would come first: RFC 8985's TLP_calc_PTO()
      // caps the PTO at the RTO's expiration, so at 210 ms a probe goes, not a timeout.
      const { h, S, info } = sackSender({ profile: 'linux', ptoFormula }, 500);
      h.expectOne({ seq: S(0), len: 500 });
      const cwnd = info().cwnd;
      h.advance(209 * MS);
      h.expectNone();
      h.advance(2 * MS);
      h.expectOne({ seq: S(0), len: 500 });
      expect(info().stats.tailLossProbes).toBe(1);
      expect(info().stats.timeouts).toBe(0);
      expect(info().cwnd).toBe(cwnd); // a probe is not a timeout: the window stays
      // Nothing answers the probe either: the RTO, restarted when the probe went (at 210 ms), fires a full RTO later.
      h.advance(208 * MS);
      h.expectNone();
      h.advance(2 * MS);
      h.expectOne({ seq: S(0), len: 500 });
      expect(info().stats.timeouts).toBe(1);
      expect(info().stats.tailLossProbes).toBe(1);
    });
  }
});

describe('PRR (RFC 6937)', () => {
  it('sends in proportion to delivery while pipe > ssthresh, so recovery ends near ssthresh', () => {
    const run = (prr: boolean): { sent: number; ssthresh: number } => {
      const { h, S, ack, info } = sackSender({ profile: 'linux', tlp: false, prr, congestionControl: 'reno' }, 40_000);
      expect(h.takeSent()).toHaveLength(10);
      h.advance(10 * MS);
      // S0 is lost; S1..S9 arrive one by one.
      let sent = 0;
      for (let i = 1; i <= 9; i++) {
        ack(S(0), [[S(1), S(i + 1)]]);
        sent += h.takeSent().reduce((n, s) => n + s.payload.length, 0);
      }
      return { sent, ssthresh: info().ssthresh };
    };
    const withPrr = run(true);
    const without = run(false);
    // Limited transmit (RFC 3042) sends S10 and S11 on the first two duplicate ACKs; the third
    // starts recovery with FlightSize = RecoverFS = 12 segments, so ssthresh = 6. From then on
    // PRR sends about ssthresh / RecoverFS = 1/2 of what is delivered (7 segments), plus the
    // retransmission of S0 allowed at once: never a burst of the whole window.
    expect(withPrr.ssthresh).toBe(6000);
    expect(withPrr.sent).toBeGreaterThanOrEqual(2000 + 3000);
    expect(withPrr.sent).toBeLessThanOrEqual(2000 + Math.ceil((7000 * 6000) / 12000) + 1000);
    expect(without.sent).toBeGreaterThan(withPrr.sent);
  });
});

describe('undo of spurious retransmissions', () => {
  it('D-SACK (RFC 3708): when the only retransmission is reported a duplicate, cwnd and ssthresh come back', () => {
    const { h, S, ack, info } = sackSender({ profile: 'linux', tlp: false }, 40_000);
    h.takeSent();
    h.advance(10 * MS);
    ack(S(1)); // one round: cwnd grows in slow start
    h.takeSent();
    const before = { cwnd: info().cwnd, ssthresh: info().ssthresh };
    // S1 is delayed, not lost: S2..S4 are SACKed and RACK resends S1.
    ack(S(1), [[S(2), S(3)]]);
    ack(S(1), [[S(2), S(4)]]);
    ack(S(1), [[S(2), S(5)]]);
    expect(h.takeSent().map((s) => s.seq)).toContain(S(1));
    expect(info().ssthresh).toBeLessThan(before.ssthresh);
    // The original S1 arrives: everything up to S5 is acknowledged; then the retransmission
    // arrives too and the receiver reports it with a D-SACK.
    ack(S(5));
    ack(S(5), [[S(1), S(2)]]);
    expect(info().stats.dsacksReceived).toBe(1);
    expect(info().stats.spuriousUndos).toBe(1);
    expect(info().ssthresh).toBe(before.ssthresh);
    expect(info().cwnd).toBeGreaterThanOrEqual(before.cwnd);
  });

  it('Eifel (RFC 3522): an ACK echoing the original transmission undoes a spurious timeout', () => {
    const { h, socket, info } = establishedWithTimestamps({ profile: 'linux', tlp: false });
    socket.write(new Uint8Array(3000).fill(3));
    const first = h.takeSent();
    expect(first.length).toBeGreaterThan(1);
    const before = { cwnd: info().cwnd, ssthresh: info().ssthresh };
    // The ACKs are only late: the 200 ms minimum RTO fires and resends the first segment.
    h.advance(250 * MS);
    h.expectOne({ seq: LOCAL_ISS + 1 });
    expect(info().cwnd).toBeLessThan(before.cwnd);
    // The late ACK for everything, echoing the original transmission's TSval.
    const last = first[first.length - 1]!;
    h.send({ flags: 'ACK', seq: REMOTE_ISS + 1, ack: last.seq + last.payload.length, options: { timestamps: { value: 600, echo: first[0]!.options.timestamps!.value } } });
    expect(info().stats.spuriousUndos).toBe(1);
    expect(info().ssthresh).toBe(before.ssthresh);
    expect(info().cwnd).toBeGreaterThanOrEqual(before.cwnd);
  });
});
