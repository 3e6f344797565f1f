// Urgent data (RFC 9293 §3.8.5, RFC 6093): the urgent pointer points to the byte after the
// urgent data (RFC 6093 §4, as Linux and BSD); received urgent data stays inline in the
// stream (RFC 6093 §6) and the socket tells the user where it ends.

import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, NS_PER_S } from '@netlayers/core';
import { Packet } from '@netlayers/core';
import { Harness, LOCAL, LOCAL_ISS, LOCAL_PORT, REMOTE, REMOTE_ISS, REMOTE_PORT, flagsOf } from './support/harness.ts';
import { emitTcpSegment, TcpFlag } from '../../src/tcp/index.ts';
import { concat, createPair } from './support/link.ts';
import type { TcpSocket } from '../../src/tcp/index.ts';
import { toDuplex } from '../../src/node/index.ts';

const L = LOCAL_ISS;
const R = REMOTE_ISS;

/** The peer sends a segment with an urgent pointer (the harness template has no such field). */
function sendUrgent(h: Harness, t: { seq: number; ack: number; flags: string; payload?: string; urgentPointer: number }): void {
  const packet = Packet.alloc(0, 128);
  const payload = new TextEncoder().encode(t.payload ?? '');
  emitTcpSegment({ sourcePort: REMOTE_PORT, destinationPort: LOCAL_PORT, seq: t.seq, ack: t.ack, flags: flagsOf(t.flags), window: 65535, urgentPointer: t.urgentPointer }, payload, REMOTE, LOCAL, packet);
  h.ip.deliver(packet.toBytes(), REMOTE);
}

describe('sending urgent data', () => {
  it("write(data, { urgent: true }) sets URG with the pointer just past the data's last byte", () => {
    const h = new Harness();
    const { socket } = h.established();
    socket.write('abc!', { urgent: true });
    const seg = h.expectOne({ flags: 'PSH,ACK,URG', seq: L + 1, payload: 'abc!' });
    expect(seg.urgentPointer).toBe(4);
    const pdu = h.eventsOf('pdu').filter((e) => e.direction === 'down').at(-1)!;
    expect(pdu.header.protocol === 'tcp' && pdu.header.flags.join(',')).toBe('PSH,ACK,URG');
    expect(pdu.header.protocol === 'tcp' && pdu.header.urgentPointer).toBe(4);
    expect(pdu.text).toContain('Flags [P.U]');
    expect(pdu.text).toContain('urg 4');
  });

  it('marks every segment before the urgent pointer, with the pointer relative to each', () => {
    const h = new Harness();
    const { socket } = h.established();
    socket.write('x'.repeat(3000), { urgent: true });
    // The harness's peer sent no MSS option: 536-byte segments, as many as the initial window allows.
    const first = h.takeSent();
    expect(first.length).toBeGreaterThanOrEqual(2);
    h.send({ seq: R + 1, ack: first.at(-1)!.seq + first.at(-1)!.payload.length });
    const segs = [...first, ...h.takeSent()];
    expect(segs.reduce((n, s) => n + s.payload.length, 0)).toBe(3000);
    for (const s of segs) {
      expect(s.flags & TcpFlag.URG).toBe(TcpFlag.URG);
      expect(s.urgentPointer).toBe(L + 3001 - s.seq);
    }
    expect(segs.at(-1)!.urgentPointer).toBe(segs.at(-1)!.payload.length);
    // Once SND.UNA passes the urgent pointer, later data is not urgent.
    h.send({ seq: R + 1, ack: L + 3001 });
    h.takeSent();
    socket.write('after');
    const after = h.expectOne({ flags: 'PSH,ACK', payload: 'after' });
    expect(after.urgentPointer).toBe(0);
  });

  it('urgent data is not held back by Nagle (as Linux in urgent mode)', () => {
    const h = new Harness();
    const { socket } = h.established();
    socket.write('a');
    h.expectOne({ payload: 'a' });
    socket.write('b');
    h.expectNone(); // Nagle: a small segment waits while 'a' is unacknowledged
    socket.write('!', { urgent: true });
    const seg = h.expectOne({ flags: 'PSH,ACK,URG', seq: L + 2, payload: 'b!' });
    expect(seg.urgentPointer).toBe(2);
  });

  it('rejects a bad options argument with a typed error', () => {
    const h = new Harness();
    const { socket } = h.established();
    expect(() => socket.write('x', { urgent: 'yes' } as unknown as { urgent: boolean })).toThrow(InvalidArgumentError);
    expect(() => socket.write('x', 5 as unknown as { urgent: boolean })).toThrow(InvalidArgumentError);
    expect(() => socket.write('', { urgent: true })).toThrow(InvalidArgumentError);
    expect(socket.bufferedAmount).toBe(0);
  });
});

