// End-to-end tests of TcpLayer: two endpoints over a seeded, impaired fake link. Exact
// sequence numbers with fixed ISNs, the close sequences of RFC 9293 §3.6, timers in virtual
// time (RTO backoff per RFC 6298, TIME-WAIT = 2*MSL, delayed ACK), loss recovery (RFC 5681
// fast retransmit, RFC 2018 SACK), flow control and window scaling, and the socket errors.

import { describe, expect, it } from 'vitest';
import { NS_PER_MS, NS_PER_S, SocketError, type PduEvent, type StateEvent } from '@netlayers/core';
import { concat, createPair, expectBytes, pattern, type Pair } from './support/link.ts';
import type { TcpOptions, TcpSocket } from '../../src/tcp/index.ts';

interface Seg {
  node: string;
  time: number;
  flags: string;
  seq: number;
  ack: number;
  len: number;
  win: number;
  rtx: boolean;
  sack?: string;
}

function capture(p: Pair): { segs: Seg[]; states: StateEvent[]; pdus: PduEvent[] } {
  const segs: Seg[] = [];
  const states: StateEvent[] = [];
  const pdus: PduEvent[] = [];
  p.sim.trace.on('pdu', (e) => {
    if (e.protocol !== 'tcp') return;
    pdus.push(e);
    if (e.direction !== 'down') return;
    const f = e.header;
    if (f.protocol !== 'tcp') return;
    const seg: Seg = { node: e.node, time: e.time, flags: f.flags.join(','), seq: f.seq, ack: f.ack, len: f.payloadLength, win: f.window, rtx: e.retransmission === true };
    if (f.options.sack !== undefined) seg.sack = f.options.sack.map(([l, r]) => `${l}-${r}`).join(' ');
    segs.push(seg);
  });
  p.sim.trace.on('state', (e) => states.push(e));
  return { segs, states, pdus };
}

/** Server on b:80 that collects what it reads and ends when the client ends. */
function sink(p: Pair, options: { echoEnd?: boolean } = {}): { chunks: Uint8Array[]; sockets: TcpSocket[] } {
  const chunks: Uint8Array[] = [];
  const sockets: TcpSocket[] = [];
  p.b.listen({ port: 80 }).on('connection', (s) => {
    sockets.push(s as TcpSocket);
    s.on('data', (d) => chunks.push(d));
    if (options.echoEnd !== false) s.on('end', () => s.end());
  });
  return { chunks, sockets };
}

function connect(p: Pair): TcpSocket {
  return p.a.connect({ remoteAddress: p.addressB, remotePort: 80 });
}

