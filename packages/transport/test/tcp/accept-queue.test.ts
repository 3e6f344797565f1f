// The accept queue a listener's backlog bounds (listen(2) semantics, as Linux): while the
// listener is paused, connections that complete the handshake wait unaccepted; half-open
// plus waiting connections never exceed the backlog; a handshake that completes while the
// queue is full is dropped (the SYN,ACK retransmission retries it later).

import { describe, expect, it } from 'vitest';
import { NS_PER_S } from '@netlayers/core';
import { Harness, LOCAL_ISS, REMOTE_ISS } from './support/harness.ts';

const L = LOCAL_ISS;
const R = REMOTE_ISS;

function handshake(h: Harness, sport: number): void {
  h.send({ flags: 'SYN', seq: R, sport });
  h.expectOne({ flags: 'SYN,ACK', dport: sport });
  h.send({ seq: R + 1, ack: L + 1, sport });
}

describe('accept queue bounded by the backlog', () => {
  it('holds connections while paused and hands them over in order on resume()', () => {
    const h = new Harness();
    const { listener, accepted } = h.listen(80, 2);
    listener.pause();
    handshake(h, 50001);
    handshake(h, 50002);
    expect(accepted).toHaveLength(0);
    expect(listener.pending).toBe(2);
    expect(h.tcp.connections().map((c) => c.state)).toEqual(['ESTABLISHED', 'ESTABLISHED']);
    // Backlog reached (2 waiting): a new SYN is dropped even with SYN cookies on.
    h.send({ flags: 'SYN', seq: R, sport: 50003 });
    h.expectNone();
    expect(h.node.counters.get('drop.transport.queue-full')).toBe(1);
    listener.resume();
    expect(accepted.map((s) => s.remotePort)).toEqual([50001, 50002]);
    expect(listener.pending).toBe(0);
    handshake(h, 50003);
    expect(accepted).toHaveLength(3);
  });

  it('drops the ACK that would overfill the queue; the SYN,ACK retransmission completes it after resume()', () => {
    const h = new Harness();
    const { listener, accepted } = h.listen(80, 2);
    listener.pause();
    h.send({ flags: 'SYN', seq: R, sport: 50001 });
    h.send({ flags: 'SYN', seq: R, sport: 50002 });
    expect(h.takeSent()).toHaveLength(2);
    h.send({ seq: R + 1, ack: L + 1, sport: 50001 }); // queue 1, half-open 1
    // SYN queue plus accept queue are at the backlog: the next SYN gets a cookie.
    h.send({ flags: 'SYN', seq: R, sport: 50003 });
    const cookie = h.expectOne({ flags: 'SYN,ACK', dport: 50003 });
    h.send({ seq: R + 1, ack: cookie.seq + 1, sport: 50003 }); // queue 2: full
    expect(listener.pending).toBe(2);
    h.send({ seq: R + 1, ack: L + 1, sport: 50002 });
    h.expectNone();
    expect(h.node.counters.get('drop.transport.queue-full')).toBe(1);
    expect(h.tcp.connections().find((c) => c.remotePort === 50002)?.state).toBe('SYN-RECEIVED');
    listener.resume();
    expect(accepted.map((s) => s.remotePort)).toEqual([50001, 50003]);
    h.advance(1.5 * NS_PER_S); // the SYN,ACK is retransmitted; the peer ACKs again
    h.expectOne({ flags: 'SYN,ACK', dport: 50002 });
    h.send({ seq: R + 1, ack: L + 1, sport: 50002 });
    expect(accepted.map((s) => s.remotePort)).toEqual([50001, 50003, 50002]);
  });

  it('close() resets connections still waiting in the accept queue', () => {
    const h = new Harness();
    const { listener, accepted } = h.listen(80, 4);
    listener.pause();
    handshake(h, 50001);
    listener.close();
    h.expectOne({ flags: 'RST', dport: 50001 });
    expect(h.tcp.connections()).toEqual([]);
    expect(accepted).toHaveLength(0);
  });
});
