// Zero-window probing (RFC 9293 §3.8.6.1) at the segment level: a probe the receiver does
// not accept must not move the sender past SND.UNA, so that when the window opens the data
// continues from SND.UNA with no one-byte hole.

import { describe, expect, it } from 'vitest';
import { NS_PER_S } from '@netlayers/core';
import { Harness, LOCAL_ISS, LOCAL_PORT, REMOTE_ISS, REMOTE_PORT } from './support/harness.ts';
import { concat, createPair, expectBytes, pattern } from './support/link.ts';
import type { TcpSocket } from '../../src/tcp/index.ts';

const L = LOCAL_ISS;
const R = REMOTE_ISS;
const peer = { sport: LOCAL_PORT, dport: REMOTE_PORT };

describe('zero-window probes, RFC 9293 §3.8.6.1', () => {
  it('continues from SND.UNA after a probe that was not accepted', () => {
    const h = new Harness();
    const { socket } = h.connected();
    h.send({ ...peer, seq: R + 1, ack: L + 1, window: 0 });
    socket.write('x'.repeat(100));
    h.expectNone();
    h.advance(1.5 * NS_PER_S);
    h.expectOne({ flags: 'ACK', seq: L + 1, len: 1 });
    // The receiver's window is still closed: the probe byte is not accepted.
    h.send({ ...peer, seq: R + 1, ack: L + 1, window: 0 });
    h.expectNone();
    // The second probe is the same byte again, not the next one.
    h.advance(3 * NS_PER_S);
    h.expectOne({ seq: L + 1, len: 1 });
    h.send({ ...peer, seq: R + 1, ack: L + 1, window: 0 });
    // The window opens: all 100 bytes go, starting at SND.UNA.
    h.send({ ...peer, seq: R + 1, ack: L + 1, window: 1000 });
    h.expectOne({ flags: 'PSH,ACK', seq: L + 1, len: 100 });
    h.send({ ...peer, seq: R + 1, ack: L + 101, window: 1000 });
    expect(socket.bufferedAmount).toBe(0);
    expect(socket.stats.windowProbes).toBe(2);
  });

  it('moves on when the probe byte is accepted', () => {
    const h = new Harness();
    const { socket } = h.connected();
    h.send({ ...peer, seq: R + 1, ack: L + 1, window: 0 });
    socket.write('abc');
    h.advance(1.5 * NS_PER_S);
    h.expectOne({ seq: L + 1, len: 1, payload: 'a' });
    h.send({ ...peer, seq: R + 1, ack: L + 2, window: 0 });
    h.advance(3 * NS_PER_S);
    h.expectOne({ seq: L + 2, len: 1, payload: 'b' });
    h.send({ ...peer, seq: R + 1, ack: L + 2, window: 100 });
    h.expectOne({ seq: L + 2, len: 2, payload: 'bc' });
  });

  it('leaves no hole on a lossless link with an 8 KiB receive buffer and a paused reader', () => {
    const p = createPair({ tcpB: { receiveBufferSize: 8192 }, tcp: { windowScaling: false } });
    const chunks: Uint8Array[] = [];
    const servers: TcpSocket[] = [];
    p.b.listen({ port: 80 }).on('connection', (s) => {
      servers.push(s as TcpSocket);
      s.on('data', (d) => chunks.push(d));
    });
    const c = p.a.connect({ remoteAddress: p.addressB, remotePort: 80 });
    p.run(NS_PER_S);
    servers[0]!.pause();
    const data = pattern(50_000);
    c.write(data);
    p.run(10 * NS_PER_S);
    expect(c.stats.windowProbes).toBeGreaterThanOrEqual(2);
    servers[0]!.resume();
    p.run(30 * NS_PER_S);
    expectBytes(concat(chunks), data);
    expect(c.stats.fastRetransmits).toBe(0);
    expect(c.stats.timeouts).toBe(0);
  });
});