describe('handshake and teardown with fixed ISNs', () => {
  it('has the textbook numbers: SYN seq=i; SYN,ACK seq=j ack=i+1; ACK seq=i+1 ack=j+1; FIN/ACK', () => {
    const p = createPair({ tcpA: { initialSequenceNumber: 100 }, tcpB: { initialSequenceNumber: 300 }, tcp: { timestamps: false, sack: false, windowScaling: false } });
    const { segs } = capture(p);
    p.b.listen({ port: 80 }).on('connection', (s) => s.on('end', () => p.sim.scheduler.schedule(100 * NS_PER_MS, () => s.end())));
    const c = connect(p);
    p.run(NS_PER_S);
    c.end();
    p.run();
    expect(segs.map((s) => `${s.node} ${s.flags} seq=${s.seq} ack=${s.ack} len=${s.len}`)).toEqual([
      'a SYN seq=100 ack=0 len=0',
      'b SYN,ACK seq=300 ack=101 len=0',
      'a ACK seq=101 ack=301 len=0',
      'a FIN,ACK seq=101 ack=301 len=0',
      'b ACK seq=301 ack=102 len=0',
      'b FIN,ACK seq=301 ack=102 len=0',
      'a ACK seq=102 ack=302 len=0',
    ]);
  });

  it('completes the handshake with a bare ACK before the user hears of it, then sends the FIN', () => {
    const p = createPair({ tcpA: { initialSequenceNumber: 0 }, tcpB: { initialSequenceNumber: 0 } });
    const { segs } = capture(p);
    sink(p);
    const c = connect(p);
    c.on('connect', () => c.end());
    p.run();
    expect(segs.map((s) => `${s.node} ${s.flags} ${s.seq} ${s.ack}`)).toEqual(['a SYN 0 0', 'b SYN,ACK 0 1', 'a ACK 1 1', 'a FIN,ACK 1 1', 'b FIN,ACK 1 2', 'a ACK 2 2']);
  });

  it('piggybacks the handshake ACK on a FIN already queued during SYN-SENT', () => {
    const p = createPair({ tcpA: { initialSequenceNumber: 0 }, tcpB: { initialSequenceNumber: 0 } });
    const { segs } = capture(p);
    sink(p);
    const c = connect(p);
    c.end();
    p.run();
    expect(segs.map((s) => `${s.node} ${s.flags} ${s.seq} ${s.ack}`)).toEqual(['a SYN 0 0', 'b SYN,ACK 0 1', 'a FIN,ACK 1 1', 'b FIN,ACK 1 2', 'a ACK 2 2']);
  });

  it('walks both ends through the RFC 9293 states of an active and a passive close', () => {
    const p = createPair({ tcp: { initialSequenceNumber: 1, msl: '1s' } });
    const { states } = capture(p);
    sink(p);
    const c = connect(p);
    c.on('connect', () => c.end());
    p.run();
    const walk = (node: string) => states.filter((s) => s.node === node).map((s) => `${s.to} (${s.cause})`);
    expect(walk('a')).toEqual([
      'SYN-SENT (connect())',
      'ESTABLISHED (rcv SYN,ACK)',
      'FIN-WAIT-1 (close())',
      'FIN-WAIT-2 (rcv ACK of FIN)',
      'TIME-WAIT (rcv FIN)',
      'CLOSED (2*MSL timeout)',
    ]);
    expect(walk('b')).toEqual(['SYN-RECEIVED (rcv SYN)', 'ESTABLISHED (rcv ACK of SYN)', 'CLOSE-WAIT (rcv FIN)', 'LAST-ACK (close())', 'CLOSED (rcv ACK of FIN)']);
    expect(p.a.connections()).toEqual([]);
    expect(p.b.connections()).toEqual([]);
  });

  it('keeps TIME-WAIT for exactly 2*MSL of virtual time', () => {
    const p = createPair({ tcp: { msl: '7s' } });
    const { states } = capture(p);
    sink(p);
    const c = connect(p);
    c.on('connect', () => c.end());
    p.run();
    const enter = states.find((s) => s.node === 'a' && s.to === 'TIME-WAIT')!;
    const leave = states.find((s) => s.node === 'a' && s.from === 'TIME-WAIT')!;
    expect(leave.time - enter.time).toBe(14 * NS_PER_S);
  });

  it('traces pdu events with the documented shape', () => {
    const p = createPair({ tcpA: { initialSequenceNumber: 0 }, tcpB: { initialSequenceNumber: 0 } });
    const { pdus } = capture(p);
    sink(p);
    connect(p);
    p.run(50 * NS_PER_MS);
    const syn = pdus[0]!;
    expect(syn).toMatchObject({ role: 'transport', protocol: 'tcp', direction: 'down', length: 40, headerLength: 40, retransmission: false });
    expect(syn.connection).toMatch(/^10\.0\.0\.1:\d+-10\.0\.0\.2:80$/);
    expect(syn.header).toMatchObject({ protocol: 'tcp', destinationPort: 80, seq: 0, ack: 0, flags: ['SYN'], window: 65535, payloadLength: 0, options: { mss: 1460, windowScale: 3, sackPermitted: true, timestamps: { echo: 0 } } });
    expect(syn.text).toMatch(/^10\.0\.0\.1\.\d+ > 10\.0\.0\.2\.80: Flags \[S\], seq 0, win 65535, options \[mss 1460,wscale 3,sackOK,TS val \d+ ecr 0\], length 0$/);
    const up = pdus.find((e) => e.direction === 'up' && e.node === 'b')!;
    expect(up.connection).toBe(syn.connection);
    const synAck = pdus.find((e) => e.direction === 'down' && e.node === 'b')!;
    expect(synAck.header).toMatchObject({ protocol: 'tcp', flags: ['SYN', 'ACK'] });
    expect(synAck.connection).toMatch(/^10\.0\.0\.2:80-10\.0\.0\.1:\d+$/);
  });
});

