// Scripts run from the repository with `npx tsx` (the examples, a student's own network, the
// benchmarks) load the workspace packages from their TypeScript sources, not from the
// prebuilt dist/: the root tsconfig.json maps every package export to the file its
// `netlayers-source` condition names, and tsx resolves through those `paths`. Without that,
// a student who edits a layer and re-runs an example would silently run the old build.

import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, workspacePackages } from './support/workspace.ts';

interface ExportConditions {
  readonly 'netlayers-source'?: string;
}
interface ManifestWithExports {
  readonly name: string;
  readonly exports?: Record<string, ExportConditions | string>;
}

/** What tsconfig.json's `paths` must hold: each export's source file, by specifier. */
function expectedPaths(): Record<string, string[]> {
  const expected: Record<string, string[]> = {};
  for (const pkg of workspacePackages()) {
    const manifest = JSON.parse(readFileSync(join(ROOT, pkg.dir, 'package.json'), 'utf8')) as ManifestWithExports;
    for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
      const source = typeof target === 'string' ? undefined : target['netlayers-source'];
      if (source === undefined) continue;
      const specifier = subpath === '.' ? manifest.name : `${manifest.name}${subpath.slice(1)}`;
      expected[specifier] = [`./${pkg.dir}/${source.replace(/^\.\//, '')}`];
    }
  }
  return expected;
}

describe('scripts run with tsx load the packages from source', () => {
  it('tsconfig.json maps every package export to its netlayers-source file, and nothing else', () => {
    const tsconfig = JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8')) as { compilerOptions?: { paths?: Record<string, string[]> } };
    const paths = tsconfig.compilerOptions?.paths ?? {};
    const expected = expectedPaths();
    const missing = Object.keys(expected).filter((specifier) => paths[specifier] === undefined);
    const extra = Object.keys(paths).filter((specifier) => expected[specifier] === undefined);
    const wrong = Object.keys(expected).filter((specifier) => paths[specifier] !== undefined && JSON.stringify(paths[specifier]) !== JSON.stringify(expected[specifier]));
    expect({ missing, extra, wrong }).toEqual({ missing: [], extra: [], wrong: [] });
  });

  it('npx tsx on a script in the repository runs packages/*/src, not dist', () => {
    const probe = join(ROOT, 'examples', `.source-probe-${process.pid}.ts`);
    writeFileSync(
      probe,
      "import { Ipv4Address } from '@netlayers/core';\n" +
        // Source maps off, so the frame names the file that ran, not the one a map points at.
        'process.setSourceMapsEnabled(false);\n' +
        "try { Ipv4Address.parse('10.0.0.300'); } catch (error) { console.log(String((error as Error).stack).split('\\n')[1]); }\n",
    );
    try {
      const out = execFileSync(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), probe], { cwd: ROOT, encoding: 'utf8' });
      expect(out).toMatch(/packages\/core\/src\/address\/ipv4\.ts:\d+/);
      expect(out).not.toMatch(/dist/);
    } finally {
      rmSync(probe, { force: true });
    }
  }, 30_000);
});
