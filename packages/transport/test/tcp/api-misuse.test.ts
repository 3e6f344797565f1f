// Public-API misuse of TcpLayer and TcpSocket: each bad argument gets a typed error naming
// what was wrong, and leaves the socket (and layer) usable afterwards.

import { describe, expect, it } from 'vitest';
import { InvalidAddressError, InvalidArgumentError, NS_PER_S } from '@netlayers/core';
import { Harness, LOCAL_ISS, LOCAL_PORT, REMOTE_ISS } from './support/harness.ts';
import { concat, createPair, expectBytes, pattern } from './support/link.ts';
import { toDuplex } from '../../src/node/index.ts';
import type { TcpSocket } from '../../src/tcp/index.ts';

const L = LOCAL_ISS;
const R = REMOTE_ISS;

describe('write() validates its argument', () => {
  const bad: [string, unknown][] = [
    ['a number', 12345],
    ['null', null],
    ['undefined', undefined],
    ['an array-like object', { length: 5 }],
    ['a plain array', [1, 2, 3]],
    ['an ArrayBuffer', new ArrayBuffer(4)],
  ];
  for (const [what, value] of bad) {
    it(`rejects ${what} with InvalidArgumentError and stays usable`, () => {
      const h = new Harness();
      const { socket } = h.established();
      expect(() => socket.write(value as string)).toThrow(InvalidArgumentError);
      expect(socket.bufferedAmount).toBe(0);
      expect(socket.bytesWritten).toBe(0);
      h.expectNone();
      // The socket still works: a good write goes out, end() sends the FIN.
      expect(socket.write('ok')).toBe(true);
      h.expectOne({ flags: 'PSH,ACK', seq: L + 1, payload: 'ok' });
      socket.end();
      h.expectOne({ flags: 'FIN,ACK', seq: L + 3, ack: R + 1 });
    });
  }

  it('names the argument and what it must be', () => {
    const h = new Harness();
    const { socket } = h.established();
    expect(() => socket.write(12345 as unknown as string)).toThrow(/data.*Uint8Array.*string/);
  });

  it('end() with a bad argument throws before ending, and the socket stays usable', () => {
    const h = new Harness();
    const { socket } = h.established();
    expect(() => socket.end(12345 as unknown as string)).toThrow(InvalidArgumentError);
    h.expectNone();
    expect(socket.state).toBe('ESTABLISHED');
    socket.end('bye');
    h.expectMany([{ flags: 'PSH,ACK', seq: L + 1, payload: 'bye' }, { flags: 'FIN,ACK', seq: L + 4 }]);
  });

  it('accepts a Buffer and a Uint8Array view at an offset', () => {
    const h = new Harness();
    const { socket } = h.established();
    socket.setNoDelay(true);
    socket.write(Buffer.from('buf'));
    h.expectOne({ payload: 'buf' });
    const backing = new TextEncoder().encode('xxviewxx');
    socket.write(backing.subarray(2, 6));
    h.expectOne({ payload: 'view' });
  });

  it('the Node duplex adapter rejects a bad chunk with a typed error and keeps working', () => {
    const p = createPair();
    const got: Uint8Array[] = [];
    p.b.listen({ port: 80 }).on('connection', (s) => s.on('data', (d) => got.push(d)));
    const raw = p.a.connect({ remoteAddress: p.addressB, remotePort: 80 });
    p.run(NS_PER_S);
    const duplex = toDuplex(raw);
    const errors: Error[] = [];
    duplex.on('error', (e) => errors.push(e));
    expect(() => duplex.write(12345 as unknown as string)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }) as Error);
    expect(() => duplex.write({ length: 5 } as unknown as string)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }) as Error);
    const data = pattern(5000);
    duplex.write(data);
    p.run(NS_PER_S);
    expectBytes(concat(got), data);
    expect(errors).toEqual([]);
    expect(raw.bufferedAmount).toBe(0);
  });
});

