// The connection table (an integer hash of the 4-tuple, collisions chained through the TCBs,
// creation order kept by a linked list) and the memory rules of an idle connection: no
// buffers, SACK scoreboard, loss-recovery state or timer objects held once it is established
// and quiet, and everything made again when the connection needs it.

import { describe, expect, it } from 'vitest';
import { Ipv4Address, NS_PER_S } from '@netlayers/core';
import { ConnectionTable, tupleHash } from '../../src/tcp/layer.ts';
import type { Tcb } from '../../src/tcp/tcb.ts';
import type { TcpSocket } from '../../src/tcp/index.ts';
import { concat, createPair, expectBytes, pattern } from './support/link.ts';

interface Entry {
  localAddress: Ipv4Address;
  localPort: number;
  remoteAddress: Ipv4Address;
  remotePort: number;
  hashNext: Tcb | null;
  listPrev: Tcb | null;
  listNext: Tcb | null;
}

function entry(localPort: number, remotePort: number, local = '10.0.0.1', remote = '10.0.0.2'): Tcb {
  const e: Entry = { localAddress: Ipv4Address.parse(local), localPort, remoteAddress: Ipv4Address.parse(remote), remotePort, hashNext: null, listPrev: null, listNext: null };
  return e as unknown as Tcb;
}

/** Two port pairs between the same addresses whose 4-tuples hash alike (found by search, deterministic). */
function collidingPair(): [Tcb, Tcb] {
  const a = Ipv4Address.parse('10.0.0.1').value;
  const b = Ipv4Address.parse('10.0.0.2').value;
  const seen = new Map<number, number>();
  const ports = (i: number): [number, number] => [1024 + (i % 60_000), 1 + Math.floor(i / 60_000)];
  for (let i = 0; i < 1 << 20; i++) {
    const [localPort, remotePort] = ports(i);
    const h = tupleHash(a, localPort, b, remotePort);
    const other = seen.get(h);
    if (other !== undefined) return [entry(...ports(other)), entry(localPort, remotePort)];
    seen.set(h, i);
  }
  throw new Error('no collision found');
}

describe('ConnectionTable', () => {
  it('finds, chains and removes connections whose 4-tuples hash alike', () => {
    const [x, y] = collidingPair();
    expect(tupleHash(x.localAddress.value, x.localPort, x.remoteAddress.value, x.remotePort)).toBe(tupleHash(y.localAddress.value, y.localPort, y.remoteAddress.value, y.remotePort));
    expect([x.localPort, x.remotePort]).not.toEqual([y.localPort, y.remotePort]);
    const table = new ConnectionTable();
    table.add(x);
    table.add(y);
    expect(table.get(x.localAddress, x.localPort, x.remoteAddress, x.remotePort)).toBe(x);
    expect(table.get(y.localAddress, y.localPort, y.remoteAddress, y.remotePort)).toBe(y);
    expect(table.remove(y)).toBe(true); // the chain's head
    expect(table.get(y.localAddress, y.localPort, y.remoteAddress, y.remotePort)).toBeUndefined();
    expect(table.get(x.localAddress, x.localPort, x.remoteAddress, x.remotePort)).toBe(x);
    table.add(y);
    expect(table.remove(x)).toBe(true); // inside the chain
    expect(table.get(y.localAddress, y.localPort, y.remoteAddress, y.remotePort)).toBe(y);
    expect(table.remove(x)).toBe(false);
    expect(table.size).toBe(1);
  });

  it('tells apart tuples that differ only in an address, and keeps creation order through removals', () => {
    const table = new ConnectionTable();
    const list = [entry(80, 5000), entry(80, 5000, '10.0.0.1', '10.0.0.3'), entry(81, 5000), entry(80, 5001), entry(80, 5000, '10.0.0.9')];
    for (const t of list) table.add(t);
    for (const t of list) expect(table.get(t.localAddress, t.localPort, t.remoteAddress, t.remotePort)).toBe(t);
    expect(table.get(Ipv4Address.parse('10.0.0.1'), 80, Ipv4Address.parse('10.0.0.4'), 5000)).toBeUndefined();
    table.remove(list[0]!);
    table.remove(list[3]!);
    table.add(list[0]!);
    expect(table.all()).toEqual([list[1], list[2], list[4], list[0]]);
    expect(table.localPortInUse(81)).toBe(true);
    table.remove(list[2]!);
    expect(table.localPortInUse(81)).toBe(false);
    expect(table.localPortInUse(80)).toBe(true);
  });
});

