// Benchmark: the bulk-transfer scenario run in headless Chromium (the page's worker, the same
// bundled stack) against the same script under Node, in interleaved runs, with the ratio
// taken run by run. The page records every trace event of the run (it draws them), so the
// like-for-like Node figure is the script with a recorder attached, as `netlayers run`
// records it; the bare Node run (no listener, so no events are built) is shown too. The
// figure for BENCHMARKS.md. Not a test: run it with
//   npx -y pnpm@10.34.9 web:bench [runs] [size]
//   npx -y pnpm@10.34.9 web:bench --profile DIR [size]
// --profile: one page run under a Chromium trace with the V8 sampler on, one recorded Node run
// under the inspector's profiler; writes DIR/page-worker.cpuprofile, DIR/page-main.cpuprofile
// and DIR/node.cpuprofile (open them in DevTools) and prints each one's top self times.
// Needs Debian's chromium (/usr/bin/chromium, or CHROMIUM_PATH).

import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Network } from '@netlayers/lab';
import { TraceRecorder } from '@netlayers/trace';
import { markdown, selfTimes, type CpuProfile } from '../../bench/src/profile-summary.ts';
import { openSite, waitForRun } from '../test/support/page.ts';
import { profilesOfTrace } from './trace-profile.ts';

const argv = process.argv.slice(2);
const profileAt = argv.indexOf('--profile');
const profileDir = profileAt >= 0 ? argv[profileAt + 1] : undefined;
if (profileAt >= 0 && profileDir === undefined) throw new Error('--profile needs a directory');
const positional = argv.filter((_a, i) => profileAt < 0 || (i !== profileAt && i !== profileAt + 1));
const runs = profileDir !== undefined ? 0 : Number(positional[0] ?? 5);
const size = (profileDir !== undefined ? positional[0] : positional[1]) ?? '10MB';
const args = ['--size', size];
const hash = `#scenario=bulk-transfer&args=${encodeURIComponent(args.join(' '))}`;

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

// A profile is taken of an unminified build, so that functions keep their names.
/** The same run in a fresh Node process (cold JIT, as a page's new worker is), timed inside it. */
function nodeColdRun(): number {
  const script = fileURLToPath(new URL('./node-once.ts', import.meta.url));
  const root = fileURLToPath(new URL('../../..', import.meta.url));
  return Number(execFileSync(process.execPath, ['--import', 'tsx', '--conditions=netlayers-source', script, size], { cwd: root, encoding: 'utf8' }).trim());
}

const site = await openSite(profileDir !== undefined ? { minify: false } : {});
if (profileDir !== undefined) {
  try {
    await profile(profileDir);
  } finally {
    await site.close();
  }
  process.exit(0);
}

