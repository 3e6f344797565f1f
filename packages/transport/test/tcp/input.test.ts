// Segment-level tests of SEGMENT ARRIVES (RFC 9293 §3.10.7), one block per state, in the
// style of smoltcp's socket/tcp.rs: the test plays the peer and expects exactly one reply
// (or none). Our ISS is LOCAL_ISS (10000), the peer's REMOTE_ISS (20000).

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { NS_PER_S, parseDuration } from '@netlayers/core';
import { Harness, LOCAL_ISS, LOCAL_PORT, record, REMOTE, REMOTE_ISS, REMOTE_PORT } from './support/harness.ts';

const L = LOCAL_ISS;
const R = REMOTE_ISS;

describe('CLOSED (no socket for the port), RFC 9293 §3.10.7.1', () => {
  it('answers a SYN with <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>', () => {
    const h = new Harness();
    h.send({ flags: 'SYN', seq: R });
    h.expectOne({ flags: 'RST,ACK', seq: 0, ack: R + 1, sport: LOCAL_PORT, dport: REMOTE_PORT });
  });

  it('counts SYN, FIN and payload in SEG.LEN', () => {
    const h = new Harness();
    h.send({ flags: 'SYN,FIN', seq: R, payload: 'abc' });
    h.expectOne({ flags: 'RST,ACK', seq: 0, ack: R + 5 });
  });

  it('answers a segment carrying ACK with <SEQ=SEG.ACK><CTL=RST>', () => {
    const h = new Harness();
    h.send({ flags: 'ACK', seq: R, ack: 777, payload: 'hi' });
    h.expectOne({ flags: 'RST', seq: 777 });
  });

  it('never answers a RST, and counts the drop as no-socket', () => {
    const h = new Harness();
    h.send({ flags: 'RST', seq: R });
    h.send({ flags: 'RST,ACK', seq: R, ack: 5 });
    h.expectNone();
    expect(h.node.counters.get('drop.transport.no-socket')).toBe(2);
  });
});

describe('LISTEN, RFC 9293 §3.10.7.2', () => {
  it('answers a SYN with SYN,ACK <SEQ=ISS><ACK=RCV.NXT> and enters SYN-RECEIVED', () => {
    const h = new Harness();
    h.listen();
    h.send({ flags: 'SYN', seq: R, options: { mss: 1200 } });
    h.expectOne({ flags: 'SYN,ACK', seq: L, ack: R + 1, options: { mss: 1460 } });
    expect(h.tcp.connections().map((c) => c.state)).toEqual(['SYN-RECEIVED']);
  });

  it('ignores a RST', () => {
    const h = new Harness();
    h.listen();
    h.send({ flags: 'RST', seq: R });
    h.expectNone();
  });

  it('answers an ACK with <SEQ=SEG.ACK><CTL=RST>', () => {
    const h = new Harness();
    h.listen();
    h.send({ flags: 'ACK', seq: R, ack: 4242 });
    h.expectOne({ flags: 'RST', seq: 4242 });
  });

  it('drops a segment with neither SYN, ACK nor RST', () => {
    const h = new Harness();
    h.listen();
    h.send({ flags: '', seq: R, payload: 'x' });
    h.expectNone();
    expect(h.tcp.connections()).toHaveLength(0);
  });

  it('drops SYNs beyond the backlog of half-open connections (SYN cookies off; syn-flood.test.ts covers them on)', () => {
    const h = new Harness({ synCookies: false });
    h.listen(LOCAL_PORT, 2);
    for (let i = 0; i < 3; i++) h.send({ flags: 'SYN', seq: R, sport: 50000 + i });
    expect(h.takeSent()).toHaveLength(2);
    expect(h.node.counters.get('drop.transport.queue-full')).toBe(1);
    // Completing one handshake frees a slot.
    h.send({ flags: 'ACK', sport: 50000, seq: R + 1, ack: L + 1 });
    h.send({ flags: 'SYN', seq: R, sport: 50009 });
    h.expectOne({ flags: 'SYN,ACK', dport: 50009 });
  });

  it('still answers other ports with RST', () => {
    const h = new Harness();
    h.listen();
    h.send({ flags: 'SYN', seq: R, dport: 81 });
    h.expectOne({ flags: 'RST,ACK', dport: REMOTE_PORT, sport: 81 });
  });
});