describe('open and close variants', () => {
  it('simultaneous open: both SYN-SENT -> SYN-RECEIVED -> ESTABLISHED', () => {
    const p = createPair({ tcp: { timestamps: false } });
    const { states } = capture(p);
    const a = p.a.connect({ remoteAddress: p.addressB, remotePort: 5001, localPort: 5000 });
    const b = p.b.connect({ remoteAddress: p.addressA, remotePort: 5000, localPort: 5001 });
    const connected: string[] = [];
    a.on('connect', () => connected.push('a'));
    b.on('connect', () => connected.push('b'));
    p.run(NS_PER_S / 2);
    expect(a.state).toBe('ESTABLISHED');
    expect(b.state).toBe('ESTABLISHED');
    expect(connected.sort()).toEqual(['a', 'b']);
    expect(states.filter((s) => s.node === 'a').map((s) => s.to)).toEqual(['SYN-SENT', 'SYN-RECEIVED', 'ESTABLISHED']);
    // Data flows both ways afterwards.
    const got: string[] = [];
    b.on('data', (d) => got.push(new TextDecoder().decode(d)));
    a.write('after simultaneous open');
    p.run(NS_PER_S);
    expect(got.join('')).toBe('after simultaneous open');
  });

  it('simultaneous close goes through CLOSING to TIME-WAIT on both sides', () => {
    const p = createPair({ tcp: { msl: '1s' } });
    const { states } = capture(p);
    const { sockets } = sink(p, { echoEnd: false });
    const c = connect(p);
    p.run(NS_PER_S / 10);
    const s = sockets[0]!;
    c.end();
    s.end();
    p.run();
    for (const node of ['a', 'b']) {
      expect(states.filter((e) => e.node === node).map((e) => e.to).slice(-4)).toEqual(['FIN-WAIT-1', 'CLOSING', 'TIME-WAIT', 'CLOSED']);
    }
  });

  it('half-close: after end() the writer keeps reading until the peer ends', () => {
    const p = createPair();
    const { sockets } = sink(p, { echoEnd: false });
    const c = connect(p);
    const got: Uint8Array[] = [];
    c.on('data', (d) => got.push(d));
    let clientEnded = false;
    c.on('end', () => (clientEnded = true));
    c.on('connect', () => c.end('request'));
    p.run(NS_PER_S);
    expect(c.state).toBe('FIN-WAIT-2');
    const s = sockets[0]!;
    expect(s.state).toBe('CLOSE-WAIT');
    const reply = pattern(50_000);
    s.write(reply);
    p.run(NS_PER_S);
    expectBytes(concat(got), reply);
    expect(clientEnded).toBe(false);
    s.end();
    p.run(NS_PER_S);
    expect(clientEnded).toBe(true);
    expect(c.state).toBe('TIME-WAIT');
  });
});

