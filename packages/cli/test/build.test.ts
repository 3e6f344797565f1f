// The prebuilt JavaScript the command runs (packages/cli/bin/ensure-built.js): every package's
// dist/ is there and not older than its sources once the suite's global setup has run; the
// freshness check sees a changed, added or removed source file; the command loads the
// packages from dist/bundle/, not from src/; and a user's TypeScript is transpiled in the
// command's own process (oxc-transform through node:module hooks), enums, parameter
// properties and tsx-style imports included, with its own line numbers in a stack trace.

import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { stalePackages } from '../bin/ensure-built.js';
import { CACHE_DIR } from '../src/typescript-cache.ts';

const run = promisify(execFile);
const root = new URL('../../../', import.meta.url).pathname;
const bin = join(root, 'packages/cli/bin/netlayers.js');
// Scripts must live inside the repository to resolve @netlayers/*; removed afterwards.
const scratch = mkdtempSync(join(root, '.build-test-'));
const fake = mkdtempSync(join(tmpdir(), 'netlayers-build-'));
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
  // What the TypeScript cache keeps of the scratch scripts (node_modules/.cache/netlayers/ts/<hash of the root>/<scratch>).
  const cache = join(root, 'node_modules', CACHE_DIR);
  for (const folder of existsSync(cache) ? readdirSync(cache, { withFileTypes: true }) : []) {
    if (folder.isDirectory()) rmSync(join(cache, folder.name, scratch.slice(root.length)), { recursive: true, force: true });
  }
  rmSync(fake, { recursive: true, force: true });
});

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return cliWith({}, ...args);
}

async function cliWith(env: NodeJS.ProcessEnv, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1', ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('the build', () => {
  it('every package with a tsconfig.build.json has a fresh dist/: bundles for each export, declarations beside them', () => {
    expect(stalePackages(root)).toEqual([]);
    const built = readdirSync(join(root, 'packages')).filter((name) => existsSync(join(root, 'packages', name, 'tsconfig.build.json')));
    expect(built).toEqual(expect.arrayContaining(['core', 'physical', 'link', 'network', 'transport', 'application', 'lab', 'trace', 'cli']));
    for (const name of built) {
      const manifest = JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8')) as { exports: Record<string, Record<string, string>> };
      for (const [subpath, target] of Object.entries(manifest.exports)) {
        expect(Object.keys(target), `${name} ${subpath}`).toEqual(['netlayers-source', 'types', 'default']);
        for (const file of [target['netlayers-source']!, target['types']!, target['default']!]) {
          expect(existsSync(join(root, 'packages', name, file)), `${name} ${subpath}: ${file}`).toBe(true);
        }
      }
    }
  });

  it('the freshness check sees an edited, an added and a removed source file, and a missing build', () => {
    const dir = join(fake, 'packages', 'p');
    mkdirSync(join(dir, 'src', 'sub'), { recursive: true });
    mkdirSync(join(dir, 'dist', 'bundle'), { recursive: true });
    for (const file of ['package.json', 'tsconfig.build.json', 'src/a.ts', 'src/sub/b.ts']) writeFileSync(join(dir, file), '{}\n');
    const at = (seconds: number) => new Date(1_800_000_000_000 + seconds * 1000);
    const touch = (file: string, seconds: number) => utimesSync(join(dir, file), at(seconds), at(seconds));
    for (const file of ['package.json', 'tsconfig.build.json', 'src/a.ts', 'src/sub/b.ts', 'src/sub', 'src']) touch(file, 0);
    expect(stalePackages(fake)).toEqual(['p']); // never built
    writeFileSync(join(dir, 'dist', 'bundle', '.built'), 'x\n');
    touch('dist/bundle/.built', 10);
    expect(stalePackages(fake)).toEqual([]);
    touch('src/sub/b.ts', 20); // edited
    expect(stalePackages(fake)).toEqual(['p']);
    touch('src/sub/b.ts', 0);
    rmSync(join(dir, 'src', 'sub', 'b.ts')); // removed: the folder's time moves
    touch('src/sub', 20);
    expect(stalePackages(fake)).toEqual(['p']);
    touch('src/sub', 0);
    touch('package.json', 20); // exports changed
    expect(stalePackages(fake)).toEqual(['p']);
  });
});

