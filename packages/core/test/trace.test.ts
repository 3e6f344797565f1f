import { describe, it, expect } from 'vitest';
import { createSimulationContext, createNodeContext, DropReason, type TraceEvent } from '../src/index.ts';

describe('trace bus and tracer', () => {
  it('is inactive without listeners and stamps time and node when active', () => {
    const sim = createSimulationContext(1);
    const node = createNodeContext(sim, 'h1');
    expect(node.tracer.active).toBe(false);
    const seen: TraceEvent[] = [];
    sim.trace.on('event', (e) => seen.push(e));
    expect(node.tracer.active).toBe(true);
    sim.scheduler.schedule(1500, () => node.tracer.emit({ kind: 'note', role: 'network', protocol: 'ipv4', message: 'hello' }));
    sim.scheduler.runUntilIdle();
    expect(seen).toEqual([{ kind: 'note', role: 'network', protocol: 'ipv4', message: 'hello', time: 1500, node: 'h1' }]);
  });

  it('filters by kind and counts drops even when nobody listens', () => {
    const sim = createSimulationContext(1);
    const node = createNodeContext(sim, 'r1');
    node.tracer.drop('network', 'ipv4', DropReason.TtlExpired, 'ttl 1', 84);
    expect(node.counters.get('drop.network.ttl-expired')).toBe(1);
    const drops: string[] = [];
    const listener = (e: { reason: string }): void => void drops.push(e.reason);
    sim.trace.on('drop', listener);
    expect(sim.trace.wants('drop')).toBe(true);
    expect(sim.trace.wants('pdu')).toBe(false);
    node.tracer.drop('link', 'ethernet', DropReason.BadFcs, 'fcs', 64);
    sim.trace.off('drop', listener);
    expect(sim.trace.active).toBe(false);
    expect(drops).toEqual(['bad-fcs']);
    expect(node.counters.toJSON()).toEqual({ 'drop.link.bad-fcs': 1, 'drop.network.ttl-expired': 1 });
  });

  it('gives each node an independent random stream derived from the seed and its name', () => {
    const a = createNodeContext(createSimulationContext(5), 'h1').random.nextUint32();
    const sim = createSimulationContext(5);
    createNodeContext(sim, 'h0');
    expect(createNodeContext(sim, 'h1').random.nextUint32()).toBe(a);
  });
});

describe('Tracer.frame', () => {
  it('publishes a copy of the bytes, so later in-place rewrites (a router decrementing TTL) do not change the capture', () => {
    const sim = createSimulationContext(1);
    const node = createNodeContext(sim, 'r1');
    const frames: Uint8Array[] = [];
    sim.trace.on('frame', (e) => frames.push(e.bytes));
    const wire = new Uint8Array([1, 2, 3, 64]);
    node.tracer.frame('physical', 'phy', 'eth0', 'rx', wire);
    wire[3] = 63;
    expect([...frames[0]!]).toEqual([1, 2, 3, 64]);
  });

  it('keeps every frame of a long run intact: copies share slabs, and no copy overlaps another', () => {
    const sim = createSimulationContext(1);
    const node = createNodeContext(sim, 'h');
    const frames: Uint8Array[] = [];
    sim.trace.on('frame', (e) => frames.push(e.bytes));
    const sent: Uint8Array[] = [];
    // 1,000 frames of 60 to 1,518 bytes (over a megabyte: several slabs), then one of 100 KB.
    for (let i = 0; i < 1000; i++) sent.push(Uint8Array.from({ length: 60 + ((i * 389) % 1459) }, (_v, k) => (i + k) & 0xff));
    sent.push(Uint8Array.from({ length: 100_000 }, (_v, k) => (k * 7) & 0xff));
    const wire = new Uint8Array(100_000);
    for (const bytes of sent) {
      // The same buffer rewritten for every frame, as a NIC's transmit buffer is.
      wire.set(bytes);
      node.tracer.frame('physical', 'phy', 'eth0', 'tx', wire.subarray(0, bytes.length));
    }
    wire.fill(0);
    expect(frames.length).toBe(sent.length);
    frames.forEach((f, i) => expect(f, `frame ${i}`).toEqual(sent[i]));
    expect(frames[0]!.buffer, 'small frames share a buffer').toBe(frames[1]!.buffer);
  });

  it('does nothing when nobody listens for frames', () => {
    const sim = createSimulationContext(1);
    const node = createNodeContext(sim, 'h');
    let seen = 0;
    sim.trace.on('pdu', () => seen++);
    node.tracer.frame('physical', 'phy', 'eth0', 'tx', new Uint8Array(4));
    expect(seen).toBe(0);
  });
});
