// The StreamSocket surface of TcpSocket and TcpListener: backpressure and 'drain', pause and
// resume, 'state' events, statistics, listener close, and the trace events a socket's
// connection produces (state, timer, metric).

import { describe, expect, it } from 'vitest';
import { NS_PER_MS, NS_PER_S, type MetricEvent, type TimerEvent } from '@netlayers/core';
import { concat, createPair, expectBytes, pattern } from './support/link.ts';
import type { TcpSocket } from '../../src/tcp/index.ts';

describe('TcpSocket', () => {
  it('write() returns false at the high-water mark and emits drain once ACKs bring it below', () => {
    const p = createPair({ tcp: { sendBufferSize: 10_000 } });
    const got: Uint8Array[] = [];
    p.b.listen({ port: 80 }).on('connection', (s) => s.on('data', (d) => got.push(d)));
    const c = p.a.connect({ remoteAddress: p.addressB, remotePort: 80 });
    const events: string[] = [];
    c.on('drain', () => events.push(c.bufferedAmount < 10_000 ? 'drain below the mark' : `drain at ${c.bufferedAmount}`));
    expect(c.write(pattern(6000))).toBe(true);
    expect(c.write(pattern(6000, 2))).toBe(false);
    p.run(NS_PER_S);
    expect(events).toEqual(['drain below the mark']);
    expectBytes(concat(got), concat([pattern(6000), pattern(6000, 2)]));
    expect(c.bytesWritten).toBe(12000);
  });

  it('pause() holds data and closes the window; resume() delivers it in order', () => {
    const p = createPair({ tcpB: { receiveBufferSize: 20_000 }, tcp: { windowScaling: false } });
    const sockets: TcpSocket[] = [];
    const got: Uint8Array[] = [];
    p.b.listen({ port: 80 }).on('connection', (s) => {
      sockets.push(s as TcpSocket);
      s.on('data', (d) => got.push(d));
    });
    const c = p.a.connect({ remoteAddress: p.addressB, remotePort: 80 });
    p.run(100 * NS_PER_MS);
    const s = sockets[0]!;
    s.pause();
    expect(s.isPaused()).toBe(true);
    const data = pattern(50_000);
    c.write(data);
    p.run(NS_PER_S);
    expect(got).toEqual([]);
    const info = p.b.connections()[0]!;
    // The window closed to less than one segment, which the sender's SWS avoidance does not fill.
    expect(info.receiveBuffered).toBeGreaterThan(20_000 - 1460);
    expect(info.rcvWnd).toBeLessThan(1460);
    s.resume();
    p.run(10 * NS_PER_S);
    expectBytes(concat(got), data);
    expect(s.bytesRead).toBe(50_000);
  });

  it("emits 'state' with the RFC names on every change", () => {
    const p = createPair({ tcp: { msl: '1s' } });
    p.b.listen({ port: 80 }).on('connection', (s) => s.on('end', () => s.end()));
    const c = p.a.connect({ remoteAddress: p.addressB, remotePort: 80 });
    const states: string[] = [];
    c.on('state', (from, to) => states.push(`${from}>${to}`));
    c.on('connect', () => c.end());
    p.run();
    expect(states).toEqual(['SYN-SENT>ESTABLISHED', 'ESTABLISHED>FIN-WAIT-1', 'FIN-WAIT-1>FIN-WAIT-2', 'FIN-WAIT-2>TIME-WAIT', 'TIME-WAIT>CLOSED']);
  });

  it("emits 'close' once both directions are done, after 'end'", () => {
    const p = createPair();
    const serverEvents: string[] = [];
    p.b.listen({ port: 80 }).on('connection', (s) => {
      s.on('end', () => {
        serverEvents.push('end');
        s.end();
      });
      s.on('close', (hadError) => serverEvents.push(`close:${hadError}`));
    });
    const c = p.a.connect({ remoteAddress: p.addressB, remotePort: 80 });
    const clientEvents: string[] = [];
    c.on('end', () => clientEvents.push('end'));
    c.on('close', (hadError) => clientEvents.push(`close:${hadError}`));
    c.on('connect', () => c.end());
    p.run(NS_PER_S);
    expect(serverEvents).toEqual(['end', 'close:false']);
    expect(clientEvents).toEqual(['end', 'close:false']);
    expect(c.state).toBe('TIME-WAIT');
  });

  it('destroy(error) emits that error, resets the peer, and reports close(true)', () => {
    const p = createPair();
    const serverCodes: string[] = [];
    p.b.listen({ port: 80 }).on('connection', (s) => s.on('error', (e) => serverCodes.push(e.code)));
    const c = p.a.connect({ remoteAddress: p.addressB, remotePort: 80 });
    const seen: string[] = [];
    c.on('error', (e) => seen.push(e.message));
    c.on('close', (hadError) => seen.push(`close:${hadError}`));
    p.run(100 * NS_PER_MS);
    c.destroy(new (class extends Error {})() as never);
    p.run(100 * NS_PER_MS);
    expect(seen.at(-1)).toBe('close:true');
    expect(serverCodes).toEqual(['ECONNRESET']);
  });

  it('counts per-connection statistics', () => {
    const p = createPair({ impair: { loss: 0.05 }, seed: 3, tcp: { rtoMin: '200ms' } });
    p.b.listen({ port: 80 }).on('connection', (s) => s.on('end', () => s.end()));
    const c = p.a.connect({ remoteAddress: p.addressB, remotePort: 80 });
    c.on('connect', () => c.end(pattern(200_000)));
    p.run(60 * NS_PER_S);
    expect(c.stats.bytesSent).toBeGreaterThanOrEqual(200_000);
    expect(c.stats.retransmissions).toBeGreaterThan(0);
    expect(c.stats.retransmissions).toBe(c.stats.bytesSent > 200_000 ? c.stats.retransmissions : 0);
    expect(c.stats.segmentsSent).toBeGreaterThan(138);
  });
});