describe('netlayers runs the build', { timeout: 60_000 }, () => {
  it('loads every @netlayers package from dist/bundle, the script included', async () => {
    const script = join(scratch, 'where.mjs');
    writeFileSync(script, [
      "import { Network } from '@netlayers/lab';",
      "for (const p of ['core', 'lab', 'trace']) console.log(import.meta.resolve(`@netlayers/${p}`));",
      'new Network({ seed: 1 });',
    ].join('\n'));
    const r = await cli('run', script);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).toMatch(/\/packages\/(core|lab|trace)\/dist\/bundle\/index\.js$/);
  });

  it('transpiles TypeScript in process: enums, parameter properties, a "./x.js" import of x.ts, an extensionless import', async () => {
    writeFileSync(join(scratch, 'helper.ts'), 'export enum Colour { Red = 1, Green }\nexport class Box { constructor(readonly size: number) {} }\n');
    writeFileSync(join(scratch, 'more.ts'), 'export const more: number = 40;\n');
    writeFileSync(join(scratch, 'main.ts'), [
      "import { Network, type Host } from '@netlayers/lab';",
      "import { Colour, Box } from './helper.js';",
      "import { more } from './more';",
      'const net: Network = new Network({ seed: 1 });',
      "const a: Host = net.addHost('a');",
      'console.log(`${Colour.Green} ${new Box(more + 2).size} ${a.name}`);',
    ].join('\n'));
    const r = await cli('run', join(scratch, 'main.ts'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('2 42 a\n');
  });

  it('a syntax error in the script names the file and the line', async () => {
    writeFileSync(join(scratch, 'bad.ts'), 'const x: number = 1;\nconst = 2;\n');
    const r = await cli('run', join(scratch, 'bad.ts'));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('bad.ts');
    expect(r.stderr).toMatch(/const = 2/);
  });

  it('runs TypeScript from the cache: transpiled once, again when a file of its graph changes, import.meta naming the .ts file', async () => {
    const dir = join(scratch, 'cached');
    mkdirSync(join(dir, 'sub'), { recursive: true });
    writeFileSync(join(dir, 'sub', 'count.ts'), 'export const count: number = 1;\n');
    writeFileSync(join(dir, 'lazy.ts'), 'export const lazy = (n: number): string => `lazy ${n}`;\n');
    writeFileSync(join(dir, 'main.ts'), [
      "import { Network } from '@netlayers/lab';",
      "import { count } from './sub/count.ts';",
      "const { lazy } = await import('./lazy.js');",
      'new Network({ seed: 1 });',
      "console.log(count, lazy(count), import.meta.url, import.meta.filename, import.meta.dirname);",
    ].join('\n'));
    const cache = join(root, 'node_modules', CACHE_DIR);
    const cachedFiles = (): string[] => (existsSync(cache) ? readdirSync(cache, { recursive: true, encoding: 'utf8' }) : []).filter((f) => f.includes(`${scratch.slice(root.length)}/cached/`) && f.endsWith('.js'));
    const expected = (n: number): string => `${n} lazy ${n} file://${join(dir, 'main.ts')} ${join(dir, 'main.ts')} ${dir}\n`;
    const first = await cli('run', join(dir, 'main.ts'));
    expect(first.stderr).toBe('');
    expect(first.stdout).toBe(expected(1));
    expect(cachedFiles().map((f) => f.slice(f.indexOf('/cached/'))).sort()).toEqual(['/cached/lazy.js', '/cached/main.js', '/cached/sub/count.js']);
    const again = await cli('run', join(dir, 'main.ts'));
    expect(again.stdout).toBe(expected(1));
    writeFileSync(join(dir, 'sub', 'count.ts'), 'export const count: number = 2;\n');
    expect((await cli('run', join(dir, 'main.ts'))).stdout).toBe(expected(2));
    // The module hooks give the same.
    expect((await cliWith({ NETLAYERS_TS_CACHE: '0' }, 'run', join(dir, 'main.ts'))).stdout).toBe(expected(2));
  });

  it('the cache forgets a renamed or deleted script the next time it transpiles, and keeps what still exists', async () => {
    const dir = join(scratch, 'pruned');
    mkdirSync(join(dir, 'gone'), { recursive: true });
    writeFileSync(join(dir, 'gone', 'helper.ts'), 'export const helper: string = "old";\n');
    writeFileSync(join(dir, 'first.ts'), "import { helper } from './gone/helper.ts';\nconsole.log(helper);\n");
    writeFileSync(join(dir, 'kept.ts'), 'console.log("kept");\n');
    const cache = join(root, 'node_modules', CACHE_DIR);
    const cachedFiles = (): string[] => (existsSync(cache) ? readdirSync(cache, { recursive: true, encoding: 'utf8' }) : []).filter((f) => f.includes(`${scratch.slice(root.length)}/pruned/`)).map((f) => f.slice(f.indexOf('/pruned/'))).sort();
    expect((await cli('run', join(dir, 'first.ts'))).stdout).toBe('old\n');
    expect((await cli('run', join(dir, 'kept.ts'))).stdout).toBe('kept\n');
    expect(cachedFiles()).toEqual(['/pruned/first.js', '/pruned/first.js.json', '/pruned/gone', '/pruned/gone/helper.js', '/pruned/gone/helper.js.json', '/pruned/kept.js', '/pruned/kept.js.json']);
    // The user renames first.ts and deletes the folder it imported from.
    rmSync(join(dir, 'gone'), { recursive: true });
    rmSync(join(dir, 'first.ts'));
    writeFileSync(join(dir, 'second.ts'), 'console.log("second");\n');
    // A run that transpiles nothing leaves the cache as it is ...
    expect((await cli('run', join(dir, 'kept.ts'))).stdout).toBe('kept\n');
    expect(cachedFiles()).toContain('/pruned/first.js');
    // ... and the next run that transpiles drops what belongs to files that are gone.
    expect((await cli('run', join(dir, 'second.ts'))).stdout).toBe('second\n');
    expect(cachedFiles()).toEqual(['/pruned/kept.js', '/pruned/kept.js.json', '/pruned/second.js', '/pruned/second.js.json']);
  });

  it('leaves to the module hooks what the cache cannot run as written: an extensionless import, import.meta.resolve', async () => {
    const dir = join(scratch, 'hooked');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'x.ts'), 'export const x: number = 7;\n');
    writeFileSync(join(dir, 'a.ts'), "import { x } from './x';\nconsole.log(x);\n");
    writeFileSync(join(dir, 'b.ts'), "console.log(import.meta.resolve('./x.ts'));\n");
    for (const run of [1, 2]) {
      const a = await cli('run', join(dir, 'a.ts'));
      expect(a.stdout, `run ${run}`).toBe('7\n');
      const b = await cli('run', join(dir, 'b.ts'));
      expect(b.stdout, `run ${run}`).toBe(`file://${join(dir, 'x.ts')}\n`);
    }
    // a.ts itself is kept (its import is checked at every run); b.ts is not.
    const cache = join(root, 'node_modules', CACHE_DIR);
    expect(readdirSync(cache, { recursive: true, encoding: 'utf8' }).filter((f) => f.includes(`${scratch.slice(root.length)}/hooked/`) && f.endsWith('.js')).map((f) => f.slice(f.indexOf('/hooked/')))).toEqual(['/hooked/a.js']);
  });

  it.each([['the cache', {}], ['the module hooks', { NETLAYERS_TS_CACHE: '0' }]])('a thrown error points at the TypeScript line, through the source map (%s)', async (_, env) => {
    writeFileSync(join(scratch, 'throws.ts'), [
      'interface Shape {',
      '  readonly sides: number;',
      '}',
      'const shapes: Shape[] = [{ sides: 3 }];',
      'export function main(): void {',
      '  throw new Error(`no network, ${shapes.length} shape`);',
      '}',
    ].join('\n'));
    const r = await cliWith(env, 'run', join(scratch, 'throws.ts'));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('no network, 1 shape');
    expect(r.stderr).toMatch(/throws\.ts:6:\d+/);
  });
});
