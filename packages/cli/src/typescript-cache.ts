// Running a user's TypeScript without module hooks: the script and the .ts files it imports
// (its local import graph) are transpiled by oxc-transform into a cache, and the command
// imports the cached JavaScript directly. On Node 20, module.register() runs hooks in a worker
// thread that costs ~50 ms and more at every start, and a script that has not changed since its
// last run is not transpiled again (oxc-transform is not even loaded). Not a protocol module;
// no RFC applies.
//
// The cache is a copy of the graph's folders under <N>/node_modules/.cache/netlayers/ts/<hash of
// <N>>/, where <N> is the nearest folder above the script that has a node_modules: x.ts becomes x.js (x.mts,
// x.mjs), relative imports keep working ("./y.ts" and "./y.js" both become "./y.js"), a package
// import finds the same <N>/node_modules/<package>, and import.meta.url, .filename and
// .dirname name the .ts file. Each cached file has a record beside it (x.js.json) with the
// SHA-256 of the format, the .ts file's path and its text, and the file's imports: a script
// whose text changed is transpiled again. Whenever something is transpiled, the cache also
// drops what it holds of .ts files that no longer exist (a renamed or deleted script), so it
// does not grow without bound; a run that transpiles nothing does not look.
//
// It is used only where it runs the script exactly as the hooks would; anything else returns
// undefined and the command registers the hooks instead (typescript.ts): a file outside <N> or
// under another node_modules, an import of a JavaScript or JSON file or without an extension
// ("./y", which tsx allows), a `#` import, a package that is not in <N>/node_modules, a package
// importing itself by name, import.meta used otherwise, an import() of a computed specifier,
// a syntax error (the hooks report it), or a cache folder that cannot be written.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Changes whenever what is cached changes shape or meaning. */
const FORMAT = 'netlayers-ts-cache 1';
/** Where the cache lives below a node_modules folder. */
export const CACHE_DIR = join('.cache', 'netlayers', 'ts');

/** The cache of the scripts below `root` (<N>): one folder per <N>, so two folders sharing one node_modules (a link) keep apart. */
export function cacheFolder(root: string): string {
  return join(root, 'node_modules', CACHE_DIR, createHash('sha256').update(root).digest('hex').slice(0, 12));
}

/** The record kept beside each cached file. */
interface CacheRecord {
  readonly key: string;
  /** What it imports, as the transpiled code says it ("./y.js" for y.ts). */
  readonly specifiers: readonly string[];
  /** Why this file cannot run from the cache (then no JavaScript is kept, and the hooks run it). */
  readonly unsupported?: string;
}

/** Thrown inside this module for a graph the cache cannot stand in for; caught by compileGraph. */
class Unsupported extends Error {}

/** The nearest folder at or above `dir` that has a node_modules. */
function nearestModulesRoot(dir: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, 'node_modules'))) return d;
    if (dirname(d) === d) return undefined;
  }
}

/** The package scope of a folder: its nearest package.json, parsed (undefined for none). */
const scopes = new Map<string, { name?: unknown; exports?: unknown } | undefined>();
function packageScope(dir: string): { name?: unknown; exports?: unknown } | undefined {
  if (scopes.has(dir)) return scopes.get(dir);
  const file = join(dir, 'package.json');
  let scope: { name?: unknown; exports?: unknown } | undefined;
  if (existsSync(file)) {
    try {
      scope = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; exports?: unknown };
    } catch {
      throw new Unsupported(`${file} is not JSON`);
    }
  } else scope = dirname(dir) === dir || dir.endsWith(`${sep}node_modules`) ? undefined : packageScope(dirname(dir));
  scopes.set(dir, scope);
  return scope;
}