describe('errors', () => {
  it('connect to a closed port fails with ECONNREFUSED', () => {
    const p = createPair();
    const c = connect(p);
    const errors: SocketError[] = [];
    c.on('error', (e) => errors.push(e));
    p.run();
    expect(errors.map((e) => e.code)).toEqual(['ECONNREFUSED']);
    expect(c.state).toBe('CLOSED');
  });

  it('connect to a silent host fails with ETIMEDOUT after SYN retries at 1, 2, 4, 8 s', () => {
    const p = createPair({ impair: { loss: 1 }, tcp: { synRetries: 3 } });
    const { segs } = capture(p);
    const c = connect(p);
    let failedAt = -1;
    c.on('error', (e) => {
      expect(e.code).toBe('ETIMEDOUT');
      failedAt = p.sim.scheduler.now();
    });
    p.run();
    expect(segs.map((s) => [s.flags, s.time / NS_PER_S, s.rtx])).toEqual([
      ['SYN', 0, false],
      ['SYN', 1, true],
      ['SYN', 3, true],
      ['SYN', 7, true],
    ]);
    expect(failedAt).toBe(15 * NS_PER_S);
  });

  it('the connectTimeout option bounds connect()', () => {
    const p = createPair({ impair: { loss: 1 }, tcp: { connectTimeout: '2500ms' } });
    const c = connect(p);
    const codes: string[] = [];
    c.on('error', (e) => codes.push(`${e.code}@${p.sim.scheduler.now() / NS_PER_MS}`));
    p.run();
    expect(codes).toEqual(['ETIMEDOUT@2500']);
  });

  it('write after end throws EPIPE; write after a reset throws EPIPE', () => {
    const p = createPair();
    const { sockets } = sink(p, { echoEnd: false });
    const c = connect(p);
    p.run(NS_PER_S);
    c.end();
    expect(() => c.write('late')).toThrowError(SocketError);
    expect(() => c.write('late')).toThrow(/EPIPE/);
    const s = sockets[0]!;
    const codes: string[] = [];
    s.on('error', (e) => codes.push(e.code));
    c.destroy();
    p.run(NS_PER_S);
    // The server got the RST while in CLOSE-WAIT.
    expect(codes).toEqual(['ECONNRESET']);
    expect(() => s.write('x')).toThrow(/EPIPE/);
  });

  it('throws typed errors for bad ports and EADDRINUSE', () => {
    const p = createPair();
    expect(() => p.a.connect({ remoteAddress: p.addressB, remotePort: 70000 })).toThrow(/remotePort 70000/);
    expect(() => p.a.listen({ port: -1 })).toThrow(/port -1/);
    p.a.listen({ port: 8080 });
    expect(() => p.a.listen({ port: 8080 })).toThrow(/EADDRINUSE/);
    p.b.listen({ port: 80 });
    p.a.connect({ remoteAddress: p.addressB, remotePort: 80, localPort: 40000 });
    expect(() => p.a.connect({ remoteAddress: p.addressB, remotePort: 80, localPort: 40000 })).toThrow(/EADDRINUSE/);
  });

  it('an ICMP port unreachable aborts the connection with ECONNREFUSED', () => {
    const p = createPair({ impair: { loss: 1 } });
    const c = connect(p);
    const codes: string[] = [];
    c.on('error', (e) => codes.push(e.code));
    const syn = p.ipA.sent[0]!.bytes;
    p.ipA.icmp({
      type: 'destination-unreachable',
      icmpType: 3,
      icmpCode: 3,
      reporter: p.addressB,
      originalSource: p.addressA,
      originalDestination: p.addressB,
      originalProtocol: 6,
      originalPayload: syn.subarray(0, 8),
    });
    expect(codes).toEqual(['ECONNREFUSED']);
  });

  it('a soft ICMP error is reported when the connection then times out', () => {
    const p = createPair({ impair: { loss: 1 }, tcp: { synRetries: 1 } });
    const c = connect(p);
    const codes: string[] = [];
    c.on('error', (e) => codes.push(e.code));
    p.ipA.icmp({
      type: 'destination-unreachable',
      icmpType: 3,
      icmpCode: 1,
      reporter: p.addressB,
      originalSource: p.addressA,
      originalDestination: p.addressB,
      originalProtocol: 6,
      originalPayload: p.ipA.sent[0]!.bytes.subarray(0, 8),
    });
    expect(c.state).toBe('SYN-SENT');
    p.run();
    expect(codes).toEqual(['EHOSTUNREACH']);
  });
});

describe('retransmission timer (RFC 6298)', () => {
  it('backs off 1 s, 2 s, 4 s, 8 s and aborts with ETIMEDOUT after maxRetries', () => {
    const p = createPair({ tcp: { maxRetries: 3, timestamps: false } });
    const { segs } = capture(p);
    const { chunks } = sink(p);
    const c = connect(p);
    const codes: string[] = [];
    c.on('error', (e) => codes.push(e.code));
    p.run(NS_PER_S);
    p.impairments = { loss: 1 };
    const start = p.sim.scheduler.now();
    c.write('x');
    p.run();
    const data = segs.filter((s) => s.node === 'a' && s.len === 1).map((s) => (s.time - start) / NS_PER_S);
    // The RTT sample from the handshake (10 ms) gives RTO = max(1 s, ...) = 1 s.
    expect(data).toEqual([0, 1, 3, 7]);
    expect(codes).toEqual(['ETIMEDOUT']);
    expect(chunks).toEqual([]);
  });

  it('honours rtoMin (Linux uses 200 ms)', () => {
    const p = createPair({ tcp: { rtoMin: '200ms', timestamps: false } });
    const { segs } = capture(p);
    sink(p);
    const c = connect(p);
    p.run(NS_PER_S);
    p.impairments = { dropIf: (_d, from) => from === 'a' && p.sim.scheduler.now() < 1.2 * NS_PER_S };
    c.write('y');
    p.run(5 * NS_PER_S);
    const times = segs.filter((s) => s.node === 'a' && s.len === 1).map((s) => s.time / NS_PER_MS - 1000);
    expect(times).toEqual([0, 200]);
  });
});