describe('SYN-SENT, RFC 9293 §3.10.7.3', () => {
  function synSent(options = {}) {
    const h = new Harness(options);
    const socket = h.tcp.connect({ remoteAddress: REMOTE, remotePort: LOCAL_PORT, localPort: REMOTE_PORT });
    const rec = record(socket);
    h.expectOne({ flags: 'SYN', seq: L, options: { mss: 1460 } });
    return { h, socket, ...rec };
  }
  const peer = { sport: LOCAL_PORT, dport: REMOTE_PORT };

  it('completes on SYN,ACK: ACK <SEQ=ISS+1><ACK=IRS+1>, ESTABLISHED, then connect', () => {
    const { h, socket, events } = synSent();
    expect(socket.state).toBe('SYN-SENT');
    h.send({ ...peer, flags: 'SYN,ACK', seq: R, ack: L + 1 });
    h.expectOne({ flags: 'ACK', seq: L + 1, ack: R + 1 });
    expect(socket.state).toBe('ESTABLISHED');
    expect(events).toEqual(['connect']);
  });

  it('resets an unacceptable ACK (SEG.ACK =< ISS or > SND.NXT) with <SEQ=SEG.ACK><CTL=RST>', () => {
    const { h, socket } = synSent();
    h.send({ ...peer, flags: 'SYN,ACK', seq: R, ack: L });
    h.expectOne({ flags: 'RST', seq: L });
    h.send({ ...peer, flags: 'ACK', seq: R, ack: L + 5 });
    h.expectOne({ flags: 'RST', seq: L + 5 });
    expect(socket.state).toBe('SYN-SENT');
  });

  it('drops a RST with an unacceptable ACK without answering', () => {
    const { h, socket } = synSent();
    h.send({ ...peer, flags: 'RST,ACK', seq: 0, ack: L + 9 });
    h.expectNone();
    expect(socket.state).toBe('SYN-SENT');
  });

  it('ignores a RST without ACK (RFC 5961 §3)', () => {
    const { h, socket } = synSent();
    h.send({ ...peer, flags: 'RST', seq: 0 });
    h.expectNone();
    expect(socket.state).toBe('SYN-SENT');
  });

  it('fails with ECONNREFUSED on a RST that acknowledges the SYN', () => {
    const { h, socket, events } = synSent();
    h.send({ ...peer, flags: 'RST,ACK', seq: 0, ack: L + 1 });
    h.expectNone();
    expect(socket.state).toBe('CLOSED');
    expect(events).toEqual(['error:ECONNREFUSED', 'close(error)']);
    expect(h.tcp.connections()).toHaveLength(0);
  });

  it('enters SYN-RECEIVED on a bare SYN (simultaneous open) and sends SYN,ACK', () => {
    const { h, socket } = synSent();
    h.send({ ...peer, flags: 'SYN', seq: R });
    h.expectOne({ flags: 'SYN,ACK', seq: L, ack: R + 1 });
    expect(socket.state).toBe('SYN-RECEIVED');
    // The peer's SYN,ACK completes it.
    h.send({ ...peer, flags: 'SYN,ACK', seq: R, ack: L + 1 });
    expect(socket.state).toBe('ESTABLISHED');
  });

  it('drops a segment with neither SYN nor RST', () => {
    const { h, socket } = synSent();
    h.send({ ...peer, flags: '', seq: R, payload: 'zz' });
    h.expectNone();
    expect(socket.state).toBe('SYN-SENT');
  });

  it('retransmits the SYN after 1 s, 2 s, 4 s and fails with ETIMEDOUT after synRetries', () => {
    const { h, events } = synSent({ synRetries: 2 });
    h.advance(NS_PER_S - 1);
    h.expectNone();
    h.advance(1);
    h.expectOne({ flags: 'SYN', seq: L });
    h.advance(2 * NS_PER_S);
    h.expectOne({ flags: 'SYN', seq: L });
    h.advance(4 * NS_PER_S - 1);
    expect(events).toEqual([]);
    h.advance(1);
    h.expectNone();
    expect(events).toEqual(['error:ETIMEDOUT', 'close(error)']);
  });

  it('queues data written before ESTABLISHED and sends it after the handshake', () => {
    const { h, socket } = synSent();
    socket.write('early');
    h.expectNone();
    h.send({ ...peer, flags: 'SYN,ACK', seq: R, ack: L + 1 });
    h.expectOne({ flags: 'PSH,ACK', seq: L + 1, ack: R + 1, payload: 'early' });
  });
});

