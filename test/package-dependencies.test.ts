// Each workspace package's package.json against its imports: what the shipped code (src/,
// the CLI's bin/, the examples' scripts) imports is in `dependencies` (or `peerDependencies`),
// and nothing sits in `dependencies` that it does not import; what only tests, benchmarks
// and tool configs import is in `devDependencies` (or comes from the root's devDependencies,
// the workspace-wide tools: vitest, fast-check, typescript, tsx), and every devDependency is
// imported by something. Node built-ins need no entry.

import { describe, expect, it } from 'vitest';
import { filesOf, importsOf, rootManifest, workspacePackages } from './support/workspace.ts';

const root = rootManifest();
const rootTools = Object.keys(root.devDependencies ?? {});

describe('package.json dependencies match the imports', () => {
  for (const pkg of workspacePackages()) {
    it(`${pkg.dir}/package.json`, () => {
      const { name, dependencies = {}, devDependencies = {}, peerDependencies = {} } = pkg.manifest;
      const files = filesOf(pkg);
      const runtime = importsOf(files.runtime);
      const dev = importsOf(files.dev);
      runtime.delete(name);
      dev.delete(name);
      const problems: string[] = [];
      const where = (files: readonly string[]) => files.slice(0, 2).join(', ') + (files.length > 2 ? ', ...' : '');

      for (const [dep, users] of runtime) {
        if (!(dep in dependencies) && !(dep in peerDependencies)) problems.push(`${dep}: imported by ${where(users)} but not in dependencies`);
      }
      for (const dep of Object.keys(dependencies)) {
        if (runtime.has(dep)) continue;
        problems.push(dev.has(dep) ? `${dep}: only tests import it, so devDependencies, not dependencies` : `${dep}: in dependencies, imported by nothing`);
      }
      for (const [dep, users] of dev) {
        if (runtime.has(dep) || dep in dependencies || dep in peerDependencies) continue;
        if (!(dep in devDependencies) && !rootTools.includes(dep)) problems.push(`${dep}: imported by ${where(users)} but not in devDependencies`);
      }
      for (const dep of Object.keys(devDependencies)) {
        if (dep in dependencies) problems.push(`${dep}: in both dependencies and devDependencies`);
        else if (!dev.has(dep) && !runtime.has(dep) && !dep.startsWith('@types/')) problems.push(`${dep}: in devDependencies, imported by nothing`);
      }
      expect(problems).toEqual([]);
    });
  }
});