/** The package name of a bare specifier ("@scope/name/sub" gives "@scope/name"). */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** The .ts file a relative specifier of the transpiled code names ("./y.js" for y.ts), or throw Unsupported. */
function localTarget(from: string, specifier: string): string {
  if (/[?#%]/.test(specifier)) throw new Unsupported(`import "${specifier}" has a query, a fragment or an escape`);
  const path = resolve(dirname(from), specifier);
  const ts = path.replace(/\.js$/, '.ts').replace(/\.mjs$/, '.mts');
  if (ts === path) throw new Unsupported(`import "${specifier}" is not of a .ts or .mts file`);
  if (existsSync(path)) throw new Unsupported(`import "${specifier}" is of a JavaScript file`);
  if (!existsSync(ts)) throw new Unsupported(`import "${specifier}": no such file`);
  return ts;
}

/**
 * Check that what a module imports resolves from the cache as it does from the module's own
 * folder (done at every run: the files around it may have changed); returns the .ts files it imports.
 */
function checkImports(file: string, root: string, specifiers: readonly string[]): string[] {
  const rel = relative(root, file);
  if (rel.startsWith('..') || rel.split(sep).includes('node_modules')) throw new Unsupported(`${file} is outside ${root} or under a node_modules`);
  for (let d = dirname(file); d !== root; d = dirname(d)) {
    if (existsSync(join(d, 'node_modules'))) throw new Unsupported(`${d} has a node_modules of its own`);
  }
  const scope = packageScope(dirname(file));
  const local: string[] = [];
  for (const specifier of specifiers) {
    if (specifier.startsWith('./') || specifier.startsWith('../')) {
      local.push(localTarget(file, specifier));
      continue;
    }
    if (specifier.startsWith('#')) throw new Unsupported(`import "${specifier}" is a package import`);
    if (isBuiltin(specifier)) continue;
    if (/^[a-z][a-z0-9+.-]*:/i.test(specifier)) throw new Unsupported(`import "${specifier}" is a URL`);
    const name = packageName(specifier);
    if (scope?.name === name && scope.exports !== undefined) throw new Unsupported(`import "${specifier}" names the script's own package`);
    if (!existsSync(join(root, 'node_modules', name))) throw new Unsupported(`package ${name} is not in ${join(root, 'node_modules')}`);
  }
  return local;
}

function writeAtomically(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

/** The cached file of `file` (x.ts → x.js, x.mts → x.mjs). */
function cachedPath(cache: string, root: string, file: string): string {
  return join(cache, relative(root, file)).replace(/\.ts$/, '.js').replace(/\.mts$/, '.mjs');
}

/** The .ts file whose cached file is `out` (the inverse of cachedPath). */
function sourcePath(cache: string, root: string, out: string): string {
  return join(root, relative(cache, out)).replace(/\.js$/, '.ts').replace(/\.mjs$/, '.mts');
}

/**
 * Remove from `folder` (a folder of the cache) every cached file and record whose .ts file is
 * gone, then the folders left empty. Returns how many .ts files were forgotten.
 */
export function pruneCache(cache: string, root: string, folder = cache): number {
  let pruned = 0;
  let entries;
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      pruned += pruneCache(cache, root, path);
      try {
        rmdirSync(path); // only succeeds when now empty
      } catch {
        // not empty: keep it
      }
    } else if (entry.name.endsWith('.js.json') || entry.name.endsWith('.mjs.json')) {
      const out = path.slice(0, -'.json'.length);
      if (existsSync(sourcePath(cache, root, out))) continue;
      rmSync(out, { force: true });
      rmSync(path, { force: true });
      pruned += 1;
    }
  }
  return pruned;
}

/**
 * Make sure the cache holds `script`'s import graph, transpiling what changed; returns the URL
 * of the script's cached JavaScript, or undefined when the hooks must run the script instead.
 */
export async function compileGraph(script: string): Promise<string | undefined> {
  const root = nearestModulesRoot(dirname(script));
  if (root === undefined) return undefined;
  const cache = cacheFolder(root);
  let transpileRelocatable: typeof import('./typescript-hooks.ts').transpileRelocatable | undefined;
  let transpiled = false;
  try {
    const seen = new Set<string>([script]);
    const queue = [script];
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
      const source = readFileSync(file, 'utf8');
      const key = createHash('sha256').update(`${FORMAT}\0${file}\0${source}`).digest('hex');
      const out = cachedPath(cache, root, file);
      let record: CacheRecord | undefined;
      try {
        const kept = JSON.parse(readFileSync(`${out}.json`, 'utf8')) as CacheRecord;
        if (kept.key === key && (kept.unsupported !== undefined || existsSync(out))) record = kept;
      } catch {
        // not cached yet, or a record from elsewhere: transpile
      }
      if (record === undefined) {
        transpileRelocatable ??= (await import('./typescript-hooks.ts')).transpileRelocatable;
        let compiled: ReturnType<typeof transpileRelocatable>;
        try {
          compiled = transpileRelocatable(file, source);
        } catch {
          // A syntax error: the hooks report it, with the file, the line and a code frame.
          throw new Unsupported(`${file} does not transpile`);
        }
        transpiled = true;
        mkdirSync(dirname(out), { recursive: true });
        if (compiled.unsupported !== undefined) {
          record = { key, specifiers: [], unsupported: compiled.unsupported };
        } else {
          record = { key, specifiers: compiled.specifiers };
          if (!existsSync(join(cache, 'package.json'))) writeAtomically(join(cache, 'package.json'), '{ "type": "module" }\n');
          writeAtomically(out, compiled.code);
        }
        writeAtomically(`${out}.json`, `${JSON.stringify(record)}\n`);
      }
      if (record.unsupported !== undefined) throw new Unsupported(`${file} ${record.unsupported}`);
      for (const next of checkImports(file, root, record.specifiers)) {
        if (seen.has(next)) continue;
        seen.add(next);
        queue.push(next);
      }
    }
  } catch (error) {
    if (error instanceof Unsupported || (error as { code?: unknown }).code !== undefined) return undefined;
    throw error;
  } finally {
    if (transpiled) {
      try {
        pruneCache(cache, root);
      } catch {
        // a cache that cannot be tidied still runs the script
      }
    }
  }
  return pathToFileURL(cachedPath(cache, root, script)).href;
}
