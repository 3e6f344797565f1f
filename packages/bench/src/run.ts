// `pnpm bench`: every benchmark, printed as a Markdown table (copied into BENCHMARKS.md
// with the machine it ran on). Pass names to run a subset: `pnpm bench scheduler tcp`.

import os from 'node:os';
import { schedulerBenchmarks } from './scheduler.bench.ts';
import { linkBenchmarks } from './link.bench.ts';
import { networkBenchmarks } from './network.bench.ts';
import { tcpBenchmarks } from './tcp.bench.ts';
import { parserBenchmarks } from './parsers.bench.ts';
import { report, type BenchResult } from './harness.ts';

const suites: Record<string, () => BenchResult[] | Promise<BenchResult[]>> = {
  scheduler: schedulerBenchmarks,
  switch: linkBenchmarks,
  router: networkBenchmarks,
  tcp: tcpBenchmarks,
  parsers: parserBenchmarks,
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const results: BenchResult[] = [];
for (const [name, suite] of Object.entries(suites)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  process.stderr.write(`running ${name}...\n`);
  results.push(...(await suite()));
}
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(`Machine: ${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}\n`);
console.log(report(results));