/** The page's run and a recorded Node run, profiled; summaries printed, profiles written. */
async function profile(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const summary = (title: string, file: string, p: CpuProfile): void => {
    writeFileSync(path.join(dir, file), JSON.stringify(p));
    const { rows, totalMs } = selfTimes(p, 15);
    console.log(`### ${title} (${file})\n\n${markdown(rows, totalMs)}\n`);
  };
  const page = await site.browser.newPage();
  await site.browser.startTracing(page, { categories: ['disabled-by-default-v8.cpu_profiler', 'v8', 'devtools.timeline'] });
  await page.goto(`${site.url}${hash}`);
  await waitForRun(page, 1, 600_000);
  const wall = await page.evaluate(() => Number(document.body.dataset['wallMs']));
  const trace = (await site.browser.stopTracing()).toString('utf8');
  await page.close();
  const threads = profilesOfTrace(trace);
  // The threads that ran the site's own bundles (the browser's other pages have threads too).
  const runs = (t: (typeof threads)[number], bundle: string): boolean => t.profile.nodes.some((n) => n.callFrame.url.startsWith(site.url) && n.callFrame.url.includes(`/assets/${bundle}-`));
  const worker = threads.find((t) => runs(t, 'worker'));
  const main = threads.find((t) => t.thread === 'CrRendererMain' && runs(t, 'index'));
  console.log(`Page run: ${wall.toFixed(0)} ms in the worker (bulk-transfer ${size}); load ${os.loadavg()[0]!.toFixed(1)}\n`);
  if (worker === undefined) throw new Error(`no worker thread in the trace (threads: ${threads.map((t) => t.thread).join(', ')})`);
  summary('Page: simulation worker', 'page-worker.cpuprofile', worker.profile);
  if (main !== undefined) summary('Page: main thread', 'page-main.cpuprofile', main.profile);
  await nodeRun(true); // warm-up, as in the timed runs
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  const ms = await nodeRun(true);
  const { profile: nodeProfile } = (await session.post('Profiler.stop')) as unknown as { profile: CpuProfile };
  session.disconnect();
  console.log(`Node run: ${ms.toFixed(0)} ms, every event recorded\n`);
  summary('Node, every event recorded', 'node.cpuprofile', nodeProfile);
}
const browserMs: number[] = [];
const shownMs: number[] = [];
const nodeMs: number[] = [];
const coldMs: number[] = [];
const bareMs: number[] = [];
try {
  // One warm-up of each, not counted.
  await nodeRun(true);
  await nodeRun(false);
  for (let i = 0; i <= runs; i++) {
    const page = await site.newPage(hash);
    await waitForRun(page, 1, 600_000);
    const [wall, shown] = await page.evaluate(() => [Number(document.body.dataset['wallMs']), Number(document.body.dataset['shownMs'])]);
    await page.close();
    const node = await nodeRun(true);
    const cold = nodeColdRun();
    const bare = await nodeRun(false);
    if (i === 0) continue;
    browserMs.push(wall!);
    shownMs.push(shown!);
    nodeMs.push(node);
    coldMs.push(cold);
    bareMs.push(bare);
    process.stderr.write(`run ${i}: Chromium ${wall!.toFixed(0)} ms (shown at ${shown!.toFixed(0)} ms), Node recorded ${node.toFixed(0)} ms (ratio ${(wall! / node).toFixed(2)}), Node cold ${cold.toFixed(0)} ms (ratio ${(wall! / cold).toFixed(2)}), Node bare ${bare.toFixed(0)} ms\n`);
  }
} finally {
  await site.close();
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const row = (label: string, xs: number[], unit = ' ms', digits = 0): string => `| ${label} | ${median(xs).toFixed(digits)}${unit} | ${Math.min(...xs).toFixed(digits)}${unit} | ${Math.max(...xs).toFixed(digits)}${unit} |`;
const ratio = (a: number[], b: number[]): number[] => a.map((x, i) => x / b[i]!);
console.log(`Machine: ${os.cpus()[0]?.model ?? 'CPU'}, ${os.cpus().length} cores, Node ${process.version}, ${process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'}, load ${os.loadavg()[0]!.toFixed(1)} at the end`);
console.log(`bulk-transfer ${size}, ${runs} interleaved runs`);
console.log(`| where | median | min | max |\n|---|---|---|---|`);
console.log(row('headless Chromium: the run in the worker, every event recorded', browserMs));
console.log(row('headless Chromium: Run pressed → the run shown (worker start, results posted, views built)', shownMs));
console.log(row(`Node ${process.version}, every event recorded (as \`netlayers run\`), warm process`, nodeMs));
console.log(row(`Node ${process.version}, every event recorded, fresh process (cold JIT, as the page's new worker)`, coldMs));
console.log(row(`Node ${process.version}, no listener (no events built), warm process`, bareMs));
console.log(row('ratio Chromium worker / Node recorded warm, run by run', ratio(browserMs, nodeMs), '', 2));
console.log(row('ratio Chromium worker / Node recorded cold, run by run', ratio(browserMs, coldMs), '', 2));
console.log(row('ratio Chromium Run → shown / Node recorded warm, run by run', ratio(shownMs, nodeMs), '', 2));
