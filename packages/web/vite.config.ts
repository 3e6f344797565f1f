// Vite builds the page and its simulation worker from the workspace's TypeScript sources.
// The few node: built-ins that library code or example scripts import are served by
// browser shims (an in-memory file store, hashes, paths); nothing is fetched from a CDN.
// The `netlayers-source` export condition makes every @netlayers/* import resolve to the
// package's src/ rather than its prebuilt dist/ (Vite's own default conditions follow it).
// The shipped examples are transpiled here, at build time, with the page's own transpile():
// `examples/x.ts?transpiled` is that code as a string, so an unedited scenario runs without
// sucrase in the page.

import { readFile } from 'node:fs/promises';
import { defineConfig, type Plugin } from 'vite';
import { fileURLToPath } from 'node:url';
import { transpile } from './src/worker/transpile.ts';

const TRANSPILED = '?transpiled';

const transpiledExamples: Plugin = {
  name: 'netlayers-transpiled-examples',
  enforce: 'pre',
  async load(id) {
    if (!id.endsWith(TRANSPILED)) return undefined;
    const file = id.slice(0, -TRANSPILED.length);
    const at = file.lastIndexOf('/examples/');
    // The path the worker knows the file by ('/examples/support/x.ts'), as scenarios.ts names it.
    const code = transpile(await readFile(file, 'utf8'), at >= 0 ? file.slice(at) : file);
    return { code: `export default ${JSON.stringify(code)};`, moduleType: 'js' };
  },
};

const shim = (name: string): string => fileURLToPath(new URL(`./src/shims/${name}.ts`, import.meta.url));

export default defineConfig({
  base: './',
  plugins: [transpiledExamples],
  resolve: {
    conditions: ['netlayers-source', 'module', 'browser', 'development|production'],
    alias: [
      { find: /^(node:)?fs$/, replacement: shim('fs') },
      { find: /^(node:)?crypto$/, replacement: shim('crypto') },
      { find: /^(node:)?url$/, replacement: shim('url') },
      { find: /^(node:)?path$/, replacement: 'pathe' },
    ],
  },
  worker: { format: 'es' },
  build: { target: 'es2022', outDir: 'dist', chunkSizeWarningLimit: 2000 },
  server: { host: '127.0.0.1', port: 5173, fs: { allow: ['../..'] } },
  preview: { host: '127.0.0.1', port: 4173 },
});
