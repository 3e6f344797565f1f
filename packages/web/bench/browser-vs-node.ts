// Benchmark: the bulk-transfer scenario run in headless Chromium (the page's worker, the same
// bundled stack) against the same script under Node, with the ratio taken run by run. The
// page records every trace event of the run (it draws them), so the like-for-like Node
// figure is the script with a recorder attached, as `netlayers run` records it; the bare
// Node run (no listener, so no events are built) is shown too. Not a test: run it with
//   npx -y pnpm@10.34.9 web:bench [rounds] [size] [--warm N]
//   npx -y pnpm@10.34.9 web:bench --profile DIR [size] [--cold]
// Two comparisons, reported apart:
// - cold: the first run in a fresh page (a new worker: its JIT starts from nothing) against
//   the same run in a fresh Node process, once per round;
// - warm: the page keeps its worker between runs, so after N warm-up runs in one page (and N
//   in this Node process) each round times one more run of each.
// For each page run it also prints where Run → shown went: start (Run to the worker beginning
// the run), run, pack (the events into buffers), transfer (posted to received), unpack and
// views (the page's steps and first render), as the page records them in data-timings.
// --profile: one page run under a Chromium trace with the V8 sampler on, one recorded Node
// run under a profiler; writes DIR/page-worker.cpuprofile, DIR/page-main.cpuprofile and
// DIR/node.cpuprofile (open them in DevTools) and prints each one's top self times. The
// page run is a warm one (after one warm-up in the same worker) and Node's is in this warm
// process; with --cold, the page's first run in a new worker and Node's run in a fresh process.
// Needs Debian's chromium (/usr/bin/chromium, or CHROMIUM_PATH).

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Network } from '@netlayers/lab';
import { TraceRecorder } from '@netlayers/trace';
import { markdown, selfTimes, type CpuProfile } from '../../bench/src/profile-summary.ts';
import type { Page } from 'playwright-core';
import { openSite, waitForRun } from '../test/support/page.ts';
import { profilesOfTrace } from './trace-profile.ts';

const argv = process.argv.slice(2);
/** The value after a flag (and the two removed from the positional arguments), or undefined. */
const flagValues = new Set<number>();
function flag(name: string): string | undefined {
  const at = argv.indexOf(name);
  if (at < 0) return undefined;
  const value = argv[at + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`${name} needs a value`);
  flagValues.add(at).add(at + 1);
  return value;
}
const profileDir = flag('--profile');
const warmRuns = Number(flag('--warm') ?? 1);
const profileCold = argv.includes('--cold');
const positional = argv.filter((a, i) => !flagValues.has(i) && !a.startsWith('--'));
const rounds = profileDir !== undefined ? 0 : Number(positional[0] ?? 5);
const size = (profileDir !== undefined ? positional[0] : positional[1]) ?? '10MB';
if (!Number.isInteger(rounds) || rounds < 0 || !Number.isInteger(warmRuns) || warmRuns < 0) throw new Error('usage: web:bench [rounds] [size] [--warm N] | --profile DIR [size] [--cold]');
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

/** The same run in a fresh Node process (cold JIT, as a page's new worker is), timed inside it; extra Node flags first (a profiler). */
function nodeColdRun(nodeFlags: readonly string[] = []): number {
  const script = fileURLToPath(new URL('./node-once.ts', import.meta.url));
  const root = fileURLToPath(new URL('../../..', import.meta.url));
  return Number(execFileSync(process.execPath, [...nodeFlags, '--import', 'tsx', '--conditions=netlayers-source', script, size], { cwd: root, encoding: 'utf8' }).trim());
}

/** What the page records of one run (data-wall-ms, data-shown-ms, data-timings). */
interface PageRun {
  readonly wall: number;
  readonly shown: number;
  readonly parts: Readonly<Record<Part, number>> & { readonly workerRuns: number };
}
const PARTS = ['start', 'run', 'pack', 'transfer', 'unpack', 'views'] as const;
type Part = (typeof PARTS)[number];

