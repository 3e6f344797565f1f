// The FIN-WAIT-2 timeout (as Linux's tcp_fin_timeout): a connection whose FIN is
// acknowledged but whose peer never closes does not stay in FIN-WAIT-2 for ever.

import { describe, expect, it } from 'vitest';
import { NS_PER_S } from '@netlayers/core';
import { Harness, LOCAL_ISS, REMOTE_ISS } from './support/harness.ts';

const L = LOCAL_ISS;
const R = REMOTE_ISS;

function toFinWait2(h: Harness) {
  const est = h.established();
  est.socket.end();
  h.expectOne({ flags: 'FIN,ACK', seq: L + 1, ack: R + 1 });
  h.send({ seq: R + 1, ack: L + 2 });
  h.expectNone();
  expect(est.socket.state).toBe('FIN-WAIT-2');
  return est;
}

describe('FIN-WAIT-2 timeout', () => {
  it('by default resets and closes 60 s after entering FIN-WAIT-2, traced as a timer', () => {
    const h = new Harness();
    const { socket, events } = toFinWait2(h);
    const set = h.eventsOf('timer').filter((e) => e.timer === 'FIN-WAIT-2' && e.action === 'set');
    expect(set.map((e) => e.duration)).toEqual([60 * NS_PER_S]);
    h.advance(59 * NS_PER_S);
    expect(socket.state).toBe('FIN-WAIT-2');
    h.expectNone();
    h.advance(2 * NS_PER_S);
    h.expectOne({ flags: 'RST', seq: L + 2 });
    expect(socket.state).toBe('CLOSED');
    expect(events).toEqual(['error:ETIMEDOUT', 'close(error)']);
    expect(h.eventsOf('timer').filter((e) => e.timer === 'FIN-WAIT-2').map((e) => e.action)).toEqual(['set', 'fired']);
    expect(h.eventsOf('state').at(-1)).toMatchObject({ from: 'FIN-WAIT-2', to: 'CLOSED', cause: 'FIN-WAIT-2 timeout' });
    expect(h.tcp.connections()).toEqual([]);
  });

  it('is configurable (finWait2Timeout)', () => {
    const h = new Harness({ finWait2Timeout: '5s' });
    const { socket } = toFinWait2(h);
    h.advance(4 * NS_PER_S);
    expect(socket.state).toBe('FIN-WAIT-2');
    h.advance(2 * NS_PER_S);
    expect(socket.state).toBe('CLOSED');
  });

  it('counts from the last segment received, so a half-closed connection that still receives lives on', () => {
    const h = new Harness({ finWait2Timeout: '10s' });
    const { socket, received } = toFinWait2(h);
    h.advance(8 * NS_PER_S);
    h.send({ seq: R + 1, ack: L + 2, payload: 'more' });
    h.expectOne({ ack: R + 5 });
    h.advance(8 * NS_PER_S);
    expect(socket.state).toBe('FIN-WAIT-2');
    expect(received).toEqual(['more']);
    h.advance(3 * NS_PER_S);
    expect(socket.state).toBe('CLOSED');
  });

  it("is cancelled by the peer's FIN (TIME-WAIT follows as usual)", () => {
    const h = new Harness();
    const { socket } = toFinWait2(h);
    h.advance(30 * NS_PER_S);
    h.send({ flags: 'FIN,ACK', seq: R + 1, ack: L + 2 });
    h.expectOne({ flags: 'ACK', ack: R + 2 });
    expect(socket.state).toBe('TIME-WAIT');
    expect(h.eventsOf('timer').filter((e) => e.timer === 'FIN-WAIT-2').map((e) => e.action)).toEqual(['set', 'cancelled']);
    h.advance(60 * NS_PER_S);
    h.expectNone();
  });

  it('0 disables it', () => {
    const h = new Harness({ finWait2Timeout: 0 });
    const { socket } = toFinWait2(h);
    h.advance(3600 * NS_PER_S);
    expect(socket.state).toBe('FIN-WAIT-2');
    expect(h.eventsOf('timer').filter((e) => e.timer === 'FIN-WAIT-2')).toEqual([]);
  });
});
