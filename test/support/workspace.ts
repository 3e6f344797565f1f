// The workspace as the repository-wide tests see it: each package's directory and manifest,
// and the packages its files import. Imports are read with TypeScript's own pre-processor
// (static `import`/`export ... from`, side-effect imports and `import('...')` with a literal),
// so an import quoted in a comment or a string does not count. Relative paths, `#` subpath
// imports and Node built-ins are left out: only packages a manifest has to declare remain.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import ts from 'typescript';

export const ROOT = new URL('../../', import.meta.url).pathname;

export interface Manifest {
  readonly name: string;
  readonly dependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
}

export interface WorkspacePackage {
  /** Directory relative to the root: "packages/link", "examples". */
  readonly dir: string;
  /** "link" for packages/link; "examples" for the examples. */
  readonly short: string;
  readonly manifest: Manifest;
}

/** Every workspace package: packages/* and examples. */
export function workspacePackages(): WorkspacePackage[] {
  const dirs = readdirSync(join(ROOT, 'packages'))
    .filter((name) => statSync(join(ROOT, 'packages', name)).isDirectory())
    .map((name) => `packages/${name}`);
  dirs.push('examples');
  return dirs.map((dir) => ({
    dir,
    short: dir.replace(/^packages\//, ''),
    manifest: JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8')) as Manifest,
  }));
}

export function rootManifest(): Manifest {
  return JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;
}

const SKIP_DIRS = new Set(['node_modules', 'dist', 'fixtures', 'test-results', 'coverage']);
const SOURCE = /\.(ts|mts|js|mjs)$/;

function sourceFiles(path: string, out: string[] = []): string[] {
  if (statSync(path).isFile()) {
    if (SOURCE.test(path) && !path.endsWith('.d.ts')) out.push(path);
    return out;
  }
  for (const entry of readdirSync(path)) {
    if (!SKIP_DIRS.has(entry)) sourceFiles(join(path, entry), out);
  }
  return out;
}

/** "@scope/name/sub" -> "@scope/name"; "name/sub" -> "name". */
export function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function isDeclarable(specifier: string): boolean {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('#') || specifier.startsWith('node:')) return false;
  return !builtinModules.includes(packageOf(specifier));
}

/** Imported package -> the files (relative to the root) importing it, over `paths` (files or directories). */
export function importsOf(paths: readonly string[]): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const path of paths) {
    for (const file of sourceFiles(join(ROOT, path))) {
      const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
      for (const { fileName } of importedFiles) {
        if (!isDeclarable(fileName)) continue;
        const name = packageOf(fileName);
        const files = found.get(name) ?? [];
        const rel = relative(ROOT, file);
        if (!files.includes(rel)) files.push(rel);
        found.set(name, files);
      }
    }
  }
  return found;
}

/**
 * A package's files split by what they ship: `runtime` (src/, bin/, and for the examples
 * every script outside test/) and `dev` (tests, benchmarks, tool configs). Paths are
 * relative to the root and exist.
 */
export function filesOf(pkg: WorkspacePackage): { runtime: string[]; dev: string[] } {
  const runtime: string[] = [];
  const dev: string[] = [];
  for (const entry of readdirSync(join(ROOT, pkg.dir))) {
    if (SKIP_DIRS.has(entry) || entry === 'package.json') continue;
    const path = `${pkg.dir}/${entry}`;
    const isDir = statSync(join(ROOT, path)).isDirectory();
    if (!isDir && !SOURCE.test(entry)) continue;
    const isRuntime = pkg.dir === 'examples' ? entry !== 'test' && !/\.config\.ts$/.test(entry) : entry === 'src' || entry === 'bin';
    (isRuntime ? runtime : dev).push(path);
  }
  return { runtime, dev };
}