describe('SYN-RECEIVED', () => {
  function synReceived() {
    const h = new Harness();
    const { listener, accepted } = h.listen();
    h.send({ flags: 'SYN', seq: R });
    h.expectOne({ flags: 'SYN,ACK', seq: L, ack: R + 1 });
    return { h, listener, accepted };
  }

  it('enters ESTABLISHED on an acceptable ACK and hands the socket to the listener', () => {
    const { h, accepted } = synReceived();
    h.send({ flags: 'ACK', seq: R + 1, ack: L + 1 });
    h.expectNone();
    expect(accepted).toHaveLength(1);
    expect(accepted[0]!.state).toBe('ESTABLISHED');
  });

  it('answers an unacceptable ACK with <SEQ=SEG.ACK><CTL=RST> and stays', () => {
    const { h, accepted } = synReceived();
    h.send({ flags: 'ACK', seq: R + 1, ack: L + 7 });
    h.expectOne({ flags: 'RST', seq: L + 7 });
    expect(h.tcp.connections()[0]!.state).toBe('SYN-RECEIVED');
    expect(accepted).toHaveLength(0);
  });

  it('resends SYN,ACK for a retransmitted SYN', () => {
    const { h } = synReceived();
    h.send({ flags: 'SYN', seq: R });
    h.expectOne({ flags: 'SYN,ACK', seq: L, ack: R + 1 });
  });

  it('returns to LISTEN on an exact RST (the connection is forgotten, the listener stays)', () => {
    const { h, accepted } = synReceived();
    h.send({ flags: 'RST', seq: R + 1 });
    h.expectNone();
    expect(h.tcp.connections()).toHaveLength(0);
    h.send({ flags: 'SYN', seq: R + 50 });
    h.expectOne({ flags: 'SYN,ACK', ack: R + 51 });
    expect(accepted).toHaveLength(0);
  });

  it('answers an in-window but inexact RST with a challenge ACK (RFC 5961 §3)', () => {
    const { h } = synReceived();
    h.send({ flags: 'RST', seq: R + 100 });
    h.expectOne({ flags: 'SYN,ACK', seq: L, ack: R + 1 });
    expect(h.tcp.connections()).toHaveLength(1);
  });

  it('retransmits SYN,ACK on the RTO', () => {
    const { h } = synReceived();
    h.advance(NS_PER_S);
    h.expectOne({ flags: 'SYN,ACK', seq: L, ack: R + 1 });
    h.advance(2 * NS_PER_S);
    h.expectOne({ flags: 'SYN,ACK', seq: L, ack: R + 1 });
  });

  it('accepts data and FIN on the ACK that completes the handshake', () => {
    const { h, listener } = synReceived();
    let got = '';
    let ended = false;
    let state = '';
    listener.on('connection', (s) => {
      s.on('data', (d) => (got += new TextDecoder().decode(d)));
      s.on('end', () => (ended = true));
      s.on('state', (_from, to) => (state = to));
    });
    h.send({ flags: 'FIN,PSH,ACK', seq: R + 1, ack: L + 1, payload: 'hello' });
    h.expectOne({ flags: 'ACK', seq: L + 1, ack: R + 7 });
    expect(state).toBe('CLOSE-WAIT');
    expect(got).toBe('hello');
    expect(ended).toBe(true);
  });
});

