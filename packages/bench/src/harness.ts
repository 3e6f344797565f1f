// The benchmark harness. Two ways to time work, one result shape:
// - micro(): tinybench runs a batch function (a few milliseconds of work, returning how many
//   units it did) many times after a warm-up; every call is one sample.
// - measure(): a long body (a 100 MB transfer) run a few times after a warm-up run.
// Both report the median rate and the spread (min, p10, p90, max) of the samples. The clock
// is the process's CPU time (process.cpuUsage: user + system) by default, so other work on a
// shared machine inflates the figures less than it would wall time; BENCH_CLOCK=wall times
// with process.hrtime instead. Benchmarks measure the emulator, never the network: virtual
// time plays no part.

import { Bench } from 'tinybench';

export type ClockKind = 'cpu' | 'wall';

export interface BenchResult {
  readonly name: string;
  readonly unit: string;
  readonly median: number;
  /** The best rate (max). */
  readonly best: number;
  /** Rates (units per second) of the samples, ascending; absent for single figures (memory). */
  readonly rates?: readonly number[];
  readonly min?: number;
  readonly max?: number;
  readonly p10?: number;
  readonly p90?: number;
  readonly clock?: ClockKind;
  readonly target?: number;
  readonly note?: string;
}

/** A benchmark file's export: run.ts finds `suite` in every `*.bench.ts`. */
export interface BenchSuite {
  /** Short name for `pnpm bench <name>` (the file name without `.bench.ts` also works). */
  readonly name: string;
  /** One line saying what the suite measures. */
  readonly description: string;
  run(): BenchResult[] | Promise<BenchResult[]>;
}

export interface MeasureOptions {
  /** Timed runs (default 5). */
  runs?: number;
  /** Untimed runs first (default 1). */
  warmup?: number;
  target?: number;
  note?: string;
}

export interface MicroOptions {
  /** At least this many timed calls (default 30). */
  iterations?: number;
  /** And at least this much clock time in ms (default 500). */
  time?: number;
  /** Warm-up: at least this many calls (default 5) and this much time in ms (default 200). */
  warmupIterations?: number;
  warmupTime?: number;
  target?: number;
  note?: string;
}

export class BenchmarkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BenchmarkError';
  }
}

/** The clock chosen by BENCH_CLOCK (cpu unless set to wall). */
export function clockKind(env: NodeJS.ProcessEnv = process.env): ClockKind {
  const v = env.BENCH_CLOCK;
  if (v === undefined || v === '' || v === 'cpu') return 'cpu';
  if (v === 'wall') return 'wall';
  throw new BenchmarkError(`BENCH_CLOCK must be "cpu" or "wall", not ${JSON.stringify(v)}`);
}

/** Milliseconds on the chosen clock (CPU: user + system time of the whole process). */
export function clockNow(kind: ClockKind): () => number {
  if (kind === 'wall') return () => Number(process.hrtime.bigint()) / 1e6;
  return () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e3;
  };
}

/** Sorted rates and their statistics. `p` is the nearest-rank percentile. */
export function summarise(name: string, unit: string, rates: readonly number[], clock: ClockKind, options: { target?: number; note?: string } = {}): BenchResult {
  if (rates.length === 0) throw new BenchmarkError(`${name}: no samples`);
  const sorted = [...rates].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return {
    name,
    unit,
    rates: sorted,
    median,
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
    p10: at(0.1),
    p90: at(0.9),
    best: sorted[sorted.length - 1]!,
    clock,
    ...(options.target === undefined ? {} : { target: options.target }),
    ...(options.note === undefined ? {} : { note: options.note }),
  };
}

/** `body` does some work and returns how many units it did; it runs `warmup` + `runs` times. */
export function measure(name: string, unit: string, body: () => number, options: MeasureOptions = {}): BenchResult {
  const runs = options.runs ?? 5;
  if (!(runs >= 1)) throw new BenchmarkError(`${name}: runs must be at least 1, not ${runs}`);
  const kind = clockKind();
  const now = clockNow(kind);
  for (let i = 0; i < (options.warmup ?? 1); i++) body();
  const rates: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = now();
    const units = body();
    const ms = now() - start;
    rates.push(units / (Math.max(ms, 1e-3) / 1e3));
  }
  return summarise(name, unit, rates, kind, options);
}

/**
 * tinybench: `batch` does a few milliseconds of work and returns how many units it did (the
 * same number every call). CPU time has microsecond resolution, so a batch should take at
 * least ~1 ms for the samples to mean something.
 */
export async function micro(name: string, unit: string, batch: () => number, options: MicroOptions = {}): Promise<BenchResult> {
  const kind = clockKind();
  let units = -1;
  const bench = new Bench({
    now: clockNow(kind),
    iterations: options.iterations ?? 30,
    time: options.time ?? 500,
    warmupIterations: options.warmupIterations ?? 5,
    warmupTime: options.warmupTime ?? 200,
    throws: true,
  });
  // An async function: tinybench then does not call it once more to find out whether it is.
  bench.add(name, async () => {
    const n = batch();
    if (units !== -1 && n !== units) throw new BenchmarkError(`${name}: a batch did ${n} units, the one before ${units}`);
    units = n;
  });
  await bench.warmup();
  await bench.run();
  const task = bench.getTask(name);
  const samples = task?.result?.samples;
  if (samples === undefined || samples.length === 0) throw new BenchmarkError(`${name}: tinybench returned no samples`);
  const rates = samples.map((ms) => units / (Math.max(ms, 1e-3) / 1e3));
  return summarise(name, unit, rates, kind, options);
}

export function formatRate(v: number): string {
  if (v >= 1e6) return `${(v / 1e6).toFixed(2)} M`;
  if (v >= 1e3) return `${(v / 1e3).toFixed(1)} k`;
  return v.toFixed(1);
}

/** The spread shown: p10–p90 with 10 or more samples, else min–max. */
export function spread(r: BenchResult): string {
  const n = r.rates?.length ?? 1;
  if (n < 2) return '—';
  if (n >= 10 && r.p10 !== undefined && r.p90 !== undefined) return `${formatRate(r.p10)}–${formatRate(r.p90)} (p10–p90)`;
  return `${formatRate(r.min ?? r.median)}–${formatRate(r.max ?? r.best)} (min–max)`;
}

export function report(results: readonly BenchResult[]): string {
  const rows = results.map((r) => {
    const verdict = r.target === undefined ? '' : r.median >= r.target ? 'meets target' : 'below target';
    return `| ${r.name} | ${formatRate(r.median)}${r.unit} | ${spread(r)} | ${r.rates?.length ?? 1} | ${r.clock ?? '—'} | ${r.target === undefined ? '—' : `${formatRate(r.target)}${r.unit}`} | ${verdict}${r.note ? ` — ${r.note}` : ''} |`;
  });
  return ['| benchmark | median | spread | samples | clock | target | |', '|---|---|---|---|---|---|---|', ...rows].join('\n');
}
