// SYN flood defence (RFC 4987): SYN cookies once a listener's SYN queue is full, at the
// segment level, and a legitimate client connecting while spoofed SYNs flood the listener
// (in virtual time).

import { describe, expect, it } from 'vitest';
import { Ipv4Address, NS_PER_MS, NS_PER_S, Packet } from '@netlayers/core';
import { Harness, LOCAL_ISS, REMOTE_ISS } from './support/harness.ts';
import { createPair } from './support/link.ts';
import { emitTcpSegment, TcpFlag, type TcpSocket } from '../../src/tcp/index.ts';

const L = LOCAL_ISS;
const R = REMOTE_ISS;

/** Fill a backlog of 2 with two half-open connections from other ports. */
function fullQueue(h: Harness) {
  const listened = h.listen(80, 2);
  h.send({ flags: 'SYN', seq: R, sport: 50000 });
  h.send({ flags: 'SYN', seq: R, sport: 50001 });
  expect(h.takeSent()).toHaveLength(2);
  return listened;
}

describe('SYN cookies (RFC 4987 §3.6)', () => {
  it('answers a SYN beyond the full SYN queue with a stateless SYN,ACK and builds the connection from the ACK', () => {
    const h = new Harness();
    const { accepted } = fullQueue(h);
    h.send({ flags: 'SYN', seq: R, options: { mss: 1400 } });
    const synAck = h.expectOne({ flags: 'SYN,ACK', ack: R + 1, options: { mss: 1460 } });
    expect(synAck.seq).not.toBe(L);
    expect(h.tcp.connections()).toHaveLength(2); // no state kept for the third
    expect(h.node.counters.get('tcp.syn-cookies.sent')).toBe(1);
    h.send({ seq: R + 1, ack: synAck.seq + 1, payload: 'hello' });
    expect(accepted).toHaveLength(1);
    const socket = accepted[0]!;
    expect(socket.state).toBe('ESTABLISHED');
    h.expectOne({ flags: 'ACK', seq: synAck.seq + 1, ack: R + 6 });
    expect(h.node.counters.get('tcp.syn-cookies.accepted')).toBe(1);
    // The MSS came back from the cookie: 1300 is the largest cookie MSS not above 1400.
    expect(h.tcp.connection(socket.connectionKey)?.mss).toBe(1300);
    socket.write('x'.repeat(3000));
    expect(h.takeSent().map((s) => s.payload.length)).toEqual([1300, 1300]);
  });

  it('restores window scale and SACK from the echoed timestamp', () => {
    const h = new Harness({ timestamps: true, sack: true, windowScaling: true, receiveBufferSize: 1 << 20 });
    const { accepted } = fullQueue(h);
    h.send({ flags: 'SYN', seq: R, options: { mss: 1460, windowScale: 7, sackPermitted: true, timestamps: { value: 5000, echo: 0 } } });
    const synAck = h.expectOne({ flags: 'SYN,ACK', ack: R + 1 });
    expect(synAck.options.windowScale).toBe(5);
    expect(synAck.options.sackPermitted).toBe(true);
    expect(synAck.options.timestamps?.echo).toBe(5000);
    const tsval = synAck.options.timestamps!.value;
    h.send({ seq: R + 1, ack: synAck.seq + 1, window: 100, options: { timestamps: { value: 5001, echo: tsval } } });
    const info = h.tcp.connection(accepted[0]!.connectionKey)!;
    expect(info.options).toEqual({ windowScaling: true, timestamps: true, sack: true });
    expect(info.sndWnd).toBe(100 * 128);
  });

  it('without timestamps, a cookie connection loses window scaling and SACK (documented)', () => {
    const h = new Harness({ sack: true, windowScaling: true });
    const { accepted } = fullQueue(h);
    h.send({ flags: 'SYN', seq: R, options: { mss: 1460, windowScale: 7, sackPermitted: true } });
    const synAck = h.expectOne({ flags: 'SYN,ACK', ack: R + 1 });
    expect(synAck.options.windowScale).toBeUndefined();
    expect(synAck.options.sackPermitted).toBeUndefined();
    h.send({ seq: R + 1, ack: synAck.seq + 1 });
    expect(h.tcp.connection(accepted[0]!.connectionKey)!.options).toEqual({ windowScaling: false, timestamps: false, sack: false });
  });

  it('rejects a forged or stale cookie with a RST and a counted drop', () => {
    const h = new Harness();
    const { accepted } = fullQueue(h);
    h.send({ flags: 'SYN', seq: R });
    const synAck = h.expectOne({ flags: 'SYN,ACK' });
    h.send({ seq: R + 1, ack: synAck.seq + 2 });
    h.expectOne({ flags: 'RST', seq: synAck.seq + 2 });
    h.send({ seq: R + 2, ack: synAck.seq + 1 }); // wrong peer ISN
    h.expectOne({ flags: 'RST' });
    h.advance(4 * 60 * NS_PER_S); // too old (the two half-open entries time out meanwhile)
    h.takeSent();
    h.send({ seq: R + 1, ack: synAck.seq + 1 });
    h.expectOne({ flags: 'RST' });
    expect(accepted).toHaveLength(0);
    expect(h.node.counters.get('drop.transport.bad-state')).toBe(3);
  });

  it('with synCookies: false, SYNs beyond the queue are dropped as before', () => {
    const h = new Harness({ synCookies: false });
    fullQueue(h);
    h.send({ flags: 'SYN', seq: R });
    h.expectNone();
    expect(h.node.counters.get('drop.transport.queue-full')).toBe(1);
  });
});