describe('ESTABLISHED', () => {
  it('acknowledges in-order data and delivers it', () => {
    const h = new Harness();
    const { received } = h.established();
    h.send({ flags: 'PSH,ACK', seq: R + 1, ack: L + 1, payload: 'abcdef' });
    h.expectOne({ flags: 'ACK', seq: L + 1, ack: R + 7 });
    expect(received).toEqual(['abcdef']);
  });

  it('answers out-of-window data with an ACK and does not accept it', () => {
    const h = new Harness();
    const { received } = h.established();
    h.send({ flags: 'ACK', seq: R + 1 + 70000, ack: L + 1, payload: 'far' });
    h.expectOne({ flags: 'ACK', seq: L + 1, ack: R + 1 });
    expect(received).toEqual([]);
    expect(h.node.counters.get('drop.transport.out-of-window')).toBe(1);
  });

  it('answers an old duplicate with an ACK', () => {
    const h = new Harness();
    const { received } = h.established();
    h.send({ flags: 'ACK', seq: R + 1, ack: L + 1, payload: 'abc' });
    h.expectOne({ ack: R + 4 });
    h.send({ flags: 'ACK', seq: R + 1, ack: L + 1, payload: 'abc' });
    h.expectOne({ flags: 'ACK', ack: R + 4 });
    expect(received).toEqual(['abc']);
  });

  it('keeps only the new part of a segment that straddles RCV.NXT', () => {
    const h = new Harness();
    const { received } = h.established();
    h.send({ seq: R + 1, ack: L + 1, payload: 'abc' });
    h.expectOne({ ack: R + 4 });
    h.send({ seq: R + 2, ack: L + 1, payload: 'bcdef' });
    h.expectOne({ ack: R + 7 });
    expect(received.join('')).toBe('abcdef');
  });

  it('queues out-of-order data, sends a duplicate ACK, and delivers when the gap fills', () => {
    const h = new Harness();
    const { received } = h.established();
    h.send({ seq: R + 4, ack: L + 1, payload: 'def' });
    h.expectOne({ flags: 'ACK', ack: R + 1 });
    expect(received).toEqual([]);
    h.send({ seq: R + 1, ack: L + 1, payload: 'abc' });
    h.expectOne({ flags: 'ACK', ack: R + 7 });
    expect(received.join('')).toBe('abcdef');
  });

  it('resets the connection on an exact RST (ECONNRESET)', () => {
    const h = new Harness();
    const { socket, events } = h.established();
    h.send({ flags: 'RST', seq: R + 1 });
    h.expectNone();
    expect(socket.state).toBe('CLOSED');
    expect(events).toEqual(['error:ECONNRESET', 'close(error)']);
  });

  it('answers an in-window inexact RST with a challenge ACK and stays (RFC 5961 §3)', () => {
    const h = new Harness();
    const { socket } = h.established();
    h.send({ flags: 'RST', seq: R + 1000 });
    h.expectOne({ flags: 'ACK', seq: L + 1, ack: R + 1 });
    expect(socket.state).toBe('ESTABLISHED');
    expect(socket.stats.challengeAcks).toBe(1);
  });

  it('silently drops an out-of-window RST', () => {
    const h = new Harness();
    const { socket } = h.established();
    h.send({ flags: 'RST', seq: R + 1 + 100000 });
    h.expectNone();
    expect(socket.state).toBe('ESTABLISHED');
  });

  it('answers a SYN with a challenge ACK (RFC 5961 §4)', () => {
    const h = new Harness();
    const { socket } = h.established();
    h.send({ flags: 'SYN', seq: R + 5 });
    h.expectOne({ flags: 'ACK', seq: L + 1, ack: R + 1 });
    h.send({ flags: 'SYN', seq: R - 3000 });
    h.expectOne({ flags: 'ACK', seq: L + 1, ack: R + 1 });
    expect(socket.state).toBe('ESTABLISHED');
  });

  it('rate-limits challenge ACKs (RFC 5961 §7)', () => {
    const h = new Harness({ challengeAckLimit: 2 });
    h.established();
    for (let i = 0; i < 5; i++) h.send({ flags: 'SYN', seq: R + 5 + i });
    expect(h.takeSent()).toHaveLength(2);
    h.advance(NS_PER_S);
    h.send({ flags: 'SYN', seq: R + 5 });
    expect(h.takeSent()).toHaveLength(1);
  });

  it('answers an ACK of data not yet sent with an ACK and drops the segment', () => {
    const h = new Harness();
    const { received } = h.established();
    h.send({ seq: R + 1, ack: L + 500, payload: 'xyz' });
    h.expectOne({ flags: 'ACK', seq: L + 1, ack: R + 1 });
    expect(received).toEqual([]);
  });

  it('answers an ACK older than SND.UNA - MAX.SND.WND with a challenge ACK (RFC 5961 §5)', () => {
    const h = new Harness();
    const { received } = h.established();
    h.send({ seq: R + 1, ack: (L - 70000) >>> 0, payload: 'xyz' });
    h.expectOne({ flags: 'ACK', seq: L + 1, ack: R + 1 });
    expect(received).toEqual([]);
  });

  it('accepts a duplicate ACK within the window (SND.UNA - MAX.SND.WND <= SEG.ACK)', () => {
    const h = new Harness();
    const { received } = h.established();
    h.send({ seq: R + 1, ack: L, payload: 'ok' });
    h.expectOne({ ack: R + 3 });
    expect(received).toEqual(['ok']);
  });

  it('drops a segment without ACK', () => {
    const h = new Harness();
    const { received } = h.established();
    h.send({ flags: 'PSH', seq: R + 1, payload: 'noack' });
    h.expectNone();
    expect(received).toEqual([]);
  });

  it('on FIN: ACKs it, enters CLOSE-WAIT and emits end after the data', () => {
    const h = new Harness();
    const { socket, received, events } = h.established();
    h.send({ flags: 'FIN,ACK', seq: R + 1, ack: L + 1, payload: 'last' });
    h.expectOne({ flags: 'ACK', seq: L + 1, ack: R + 6 });
    expect(socket.state).toBe('CLOSE-WAIT');
    expect(received).toEqual(['last']);
    expect(events).toEqual(['end']);
  });

  it('holds an out-of-order FIN until the gap before it fills', () => {
    const h = new Harness();
    const { socket, received, events } = h.established();
    h.send({ flags: 'FIN,ACK', seq: R + 4, ack: L + 1, payload: 'def' });
    h.expectOne({ ack: R + 1 });
    expect(socket.state).toBe('ESTABLISHED');
    h.send({ seq: R + 1, ack: L + 1, payload: 'abc' });
    h.expectOne({ ack: R + 8 });
    expect(socket.state).toBe('CLOSE-WAIT');
    expect(received.join('')).toBe('abcdef');
    expect(events).toEqual(['end']);
  });

  it('sends data, retransmits it on the RTO, and stops when it is acknowledged', () => {
    const h = new Harness();
    const { socket } = h.established();
    socket.write('hello');
    h.expectOne({ flags: 'PSH,ACK', seq: L + 1, ack: R + 1, payload: 'hello' });
    h.advance(NS_PER_S);
    h.expectOne({ flags: 'PSH,ACK', seq: L + 1, payload: 'hello' });
    h.send({ seq: R + 1, ack: L + 6 });
    h.expectNone();
    h.advance(10 * NS_PER_S);
    h.expectNone();
    expect(socket.stats.retransmissions).toBe(1);
    expect(socket.stats.timeouts).toBe(1);
  });

  it('abort (destroy) sends <SEQ=SND.NXT><CTL=RST>', () => {
    const h = new Harness();
    const { socket, events } = h.established();
    socket.destroy();
    h.expectOne({ flags: 'RST', seq: L + 1 });
    expect(socket.state).toBe('CLOSED');
    expect(events).toEqual(['close']);
  });

  it('accepts the ACK of a zero-window probe but not its byte', () => {
    const h = new Harness({ receiveBufferSize: 4 });
    const { socket, received } = h.established();
    socket.pause();
    h.send({ seq: R + 1, ack: L + 1, payload: 'abcd' });
    h.expectOne({ ack: R + 5, window: 0 });
    h.send({ seq: R + 5, ack: L + 1, payload: 'e' });
    h.expectOne({ ack: R + 5, window: 0 });
    socket.resume();
    h.expectOne({ ack: R + 5, window: 4 });
    expect(received).toEqual(['abcd']);
  });
});

