// Benchmark: Run → shown of this tree's page against another checkout's (an earlier commit,
// the main branch), the bulk-transfer scenario in headless Chromium. Not a test: run it with
//   npx -y pnpm@10.34.9 web:bench:shown <other checkout> [rounds] [size]
// Each tree's site is built into a temporary directory (nothing is written into the other
// checkout: its Vite config is imported as it is, and Vite's cache goes to the temporary
// directory too) and served on loopback. Each round opens a fresh page of each tree, in
// turns, with the scenario in its link, and waits for the page's own first run; then presses
// Run twice. Run → shown is measured from outside the page's code, the same way for both
// trees: from the click to the first frame after the page marked the run done (its views
// are built in the same task). The first run's own figure (data-shown-ms, from the page
// starting the run) is printed too.
// Needs Debian's chromium (/usr/bin/chromium, or CHROMIUM_PATH).

import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { openSite, waitForRun, WEB_ROOT, type PageSession } from '../test/support/page.ts';

const [other, roundsArg, sizeArg] = process.argv.slice(2);
if (other === undefined) throw new Error('usage: web:bench:shown <path of another checkout> [rounds] [size]');
const rounds = Number(roundsArg ?? 5);
const size = sizeArg ?? '10MB';
const hash = `#scenario=bulk-transfer&args=${encodeURIComponent(`--size ${size}`)}`;
const load = (): string => os.loadavg()[0]!.toFixed(1);

interface Tree {
  readonly label: string;
  readonly site: PageSession;
  readonly firstRun: number[];
  readonly clicks: number[][];
}

async function openTree(label: string, webRoot: string): Promise<Tree> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'netlayers-shown-'));
  const site = await openSite({ root: webRoot, outDir: path.join(scratch, 'dist'), cacheDir: path.join(scratch, 'vite-cache') });
  return { label, site, firstRun: [], clicks: [[], []] };
}

/** Click Run and wait until the run (number `run`) is marked done and a frame has been drawn after it. */
async function clickToShown(page: Page, run: number): Promise<number> {
  return page.evaluate(
    (n) =>
      new Promise<number>((resolve) => {
        const observer = new MutationObserver(() => {
          if (document.body.dataset['run'] !== `${n}:done`) return;
          observer.disconnect();
          requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0)));
        });
        observer.observe(document.body, { attributes: true, attributeFilter: ['data-run'] });
        const t0 = performance.now();
        document.getElementById('run')!.click();
      }),
    run,
  );
}

const trees = [await openTree('this tree', WEB_ROOT), await openTree(path.resolve(other), path.join(path.resolve(other), 'packages/web/'))];
const loadAtStart = load();
try {
  for (let round = 1; round <= rounds; round++) {
    // Alternate which tree goes first, so neither always runs on the other's heels.
    for (const tree of round % 2 === 1 ? trees : [...trees].reverse()) {
      const page = await tree.site.newPage(hash);
      await waitForRun(page, 1, 600_000);
      tree.firstRun.push(Number(await page.getAttribute('body', 'data-shown-ms')));
      for (const [i, clicks] of tree.clicks.entries()) clicks.push(await clickToShown(page, i + 2));
      await page.close();
      if (tree.site.errors.length > 0) throw new Error(`${tree.label}: ${tree.site.errors.join('; ')}`);
      process.stderr.write(`round ${round}, ${tree.label}: first run shown at ${tree.firstRun.at(-1)!.toFixed(0)} ms; Run → shown ${tree.clicks.map((c) => `${c.at(-1)!.toFixed(0)} ms`).join(', ')}; load ${load()}\n`);
    }
  }
} finally {
  for (const tree of trees) await tree.site.close();
}
/** The middle value; with an even count, the mean of the two middle ones. */
const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const cell = (xs: readonly number[]): string => `${median(xs).toFixed(0)} ms (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})`;
console.log(`Machine: ${os.cpus()[0]?.model ?? 'CPU'}, ${os.cpus().length} cores, ${process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'}; load ${loadAtStart} at the start, ${load()} at the end`);
console.log(`bulk-transfer ${size}, ${rounds} rounds; median (min–max)\n`);
console.log('| tree | first run (page load, new worker) | Run → shown, 2nd run | Run → shown, 3rd run |\n|---|---|---|---|');
for (const tree of trees) console.log(`| ${tree.label} | ${cell(tree.firstRun)} | ${cell(tree.clicks[0]!)} | ${cell(tree.clicks[1]!)} |`);
const [mine, theirs] = trees as [Tree, Tree];
console.log(`\nRun → shown, 2nd and 3rd runs: this tree / the other = ${(median([...mine.clicks[0]!, ...mine.clicks[1]!]) / median([...theirs.clicks[0]!, ...theirs.clicks[1]!])).toFixed(2)}`);
