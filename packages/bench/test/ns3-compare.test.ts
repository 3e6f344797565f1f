// The ns-3 comparison's netlayers side and its report: the scenario completes within what the
// link allows, and the table pairs runs and takes ratios within each pair.

import { describe, it, expect } from 'vitest';
import { runP2pBulk } from '../src/p2p-bulk.ts';
import { summarise, type RunRecord } from '../src/ns3-compare.ts';

describe('p2p-bulk (netlayers side)', () => {
  it('moves every byte over 1 Gbit/s / 1 ms no faster than the wire allows', () => {
    const bytes = 512 * 1024;
    const r = runP2pBulk({ bytes, buffer: 2 ** 20, nagle: false, framingOverhead: 20 });
    expect(r.bytes).toBe(bytes);
    // Handshake (one RTT, 2 ms) plus one-way delay plus serialisation of the payload at least.
    expect(r.completionSeconds).toBeGreaterThan(0.003 + (bytes * 8) / 1e9);
    // And not absurdly slower: slow start from 10 segments needs a handful of RTTs for 512 KiB.
    expect(r.completionSeconds).toBeLessThan(0.03);
    expect(r.events).toBeGreaterThan(bytes / 1448);
  });
});

describe('ns3-compare report', () => {
  const rec = (simulator: RunRecord['simulator'], cpu: number, loop: number, completion: number): RunRecord => ({
    simulator,
    bytes: 2 ** 20,
    completionSeconds: completion,
    runLoopWallMs: loop,
    runLoopCpuMs: loop,
    events: 100,
    processWallS: cpu,
    processCpuS: cpu,
    maxRssMiB: 10,
  });

  it('takes ratios within pairs (ns-3 ÷ netlayers) and their median', () => {
    const records = [rec('ns-3', 4, 3000, 1.0), rec('netlayers', 2, 1000, 1.02), rec('ns-3', 6, 3000, 1.0), rec('netlayers', 2, 1500, 1.02), rec('ns-3', 2, 3000, 1.0), rec('netlayers', 2, 1000, 1.02)];
    const table = summarise(records, [1]);
    // Whole-process ratios 2, 3, 1: median ×2.00, spread 1.00–3.00.
    expect(table).toContain('| 1 MiB | whole process CPU (user + system) | 4.00 s (2.00–6.00) | 2.00 s (2.00–2.00) | ×2.00 (1.00–3.00) |');
    expect(table).toContain('| 1 MiB | run loop CPU | 3.000 s (3.000–3.000) | 1.000 s (1.000–1.500) | ×3.00 (2.00–3.00) |');
    expect(table).toContain('| 1 MiB | simulated completion time | 1.0000 s (1.0000–1.0000) | 1.0200 s (1.0200–1.0200) | ×0.98 (0.98–0.98) |');
  });
});
