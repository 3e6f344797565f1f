// Benchmark: the bulk-transfer scenario run in headless Chromium (the page's worker, the same
// bundled stack) against the same script under Node, in interleaved runs, with the ratio
// taken run by run. The page records every trace event of the run (it draws them), so the
// like-for-like Node figure is the script with a recorder attached, as `netlayers run`
// records it; the bare Node run (no listener, so no events are built) is shown too. The
// figure for BENCHMARKS.md. Not a test: run it with
//   npx -y pnpm@10.34.9 web:bench [runs] [size]
// Needs Debian's chromium (/usr/bin/chromium, or CHROMIUM_PATH).

import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Network } from '@netlayers/lab';
import { TraceRecorder } from '@netlayers/trace';
import { openSite, waitForRun } from '../test/support/page.ts';

const runs = Number(process.argv[2] ?? 5);
const size = process.argv[3] ?? '10MB';
const args = ['--size', size];

async function nodeRun(record: boolean): Promise<number> {
  const { main } = (await import('../../../examples/bulk-transfer.ts')) as { main: (write: (line: string) => void, args: readonly string[]) => Promise<unknown> };
  const recorders: TraceRecorder[] = [];
  const unsubscribe = record ? Network.onCreate((network) => recorders.push(new TraceRecorder().record(network.trace))) : () => {};
  const t0 = performance.now();
  await main(() => {}, args);
  const ms = performance.now() - t0;
  unsubscribe();
  for (const r of recorders) r.detach();
  return ms;
}

const site = await openSite();
const browserMs: number[] = [];
const nodeMs: number[] = [];
const bareMs: number[] = [];
try {
  // One warm-up of each, not counted.
  await nodeRun(true);
  await nodeRun(false);
  for (let i = 0; i <= runs; i++) {
    const page = await site.newPage(`#scenario=bulk-transfer&args=${encodeURIComponent(args.join(' '))}`);
    await waitForRun(page, 1, 600_000);
    const wall = await page.evaluate(() => Number(document.body.dataset['wallMs']));
    await page.close();
    const node = await nodeRun(true);
    const bare = await nodeRun(false);
    if (i === 0) continue;
    browserMs.push(wall);
    nodeMs.push(node);
    bareMs.push(bare);
    process.stderr.write(`run ${i}: Chromium ${wall.toFixed(0)} ms, Node recorded ${node.toFixed(0)} ms (ratio ${(wall / node).toFixed(2)}), Node bare ${bare.toFixed(0)} ms (ratio ${(wall / bare).toFixed(2)})\n`);
  }
} finally {
  await site.close();
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ratios = browserMs.map((b, i) => b / nodeMs[i]!);
const bareRatios = browserMs.map((b, i) => b / bareMs[i]!);
console.log(`Machine: ${os.cpus()[0]?.model ?? 'CPU'}, ${os.cpus().length} cores, Node ${process.version}, load ${os.loadavg()[0]!.toFixed(1)}`);
console.log(`bulk-transfer ${size}, ${runs} interleaved runs`);
console.log(`| where | median | min | max |\n|---|---|---|---|`);
console.log(`| headless Chromium (worker) | ${median(browserMs).toFixed(0)} ms | ${Math.min(...browserMs).toFixed(0)} ms | ${Math.max(...browserMs).toFixed(0)} ms |`);
console.log(`| Node ${process.version}, every event recorded (as \`netlayers run\`) | ${median(nodeMs).toFixed(0)} ms | ${Math.min(...nodeMs).toFixed(0)} ms | ${Math.max(...nodeMs).toFixed(0)} ms |`);
console.log(`| Node ${process.version}, no listener (no events built) | ${median(bareMs).toFixed(0)} ms | ${Math.min(...bareMs).toFixed(0)} ms | ${Math.max(...bareMs).toFixed(0)} ms |`);
console.log(`| ratio Chromium / Node recorded, run by run | ${median(ratios).toFixed(2)} | ${Math.min(...ratios).toFixed(2)} | ${Math.max(...ratios).toFixed(2)} |`);
console.log(`| ratio Chromium / Node bare, run by run | ${median(bareRatios).toFixed(2)} | ${Math.min(...bareRatios).toFixed(2)} | ${Math.max(...bareRatios).toFixed(2)} |`);