describe('FIN-WAIT-1', () => {
  function finWait1() {
    const h = new Harness();
    const est = h.established();
    est.socket.end();
    h.expectOne({ flags: 'FIN,ACK', seq: L + 1, ack: R + 1 });
    expect(est.socket.state).toBe('FIN-WAIT-1');
    return { h, ...est };
  }

  it('enters FIN-WAIT-2 when the FIN is acknowledged', () => {
    const { h, socket } = finWait1();
    h.send({ seq: R + 1, ack: L + 2 });
    h.expectNone();
    expect(socket.state).toBe('FIN-WAIT-2');
  });

  it('enters CLOSING on a FIN that does not acknowledge ours (simultaneous close)', () => {
    const { h, socket } = finWait1();
    h.send({ flags: 'FIN,ACK', seq: R + 1, ack: L + 1 });
    h.expectOne({ flags: 'ACK', seq: L + 2, ack: R + 2 });
    expect(socket.state).toBe('CLOSING');
  });

  it('enters TIME-WAIT on a FIN that also acknowledges ours', () => {
    const { h, socket, events } = finWait1();
    h.send({ flags: 'FIN,ACK', seq: R + 1, ack: L + 2 });
    h.expectOne({ flags: 'ACK', seq: L + 2, ack: R + 2 });
    expect(socket.state).toBe('TIME-WAIT');
    expect(events).toEqual(['end', 'close']);
  });

  it('still receives data (half-close)', () => {
    const { h, received } = finWait1();
    h.send({ seq: R + 1, ack: L + 1, payload: 'more' });
    h.expectOne({ flags: 'ACK', seq: L + 2, ack: R + 5 });
    expect(received).toEqual(['more']);
  });

  it('retransmits the FIN on the RTO', () => {
    const { h } = finWait1();
    h.advance(NS_PER_S);
    h.expectOne({ flags: 'FIN,ACK', seq: L + 1 });
  });

  it('resets on an exact RST', () => {
    const { h, socket, events } = finWait1();
    h.send({ flags: 'RST', seq: R + 1 });
    expect(socket.state).toBe('CLOSED');
    expect(events).toEqual(['error:ECONNRESET', 'close(error)']);
  });

  it('throws EPIPE on write after end', () => {
    const { socket } = finWait1();
    expect(() => socket.write('x')).toThrow(/EPIPE/);
  });
});

