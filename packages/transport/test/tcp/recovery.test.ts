// Loss recovery at the segment level: which echoed timestamps time the path (RFC 7323 §4.1
// with Karn's rule), what a partial ACK in SACK recovery resends (RFC 6675 §5), D-SACK
// generation (RFC 2883 §4), RACK-TLP (RFC 8985), PRR (RFC 6937), undo of spurious
// retransmissions (RFC 3708, RFC 3522) and the stack profiles.

import { describe, expect, it } from 'vitest';
import { Harness, LOCAL_ISS, REMOTE_ISS } from './support/harness.ts';
import type { TcpOptions } from '../../src/tcp/index.ts';

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
});
