// A tiny benchmark harness: run a body a few times after a warm-up, report the best and the
// median rate. Wall-clock time is fine here: benchmarks measure the emulator, not the network.

export interface BenchResult {
  readonly name: string;
  readonly unit: string;
  readonly best: number;
  readonly median: number;
  readonly target?: number;
  readonly note?: string;
}

/** `body` does some work and returns how many units it did. */
export function measure(name: string, unit: string, body: () => number, options: { runs?: number; warmup?: number; target?: number; note?: string } = {}): BenchResult {
  const runs = options.runs ?? 5;
  for (let i = 0; i < (options.warmup ?? 1); i++) body();
  const rates: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const units = body();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    rates.push(units / seconds);
  }
  rates.sort((a, b) => a - b);
  return {
    name,
    unit,
    best: rates[rates.length - 1]!,
    median: rates[Math.floor(rates.length / 2)]!,
    ...(options.target === undefined ? {} : { target: options.target }),
    ...(options.note === undefined ? {} : { note: options.note }),
  };
}

export function formatRate(v: number): string {
  if (v >= 1e6) return `${(v / 1e6).toFixed(2)} M`;
  if (v >= 1e3) return `${(v / 1e3).toFixed(1)} k`;
  return v.toFixed(1);
}

export function report(results: readonly BenchResult[]): string {
  const rows = results.map((r) => {
    const verdict = r.target === undefined ? '' : r.median >= r.target ? 'meets target' : 'below target';
    return `| ${r.name} | ${formatRate(r.median)}${r.unit} | ${formatRate(r.best)}${r.unit} | ${r.target === undefined ? '—' : `${formatRate(r.target)}${r.unit}`} | ${verdict}${r.note ? ` — ${r.note}` : ''} |`;
  });
  return ['| benchmark | median | best | target | |', '|---|---|---|---|---|', ...rows].join('\n');
}