describe('FIN-WAIT-2', () => {
  function finWait2() {
    const h = new Harness();
    const est = h.established();
    est.socket.end();
    h.expectOne({ flags: 'FIN,ACK', seq: L + 1 });
    h.send({ seq: R + 1, ack: L + 2 });
    expect(est.socket.state).toBe('FIN-WAIT-2');
    return { h, ...est };
  }

  it('keeps receiving data and acknowledging it', () => {
    const { h, received } = finWait2();
    h.send({ seq: R + 1, ack: L + 2, payload: 'data' });
    h.expectOne({ flags: 'ACK', seq: L + 2, ack: R + 5 });
    expect(received).toEqual(['data']);
  });

  it('enters TIME-WAIT on FIN and ACKs it', () => {
    const { h, socket } = finWait2();
    h.send({ flags: 'FIN,ACK', seq: R + 1, ack: L + 2 });
    h.expectOne({ flags: 'ACK', seq: L + 2, ack: R + 2 });
    expect(socket.state).toBe('TIME-WAIT');
  });

  it('answers a SYN with a challenge ACK', () => {
    const { h, socket } = finWait2();
    h.send({ flags: 'SYN', seq: R + 9 });
    h.expectOne({ flags: 'ACK', seq: L + 2, ack: R + 1 });
    expect(socket.state).toBe('FIN-WAIT-2');
  });

  it('resets on an exact RST', () => {
    const { h, socket } = finWait2();
    h.send({ flags: 'RST', seq: R + 1 });
    expect(socket.state).toBe('CLOSED');
  });
});

