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
// once. Checking is ~400 stat calls, ~10 ms of CPU on a 2-core VM (about a twentieth of the
// command's start-up); a rebuild takes seconds, and says so.
//
//   node packages/cli/bin/ensure-built.js          build what is stale
//   node packages/cli/bin/ensure-built.js --force  build everything

import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository's root folder. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** Written after a package's last successful build; its time is the build's. */
const STAMP = join('dist', 'bundle', '.built');

/** Newest modification time (ms) of a folder and everything in it. */
function newest(dir) {
  let latest = statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    // String concatenation, not join(): this runs for every file at every start of the command.
    const path = `${dir}${sep}${entry.name}`;
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

/**
 * The source files a package's "exports" and "imports" name under the netlayers-source
 * condition: { exports, imports }, each sorted.
 */
function entryPoints(dir) {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const collect = (root) => {
    const found = new Set();
    const walk = (target) => {
      if (target === null || typeof target !== 'object') return;
      for (const [key, value] of Object.entries(target)) {
        if (key === 'netlayers-source' && typeof value === 'string') found.add(join(dir, value));
        else walk(value);
      }
    };
    walk(root);
    return [...found].sort();
  };
  return { exports: collect(manifest.exports), imports: collect(manifest.imports) };
}

/**
 * npm packages bundled into each package that imports them instead of left as imports:
 * eventemitter3 is CommonJS (its ESM entry is a wrapper), and importing CommonJS from an ES
 * module makes Node load and run its CommonJS loader and lexer, ~10 ms of a start-up. Nothing
 * compares its class by identity (no instanceof), so a copy per package changes nothing.
 */
const INLINED = new Set(['eventemitter3']);

/** Marks an import of another package's bundle until the output file's place is known. */
const BUILT = 'netlayers-built:';

/** Write esbuild's outputs, each import of another package's bundle made relative to the file. */
function writeOutputs(outputFiles) {
  for (const file of outputFiles) {
    mkdirSync(dirname(file.path), { recursive: true });
    if (!file.path.endsWith('.js')) {
      writeFileSync(file.path, file.contents);
      continue;
    }
    const text = file.text.replace(new RegExp(`"${BUILT}([^"]+)"`, 'g'), (_, target) => {
      const path = relative(dirname(file.path), target).split(sep).join('/');
      return JSON.stringify(path.startsWith('.') ? path : `./${path}`);
    });
    writeFileSync(file.path, text);
  }
}

/** The workspace's packages by name: folder and package.json. */
function workspacePackages(root) {
  const found = new Map();
  for (const name of readdirSync(join(root, 'packages'))) {
    const file = join(root, 'packages', name, 'package.json');
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, 'utf8'));
    found.set(manifest.name, { dir: join(root, 'packages', name), manifest });
  }
  return found;
}

/** The package name of a bare specifier ("@netlayers/lab/node" gives "@netlayers/lab") and the export's subpath ("./node"). */
function splitSpecifier(specifier) {
  const parts = specifier.split('/');
  const length = specifier.startsWith('@') ? 2 : 1;
  return { name: parts.slice(0, length).join('/'), subpath: ['.', ...parts.slice(length)].join('/') };
}

/**
 * esbuild plugin: every bare import (another package, or a `#` import) stays an import, except
 * INLINED's, which are bundled. An import of another built workspace package that the importing
 * package depends on ("workspace:") becomes the relative path of the file Node would resolve
 * it to (the export's "default" target, "../../../core/dist/bundle/index.js"): the same module
 * as when a script imports "@netlayers/core", found without Node's package lookup (a
 * node_modules walk, package.json exports and a realpath through pnpm's link), ~15 ms of a
 * start-up over the five imports of a script that loads @netlayers/lab.
 */
function externalPackages(workspace, manifest) {
  const declared = { ...manifest.dependencies, ...manifest.devDependencies, ...manifest.peerDependencies, ...manifest.optionalDependencies };
  return {
    name: 'external-packages',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        const { name, subpath } = splitSpecifier(args.path);
        if (INLINED.has(name)) return undefined;
        const target = workspace.get(name);
        const entry = target?.manifest.exports?.[subpath];
        const file = typeof entry === 'string' ? entry : entry?.default;
        const ours = String(declared[name] ?? '').startsWith('workspace:') && typeof file === 'string' && existsSync(join(target.dir, 'tsconfig.build.json'));
        if (!ours) return { path: args.path, external: true };
        // A placeholder for now: writeOutputs() makes it relative to each output file.
        return { path: `${BUILT}${join(target.dir, file)}`, external: true };
      });
    },
  };
}

/** Check and build every package: declarations by tsc -b, JavaScript bundles by esbuild. */
export async function build(root = ROOT) {
  const require = createRequire(join(root, 'package.json'));
  // Loaded here, not at the top: the `netlayers` command imports this file at every start.
  const { execFileSync } = await import('node:child_process');
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', join(root, 'tsconfig.build.json')], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  const esbuild = await import(pathToFileURL(require.resolve('esbuild')).href);
  const workspace = workspacePackages(root);
  for (const name of builtPackages(root)) {
    const dir = join(root, 'packages', name);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const { exports, imports } = entryPoints(dir);
    // Chunk names carry a hash: clear the last build's, so none is left behind.
    rmSync(join(dir, 'dist', 'bundle'), { recursive: true, force: true });
    const options = {
      outbase: join(dir, 'src'),
      outdir: join(dir, 'dist', 'bundle'),
      bundle: true,
      chunkNames: '[name]-[hash]',
      format: 'esm',
      platform: 'node',
      target: 'node20',
      // Other packages (ours and npm's) and the package's own `#` imports stay imports, except the
      // small CommonJS ones of INLINED, which would otherwise cost Node's CommonJS loader at start.
      plugins: [externalPackages(workspace, manifest)],
      write: false,
      // Not the root tsconfig.json: its `paths` (which point tsx at the sources) would make
      // esbuild inline other packages instead of leaving them imports.
      tsconfig: join(root, 'tsconfig.base.json'),
      sourcemap: 'linked',
      sourcesContent: false,
      logLevel: 'warning',
    };
    // The exports together, sharing their common code in chunks (one copy of each module);
    // a `#` import's target (a leaf module picked by condition, like core's native CRC-32) on
    // its own, so a package with one export stays one module, esbuild's helpers inside it.
    writeOutputs((await esbuild.build({ ...options, entryPoints: exports, splitting: exports.length > 1 })).outputFiles);
    for (const entry of imports) writeOutputs((await esbuild.build({ ...options, entryPoints: [entry], splitting: false })).outputFiles);
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