describe('TcpListener', () => {
  it('close() stops accepting new connections; established ones continue', () => {
    const p = createPair();
    const listener = p.b.listen({ port: 80 });
    const server: TcpSocket[] = [];
    listener.on('connection', (s) => server.push(s as TcpSocket));
    const first = p.a.connect({ remoteAddress: p.addressB, remotePort: 80 });
    p.run(100 * NS_PER_MS);
    let closed = false;
    listener.on('close', () => (closed = true));
    listener.close();
    expect(closed).toBe(true);
    const second = p.a.connect({ remoteAddress: p.addressB, remotePort: 80 });
    const codes: string[] = [];
    second.on('error', (e) => codes.push(e.code));
    const got: string[] = [];
    server[0]!.on('data', (d) => got.push(new TextDecoder().decode(d)));
    first.write('still here');
    p.run(NS_PER_S);
    expect(codes).toEqual(['ECONNREFUSED']);
    expect(got.join('')).toBe('still here');
  });

  it('picks distinct ephemeral ports, deterministically for a seed', () => {
    const ports = (seed: number) => {
      const p = createPair({ seed });
      p.b.listen({ port: 80 });
      return Array.from({ length: 5 }, () => p.a.connect({ remoteAddress: p.addressB, remotePort: 80 }).localPort);
    };
    const first = ports(1);
    expect(new Set(first).size).toBe(5);
    for (const port of first) expect(port).toBeGreaterThanOrEqual(49152);
    expect(ports(1)).toEqual(first);
    const narrow = createPair({ tcp: { ephemeralPorts: [40000, 40001] } });
    narrow.b.listen({ port: 80 });
    const a = narrow.a.connect({ remoteAddress: narrow.addressB, remotePort: 80 }).localPort;
    const b = narrow.a.connect({ remoteAddress: narrow.addressB, remotePort: 80 }).localPort;
    expect([a, b].sort()).toEqual([40000, 40001]);
    expect(() => narrow.a.connect({ remoteAddress: narrow.addressB, remotePort: 80 })).toThrow(/EADDRNOTAVAIL/);
  });
});

describe('trace events', () => {
  it('publishes cwnd, ssthresh, recovery, srtt and rto as metric events when they change', () => {
    const p = createPair({ tcp: { congestionControl: 'newreno' } });
    const metrics: MetricEvent[] = [];
    p.sim.trace.on('metric', (e) => metrics.push(e));
    p.b.listen({ port: 80 });
    const c = p.a.connect({ remoteAddress: p.addressB, remotePort: 80 });
    c.on('connect', () => c.write(pattern(100_000)));
    p.run(NS_PER_S);
    const mine = metrics.filter((m) => m.node === 'a');
    expect(mine.length).toBeGreaterThan(3);
    expect(mine[0]!.values).toMatchObject({ recovery: 'open', srtt: 10 * NS_PER_MS });
    const cwnds = mine.map((m) => m.values.cwnd as number);
    expect(cwnds.at(-1)!).toBeGreaterThan(cwnds[0]!);
    for (let i = 1; i < mine.length; i++) expect(mine[i]!.values).not.toEqual(mine[i - 1]!.values);
  });

  it('traces timers: RTO set/fired, delayed-ACK, persist', () => {
    const p = createPair({ impair: { loss: 1 } });
    const timers: TimerEvent[] = [];
    p.sim.trace.on('timer', (e) => timers.push(e));
    p.a.connect({ remoteAddress: p.addressB, remotePort: 80 });
    p.run(1500 * NS_PER_MS);
    expect(timers.map((t) => `${t.timer} ${t.action} ${t.duration ?? ''}`)).toEqual(['RTO set 1000000000', 'RTO fired ', 'RTO set 2000000000']);
  });
});