describe('loss recovery', () => {
  it('fast retransmit on three duplicate ACKs (no SACK), before the RTO', () => {
    const p = createPair({ tcp: { sack: false, delayedAck: 0 } });
    const { segs } = capture(p);
    const { chunks } = sink(p);
    const c = connect(p);
    p.run(NS_PER_S);
    const data = pattern(30 * 1448);
    let dropped = false;
    p.impairments = {
      dropIf: (d, from) => {
        if (from !== 'a' || dropped || d.bytes.length < 1000) return false;
        dropped = true; // the first data segment
        return true;
      },
    };
    c.write(data);
    c.end();
    p.run();
    expectBytes(concat(chunks), data);
    expect(c.stats.fastRetransmits).toBeGreaterThanOrEqual(1);
    expect(c.stats.timeouts).toBe(0);
    const rtx = segs.find((s) => s.node === 'a' && s.rtx)!;
    const dupAcks = segs.filter((s) => s.node === 'b' && s.ack === rtx.seq && s.time < rtx.time && s.len === 0);
    expect(dupAcks.length).toBeGreaterThanOrEqual(4); // the original ACK plus three duplicates
  });

  it('SACK: the receiver reports the holes and the sender retransmits only them', () => {
    const p = createPair({ tcp: { delayedAck: 0 } });
    const { segs } = capture(p);
    const { chunks } = sink(p);
    const c = connect(p);
    p.run(NS_PER_S);
    const data = pattern(40 * 1448);
    const base = c.tcb.sndNxt;
    const lost = new Set([base + 2 * 1448, base + 5 * 1448, base + 9 * 1448]);
    const seen = new Set<number>();
    p.impairments = {
      dropIf: (d, from) => {
        if (from !== 'a' || d.bytes.length < 1000) return false;
        const seq = ((d.bytes[4]! << 24) | (d.bytes[5]! << 16) | (d.bytes[6]! << 8) | d.bytes[7]!) >>> 0;
        if (!lost.has(seq) || seen.has(seq)) return false;
        seen.add(seq);
        return true;
      },
    };
    c.write(data);
    c.end();
    p.run();
    expectBytes(concat(chunks), data);
    expect(segs.some((s) => s.node === 'b' && s.sack !== undefined)).toBe(true);
    const retransmitted = segs.filter((s) => s.node === 'a' && s.rtx && s.len > 0).map((s) => s.seq);
    expect(retransmitted.sort()).toEqual([...lost].sort());
    expect(c.stats.timeouts).toBe(0);
  });

  it('recovers from an RTO when every segment of a window is lost', () => {
    const p = createPair({ tcp: { delayedAck: 0 } });
    const { chunks } = sink(p);
    const c = connect(p);
    p.run(NS_PER_S);
    const data = pattern(8 * 1448);
    p.impairments = { dropIf: (d, from) => from === 'a' && d.bytes.length > 100 && p.sim.scheduler.now() < 1.5 * NS_PER_S };
    c.write(data);
    c.end();
    p.run();
    expectBytes(concat(chunks), data);
    expect(c.stats.timeouts).toBeGreaterThanOrEqual(1);
  });
});