describe('connect() and listen() validate addresses and ports', () => {
  for (const text of [' 10.0.0.2', '10.0.0.2 ', '10.0.0.2\n', '10.0.0.2/24', '10.0.0', '']) {
    it(`connect({ remoteAddress: ${JSON.stringify(text)} }) throws InvalidAddressError`, () => {
      const h = new Harness();
      expect(() => h.tcp.connect({ remoteAddress: text, remotePort: 80 })).toThrow(InvalidAddressError);
      expect(h.tcp.connections()).toHaveLength(0);
      h.expectNone();
    });
  }

  it('rejects a non-string, non-address remoteAddress with a typed error', () => {
    const h = new Harness();
    expect(() => h.tcp.connect({ remoteAddress: 167772162 as unknown as string, remotePort: 80 })).toThrow(InvalidAddressError);
    expect(() => h.tcp.connect({ remoteAddress: null as unknown as string, remotePort: 80 })).toThrow(InvalidAddressError);
  });

  it('rejects bad ports with InvalidArgumentError', () => {
    const h = new Harness();
    for (const port of [0, -1, 65536, 80.5, Number.NaN, '80']) {
      expect(() => h.tcp.connect({ remoteAddress: '192.168.1.2', remotePort: port as number })).toThrow(InvalidArgumentError);
    }
    expect(() => h.tcp.connect({ remoteAddress: '192.168.1.2', remotePort: 80, localPort: 70000 })).toThrow(InvalidArgumentError);
    expect(() => h.tcp.listen({ port: -5 })).toThrow(InvalidArgumentError);
    expect(() => h.tcp.listen({ port: 80, address: ' 192.168.1.1' })).toThrow(InvalidAddressError);
    expect(() => h.tcp.listen({ port: 80, backlog: 0 })).toThrow(InvalidArgumentError);
    expect(() => h.tcp.listen({ port: 80, backlog: 1.5 })).toThrow(InvalidArgumentError);
    h.expectNone();
    expect(h.tcp.connections()).toHaveLength(0);
    // The port is still free for a good listen().
    h.tcp.listen({ port: LOCAL_PORT });
  });
});

describe('socket options validate their arguments', () => {
  it('setKeepAlive(true, -5) throws InvalidArgumentError and changes nothing', () => {
    const h = new Harness();
    const { socket } = h.established();
    expect(() => socket.setKeepAlive(true, -5)).toThrow(InvalidArgumentError);
    expect(() => socket.setKeepAlive(true, Number.NaN)).toThrow(InvalidArgumentError);
    expect(() => socket.setKeepAlive(true, Number.POSITIVE_INFINITY)).toThrow(InvalidArgumentError);
    expect(() => socket.setKeepAlive('yes' as unknown as boolean)).toThrow(InvalidArgumentError);
    expect(h.eventsOf('timer').filter((e) => e.timer === 'keepalive')).toEqual([]);
    // A good call still works: a probe after 10 s idle.
    socket.setKeepAlive(true, 10 * NS_PER_S);
    h.advance(10 * NS_PER_S + 1);
    h.expectOne({ flags: 'ACK', seq: L, len: 0 });
  });

  it('setKeepAlive(true, 0) keeps the configured idle time, as Node does', () => {
    const h = new Harness({ keepAliveIdle: '5s' });
    const { socket } = h.established();
    socket.setKeepAlive(true, 0);
    h.advance(5 * NS_PER_S + 1);
    h.expectOne({ flags: 'ACK', seq: L, len: 0 });
  });

  it('setNoDelay() rejects a non-boolean', () => {
    const h = new Harness();
    const { socket } = h.established();
    expect(() => socket.setNoDelay('no' as unknown as boolean)).toThrow(InvalidArgumentError);
    socket.setNoDelay(true);
  });
});

describe('a listener port stays usable after misuse', () => {
  it('accepts a connection after rejected calls', () => {
    const h = new Harness();
    const { accepted } = h.listen();
    expect(() => h.tcp.connect({ remoteAddress: ' 192.168.1.2', remotePort: 80 })).toThrow(InvalidAddressError);
    h.send({ flags: 'SYN', seq: R });
    h.expectOne({ flags: 'SYN,ACK', seq: L, ack: R + 1, sport: LOCAL_PORT });
    h.send({ seq: R + 1, ack: L + 1 });
    expect((accepted[0] as TcpSocket).state).toBe('ESTABLISHED');
  });
});