describe('a SYN flood (virtual time)', () => {
  function flood(synCookies: boolean) {
    const p = createPair({ tcpB: { backlog: 64, synCookies } });
    // Spoofed sources do not exist: whatever b sends them is lost.
    p.impairments = { dropIf: (d, from) => from === 'b' && !d.options.destination.equals(p.addressA) };
    const accepted: TcpSocket[] = [];
    p.b.listen({ port: 80 }).on('connection', (s) => accepted.push(s as TcpSocket));
    // 5,000 spoofed SYNs per simulated second for 3 s, each from a different address and port.
    let n = 0;
    const tick = () => {
      for (let i = 0; i < 5; i++, n++) {
        const packet = Packet.alloc(0, 64);
        const source = Ipv4Address.fromUint32((0xc6120000 + (n % 65_000) + 1) >>> 0);
        emitTcpSegment({ sourcePort: 1024 + (n % 60_000), destinationPort: 80, seq: n * 7919, ack: 0, flags: TcpFlag.SYN, window: 65535, options: { mss: 1460 } }, null, source, p.addressB, packet);
        p.ipB.deliver(packet.toBytes(), source);
      }
      if (n < 15_000) p.sim.scheduler.schedule(NS_PER_MS, tick);
    };
    tick();
    let connectedAt = -1;
    const errors: string[] = [];
    p.sim.scheduler.schedule(NS_PER_S, () => {
      const start = p.sim.scheduler.now();
      const c = p.a.connect({ remoteAddress: p.addressB, remotePort: 80 });
      c.on('connect', () => (connectedAt = p.sim.scheduler.now() - start));
      c.on('error', (e) => errors.push(e.code));
    });
    p.run(3 * NS_PER_S);
    return { p, accepted, connectedAt, errors, halfOpen: p.b.connections().length };
  }

  it('a legitimate client connects within 1 s while the flood runs, and state stays bounded', () => {
    const { p, accepted, connectedAt, errors, halfOpen } = flood(true);
    expect(errors).toEqual([]);
    expect(connectedAt).toBeGreaterThan(0);
    expect(connectedAt).toBeLessThan(NS_PER_S);
    expect(accepted).toHaveLength(1);
    expect(halfOpen).toBeLessThanOrEqual(64 + 1);
    expect(p.nodeB.counters.get('tcp.syn-cookies.sent')).toBeGreaterThan(14_000);
  });

  it('without cookies the same flood keeps the client out (what the defence fixes)', () => {
    const { connectedAt, accepted } = flood(false);
    expect(connectedAt).toBe(-1);
    expect(accepted).toHaveLength(0);
  });
});