describe('flow control', () => {
  it('probes a zero window with the persist timer and resumes when the window opens', () => {
    const p = createPair({ tcpB: { receiveBufferSize: 8192 }, tcp: { windowScaling: false } });
    const { segs } = capture(p);
    const { chunks, sockets } = sink(p);
    const c = connect(p);
    p.run(NS_PER_S);
    const server = sockets[0]!;
    server.pause();
    const data = pattern(20_000);
    c.write(data);
    c.end();
    p.run(20 * NS_PER_S);
    const zeroWindowAcks = segs.filter((s) => s.node === 'b' && s.win === 0);
    expect(zeroWindowAcks.length).toBeGreaterThan(0);
    expect(c.stats.windowProbes).toBeGreaterThanOrEqual(2);
    // Probes back off: the gaps between them grow.
    const probes = segs.filter((s) => s.node === 'a' && s.len === 1).map((s) => s.time);
    expect(probes.length).toBeGreaterThanOrEqual(2);
    expect(probes[2]! - probes[1]!).toBeGreaterThan(probes[1]! - probes[0]!);
    expect(c.state).toBe('FIN-WAIT-1');
    server.resume();
    p.run();
    expectBytes(concat(chunks), data);
    expect(c.stats.timeouts).toBe(0);
  });

  it('never sends beyond the advertised window', () => {
    const p = createPair({ tcpB: { receiveBufferSize: 3000 }, tcp: { windowScaling: false } });
    const { segs } = capture(p);
    const { chunks } = sink(p);
    const c = connect(p);
    c.on('connect', () => {
      c.write(pattern(100_000));
      c.end();
    });
    p.run();
    expectBytes(concat(chunks), pattern(100_000));
    // Track the peer's latest ACK + window; every data segment must fit.
    let edge = 0;
    const events = segs.slice().sort((x, y) => x.time - y.time);
    for (const s of events) {
      if (s.node === 'b' && s.flags.includes('ACK')) edge = Math.max(edge, s.ack + s.win);
      if (s.node === 'a' && s.len > 0 && edge > 0) expect(s.seq + s.len).toBeLessThanOrEqual(edge + 1);
    }
  });

  it('window scaling: a 4 MB transfer through a 1 MiB window', () => {
    const p = createPair({ tcp: { receiveBufferSize: '1MiB', sendBufferSize: '4MiB' } });
    const { segs } = capture(p);
    const { chunks } = sink(p);
    const c = connect(p);
    const data = pattern(4_000_000);
    c.on('connect', () => {
      c.write(data);
      c.end();
    });
    p.run();
    expectBytes(concat(chunks), data);
    const syn = segs[0]!;
    expect(syn.win).toBe(65535);
    expect(c.tcb.sndWndScale).toBe(5);
    expect(c.tcb.maxSndWnd).toBeGreaterThan(65535);
  });
});

describe('sequence number wraparound', () => {
  it('moves 1 MB across 2^32 with ISN = 2^32 - 100', () => {
    const p = createPair({ tcp: { initialSequenceNumber: 2 ** 32 - 100 }, impair: { loss: 0.01, reorder: 0.05, duplicate: 0.01 }, seed: 9 });
    const { chunks } = sink(p);
    const reply: Uint8Array[] = [];
    const c = connect(p);
    c.on('data', (d) => reply.push(d));
    const data = pattern(1_000_000, 3);
    c.on('connect', () => {
      c.write(data);
      c.end();
    });
    p.b.listen({ port: 81 });
    p.run();
    expectBytes(concat(chunks), data);
    expect(c.state === 'TIME-WAIT' || c.state === 'CLOSED').toBe(true);
  });
});

