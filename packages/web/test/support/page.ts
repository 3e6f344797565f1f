// Test support for the page: build the static site once, serve it on loopback with Vite's
// preview server, and drive Debian's Chromium through playwright-core. Every console error
// and page error is collected so a test can fail on any.

import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build, preview, type PreviewServer } from 'vite';
import { chromium, type Browser, type Page } from 'playwright-core';

export const WEB_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const SCREENSHOTS = fileURLToPath(new URL('../../test-results/', import.meta.url));
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Chromium is required in CI (.ci/run installs it); elsewhere its absence skips the suite. */
export const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env['CI']) throw new Error(`Chromium not found at ${CHROMIUM}: .ci/run installs Debian's chromium package`);

export interface PageSession {
  readonly browser: Browser;
  readonly server: PreviewServer;
  readonly url: string;
  readonly errors: string[];
  newPage(hash?: string): Promise<Page>;
  close(): Promise<void>;
}

/** Where and how to build: by default this tree's site into its dist/, as `pnpm web:build` does. */
export interface SiteOptions {
  /** `false` keeps names (for a profile). */
  readonly minify?: boolean;
  /** Another checkout's packages/web (a benchmark comparing two trees); built where `outDir` says. */
  readonly root?: string;
  readonly outDir?: string;
  /** Vite's cache, kept out of the other checkout. */
  readonly cacheDir?: string;
}

/** Build the site (minified, as `pnpm web:build` does; `minify: false` keeps names for a profile) and serve it. */
export async function openSite(options: SiteOptions = {}): Promise<PageSession> {
  const root = options.root ?? WEB_ROOT;
  const configFile = `${root.replace(/\/?$/, '/')}vite.config.ts`;
  // Another checkout's config is imported as it is (this process runs under tsx): the default
  // loader would write a bundled copy into that checkout's node_modules.
  const elsewhere = options.root !== undefined ? { configLoader: 'native' as const } : {};
  const buildOptions = { ...(options.minify === false ? { minify: false } : {}), ...(options.outDir !== undefined ? { outDir: options.outDir, emptyOutDir: true } : {}) };
  const cache = options.cacheDir !== undefined ? { cacheDir: options.cacheDir } : {};
  await build({ root, logLevel: 'warn', configFile, ...elsewhere, ...cache, build: buildOptions });
  const server = await preview({ root, configFile, ...elsewhere, ...cache, ...(options.outDir !== undefined ? { build: { outDir: options.outDir } } : {}), preview: { port: 0, host: '127.0.0.1', strictPort: false }, logLevel: 'warn' });
  const address = server.httpServer.address();
  const port = typeof address === 'object' && address !== null ? address.port : 4173;
  const url = `http://127.0.0.1:${port}/`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
  const errors: string[] = [];
  return {
    browser,
    server,
    url,
    errors,
    async newPage(hash = '') {
      const page = await browser.newPage({ viewport: { width: 1280, height: 720 }, acceptDownloads: true });
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(`console: ${m.text()}`);
      });
      page.on('pageerror', (e) => errors.push(`page: ${e.message}`));
      await page.goto(`${url}${hash}`);
      return page;
    },
    async close() {
      await browser.close();
      await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
    },
  };
}

/** Wait until run number `run` (1 for the run the page starts by itself) has finished; returns the status line. */
export async function waitForRun(page: Page, run = 1, timeout = 60_000): Promise<string> {
  await page.waitForFunction((n) => document.body.dataset['run'] === `${n}:done`, run, { timeout });
  return (await page.textContent('#status')) ?? '';
}

/** The text of every row of the event list as rendered now. */
export async function eventRows(page: Page): Promise<string[]> {
  return page.$$eval('.event-list tbody tr', (rows) => rows.map((r) => r.textContent ?? ''));
}
