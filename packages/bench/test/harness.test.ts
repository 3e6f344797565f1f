// The benchmark harness and suite discovery: every *.bench.ts exports `suite`, a file without
// it is refused, and the statistics are the ones the tables claim. No timing is asserted.

import { describe, it, expect } from 'vitest';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { discoverSuites } from '../src/run.ts';
import { BenchmarkError, clockKind, measure, micro, report, summarise } from '../src/harness.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

describe('suite discovery', () => {
  it('finds a suite in every *.bench.ts of the package', async () => {
    const found = await discoverSuites(path.join(here, '../src'));
    expect(found.map((f) => f.suite.name)).toEqual(expect.arrayContaining(['scheduler', 'switch', 'router', 'tcp', 'parsers']));
    for (const f of found) expect(f.suite.description.length).toBeGreaterThan(10);
  });

  it('refuses a bench file without `suite`, naming it', async () => {
    await expect(discoverSuites(path.join(here, 'fixtures/without-suite'))).rejects.toThrow(BenchmarkError);
    await expect(discoverSuites(path.join(here, 'fixtures/without-suite'))).rejects.toThrow(/forgot\.bench\.ts does not export `suite`/);
  });

  it('runs a discovered suite', async () => {
    const [tiny] = await discoverSuites(path.join(here, 'fixtures/with-suite'));
    const results = await tiny!.suite.run();
    expect(results).toHaveLength(1);
    expect(results[0]!.rates).toHaveLength(3);
    expect(results[0]!.median).toBeGreaterThan(0);
  });
});

describe('harness', () => {
  it('summarises median, nearest-rank p10/p90, min and max', () => {
    const r = summarise('x', 'u/s', [5, 1, 4, 2, 3, 10, 9, 8, 7, 6], 'cpu');
    expect(r.rates).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect([r.median, r.p10, r.p90, r.min, r.max, r.best]).toEqual([5.5, 1, 9, 1, 10, 10]);
    expect(summarise('x', 'u/s', [3, 1, 2], 'wall').median).toBe(2);
    expect(() => summarise('x', 'u/s', [], 'cpu')).toThrow(BenchmarkError);
  });

  it('takes the clock from BENCH_CLOCK: cpu by default, wall on request, anything else refused', () => {
    expect(clockKind({})).toBe('cpu');
    expect(clockKind({ BENCH_CLOCK: 'wall' })).toBe('wall');
    expect(() => clockKind({ BENCH_CLOCK: 'cycles' })).toThrow(/BENCH_CLOCK must be "cpu" or "wall", not "cycles"/);
  });

  it('measure runs warm-up + runs bodies; micro gives one sample per tinybench call', async () => {
    let calls = 0;
    const m = measure('m', 'u/s', () => {
      calls++;
      let s = 0;
      for (let i = 0; i < 50_000; i++) s += i & 3;
      return s >= 0 ? 50_000 : 0;
    }, { runs: 4, warmup: 2 });
    expect(calls).toBe(6);
    expect(m.rates).toHaveLength(4);
    let batches = 0;
    const r = await micro('u', 'u/s', () => {
      batches++;
      let s = 0;
      for (let i = 0; i < 20_000; i++) s += i & 3;
      return s >= 0 ? 20_000 : 0;
    }, { iterations: 12, time: 0, warmupIterations: 2, warmupTime: 0 });
    expect(r.rates!.length).toBeGreaterThanOrEqual(12);
    expect(batches).toBe(r.rates!.length + 2);
    expect(report([r, m])).toMatch(/\| u \| .* \| .*\(p10–p90\) \| \d+ \| cpu \|/);
  });

  it('refuses a batch whose unit count changes between calls', async () => {
    let n = 0;
    await expect(micro('bad', 'u/s', () => ++n, { iterations: 3, time: 0, warmupIterations: 0, warmupTime: 0 })).rejects.toThrow(/a batch did 2 units, the one before 1/);
  });
});
