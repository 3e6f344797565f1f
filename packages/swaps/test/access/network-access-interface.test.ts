import { describe, expect, it } from 'vitest';
import { EtherType, Packet, createNodeContext, createSimulationContext, type PduEvent, type TraceEvent } from '@netlayers/core';
import { createNetworkAccessLink, emitPppFrame, PppProtocol } from '../../src/access/index.ts';

function setup(options: { bandwidth?: string; delay?: string; mtu?: number } = {}) {
  const sim = createSimulationContext(1);
  const events: TraceEvent[] = [];
  sim.trace.on('event', (e) => events.push(e));
  const a = createNodeContext(sim, 'r1');
  const b = createNodeContext(sim, 'r2');
  const link = createNetworkAccessLink(sim, { a, b, nameB: 'ppp1', ...options });
  const got: { at: number; bytes: Uint8Array }[] = [];
  link.b.registerProtocol(EtherType.IPv4, (p) => got.push({ at: sim.scheduler.now(), bytes: p.toBytes() }));
  return { sim, events, link, got };
}

describe('NetworkAccessInterface (PPP over its own serial wire)', () => {
  it('carries an IPv4 packet to the peer after serialization of the stuffed frame plus propagation', () => {
    const { sim, link, got } = setup({ bandwidth: '1Mbps', delay: '3ms' });
    const payload = new Uint8Array(100).fill(0x41);
    link.a.send(Packet.from(payload), EtherType.IPv4, { kind: 'broadcast' });
    sim.scheduler.runUntilIdle();
    expect(got.map((g) => g.bytes)).toEqual([payload]);
    const octets = emitPppFrame(PppProtocol.IPv4, payload).length;
    expect(got[0]!.at).toBe(Math.round((octets * 8 * 1e9) / 1e6) + 3_000_000);
  });

  it('is point-to-point: no address resolution, every destination is the peer', () => {
    const { sim, link, got } = setup();
    expect(link.a.hardwareAddress).toBeNull();
    link.a.send(Packet.from('x'.repeat(50)), EtherType.IPv4, { kind: 'hardware', address: { isMulticast: false } as never });
    sim.scheduler.runUntilIdle();
    expect(got.length).toBe(1);
    expect(link.b.name).toBe('ppp1');
    expect(link.a.stats.txFrames).toBe(1);
    expect(link.b.stats.rxFrames).toBe(1);
  });

  it("traces as one 'network-access' layer: pdu and frame events, never 'link' or 'physical'", () => {
    const { sim, events, link } = setup();
    link.a.send(Packet.from('hello'), EtherType.IPv4, { kind: 'broadcast' });
    sim.scheduler.runUntilIdle();
    expect(new Set(events.map((e) => e.role))).toEqual(new Set(['network-access']));
    const pdus = events.filter((e): e is PduEvent => e.kind === 'pdu');
    expect(pdus.map((e) => [e.node, e.direction, e.text])).toEqual([
      ['r1', 'down', 'PPP IPv4, length 5'],
      ['r2', 'up', 'PPP IPv4, length 5'],
    ]);
    expect(events.filter((e) => e.kind === 'frame').map((e) => (e.kind === 'frame' ? e.action : ''))).toEqual(['tx', 'rx']);
  });

  it('drops a frame with a bad FCS, tracing bad-fcs at the receiver', () => {
    const { sim, events, link, got } = setup();
    const octets = emitPppFrame(PppProtocol.IPv4, new Uint8Array([1, 2, 3, 4]));
    octets[6]! ^= 0x01;
    link.inject('b', octets);
    sim.scheduler.runUntilIdle();
    expect(got).toEqual([]);
    expect(events.filter((e) => e.kind === 'drop').map((e) => (e.kind === 'drop' ? [e.node, e.reason] : []))).toEqual([['r2', 'bad-fcs']]);
    expect(link.b.stats.drops).toBe(1);
  });

  it('goes down when the wire is cut, loses what was queued, and comes back', () => {
    const { sim, link, got } = setup({ bandwidth: '64kbps' });
    const changes: boolean[] = [];
    link.a.onStateChange((up) => changes.push(up));
    for (let i = 0; i < 5; i++) link.a.send(Packet.from(new Uint8Array(500)), EtherType.IPv4, { kind: 'broadcast' });
    sim.scheduler.runFor(70_000_000); // the first 500-byte frame takes ~63 ms at 64 kbit/s
    link.setWireUp(false);
    expect(link.a.isUp).toBe(false);
    sim.scheduler.runUntilIdle();
    expect(got.length).toBeLessThan(5);
    link.setWireUp(true);
    link.a.send(Packet.from('again'), EtherType.IPv4, { kind: 'broadcast' });
    sim.scheduler.runUntilIdle();
    expect(changes).toEqual([false, true]);
    expect(new TextDecoder().decode(got.at(-1)!.bytes)).toBe('again');
  });

  it('refuses to register an EtherType PPP has no number for', () => {
    const { link } = setup();
    expect(() => link.a.registerProtocol(EtherType.ARP, () => undefined)).toThrow(/0x0806|2054/);
  });
});
