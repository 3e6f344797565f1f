// `npx tsx packages/bench/src/parsers-report.ts`: the parser table of BENCHMARKS.md (each
// parser's adversarial inputs, median and worst time of one parse, growth from 16 KB to
// 64 KB). `pnpm bench parsers` runs the same cases as rates within the full report.

import os from 'node:os';
import { parserTable } from './parsers.bench.ts';

const { rows } = parserTable();
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(`Machine: ${cpu}, ${os.cpus().length} cores, Node ${process.version}\n`);
console.log(rows.join('\n'));
