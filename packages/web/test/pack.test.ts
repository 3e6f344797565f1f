// Packing a run's events for the worker-to-page hand-off: what the page unpacks is what the
// worker recorded — every event of real runs, frame bytes included, after a transfer that
// moves the buffers — and the values JSON would lose (undefined, -0, NaN, Infinity, bigint)
// come back as they were.

import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '@netlayers/core';
import { Network, setRunOverrides } from '@netlayers/lab';
import { TraceRecorder } from '@netlayers/trace';
import { packEvents, transferablesOf, unpackEvents, type PackedEvents } from '../src/pack.ts';

async function recordExample(name: string, args: readonly string[] = []): Promise<TraceEvent[]> {
  const recorders: TraceRecorder[] = [];
  const unsubscribe = Network.onCreate((network) => recorders.push(new TraceRecorder().record(network.trace)));
  // Duplicated and lost frames: every kind of frame event, retransmissions, drops.
  const restore = setRunOverrides({ seed: 7, link: { impairments: { loss: 0.05, duplicate: 0.05 } } });
  try {
    const { main } = (await import(`../../../examples/${name}.ts`)) as { main: (write: (line: string) => void, args: readonly string[]) => Promise<unknown> };
    await main(() => {}, args);
  } finally {
    unsubscribe();
    restore();
  }
  return recorders.flatMap((r) => [...r.events]);
}

/** As postMessage with a transfer list does: the buffers move to the receiver. */
function transfer(packed: PackedEvents): PackedEvents {
  return structuredClone(packed, { transfer: transferablesOf(packed) });
}

describe('packing trace events for the page', () => {
  it('gives the page every event of real runs as recorded, frame bytes included, after a transfer', async () => {
    for (const [name, args] of [['three-way-handshake', []], ['bulk-transfer', ['--size', '200KB']], ['four-layer', []], ['traceroute', []]] as const) {
      const events = await recordExample(name, args);
      expect(events.length, name).toBeGreaterThan(20);
      const kinds = new Set(events.map((e) => e.kind));
      const packed = packEvents(events);
      const received = transfer(packed);
      // The worker's buffers were moved, not copied.
      expect(packed.values.byteLength, name).toBe(0);
      const unpacked = unpackEvents(received);
      expect(unpacked, name).toEqual(events);
      expect(new Set(unpacked.map((e) => e.kind)), name).toEqual(kinds);
      // Frame bytes are Uint8Arrays with the recorded contents, and keys keep their order.
      const frames = unpacked.filter((e) => e.kind === 'frame');
      expect(frames.length, name).toBeGreaterThan(0);
      for (const [i, frame] of frames.entries()) {
        expect(frame.bytes, name).toBeInstanceOf(Uint8Array);
        const original = events.filter((e) => e.kind === 'frame')[i]!;
        expect([...frame.bytes], name).toEqual([...original.bytes]);
      }
      expect(unpacked.map((e) => Object.keys(e).join()), name).toEqual(events.map((e) => Object.keys(e).join()));
    }
  });

  it('keeps the values JSON would lose, views at any offset, and long repeated strings', () => {
    const shared = new Uint8Array([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    const long = 'x'.repeat(100);
    const values = [
      { kind: 'metric', time: 2 ** 40 + 0.5, node: 'h', role: 'transport', protocol: 'tcp', entity: undefined, values: { ssthresh: Infinity, rttvar: NaN, delta: -0, small: -5 } },
      { kind: 'note', time: 0, node: 'h', role: 'application', protocol: 'app', message: long, nested: [[1, 'a'], { big: 12345678901234567890n, none: null, yes: true, no: false }] },
      { kind: 'frame', time: 1, node: 'h', role: 'link', protocol: 'ethernet', action: 'tx', bytes: shared.subarray(3, 7), detail: long },
      { kind: 'frame', time: 2, node: 'h', role: 'link', protocol: 'ethernet', action: 'rx', bytes: shared.subarray(0, 2) },
    ] as unknown as TraceEvent[];
    const [metric, note, first, second] = unpackEvents(transfer(packEvents(values))) as unknown as Record<string, unknown>[];
    expect(metric).toHaveProperty('entity', undefined);
    expect('entity' in metric!).toBe(true);
    const metricValues = metric!['values'] as Record<string, number>;
    expect(metricValues['ssthresh']).toBe(Infinity);
    expect(metricValues['rttvar']).toBeNaN();
    expect(Object.is(metricValues['delta'], -0)).toBe(true);
    expect(metricValues['small']).toBe(-5);
    expect(metric!['time']).toBe(2 ** 40 + 0.5);
    expect(note!['message']).toBe(long);
    expect(note!['nested']).toEqual([[1, 'a'], { big: 12345678901234567890n, none: null, yes: true, no: false }]);
    expect([...(first!['bytes'] as Uint8Array)]).toEqual([6, 5, 4, 3]);
    expect([...(second!['bytes'] as Uint8Array)]).toEqual([9, 8]);
    expect(first!['detail']).toBe(long);
  });

  it('refuses a value it cannot give back as it was', () => {
    const event = { kind: 'note', time: 0, node: 'h', role: 'application', protocol: 'app', message: 'm', when: new Map() } as unknown as TraceEvent;
    expect(() => packEvents([event])).toThrow(/cannot pack a Map/);
  });
});