describe('Nagle and delayed ACK', () => {
  function smallWrites(noDelay: boolean) {
    const p = createPair({ tcp: { noDelay, timestamps: false } });
    const { segs } = capture(p);
    const { chunks } = sink(p);
    const c = connect(p);
    c.on('connect', () => {
      for (let i = 0; i < 10; i++) c.write(new Uint8Array([i]));
    });
    p.run(2 * NS_PER_S);
    return { segs: segs.filter((s) => s.node === 'a' && s.len > 0), chunks };
  }

  it('Nagle coalesces small writes while data is unacknowledged', () => {
    const { segs, chunks } = smallWrites(false);
    expect(segs.map((s) => s.len)).toEqual([1, 9]);
    expectBytes(concat(chunks), new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
  });

  it('setNoDelay sends each small write at once', () => {
    const { segs } = smallWrites(true);
    expect(segs.map((s) => s.len)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
  });

  /** Three full segments and a 100-byte tail written at once (and, with `end`, the FIN). */
  function oddTail(tcp: TcpOptions, end: boolean) {
    const p = createPair({ tcp: { timestamps: false, ...tcp } });
    const { segs } = capture(p);
    sink(p, { echoEnd: false });
    const c = connect(p);
    p.run(NS_PER_S);
    const t0 = p.sim.scheduler.now();
    c.write(pattern(3 * 1460 + 100));
    if (end) c.end();
    p.run(2 * NS_PER_S);
    const tail = segs.find((s) => s.node === 'a' && s.time >= t0 && s.len === 100)!;
    return { tailAfterMs: (tail.time - t0) / NS_PER_MS, tailFlags: tail.flags };
  }

  it('the last segment of a closing connection is not held by Nagle: it carries the FIN (as BSD and Linux send it)', () => {
    // Three full segments go first; the receiver ACKs two at once and delays the ACK of the
    // third. Holding the 100-byte tail for that ACK would add the whole delayed-ACK time.
    const { tailAfterMs, tailFlags } = oddTail({}, true);
    expect(tailFlags).toContain('FIN');
    expect(tailAfterMs).toBeLessThan(20);
  });

  it("'rfc' holds a small tail while full segments are unacknowledged (RFC 1122 §4.2.3.4); 'linux' sends it (Minshall's variant)", () => {
    // RFC 1122's rule: no small segment while any data is unacknowledged, so the tail waits
    // for the delayed ACK of the third segment (5 ms there, 200 ms held, 5 ms back).
    expect(oddTail({}, false).tailAfterMs).toBeGreaterThanOrEqual(200);
    // Minshall's variant (Linux's tcp_minshall_check): hold a small segment only while an
    // earlier small segment is unacknowledged; none is, so the tail goes at once.
    expect(oddTail({ profile: 'linux' }, false).tailAfterMs).toBeLessThan(20);
    expect(oddTail({ profile: 'rfc', nagle: 'minshall' }, false).tailAfterMs).toBeLessThan(20);
    expect(oddTail({ profile: 'linux', nagle: 'rfc1122' }, false).tailAfterMs).toBeGreaterThanOrEqual(40);
  });

  it("Minshall's variant still holds a second small segment while the first is unacknowledged", () => {
    const p = createPair({ tcp: { timestamps: false, nagle: 'minshall' } });
    const { segs } = capture(p);
    sink(p);
    const c = connect(p);
    c.on('connect', () => {
      for (let i = 0; i < 10; i++) c.write(new Uint8Array([i]));
    });
    p.run(2 * NS_PER_S);
    expect(segs.filter((s) => s.node === 'a' && s.len > 0).map((s) => s.len)).toEqual([1, 9]);
  });

  it('delays a lone ACK by the delayed-ACK timer (200 ms), and ACKs every second full segment at once', () => {
    const p = createPair({ tcp: { timestamps: false } });
    const { segs } = capture(p);
    sink(p);
    const c = connect(p);
    p.run(NS_PER_S);
    const t0 = p.sim.scheduler.now();
    c.write('ping');
    p.run(2 * NS_PER_S);
    const ack = segs.find((s) => s.node === 'b' && s.time > t0 && s.len === 0)!;
    // Sent at t0, arrives after 5 ms, ACKed 200 ms later.
    expect((ack.time - t0) / NS_PER_MS).toBe(205);
    const t1 = p.sim.scheduler.now();
    c.write(pattern(2 * 1460));
    p.run(NS_PER_S);
    const acks = segs.filter((s) => s.node === 'b' && s.time > t1);
    expect(acks.length).toBeGreaterThan(0);
    expect((acks[0]!.time - t1) / NS_PER_MS).toBe(5);
  });

  it('the delayedAck option changes the delay and is capped at 500 ms', () => {
    expect(() => createPair({ tcp: { delayedAck: '600ms' } })).toThrow(/delayedAck/);
    const p = createPair({ tcp: { delayedAck: '40ms', timestamps: false } });
    const { segs } = capture(p);
    sink(p);
    const c = connect(p);
    p.run(NS_PER_S);
    const t0 = p.sim.scheduler.now();
    c.write('ping');
    p.run(NS_PER_S);
    const ack = segs.find((s) => s.node === 'b' && s.time > t0)!;
    expect((ack.time - t0) / NS_PER_MS).toBe(45);
  });
});

describe('keepalive', () => {
  it('probes an idle connection and aborts with ETIMEDOUT when the peer vanishes', () => {
    const p = createPair({ tcp: { keepAliveInterval: '1s', keepAliveProbes: 3 } });
    const { segs } = capture(p);
    sink(p);
    const c = connect(p);
    const codes: string[] = [];
    c.on('error', (e) => codes.push(`${e.code}@${Math.round(p.sim.scheduler.now() / NS_PER_S)}`));
    p.run(NS_PER_S);
    c.setKeepAlive(true, 10 * NS_PER_S);
    p.run(12 * NS_PER_S);
    // One probe at 11 s, answered.
    const probes = () => segs.filter((s) => s.node === 'a' && s.flags === 'ACK' && s.len === 0 && s.seq === c.tcb.sndNxt - 1);
    expect(probes().map((s) => Math.round(s.time / NS_PER_S))).toEqual([11]);
    expect(c.state).toBe('ESTABLISHED');
    p.impairments = { loss: 1 };
    p.run(60 * NS_PER_S);
    // Probes at 21, 22 and 23 s go unanswered; the connection is dropped one interval later.
    expect(codes).toEqual(['ETIMEDOUT@24']);
  });
});

describe('congestion control contract', () => {
  it('sends no more than the cwnd a custom CongestionControl factory allows, and reports loss to it', () => {
    const calls: string[] = [];
    const factory = () => {
      let smss = 536;
      return {
        name: 'fixed-2',
        get cwnd() {
          return 2 * smss;
        },
        ssthresh: 1 << 30,
        init(s: number) {
          smss = s;
          calls.push(`init ${s}`);
        },
        onAck() {},
        onEnterRecovery() {
          calls.push('enter recovery');
        },
        onDupAckInRecovery() {},
        onPartialAck() {},
        onExitRecovery() {
          calls.push('exit recovery');
        },
        onRetransmitTimeout() {
          calls.push('timeout');
        },
      };
    };
    const p = createPair({ tcp: { congestionControl: factory, timestamps: false, delayedAck: 0 } });
    const { segs } = capture(p);
    const { chunks } = sink(p);
    const c = connect(p);
    p.run(NS_PER_S);
    // Without loss: never more than two full segments unacknowledged.
    const data = pattern(40 * 1460);
    c.write(data);
    p.run(5 * NS_PER_S);
    expectBytes(concat(chunks), data);
    let una = 0;
    let max = 0;
    for (const s of segs.slice().sort((x, y) => x.time - y.time)) {
      if (s.node === 'b') una = Math.max(una, s.ack);
      else if (s.len > 0 && una > 0) max = Math.max(max, s.seq + s.len - una);
    }
    expect(max).toBe(2 * 1460);
    expect(calls).toEqual(['init 1460', 'init 1460']);
    // One loss: limited transmit (RFC 3042) turns two segments in flight into three duplicate
    // ACKs, so the algorithm hears of fast recovery, then of its end.
    let dropOnce = true;
    p.impairments = {
      dropIf: (d, from) => {
        if (from === 'a' && d.bytes.length > 1000 && dropOnce) {
          dropOnce = false;
          return true;
        }
        return false;
      },
    };
    c.write(data);
    c.end();
    p.run();
    expectBytes(concat(chunks), concat([data, data]));
    expect(calls.slice(2)).toEqual(['enter recovery', 'exit recovery']);
  });
});

describe('listeners sharing a port', () => {
  it('hands a SYN to the listener bound to its address before the wildcard one, and to the wildcard once that closes', () => {
    const p = createPair();
    const got: string[] = [];
    const wildcard = p.b.listen({ port: 80 });
    wildcard.on('connection', () => got.push('wildcard'));
    const bound = p.b.listen({ port: 80, address: p.addressB });
    bound.on('connection', () => got.push('bound'));
    expect(() => p.b.listen({ port: 80 })).toThrow(SocketError);
    expect(() => p.b.listen({ port: 80, address: p.addressB })).toThrow(SocketError);
    p.a.connect({ remoteAddress: p.addressB, remotePort: 80 });
    p.run(NS_PER_S);
    bound.close();
    p.a.connect({ remoteAddress: p.addressB, remotePort: 80 });
    p.run(NS_PER_S);
    wildcard.close();
    const refused = p.a.connect({ remoteAddress: p.addressB, remotePort: 80 });
    let error = '';
    refused.on('error', (e) => (error = (e as SocketError).code));
    p.run(NS_PER_S);
    expect(got).toEqual(['bound', 'wildcard']);
    expect(error).toBe('ECONNREFUSED');
    // The port is free again for either kind of listener.
    expect(() => p.b.listen({ port: 80 }).close()).not.toThrow();
  });
});