describe('memory of an idle connection', () => {
  it('holds no buffers, scoreboard, recovery state or timers once established and quiet, and makes them again on use', () => {
    const p = createPair();
    const server: TcpSocket[] = [];
    const got: Uint8Array[] = [];
    p.b.listen({ port: 80 }).on('connection', (s) => {
      server.push(s as TcpSocket);
      s.on('data', (d) => got.push(d));
    });
    const c = p.a.connect({ remoteAddress: p.addressB, remotePort: 80 });
    p.run(3 * NS_PER_S);
    for (const tcb of [c.tcb, server[0]!.tcb]) {
      expect(tcb.state).toBe('ESTABLISHED');
      expect(tcb.sendBufferOrNull).toBeNull();
      expect(tcb.receiveOrNull).toBeNull();
      expect(tcb.scoreboardOrNull).toBeNull();
      expect(tcb.recoveryOrNull).toBeNull();
      expect(tcb.timers).toBeNull();
    }
    const data = pattern(100_000);
    c.write(data);
    expect(c.tcb.sendBufferOrNull).not.toBeNull();
    p.run(3 * NS_PER_S);
    expectBytes(concat(got), data);
    // All acknowledged and the retransmission timer's event gone: the sender is bare again.
    expect(c.tcb.sendBufferOrNull).toBeNull();
    expect(c.tcb.timers).toBeNull();
    expect(c.bufferedAmount).toBe(0);
    expect(p.a.connections()[0]!.sendBuffered).toBe(0);
  });
});

describe('memory of a short connection', () => {
  it('makes no loss-recovery state for an exchange without loss, and keeps nothing but sequence variables in TIME-WAIT', () => {
    const p = createPair({ tcp: { msl: '1s' } });
    const server: TcpSocket[] = [];
    p.b.listen({ port: 80 }).on('connection', (s) => {
      server.push(s as TcpSocket);
      s.on('data', () => s.end(pattern(27)));
    });
    const c = p.a.connect({ remoteAddress: p.addressB, remotePort: 80 });
    const got: Uint8Array[] = [];
    c.on('connect', () => c.write(pattern(33)));
    const whileOpen: unknown[] = [];
    c.on('data', (d) => {
      got.push(d);
      // Both have sent data (and the server its FIN), nothing is released yet.
      whileOpen.push(c.tcb.recoveryOrNull, server[0]!.tcb.recoveryOrNull);
    });
    c.on('end', () => c.end());
    p.run(NS_PER_S);
    expectBytes(concat(got), pattern(27));
    expect(whileOpen).toEqual([null, null]);
    const s = server[0]!;
    // The server closed first: it is the one in TIME-WAIT.
    expect(s.tcb.state).toBe('TIME-WAIT');
    expect(c.tcb.state).toBe('CLOSED');
    for (const tcb of [c.tcb, s.tcb]) {
      expect(tcb.recoveryOrNull).toBeNull();
      expect(tcb.scoreboardOrNull).toBeNull();
      expect(tcb.sendBufferOrNull).toBeNull();
      expect(tcb.receiveOrNull).toBeNull();
    }
  });

  it('makes no receive buffer for a FIN without data', () => {
    const p = createPair();
    p.b.listen({ port: 80 }).on('connection', (s) => s.end());
    const c = p.a.connect({ remoteAddress: p.addressB, remotePort: 80 });
    let ended = false;
    c.on('end', () => {
      ended = true;
      expect(c.tcb.state).toBe('CLOSE-WAIT');
      expect(c.tcb.receiveOrNull).toBeNull();
    });
    p.run(NS_PER_S);
    expect(ended).toBe(true);
  });
});
