// Property tests of the whole connection over an impaired link: for random write sizes and
// schedules, random loss, duplication, reordering and corruption, and random option sets,
// every byte arrives exactly once and in order in both directions, and both ends finish
// CLOSED (through TIME-WAIT or LAST-ACK).

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { NS_PER_MS } from '@netlayers/core';
import { concat, createPair, expectBytes, pattern } from './support/link.ts';
import type { TcpSocket } from '../../src/tcp/index.ts';

const scenario = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  clientWrites: fc.array(fc.record({ size: fc.integer({ min: 1, max: 9000 }), delayMs: fc.integer({ min: 0, max: 30 }) }), { minLength: 1, maxLength: 12 }),
  serverWrites: fc.array(fc.record({ size: fc.integer({ min: 1, max: 9000 }), delayMs: fc.integer({ min: 0, max: 30 }) }), { maxLength: 6 }),
  loss: fc.constantFrom(0, 0.01, 0.05, 0.15),
  duplicate: fc.constantFrom(0, 0.05),
  reorder: fc.constantFrom(0, 0.1, 0.3),
  corrupt: fc.constantFrom(0, 0.03),
  sack: fc.boolean(),
  timestamps: fc.boolean(),
  windowScaling: fc.boolean(),
  noDelay: fc.boolean(),
  receiveBufferSize: fc.constantFrom(4096, 16384, 262144),
  congestionControl: fc.constantFrom('reno' as const, 'newreno' as const, 'cubic' as const),
});

describe('TCP over an impaired link (fast-check)', () => {
  it('delivers every byte exactly, in order, both ways, and both ends close', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const p = createPair({
          seed: s.seed,
          impair: { loss: s.loss, duplicate: s.duplicate, reorder: s.reorder, reorderDelay: 20 * NS_PER_MS, corrupt: s.corrupt },
          tcp: {
            sack: s.sack,
            timestamps: s.timestamps,
            windowScaling: s.windowScaling,
            noDelay: s.noDelay,
            receiveBufferSize: s.receiveBufferSize,
            congestionControl: s.congestionControl,
            msl: '5s',
            rtoMin: '200ms',
            // At 15% loss a peer's backed-off retransmissions can leave more than the default
            // 60 s of silence; the FIN-WAIT-2 timeout would then (correctly) give up. This
            // property is about delivery, so the timeout is set beyond what the runs produce.
            finWait2Timeout: '10min',
          },
        });
        const clientData = pattern(s.clientWrites.reduce((n, w) => n + w.size, 0), s.seed);
        const serverData = pattern(s.serverWrites.reduce((n, w) => n + w.size, 0), s.seed + 1);
        const atServer: Uint8Array[] = [];
        const atClient: Uint8Array[] = [];
        let server: TcpSocket | undefined;
        const errors: string[] = [];
        const schedule = (socket: TcpSocket, writes: { size: number; delayMs: number }[], data: Uint8Array) => {
          let offset = 0;
          let at = 0;
          for (const w of writes) {
            const chunk = data.subarray(offset, offset + w.size);
            offset += w.size;
            at += w.delayMs * NS_PER_MS;
            p.sim.scheduler.schedule(at, () => socket.write(chunk));
          }
          p.sim.scheduler.schedule(at, () => socket.end());
        };
        p.b.listen({ port: 80 }).on('connection', (socket) => {
          server = socket as TcpSocket;
          socket.on('data', (d) => atServer.push(d));
          socket.on('error', (e) => errors.push(`server ${e.code}`));
          schedule(server, s.serverWrites, serverData);
        });
        const client = p.a.connect({ remoteAddress: p.addressB, remotePort: 80 });
        client.on('data', (d) => atClient.push(d));
        client.on('error', (e) => errors.push(`client ${e.code}`));
        client.on('connect', () => schedule(client, s.clientWrites, clientData));
        p.run();
        expect(errors).toEqual([]);
        expectBytes(concat(atServer), clientData);
        expectBytes(concat(atClient), serverData);
        expect(client.state).toBe('CLOSED');
        expect(server?.state).toBe('CLOSED');
        // Every segment fits the 1500-byte MTU with a 20-byte IP header, options included.
        expect(p.link.largestSegment).toBeLessThanOrEqual(1480);
        expect(p.a.connections()).toEqual([]);
        expect(p.b.connections()).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});

describe('bulk transfer under heavy loss (fast-check)', () => {
  it('recovers every byte of a large transfer with SACK or NewReno', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.constantFrom(0.02, 0.1, 0.2), fc.boolean(), (seed, loss, sack) => {
        const p = createPair({ seed, impair: { loss, reorder: 0.05 }, tcp: { sack, msl: '1s', rtoMin: '200ms' } });
        const got: Uint8Array[] = [];
        p.b.listen({ port: 80 }).on('connection', (s) => {
          s.on('data', (d) => got.push(d));
          s.on('end', () => s.end());
        });
        const data = pattern(300_000, seed);
        const c = p.a.connect({ remoteAddress: p.addressB, remotePort: 80 });
        c.on('connect', () => c.end(data));
        p.run();
        expectBytes(concat(got), data);
        expect(c.state).toBe('CLOSED');
      }),
      { numRuns: 12 },
    );
  });
});
