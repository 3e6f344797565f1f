import { describe, expect, it } from 'vitest';
import { NS_PER_MS, NS_PER_S, type PduEvent } from '@netlayers/core';
import { StopAndWaitTransport } from '../../src/transport/index.ts';
import { exchange, world } from './support/world.ts';
import type { ArqHeaderInfo } from '../../src/index.ts';

/** The ARQ header of a pdu event (undefined for the fake network's own datagrams). */
const arq = (e: PduEvent): ArqHeaderInfo | undefined => (e.header.protocol === 'arq' ? e.header : undefined);

describe('StopAndWaitTransport', () => {
  it('keeps one segment in flight with alternating 1-bit sequence numbers', () => {
    const w = world((node, ip) => new StopAndWaitTransport(node, ip, { segmentSize: 500 }), { delay: NS_PER_MS });
    const sent: PduEvent[] = [];
    w.sim.trace.on('pdu', (e) => {
      if (e.node === 'a' && e.direction === 'down' && (arq(e)?.payloadLength ?? 0) > 0) sent.push(e);
    });
    let acksSeen = 0;
    const acksBefore: number[] = [];
    w.sim.trace.on('pdu', (e) => {
      if (e.node === 'a' && e.direction === 'up' && arq(e)?.flags.join() === 'ACK') acksSeen++;
      if (e.node === 'a' && e.direction === 'down' && (arq(e)?.payloadLength ?? 0) > 0) acksBefore.push(acksSeen);
    });
    exchange(w, new Uint8Array(5000), new Uint8Array(0));
    expect(sent.map((e) => arq(e)?.seq)).toEqual([0, 1, 0, 1, 0, 1, 0, 1, 0, 1]);
    // Each new segment waits for the ACK of the previous one.
    expect(acksBefore).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('achieves a goodput of one segment per round trip on a clean link', () => {
    const delay = 10 * NS_PER_MS;
    const segment = 1000;
    const segments = 100;
    const w = world((node, ip) => new StopAndWaitTransport(node, ip, { segmentSize: segment }), { delay });
    const result = exchange(w, new Uint8Array(1), new Uint8Array(segment * segments));
    const rtt = 2 * delay;
    expect(result.atClient.length).toBe(segment * segments);
    // Set-up, the request and its FIN take 3 round trips; then one segment per round trip.
    expect(result.duration).toBe((segments + 3) * rtt);
    const goodput = (segment * segments * NS_PER_S) / (result.duration - 3 * rtt);
    expect(goodput).toBeCloseTo((segment * NS_PER_S) / rtt, 6); // 50 kB/s: segment / RTT
  });

  it('is slowed by a timeout for every lost segment', () => {
    const clean = world((node, ip) => new StopAndWaitTransport(node, ip, { timeout: '100ms' }), { delay: NS_PER_MS }, 3);
    const lossy = world((node, ip) => new StopAndWaitTransport(node, ip, { timeout: '100ms' }), { delay: NS_PER_MS, loss: 0.1 }, 3);
    const body = new Uint8Array(100_000);
    const fast = exchange(clean, new Uint8Array(1), body).duration;
    const slow = exchange(lossy, new Uint8Array(1), body).duration;
    const timeouts = Math.round((slow - fast) / (100 * NS_PER_MS));
    // Roughly one 100 ms timeout per lost segment or ACK.
    expect(lossy.net.stats.lost).toBeGreaterThan(5);
    expect(timeouts).toBeGreaterThanOrEqual(lossy.net.stats.lost - 2);
    expect(timeouts).toBeLessThanOrEqual(lossy.net.stats.lost + 2);
  });
});
