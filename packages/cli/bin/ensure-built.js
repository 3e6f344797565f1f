// Keeps the workspace's prebuilt JavaScript (each package's dist/, made by `pnpm build`, i.e.
// `tsc -b tsconfig.build.json`) in step with its TypeScript sources. The `netlayers` command
// and the test suite's global setup call ensureBuilt() before anything loads dist/: when a
// package's dist/ is missing, or any file or folder under its src/ (or its package.json or
// tsconfig.build.json) is newer than its build info, e.g. after a `git pull` or an edit, it
// runs the TypeScript compiler's incremental build once and returns. Checking costs a few
// milliseconds of stat calls; a rebuild takes seconds, and says so on stderr.

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BUILD_INFO = join('dist', 'tsconfig.build.tsbuildinfo');

/** Newest modification time (ms) of a folder and everything in it. */
function newest(dir) {
  let latest = statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** The packages whose dist/ is missing or older than their sources, by folder name. */
export function stalePackages(root = ROOT) {
  const packages = join(root, 'packages');
  const stale = [];
  for (const name of readdirSync(packages)) {
    const dir = join(packages, name);
    if (!existsSync(join(dir, 'tsconfig.build.json'))) continue;
    const info = join(dir, BUILD_INFO);
    if (!existsSync(info)) {
      stale.push(name);
      continue;
    }
    const built = statSync(info).mtimeMs;
    const inputs = Math.max(newest(join(dir, 'src')), statSync(join(dir, 'package.json')).mtimeMs, statSync(join(dir, 'tsconfig.build.json')).mtimeMs);
    if (inputs > built) stale.push(name);
  }
  return stale;
}

/** Build what is stale (all of it, incrementally, in dependency order); returns what was stale. */
export function ensureBuilt({ root = ROOT, log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const stale = stalePackages(root);
  if (stale.length === 0) return stale;
  log(`netlayers: building ${stale.join(', ')} (src/ is newer than dist/; pnpm build does the same)`);
  const tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-b', join(root, 'tsconfig.build.json')], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  return stale;
}
