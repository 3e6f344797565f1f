// The workspace's build (`pnpm build`, also run by `pnpm install`) and its freshness check.
//
// build(): `tsc -b tsconfig.build.json` checks every package and writes its declarations
// (dist/**/*.d.ts), then esbuild bundles each package's entry points (the `netlayers-source`
// targets of its package.json "exports" and "imports") from src/ into dist/bundle/, one ES
// module per entry with the package's shared code in chunks, every other package left as an
// import (so each package is loaded once, whoever imports it), with source maps back to src/.
// A package is a handful of modules instead of dozens: Node's per-module resolve, read and
// compile is most of what starting up costs (docs/architecture.md, "Prebuilt JavaScript").
//
// ensureBuilt(): the `netlayers` command and the test suite's global setup call it before
// anything loads dist/. When a package's dist/ is missing, or any file or folder under its src/
// (or its package.json or tsconfig.build.json) is newer than its last build, it runs build()
// once. Checking costs a few milliseconds of stat calls; a rebuild takes seconds, and says so.
//
//   node packages/cli/bin/ensure-built.js          build what is stale
//   node packages/cli/bin/ensure-built.js --force  build everything

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository's root folder. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** Written after a package's last successful build; its time is the build's. */
const STAMP = join('dist', 'bundle', '.built');

/** Newest modification time (ms) of a folder and everything in it. */
function newest(dir) {
  let latest = statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** The folder names of the packages that have a build (a tsconfig.build.json). */
function builtPackages(root) {
  const packages = join(root, 'packages');
  return readdirSync(packages).filter((name) => existsSync(join(packages, name, 'tsconfig.build.json')));
}

/** The packages whose dist/ is missing or older than their sources, by folder name. */
export function stalePackages(root = ROOT) {
  return builtPackages(root).filter((name) => {
    const dir = join(root, 'packages', name);
    const stamp = join(dir, STAMP);
    if (!existsSync(stamp)) return true;
    const inputs = Math.max(newest(join(dir, 'src')), statSync(join(dir, 'package.json')).mtimeMs, statSync(join(dir, 'tsconfig.build.json')).mtimeMs);
    return inputs > statSync(stamp).mtimeMs;
  });
}

/** The source files a package's exports and imports name under the netlayers-source condition. */
function entryPoints(dir) {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const found = new Set();
  const walk = (target) => {
    if (target === null || typeof target !== 'object') return;
    for (const [key, value] of Object.entries(target)) {
      if (key === 'netlayers-source' && typeof value === 'string') found.add(join(dir, value));
      else walk(value);
    }
  };
  walk(manifest.exports);
  walk(manifest.imports);
  return [...found].sort();
}

/** Check and build every package: declarations by tsc -b, JavaScript bundles by esbuild. */
export async function build(root = ROOT) {
  const require = createRequire(join(root, 'package.json'));
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', join(root, 'tsconfig.build.json')], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  const esbuild = await import(pathToFileURL(require.resolve('esbuild')).href);
  for (const name of builtPackages(root)) {
    const dir = join(root, 'packages', name);
    const entries = entryPoints(dir);
    // Chunk names carry a content hash: clear the last build's, or they pile up.
    rmSync(join(dir, 'dist', 'bundle'), { recursive: true, force: true });
    await esbuild.build({
      entryPoints: entries,
      outbase: join(dir, 'src'),
      outdir: join(dir, 'dist', 'bundle'),
      bundle: true,
      splitting: entries.length > 1,
      chunkNames: '[name]-[hash]',
      format: 'esm',
      platform: 'node',
      target: 'node20',
      // Other packages (ours and npm's) and the package's own `#` imports stay imports.
      packages: 'external',
      external: ['#*'],
      // Not the root tsconfig.json: its `paths` (which point tsx at the sources) would make
      // esbuild inline every other package instead of leaving it an import.
      tsconfig: join(root, 'tsconfig.base.json'),
      sourcemap: 'linked',
      sourcesContent: false,
      logLevel: 'warning',
    });
    writeFileSync(join(dir, STAMP), `${new Date().toISOString()}\n`);
  }
}

/** Build when something is stale; returns the packages that were. */
export async function ensureBuilt({ root = ROOT, log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const stale = stalePackages(root);
  if (stale.length === 0) return stale;
  log(`netlayers: building ${stale.join(', ')} (src/ is newer than dist/; pnpm build does the same)`);
  await build(root);
  return stale;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes('--force')) await build();
  else await ensureBuilt({ log: () => {} });
}
