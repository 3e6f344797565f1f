// Benchmark: the bulk-transfer scenario run in headless Chromium (the page's worker, the same
// bundled stack) against the same script under Node, in interleaved runs, with the ratio
// taken run by run. The figure for BENCHMARKS.md. Not a test: run it with
//   npx -y pnpm@10.34.9 web:bench [runs] [size]
// Needs Debian's chromium (/usr/bin/chromium, or CHROMIUM_PATH).

import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { openSite, waitForRun } from '../test/support/page.ts';

const runs = Number(process.argv[2] ?? 5);
const size = process.argv[3] ?? '10MB';
const args = ['--size', size];

async function nodeRun(): Promise<number> {
  const { main } = (await import('../../../examples/bulk-transfer.ts')) as { main: (write: (line: string) => void, args: readonly string[]) => Promise<unknown> };
  const t0 = performance.now();
  await main(() => {}, args);
  return performance.now() - t0;
}

const site = await openSite();
const browserMs: number[] = [];
const nodeMs: number[] = [];
try {
  // One warm-up of each, not counted.
  await nodeRun();
  for (let i = 0; i <= runs; i++) {
    const page = await site.newPage(`#scenario=bulk-transfer&args=${encodeURIComponent(args.join(' '))}`);
    await waitForRun(page, 1, 600_000);
    const wall = await page.evaluate(() => Number(document.body.dataset['wallMs']));
    await page.close();
    const node = await nodeRun();
    if (i === 0) continue;
    browserMs.push(wall);
    nodeMs.push(node);
    process.stderr.write(`run ${i}: Chromium ${wall.toFixed(0)} ms, Node ${node.toFixed(0)} ms, ratio ${(wall / node).toFixed(2)}\n`);
  }
} finally {
  await site.close();
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ratios = browserMs.map((b, i) => b / nodeMs[i]!);
console.log(`Machine: ${os.cpus()[0]?.model ?? 'CPU'}, ${os.cpus().length} cores, Node ${process.version}, load ${os.loadavg()[0]!.toFixed(1)}`);
console.log(`bulk-transfer ${size}, ${runs} interleaved runs`);
console.log(`| where | median | min | max |\n|---|---|---|---|`);
console.log(`| headless Chromium (worker) | ${median(browserMs).toFixed(0)} ms | ${Math.min(...browserMs).toFixed(0)} ms | ${Math.max(...browserMs).toFixed(0)} ms |`);
console.log(`| Node ${process.version} | ${median(nodeMs).toFixed(0)} ms | ${Math.min(...nodeMs).toFixed(0)} ms | ${Math.max(...nodeMs).toFixed(0)} ms |`);
console.log(`| ratio Chromium/Node, run by run | ${median(ratios).toFixed(2)} | ${Math.min(...ratios).toFixed(2)} | ${Math.max(...ratios).toFixed(2)} |`);