async function pageRun(page: Page): Promise<PageRun> {
  return page.evaluate(() => ({
    wall: Number(document.body.dataset['wallMs']),
    shown: Number(document.body.dataset['shownMs']),
    parts: JSON.parse(document.body.dataset['timings'] ?? '{}') as PageRun['parts'],
  }));
}

/** Press Run in a page that has done `done` runs, and wait for this one. */
async function runAgain(page: Page, done: number): Promise<PageRun> {
  await page.click('#run');
  await waitForRun(page, done + 1, 600_000);
  return pageRun(page);
}

// A profile is taken of an unminified build, so that functions keep their names.
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
  if (profileCold) {
    await site.browser.startTracing(page, { categories: ['disabled-by-default-v8.cpu_profiler', 'v8', 'devtools.timeline'] });
    await page.goto(`${site.url}${hash}`);
    await waitForRun(page, 1, 600_000);
  } else {
    // A warm run: the page's first run warms its worker, the traced one is the second.
    await page.goto(`${site.url}${hash}`);
    await waitForRun(page, 1, 600_000);
    await site.browser.startTracing(page, { categories: ['disabled-by-default-v8.cpu_profiler', 'v8', 'devtools.timeline'] });
    await runAgain(page, 1);
  }
  const { wall, parts } = await pageRun(page);
  const trace = (await site.browser.stopTracing()).toString('utf8');
  await page.close();
  const threads = profilesOfTrace(trace);
  // The threads that ran the site's own bundles (the browser's other pages have threads too).
  const runs = (t: (typeof threads)[number], bundle: string): boolean => t.profile.nodes.some((n) => n.callFrame.url.startsWith(site.url) && n.callFrame.url.includes(`/assets/${bundle}-`));
  const worker = threads.find((t) => runs(t, 'worker'));
  const main = threads.find((t) => t.thread === 'CrRendererMain' && runs(t, 'index'));
  console.log(`Page run (${profileCold ? 'cold: the first in a new worker' : 'warm: the second in its worker'}): ${wall.toFixed(0)} ms in the worker (bulk-transfer ${size}); ${PARTS.map((p) => `${p} ${parts[p].toFixed(0)} ms`).join(', ')}; load ${os.loadavg()[0]!.toFixed(1)}\n`);
  if (worker === undefined) throw new Error(`no worker thread in the trace (threads: ${threads.map((t) => t.thread).join(', ')})`);
  summary('Page: simulation worker', 'page-worker.cpuprofile', worker.profile);
  if (main !== undefined) summary('Page: main thread', 'page-main.cpuprofile', main.profile);
  if (profileCold) {
    // A fresh Node process under --cpu-prof: its profile is written when it exits.
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'netlayers-node-prof-'));
    const ms = nodeColdRun(['--cpu-prof', '--cpu-prof-dir', tmp]);
    const file = readdirSync(tmp).find((f) => f.endsWith('.cpuprofile'));
    if (file === undefined) throw new Error('the fresh Node process wrote no profile');
    console.log(`Node run: ${ms.toFixed(0)} ms, every event recorded, fresh process (its profile covers start-up too)\n`);
    summary('Node, every event recorded, fresh process', 'node.cpuprofile', JSON.parse(readFileSync(path.join(tmp, file), 'utf8')) as CpuProfile);
    return;
  }
  await nodeRun(true); // warm-up, as in the timed runs
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  const ms = await nodeRun(true);
  const { profile: nodeProfile } = (await session.post('Profiler.stop')) as unknown as { profile: CpuProfile };
  session.disconnect();
  console.log(`Node run: ${ms.toFixed(0)} ms, every event recorded, warm process\n`);
  summary('Node, every event recorded', 'node.cpuprofile', nodeProfile);
}

