// Vite builds the page and its simulation worker from the workspace's TypeScript sources.
// The few node: built-ins that library code or example scripts import are served by
// browser shims (an in-memory file store, hashes, paths); nothing is fetched from a CDN.
// The `netlayers-source` export condition makes every @netlayers/* import resolve to the
// package's src/ rather than its prebuilt dist/ (Vite's own default conditions follow it).

import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const shim = (name: string): string => fileURLToPath(new URL(`./src/shims/${name}.ts`, import.meta.url));

export default defineConfig({
  base: './',
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
