// The study-note examples: every letter the note uses is checked against the segments that
// crossed the wire, and each correction the examples print is backed by what the run did.
import { describe, it, expect } from 'vitest';
import { main as handshake } from '../note-handshake.ts';
import { main as teardown } from '../note-teardown.ts';
import { main as rst } from '../note-rst.ts';
import { main as sequence, CLIENT_ISS } from '../note-sequence.ts';
import { main as sockets } from '../note-sockets.ts';
import { main as layers } from '../note-layers.ts';
import { main as flags } from '../note-flags.ts';

const quiet = (): void => {};

describe('the study note, example by example', () => {
  it('三次握手: SYN seq=i (i = 1), SYN,ACK seq=y ack=i+1, ACK seq=i+1 ack=y+1', async () => {
    const lines: string[] = [];
    const { i, y, rows } = await handshake((l) => lines.push(l), []);
    expect(i).toBe(1);
    expect(rows.slice(0, 3).map((r) => [r.flags, r.seq, r.ack])).toEqual([
      ['SYN', 1, undefined],
      ['SYN,ACK', y, 2],
      ['ACK', 2, (y + 1) >>> 0],
    ]);
    expect(lines.join('\n')).not.toContain('✗');
  });

  it('三次握手 with random ISNs: the letters still hold; i is not 1', async () => {
    const { i, y, rows } = await handshake(quiet, ['--random']);
    expect(i).not.toBe(1);
    expect(rows[1]!.ack).toBe((i + 1) >>> 0);
    expect(rows[2]!.ack).toBe((y + 1) >>> 0);
  });

  it('四次挥手: FIN seq=m, ACK seq=n ack=m+1, FIN,ACK seq=w ack=m+1, ACK seq=m+1 ack=w+1, then 2*MSL', async () => {
    const lines: string[] = [];
    const { m, n, w, timeWaitNs } = await teardown((l) => lines.push(l), []);
    expect(w).toBe(n);
    expect(timeWaitNs).toBe(4 * 60 * 1e9);
    expect(lines.join('\n')).not.toContain('✗');
    expect(lines.join('\n')).toContain(`seq=m = ${m} ✓`);
    const withData = await teardown(quiet, ['--data', '100', '--msl', '30s']);
    expect(withData.w - withData.n).toBe(100);
    expect(withData.timeWaitNs).toBe(60e9);
  });

  it('RST: a closed port refuses with RST,ACK; destroy() resets an established connection', async () => {
    const { refused, reset } = await rst(quiet);
    expect(refused.reply).toMatch(/^RST,ACK seq=0 ack=2/);
    expect(refused.error).toMatch(/ECONNREFUSED/);
    expect(reset.rst).toMatch(/^RST seq=2/);
    expect(reset.peerState).toBe('CLOSED');
    expect(reset.error).toMatch(/ECONNRESET/);
  });

  it('the sequence space wraps past 2^32 − 1 = 4294967295 and the bytes still arrive in order', async () => {
    const { seqs, wrapped, intact } = await sequence(quiet, []);
    expect(seqs[0]).toBe(CLIENT_ISS);
    expect(CLIENT_ISS + 1000).toBe(4294967295);
    expect(wrapped).toBe(true);
    expect(intact).toBe(true);
  });

  it('sockets are ip:port, connections 4-tuples: three connections to one server socket stay apart', async () => {
    const { tuples, echoes } = await sockets(quiet);
    expect(new Set(tuples).size).toBe(3);
    expect(tuples.every((t) => t.startsWith('(10.0.0.2, 80, '))).toBe(true);
    expect(Object.values(echoes).sort()).toEqual(['ALICE AGAIN, ANOTHER PORT', 'HELLO FROM ALICE', 'HELLO FROM BOB']);
  });

  it('the layers in every model, on a real frame of an HTTP request', async () => {
    const lines: string[] = [];
    const { frame } = await layers((l) => lines.push(l), []);
    expect(frame).toBeDefined();
    const text = lines.join('\n');
    for (const title of ['TCP/IP five-layer model', 'TCP/IP four-layer model (RFC 1122)', 'TCP/IP four-layer model (transport, network, link, physical)', 'OSI seven-layer reference model']) expect(text).toContain(title);
    expect(text).toContain('"GET / HTTP/1.1');
    expect(text).toMatch(/Presentation\s+\(inside the application in TCP\/IP\)/);
  });

  it('the six flags SYN ACK PSH URG FIN RST each appear on a real segment', async () => {
    const { seen, urgentEnd } = await flags(quiet);
    expect(seen.SYN).toMatch(/client → server {2}SYN seq=1 len=0/);
    expect(seen.ACK).toMatch(/SYN,ACK/);
    expect(seen.PSH).toMatch(/PSH,ACK seq=2 .* len=5/);
    expect(seen.URG).toMatch(/URG seq=7 .* len=1/);
    expect(seen.FIN).toMatch(/FIN,ACK seq=8/);
    expect(seen.RST).toMatch(/^client → server {2}RST/);
    expect(urgentEnd).toBe(6);
  });
});