describe('CLOSE-WAIT', () => {
  function closeWait() {
    const h = new Harness();
    const est = h.established();
    h.send({ flags: 'FIN,ACK', seq: R + 1, ack: L + 1 });
    h.expectOne({ flags: 'ACK', ack: R + 2 });
    expect(est.socket.state).toBe('CLOSE-WAIT');
    return { h, ...est };
  }

  it('can still send data', () => {
    const { h, socket } = closeWait();
    socket.write('reply');
    h.expectOne({ flags: 'PSH,ACK', seq: L + 1, ack: R + 2, payload: 'reply' });
  });

  it('close() sends FIN and enters LAST-ACK', () => {
    const { h, socket } = closeWait();
    socket.end();
    h.expectOne({ flags: 'FIN,ACK', seq: L + 1, ack: R + 2 });
    expect(socket.state).toBe('LAST-ACK');
  });

  it('ACKs a retransmitted FIN', () => {
    const { h } = closeWait();
    h.send({ flags: 'FIN,ACK', seq: R + 1, ack: L + 1 });
    h.expectOne({ flags: 'ACK', seq: L + 1, ack: R + 2 });
  });

  it('resets on an exact RST', () => {
    const { h, socket } = closeWait();
    h.send({ flags: 'RST', seq: R + 2 });
    expect(socket.state).toBe('CLOSED');
  });
});

describe('CLOSING', () => {
  function closing() {
    const h = new Harness();
    const est = h.established();
    est.socket.end();
    h.expectOne({ flags: 'FIN,ACK' });
    h.send({ flags: 'FIN,ACK', seq: R + 1, ack: L + 1 });
    h.expectOne({ flags: 'ACK', ack: R + 2 });
    expect(est.socket.state).toBe('CLOSING');
    return { h, ...est };
  }

  it('enters TIME-WAIT when the FIN is acknowledged', () => {
    const { h, socket } = closing();
    h.send({ seq: R + 2, ack: L + 2 });
    h.expectNone();
    expect(socket.state).toBe('TIME-WAIT');
  });

  it('stays on an ACK that does not cover the FIN', () => {
    const { h, socket } = closing();
    h.send({ seq: R + 2, ack: L + 1 });
    expect(socket.state).toBe('CLOSING');
  });

  it('closes on an exact RST without error', () => {
    const { h, socket, events } = closing();
    h.send({ flags: 'RST', seq: R + 2 });
    expect(socket.state).toBe('CLOSED');
    expect(events).toEqual(['end', 'close']);
  });
});

describe('LAST-ACK', () => {
  function lastAck() {
    const h = new Harness();
    const est = h.established();
    h.send({ flags: 'FIN,ACK', seq: R + 1, ack: L + 1 });
    h.expectOne({ ack: R + 2 });
    est.socket.end();
    h.expectOne({ flags: 'FIN,ACK', seq: L + 1 });
    return { h, ...est };
  }

  it('enters CLOSED on the ACK of our FIN, sending nothing', () => {
    const { h, socket, events } = lastAck();
    h.send({ seq: R + 2, ack: L + 2 });
    h.expectNone();
    expect(socket.state).toBe('CLOSED');
    expect(events).toEqual(['end', 'close']);
    expect(h.tcp.connections()).toHaveLength(0);
  });

  it('retransmits the FIN on the RTO', () => {
    const { h } = lastAck();
    h.advance(NS_PER_S);
    h.expectOne({ flags: 'FIN,ACK', seq: L + 1, ack: R + 2 });
  });

  it('closes on an exact RST', () => {
    const { h, socket } = lastAck();
    h.send({ flags: 'RST', seq: R + 2 });
    expect(socket.state).toBe('CLOSED');
  });
});

