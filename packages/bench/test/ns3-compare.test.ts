// The ns-3 comparison's netlayers side and its report: the scenario completes within what the
// link allows, and the table pairs runs and takes ratios within each pair.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it, expect } from 'vitest';
import { runP2pBulk } from '../src/p2p-bulk.ts';
import { buildOursBundle, summarise, type RunRecord } from '../src/ns3-compare.ts';

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

  it('gives the run under tsx its own rows, paired with the same ns-3 runs', () => {
    const records = [rec('ns-3', 4, 3000, 1.0), rec('netlayers', 2, 1000, 1.02), rec('netlayers-tsx', 4, 1000, 1.02)];
    const table = summarise(records, [1]);
    expect(table).toContain('| 1 MiB | whole process CPU (user + system) | 4.00 s (4.00–4.00) | 2.00 s (2.00–2.00) | ×2.00 (2.00–2.00) |');
    expect(table).toContain('| 1 MiB | whole process CPU (user + system), ours under tsx | 4.00 s (4.00–4.00) | 4.00 s (4.00–4.00) | ×1.00 (1.00–1.00) |');
    expect(table).toContain('| 1 MiB | start-up and exit CPU (whole − run loop), ours under tsx | 1.000 s (1.000–1.000) | 3.000 s (3.000–3.000) | ×0.33 (0.33–0.33) |');
    expect(table.match(/events executed/g)).toHaveLength(1);
  });
});

describe('our side prebuilt', () => {
  it('bundles p2p-bulk.ts with the layers into one module that plain node runs, cached by content', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'netlayers-bundle-'));
    try {
      const file = await buildOursBundle(dir);
      expect(await buildOursBundle(dir)).toBe(file);
      const out = execFileSync(process.execPath, [file, '--bytes', '262144', '--no-nagle'], { cwd: dir, encoding: 'utf8' });
      const r = JSON.parse(out.trim()) as { simulator: string; bytes: number; events: number };
      expect(r.simulator).toBe('netlayers');
      expect(r.bytes).toBe(262144);
      expect(r.events).toBeGreaterThan(262144 / 1448);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
