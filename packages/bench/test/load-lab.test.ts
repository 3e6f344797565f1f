// The A/B harness loads the other checkout's layers, all of them: a fake checkout whose lab
// re-exports its own core's marker, loaded with `--root` from a process started in this tree
// (whose tsconfig maps @netlayers/core to this tree's core), must report the fake core's
// marker; and a checkout whose lab reaches into another tree's core must be refused.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { packageOrigins } from '../src/load-lab.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../../..');
const probe = path.join(here, 'fixtures/load-lab-probe.ts');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'netlayers-load-lab-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function fakeCheckout(name: string, coreTarget: string): string {
  const root = path.join(tmp, name);
  mkdirSync(path.join(root, 'packages/lab/src'), { recursive: true });
  mkdirSync(path.join(root, 'packages/core/src'), { recursive: true });
  // ES modules, as the workspace's packages are (CommonJS would bypass the resolve hook).
  writeFileSync(path.join(root, 'package.json'), JSON.stringify({ type: 'module' }));
  writeFileSync(path.join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { paths: { '@netlayers/core': [coreTarget] } } }));
  writeFileSync(path.join(root, 'packages/core/src/index.ts'), `export const marker: string = 'fake core of ${name}';\n`);
  writeFileSync(path.join(root, 'packages/lab/src/index.ts'), `import * as core from '@netlayers/core';\nexport const marker = (core as { marker?: string }).marker ?? 'no marker';\n`);
  return root;
}

function runProbe(root: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', probe, '--root', root], { cwd: repo, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('loadLab --root', () => {
  it("gives the other checkout's lab that checkout's core, not this tree's", () => {
    const root = fakeCheckout('own-core', './packages/core/src/index.ts');
    const r = runProbe(root);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout.trim())).toEqual({ marker: 'fake core of own-core', packages: ['core', 'lab'] });
  }, 30_000);

  it('refuses a lab whose layers resolve into another tree', () => {
    const root = fakeCheckout('foreign-core', path.join(repo, 'packages/core/src/index.ts'));
    const r = runProbe(root);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('layers loaded from the wrong checkout');
    expect(r.stderr).toContain(`core from ${repo}`);
  }, 30_000);
});

describe('packageOrigins', () => {
  it('groups resolved files by package and checkout, skipping node_modules and the bench package', () => {
    const origins = packageOrigins([
      'file:///a/packages/core/src/index.ts',
      'file:///b/packages/core/src/packet.ts',
      'file:///a/packages/bench/src/bulk.ts',
      'file:///a/node_modules/.pnpm/x/node_modules/tsx/dist/loader.mjs',
      'node:fs',
    ]);
    expect([...origins.keys()]).toEqual(['core']);
    expect([...origins.get('core')!].sort()).toEqual(['/a', '/b']);
  });
});
