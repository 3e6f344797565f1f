// TIME-WAIT (RFC 9293 §3.6.1, §3.10.7.4) and reusing its 4-tuple: a new SYN for a connection
// in TIME-WAIT opens a new incarnation when its timestamp is newer (RFC 6191 §2, with RFC
// 7323 timestamps). That needs our TSval clock to run on across incarnations of the same
// address pair: the offset is per (local, remote) address pair, as RFC 7323 §5.4 and Linux
// do, not per connection.

import { describe, expect, it } from 'vitest';
import { NS_PER_S } from '@netlayers/core';
import type { TcpSocket } from '../../src/tcp/index.ts';
import { createPair, type Pair } from './support/link.ts';

/** One request/response exchange from `localPort`; the server closes first (and holds TIME-WAIT). */
function exchange(p: Pair, localPort: number): TcpSocket {
  const c = p.a.connect({ remoteAddress: p.addressB, remotePort: 80, localPort });
  c.on('connect', () => c.write(new Uint8Array(10)));
  c.on('end', () => c.end());
  return c;
}

describe('TIME-WAIT', () => {
  it('lets a new SYN reuse the 4-tuple of a connection in TIME-WAIT at once, without a SYN timeout', () => {
    const p = createPair({ tcp: { msl: '30s' } });
    p.b.listen({ port: 80 }).on('connection', (s) => s.on('data', () => s.end(new Uint8Array(5))));
    // Several ports: with a random TSval offset per connection about half the reuses met a
    // lower TSval than TS.Recent, were refused and waited for the SYN retransmission.
    for (let port = 40_000; port < 40_012; port++) {
      const first = exchange(p, port);
      p.run(NS_PER_S / 2);
      expect(first.state).toBe('CLOSED');
      const serverSide = p.b.connections().find((c) => c.remotePort === port);
      expect(serverSide?.state).toBe('TIME-WAIT');
      const second = exchange(p, port);
      let connectedAt = -1;
      second.on('connect', () => (connectedAt = p.sim.scheduler.now()));
      const start = p.sim.scheduler.now();
      p.run(NS_PER_S / 2);
      expect(connectedAt, `reuse of port ${port}`).toBeGreaterThanOrEqual(0);
      expect(connectedAt - start).toBeLessThan(NS_PER_S / 10); // one round trip, not the 1 s initial RTO
      expect(second.stats.timeouts).toBe(0);
      expect(second.state).toBe('CLOSED');
    }
  });

  it('reuses the 4-tuple within the same millisecond: an equal TSval with a newer sequence number opens a new incarnation (RFC 6191 §2)', () => {
    // 10 µs one way: a whole exchange takes well under 1 ms, so the new SYN's TSval equals
    // TS.Recent of the TIME-WAIT entry; its ISN (the 4 µs clock) is past the old RCV.NXT.
    const p = createPair({ tcp: { msl: '30s' }, impair: { delay: 10_000 } });
    p.b.listen({ port: 80 }).on('connection', (s) => s.on('data', () => s.end(new Uint8Array(5))));
    let done = 0;
    let timeouts = 0;
    let lastClose = -1;
    const next = (): void => {
      const c = exchange(p, 40_000);
      c.on('close', () => {
        timeouts += c.stats.timeouts;
        lastClose = p.sim.scheduler.now();
        if (++done < 12) next();
      });
    };
    next();
    p.run(NS_PER_S / 2);
    expect(done).toBe(12);
    expect(timeouts).toBe(0);
    expect(lastClose).toBeLessThan(NS_PER_S / 100); // twelve exchanges, not one SYN retransmission
  });

  it('keeps one TSval clock per address pair: a later connection never sends an older TSval', () => {
    const p = createPair();
    p.b.listen({ port: 80 });
    const a = p.a.connect({ remoteAddress: p.addressB, remotePort: 80 });
    p.run(NS_PER_S);
    const b = p.a.connect({ remoteAddress: p.addressB, remotePort: 80 });
    p.run(NS_PER_S);
    expect(a.state).toBe('ESTABLISHED');
    expect(b.state).toBe('ESTABLISHED');
    expect(b.tcb.tsOffset).toBe(a.tcb.tsOffset);
  });
});