describe('receiving urgent data (inline, RFC 6093 §6)', () => {
  it("emits 'urgent' with the stream offset where urgent data ends, and delivers the bytes inline", () => {
    const h = new Harness();
    const { socket, received } = h.established();
    const order: string[] = [];
    socket.on('urgent', (end) => order.push(`urgent ${end} (read ${socket.bytesRead})`));
    socket.on('data', (d) => order.push(`data ${new TextDecoder().decode(d)}`));
    h.send({ seq: R + 1, ack: L + 1, payload: 'hello' });
    sendUrgent(h, { flags: 'PSH,ACK,URG', seq: R + 6, ack: L + 1, payload: 'abc!', urgentPointer: 4 });
    expect(received).toEqual(['hello', 'abc!']);
    expect(order).toEqual(['data hello', 'urgent 9 (read 5)', 'data abc!']);
    expect(socket.urgentMark).toBe(9);
    expect(socket.atUrgentMark).toBe(true);
    const up = h.eventsOf('pdu').filter((e) => e.direction === 'up').at(-1)!;
    expect(up.header.protocol === 'tcp' && up.header.urgentPointer).toBe(4);
  });

  it('signals each urgent mark once (a retransmission does not signal again)', () => {
    const h = new Harness();
    const { socket } = h.established();
    const marks: number[] = [];
    socket.on('urgent', (end) => marks.push(end));
    sendUrgent(h, { flags: 'URG,ACK', seq: R + 1, ack: L + 1, payload: 'ab', urgentPointer: 2 });
    sendUrgent(h, { flags: 'URG,ACK', seq: R + 1, ack: L + 1, payload: 'ab', urgentPointer: 2 });
    sendUrgent(h, { flags: 'URG,ACK', seq: R + 3, ack: L + 1, payload: 'cd', urgentPointer: 1 });
    expect(marks).toEqual([2, 3]);
  });

  it('signals a mark ahead of the data received so far (urgent data still to come)', () => {
    const h = new Harness();
    const { socket } = h.established();
    const marks: number[] = [];
    socket.on('urgent', (end) => marks.push(end));
    sendUrgent(h, { flags: 'URG,ACK', seq: R + 1, ack: L + 1, payload: 'ab', urgentPointer: 500 });
    expect(marks).toEqual([500]);
    expect(socket.atUrgentMark).toBe(false);
  });

  it('ignores URG after the peer has closed (CLOSE-WAIT)', () => {
    const h = new Harness();
    const { socket } = h.established();
    const marks: number[] = [];
    socket.on('urgent', (end) => marks.push(end));
    h.send({ flags: 'FIN,ACK', seq: R + 1, ack: L + 1 });
    sendUrgent(h, { flags: 'URG,ACK', seq: R + 2, ack: L + 1, urgentPointer: 1 });
    expect(marks).toEqual([]);
  });
});

describe('end to end', () => {
  it('a client sends urgent data between ordinary data; the server sees the mark and every byte in order', () => {
    const p = createPair();
    const got: Uint8Array[] = [];
    const marks: [number, number][] = [];
    p.b.listen({ port: 80 }).on('connection', (s) => {
      const server = s as TcpSocket;
      server.on('data', (d) => got.push(d));
      server.on('urgent', (end) => marks.push([end, server.bytesRead]));
    });
    const c = p.a.connect({ remoteAddress: p.addressB, remotePort: 80 });
    c.on('connect', () => {
      c.write('x'.repeat(5000));
      c.write('!', { urgent: true });
      c.write('y'.repeat(100));
      c.end();
    });
    p.run(10 * NS_PER_S);
    expect(new TextDecoder().decode(concat(got))).toBe(`${'x'.repeat(5000)}!${'y'.repeat(100)}`);
    expect(marks.map(([end]) => end)).toEqual([5001]);
    expect(marks[0]![1]).toBeLessThanOrEqual(5001);
  });

  it("the Node duplex adapter passes 'urgent' on", () => {
    const p = createPair();
    const marks: number[] = [];
    p.b.listen({ port: 80 }).on('connection', (s) => {
      const duplex = toDuplex(s);
      duplex.on('urgent', (end: number) => marks.push(end));
      duplex.resume();
    });
    const c = p.a.connect({ remoteAddress: p.addressB, remotePort: 80 });
    c.on('connect', () => c.write('ab!', { urgent: true }));
    p.run(NS_PER_S);
    expect(marks).toEqual([3]);
  });
});
