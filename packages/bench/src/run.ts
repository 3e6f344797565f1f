// `pnpm bench`: every benchmark suite, printed as a Markdown table (copied into BENCHMARKS.md
// with the machine and its load). Suites are found, not listed: every `*.bench.ts` file in
// this directory must export `suite` (a BenchSuite). Pass names to run a subset:
// `pnpm bench scheduler tcp` (a suite's name or its file name without `.bench.ts`).
// BENCH_CLOCK=wall times with wall-clock time instead of the process's CPU time.

import os from 'node:os';
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import { report, clockKind, BenchmarkError, type BenchResult, type BenchSuite } from './harness.ts';

export interface FoundSuite {
  readonly file: string;
  readonly stem: string;
  readonly suite: BenchSuite;
}

function isSuite(value: unknown): value is BenchSuite {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.name === 'string' && v.name !== '' && typeof v.description === 'string' && typeof v.run === 'function';
}

/** Import every `*.bench.ts` in `dir` (sorted by name); a file without a valid `suite` export is an error. */
export async function discoverSuites(dir: string = path.dirname(fileURLToPath(import.meta.url))): Promise<FoundSuite[]> {
  const files = readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).sort();
  const found: FoundSuite[] = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(path.join(dir, file)).href)) as Record<string, unknown>;
    if (!isSuite(mod.suite)) {
      throw new BenchmarkError(`${file} does not export \`suite\` ({ name, description, run }): every *.bench.ts file must`);
    }
    found.push({ file, stem: file.slice(0, -'.bench.ts'.length), suite: mod.suite });
  }
  return found;
}

async function main(): Promise<void> {
  const kind = clockKind();
  const suites = await discoverSuites();
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  for (const w of wanted) {
    if (!suites.some((s) => s.suite.name === w || s.stem === w)) {
      throw new BenchmarkError(`no suite named ${JSON.stringify(w)}; there are: ${suites.map((s) => s.suite.name).join(', ')}`);
    }
  }
  const results: BenchResult[] = [];
  for (const { suite, stem } of suites) {
    if (wanted.length > 0 && !wanted.includes(suite.name) && !wanted.includes(stem)) continue;
    process.stderr.write(`running ${suite.name}: ${suite.description}...\n`);
    results.push(...(await suite.run()));
  }
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const load = os.loadavg().map((l) => l.toFixed(2)).join(', ');
  console.log(
    `Machine: ${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}; ` +
      `load average at the end ${load}; clock: ${kind === 'cpu' ? 'process CPU time' : 'wall time'}\n`,
  );
  console.log(report(results));
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
