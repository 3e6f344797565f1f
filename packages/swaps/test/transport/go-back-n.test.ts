import { describe, expect, it } from 'vitest';
import { NS_PER_MS, type PduEvent } from '@netlayers/core';
import { GoBackNTransport, StopAndWaitTransport, parseArqSegment } from '../../src/transport/index.ts';
import { exchange, world } from './support/world.ts';
import type { ArqHeaderInfo } from '../../src/index.ts';

/** The ARQ header of a pdu event (undefined for the fake network's own datagrams). */
const arq = (e: PduEvent): ArqHeaderInfo | undefined => (e.header.protocol === 'arq' ? e.header : undefined);

describe('GoBackNTransport', () => {
  it('fills a window of N segments per round trip: about N times stop-and-wait on a clean link', () => {
    const delay = 10 * NS_PER_MS;
    const body = new Uint8Array(1000 * 200);
    const saw = exchange(world((n, ip) => new StopAndWaitTransport(n, ip, { segmentSize: 1000 }), { delay }), new Uint8Array(1), body);
    const gbn = exchange(world((n, ip) => new GoBackNTransport(n, ip, { segmentSize: 1000, window: 8 }), { delay }), new Uint8Array(1), body);
    // Stop-and-wait: the server has the request and its FIN after 2.5 round trips (set-up,
    // data, FIN), then sends 201 segments (200 of data and a FIN) one round trip apart; the
    // last arrives half a round trip after it leaves: 2.5 + 200 + 0.5 = 203 round trips.
    expect(saw.duration).toBe(203 * 2 * delay);
    // Go-back-8: request and FIN share a window (1.5 round trips), then 26 windows one round
    // trip apart: 1.5 + 25 + 0.5 = 27 round trips.
    expect(gbn.duration).toBe(27 * 2 * delay);
    expect(saw.duration / gbn.duration).toBeGreaterThan(7);
  });

  it('resends the whole window after a timeout, and the receiver keeps nothing out of order', () => {
    const w = world((n, ip) => new GoBackNTransport(n, ip, { segmentSize: 100, window: 5, timeout: '50ms' }), { delay: NS_PER_MS });
    let dropped = false;
    w.net.tamper = (bytes, from) => {
      const seg = parseArqSegment(bytes, from.address, from.address.equals(w.ipA.address) ? w.ipB.address : w.ipA.address, 254);
      if (!dropped && from === w.ipA && !('wireError' in seg) && seg.seq === 2 && seg.payload.length > 0) {
        dropped = true;
        return null;
      }
      return bytes;
    };
    const sent: PduEvent[] = [];
    const acks: number[] = [];
    w.sim.trace.on('pdu', (e) => {
      if (e.role !== 'transport') return; // the fake IP network traces its own datagrams
      if (e.node === 'a' && e.direction === 'down' && (arq(e)?.payloadLength ?? 0) > 0) sent.push(e);
      if (e.node === 'b' && e.direction === 'down' && arq(e)?.flags.join() === 'ACK') acks.push(arq(e)!.ack);
    });
    const result = exchange(w, new Uint8Array(1000), new Uint8Array(0));
    expect(result.atServer.length).toBe(1000);
    const retransmitted = sent.filter((e) => e.retransmission === true).map((e) => arq(e)?.seq);
    expect(retransmitted).toEqual([2, 3, 4, 5, 6]);
    // Segments 3..6 arrived after the gap: each drew a duplicate cumulative ACK for 2.
    expect(acks.slice(0, 6)).toEqual([1, 2, 2, 2, 2, 2]);
  });
});