describe('TIME-WAIT', () => {
  function timeWait(options = {}) {
    const h = new Harness(options);
    const est = h.established();
    est.socket.end();
    h.expectOne({ flags: 'FIN,ACK' });
    h.send({ flags: 'FIN,ACK', seq: R + 1, ack: L + 2 });
    h.expectOne({ flags: 'ACK', seq: L + 2, ack: R + 2 });
    expect(est.socket.state).toBe('TIME-WAIT');
    return { h, ...est };
  }

  it('lasts exactly 2*MSL', () => {
    const { h, socket } = timeWait({ msl: '30s' });
    h.advance(parseDuration('60s') - 1);
    expect(socket.state).toBe('TIME-WAIT');
    h.advance(1);
    expect(socket.state).toBe('CLOSED');
    expect(h.tcp.connections()).toHaveLength(0);
    const timers = h.eventsOf('timer').filter((t) => t.timer === 'TIME-WAIT');
    expect(timers.map((t) => [t.action, t.duration])).toEqual([['set', 60 * NS_PER_S], ['fired', undefined]]);
  });

  it('defaults to 2*MSL = 4 minutes', () => {
    const { h, socket } = timeWait();
    h.advance(4 * 60 * NS_PER_S - 1);
    expect(socket.state).toBe('TIME-WAIT');
    h.advance(1);
    expect(socket.state).toBe('CLOSED');
  });

  it('ACKs a retransmitted FIN and restarts the 2*MSL timer', () => {
    const { h, socket } = timeWait({ msl: '10s' });
    h.advance(15 * NS_PER_S);
    h.send({ flags: 'FIN,ACK', seq: R + 1, ack: L + 2 });
    h.expectOne({ flags: 'ACK', seq: L + 2, ack: R + 2 });
    h.advance(20 * NS_PER_S - 1);
    expect(socket.state).toBe('TIME-WAIT');
    h.advance(1);
    expect(socket.state).toBe('CLOSED');
  });

  it('closes on an exact RST', () => {
    const { h, socket } = timeWait();
    h.send({ flags: 'RST', seq: R + 2 });
    expect(socket.state).toBe('CLOSED');
  });

  it('accepts a new SYN with a higher sequence number as a new incarnation', () => {
    const { h } = timeWait();
    h.send({ flags: 'SYN', seq: R + 100000 });
    h.expectOne({ flags: 'SYN,ACK', ack: R + 100001 });
    expect(h.tcp.connections().map((c) => c.state)).toEqual(['SYN-RECEIVED']);
  });

  it('answers an old SYN with a challenge ACK', () => {
    const { h, socket } = timeWait();
    h.send({ flags: 'SYN', seq: R - 100 });
    h.expectOne({ flags: 'ACK', ack: R + 2 });
    expect(socket.state).toBe('TIME-WAIT');
  });
});

describe('random segments', () => {
  it('never throw, and leave the connection in an RFC state', () => {
    // fast-check: 40 connections, each hit by 250 random segments (70% with sequence and ACK
    // numbers near the connection's, 30% with timestamps and SACK options), with random pauses.
    const states = new Set(['ESTABLISHED', 'CLOSE-WAIT', 'CLOSED', 'FIN-WAIT-1', 'FIN-WAIT-2', 'CLOSING', 'LAST-ACK', 'TIME-WAIT']);
    const u32 = fc.integer({ min: 0, max: 0xffffffff });
    const segment = fc.record({
      flags: fc.integer({ min: 0, max: 255 }),
      near: fc.integer({ min: 0, max: 9 }),
      seqNear: fc.integer({ min: -100, max: 3000 }),
      ackNear: fc.integer({ min: -100, max: 100 }),
      seqFar: u32,
      ackFar: u32,
      window: fc.integer({ min: 0, max: 65535 }),
      payload: fc.integer({ min: 0, max: 40 }).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })),
      withOptions: fc.integer({ min: 0, max: 9 }),
      options: fc.record({ timestamps: fc.record({ value: u32, echo: u32 }), sack: fc.tuple(u32, u32).map((block) => [block]) }),
      pause: fc.integer({ min: 0, max: 19 }),
      pauseSeconds: fc.integer({ min: 0, max: 3 }),
    });
    const connection = fc.record({ timestamps: fc.boolean(), sack: fc.boolean(), outstanding: fc.boolean(), segments: fc.array(segment, { minLength: 250, maxLength: 250 }) });
    fc.assert(
      fc.property(connection, (run) => {
        const h = new Harness({ timestamps: run.timestamps, sack: run.sack });
        const { socket } = h.established();
        if (run.outstanding) socket.write('outstanding data');
        for (const s of run.segments) {
          const near = s.near < 7;
          h.send({
            flags: s.flags,
            seq: near ? (R + s.seqNear) >>> 0 : s.seqFar,
            ack: near ? (L + s.ackNear) >>> 0 : s.ackFar,
            window: s.window,
            payload: s.payload,
            ...(s.withOptions < 3 ? { options: s.options } : {}),
          });
          if (s.pause === 0) h.advance(s.pauseSeconds * NS_PER_S);
        }
        expect(states.has(socket.state)).toBe(true);
        h.takeSent();
      }),
      { numRuns: 40 },
    );
  });
});