const cold = { page: [] as PageRun[], node: [] as number[] };
const warm = { page: [] as PageRun[], node: [] as number[], bare: [] as number[] };
const load = (): string => os.loadavg()[0]!.toFixed(1);
const loadAtStart = load();
try {
  // Cold, once per round: a fresh page's first run (a new worker) and a fresh Node process.
  let page: Page | undefined;
  for (let i = 1; i <= rounds; i++) {
    await page?.close();
    page = await site.newPage(hash);
    await waitForRun(page, 1, 600_000);
    const run = await pageRun(page);
    const node = nodeColdRun();
    cold.page.push(run);
    cold.node.push(node);
    process.stderr.write(`cold ${i}: page worker ${run.wall.toFixed(0)} ms (shown at ${run.shown.toFixed(0)} ms), Node fresh process ${node.toFixed(0)} ms (ratio ${(run.wall / node).toFixed(2)}); load ${load()}\n`);
  }
  // Warm: the last page keeps its worker; N warm-up runs of each, then the timed rounds.
  page ??= await site.newPage(hash);
  await waitForRun(page, 1, 600_000);
  let done = 1;
  for (let i = 0; i < warmRuns; i++) {
    await runAgain(page, done++);
    await nodeRun(true);
  }
  await nodeRun(false);
  for (let i = 1; i <= rounds; i++) {
    const run = await runAgain(page, done++);
    const node = await nodeRun(true);
    const bare = await nodeRun(false);
    warm.page.push(run);
    warm.node.push(node);
    warm.bare.push(bare);
    process.stderr.write(`warm ${i}: page worker ${run.wall.toFixed(0)} ms (run ${run.parts.workerRuns} in its worker; shown at ${run.shown.toFixed(0)} ms), Node warm ${node.toFixed(0)} ms (ratio ${(run.wall / node).toFixed(2)}), Node bare ${bare.toFixed(0)} ms; load ${load()}\n`);
  }
  await page.close();
} finally {
  await site.close();
}
/** The middle value; with an even count, the mean of the two middle ones. */
const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const row = (label: string, xs: readonly number[], unit = ' ms', digits = 0): string => `| ${label} | ${median(xs).toFixed(digits)}${unit} | ${Math.min(...xs).toFixed(digits)}${unit} | ${Math.max(...xs).toFixed(digits)}${unit} |`;
const ratio = (a: readonly number[], b: readonly number[]): number[] => a.map((x, i) => x / b[i]!);
const walls = (runs: readonly PageRun[]): number[] => runs.map((r) => r.wall);
const shown = (runs: readonly PageRun[]): number[] => runs.map((r) => r.shown);
console.log(`Machine: ${os.cpus()[0]?.model ?? 'CPU'}, ${os.cpus().length} cores, Node ${process.version}, ${process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'}; load ${loadAtStart} at the start, ${load()} at the end`);
console.log(`bulk-transfer ${size}: ${rounds} rounds cold, ${rounds} rounds warm after ${warmRuns} warm-up run${warmRuns === 1 ? '' : 's'} of each\n`);
console.log(`| where | median | min | max |\n|---|---|---|---|`);
if (rounds > 0) {
  console.log(row('cold: page, the first run in a new worker', walls(cold.page)));
  console.log(row(`cold: Node ${process.version}, every event recorded, fresh process`, cold.node));
  console.log(row('**cold ratio** page / Node, round by round', ratio(walls(cold.page), cold.node), '', 2));
  console.log(row('cold: page, Run → shown', shown(cold.page)));
  console.log(row(`warm: page, a run in a worker that has run ${warmRuns}+ times`, walls(warm.page)));
  console.log(row(`warm: Node ${process.version}, every event recorded (as \`netlayers run\`), warm process`, warm.node));
  console.log(row('**warm ratio** page / Node, round by round', ratio(walls(warm.page), warm.node), '', 2));
  console.log(row(`warm: Node ${process.version}, no listener (no events built)`, warm.bare));
  console.log(row('warm: page, Run → shown', shown(warm.page)));
  console.log(row('warm ratio page Run → shown / Node run', ratio(shown(warm.page), warm.node), '', 2));
  console.log(`\nWhere Run → shown went (median ms; start: Run to the worker beginning; transfer: posted to received)\n`);
  console.log(`| runs | ${PARTS.join(' | ')} | shown |\n|---|${PARTS.map(() => '---|').join('')}---|`);
  for (const [label, runs] of [['cold', cold.page], ['warm', warm.page]] as const) {
    console.log(`| ${label} | ${PARTS.map((p) => median(runs.map((r) => r.parts[p])).toFixed(0)).join(' | ')} | ${median(shown(runs)).toFixed(0)} |`);
  }
}
