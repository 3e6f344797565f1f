import { describe, expect, it } from 'vitest';
import { NS_PER_MS, NS_PER_S, type PduEvent } from '@netlayers/core';
import { StopAndWaitTransport } from '../../src/transport/index.ts';
import { exchange, world } from './support/world.ts';

describe('StopAndWaitTransport', () => {
  it('keeps one segment in flight with alternating 1-bit sequence numbers', () => {
    const w = world((node, ip) => new StopAndWaitTransport(node, ip, { segmentSize: 500 }), { delay: NS_PER_MS });
    const sent: PduEvent[] = [];
    w.sim.trace.on('pdu', (e) => {
      if (e.node === 'a' && e.direction === 'down' && (e.fields['len'] as number) > 0) sent.push(e);
    });
    let acksSeen = 0;
    const acksBefore: number[] = [];
    w.sim.trace.on('pdu', (e) => {
      if (e.node === 'a' && e.direction === 'up' && e.fields['flags'] === '.') acksSeen++;
      if (e.node === 'a' && e.direction === 'down' && (e.fields['len'] as number) > 0) acksBefore.push(acksSeen);
    });
    exchange(w, new Uint8Array(5000), new Uint8Array(0));
    expect(sent.map((e) => e.fields['seq'])).toEqual([0, 1, 0, 1, 0, 1, 0, 1, 0, 1]);
    // Each new segment waits for the ACK of the previous one.
    expect(acksBefore).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('achieves a goodput of one segment per round trip on a clean link', () => {
    const delay = 10 * NS_PER_MS;
    const segment = 1000;
    const segments = 100;
    const w = world((node, ip) => new StopAndWaitTransport(node, ip, { segmentSize: segment }), { delay });
    const result = exchange(w, new Uint8Array(1), new Uint8Array(segment * segments));
    // The response starts after the request round trips; measure from the first response byte.
    const rtt = 2 * delay;
    const perSegment = result.duration / segments;
    expect(result.atClient.length).toBe(segment * segments);
    // Handshake (1 RTT) + request (1 RTT) + its FIN (1 RTT) + 100 segments (100 RTT), no time lost.
    expect(result.duration).toBe((segments + 3) * rtt);
    expect(perSegment).toBeGreaterThan(rtt);
    const goodput = (segment * segments * NS_PER_S) / (segments * rtt);
    expect(goodput).toBe(50_000); // bytes per second = segment / RTT
  });

  it('is slowed by a timeout for every lost segment', () => {
    const clean = world((node, ip) => new StopAndWaitTransport(node, ip, { timeout: '100ms' }), { delay: NS_PER_MS }, 3);
    const lossy = world((node, ip) => new StopAndWaitTransport(node, ip, { timeout: '100ms' }), { delay: NS_PER_MS, lossRate: 0.1 }, 3);
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
