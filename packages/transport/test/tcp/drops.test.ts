// Every segment (or part of one) the TCP input path discards is traced as a drop with a
// DropReason and counted; the answers RFC 5961 asks for (challenge ACKs, §3-§5) go out
// and are rate-limited (§7).

import { describe, expect, it } from 'vitest';
import { Ipv4Address } from '@netlayers/core';
import { Harness, LOCAL, LOCAL_ISS, REMOTE, REMOTE_ISS, REMOTE_PORT, LOCAL_PORT } from './support/harness.ts';

const L = LOCAL_ISS;
const R = REMOTE_ISS;

function drops(h: Harness): string[] {
  return h.eventsOf('drop').map((e) => `${e.reason}: ${e.detail}`);
}

describe('ACK acceptability (RFC 9293 §3.10.7.4 fifth step, RFC 5961 §5)', () => {
  it('an ACK of data never sent is answered with an ACK, dropped and counted', () => {
    const h = new Harness();
    const { received } = h.established();
    h.send({ seq: R + 1, ack: L + 500, payload: 'data' });
    h.expectOne({ flags: 'ACK', seq: L + 1, ack: R + 1 });
    expect(received).toEqual([]);
    expect(h.node.counters.get('drop.transport.out-of-window')).toBe(1);
    expect(drops(h)).toEqual([expect.stringMatching(/^out-of-window: .*ACK 10500 .*not yet sent/)]);
  });

  it('a too-old ACK gets a challenge ACK, is dropped and counted', () => {
    const h = new Harness();
    const { socket, received } = h.established();
    h.send({ seq: R + 1, ack: L + 1 - 70_000, payload: 'data' });
    h.expectOne({ flags: 'ACK', seq: L + 1, ack: R + 1 });
    expect(received).toEqual([]);
    expect(socket.stats.challengeAcks).toBe(1);
    expect(h.node.counters.get('drop.transport.out-of-window')).toBe(1);
    expect(drops(h)).toEqual([expect.stringMatching(/^out-of-window: .*ACK .* older than SND.UNA - MAX.SND.WND/)]);
  });
});

describe('SYN in a synchronized state (RFC 5961 §4)', () => {
  it('an out-of-window SYN gets a counted, rate-limited challenge ACK', () => {
    const h = new Harness({ challengeAckLimit: 1 });
    const { socket } = h.established();
    h.send({ flags: 'SYN', seq: R + 1_000_000 });
    h.expectOne({ flags: 'ACK', seq: L + 1, ack: R + 1 });
    expect(socket.stats.challengeAcks).toBe(1);
    // The second, within the same second, is over the limit: no ACK, a rate-limited drop.
    h.send({ flags: 'SYN', seq: R + 2_000_000 });
    h.expectNone();
    expect(socket.stats.challengeAcks).toBe(1);
    expect(h.node.counters.get('drop.transport.out-of-window')).toBe(2);
    expect(h.node.counters.get('drop.transport.rate-limited')).toBe(1);
    expect(socket.state).toBe('ESTABLISHED');
  });

  it('an in-window SYN gets a challenge ACK and is counted as a drop', () => {
    const h = new Harness();
    const { socket } = h.established();
    h.send({ flags: 'SYN', seq: R + 10 });
    h.expectOne({ flags: 'ACK', seq: L + 1, ack: R + 1 });
    expect(socket.stats.challengeAcks).toBe(1);
    expect(h.node.counters.get('drop.transport.bad-state')).toBe(1);
    expect(socket.state).toBe('ESTABLISHED');
  });
});

describe('RST not exactly at RCV.NXT (RFC 5961 §3)', () => {
  it('is dropped, counted and answered with a challenge ACK', () => {
    const h = new Harness();
    const { socket } = h.established();
    h.send({ flags: 'RST', seq: R + 5 });
    h.expectOne({ flags: 'ACK', seq: L + 1, ack: R + 1 });
    expect(socket.state).toBe('ESTABLISHED');
    expect(h.node.counters.get('drop.transport.out-of-window')).toBe(1);
  });
});

describe('text the connection cannot take', () => {
  it('the byte of a zero-window probe is counted as dropped', () => {
    const h = new Harness({ receiveBufferSize: 4 });
    const { socket } = h.established();
    socket.pause();
    h.send({ seq: R + 1, ack: L + 1, payload: 'abcd' });
    h.expectOne({ ack: R + 5, window: 0 });
    h.send({ seq: R + 5, ack: L + 1, payload: 'e' });
    h.expectOne({ ack: R + 5, window: 0 });
    expect(h.node.counters.get('drop.transport.out-of-window')).toBe(1);
  });

  it('bytes beyond the right edge of the window are counted as dropped', () => {
    const h = new Harness({ receiveBufferSize: 4 });
    const { received } = h.established();
    h.send({ seq: R + 1, ack: L + 1, payload: 'abcdef' });
    h.expectOne({ ack: R + 5 });
    expect(received).toEqual(['abcd']);
    const cut = h.eventsOf('drop');
    expect(cut).toHaveLength(1);
    expect(cut[0]!.reason).toBe('out-of-window');
    expect(cut[0]!.length).toBe(2);
  });

  it('text after the peer\'s FIN (CLOSE-WAIT) is dropped and counted', () => {
    const h = new Harness();
    const { socket } = h.established();
    h.send({ flags: 'FIN,ACK', seq: R + 1, ack: L + 1 });
    h.expectOne({ ack: R + 2 });
    expect(socket.state).toBe('CLOSE-WAIT');
    h.send({ seq: R + 2, ack: L + 1, payload: 'late' });
    h.expectNone();
    expect(h.node.counters.get('drop.transport.bad-state')).toBe(1);
  });
});

describe('ICMP errors TCP cannot use (RFC 5927)', () => {
  const report = (payload: Uint8Array) => ({
    type: 'destination-unreachable' as const,
    icmpType: 3,
    icmpCode: 3,
    reporter: Ipv4Address.parse('192.168.1.254'),
    originalSource: LOCAL,
    originalDestination: REMOTE,
    originalProtocol: 6,
    originalPayload: payload,
  });

  it('an error for no connection is counted as no-socket', () => {
    const h = new Harness();
    const quoted = new Uint8Array([LOCAL_PORT >> 8, LOCAL_PORT & 0xff, REMOTE_PORT >> 8, REMOTE_PORT & 0xff, 0, 0, 0, 1]);
    h.ip.icmp(report(quoted));
    expect(h.node.counters.get('drop.transport.no-socket')).toBe(1);
  });

  it('an error quoting fewer than 8 bytes is counted as truncated', () => {
    const h = new Harness();
    h.ip.icmp(report(new Uint8Array(4)));
    expect(h.node.counters.get('drop.transport.truncated')).toBe(1);
  });
});
