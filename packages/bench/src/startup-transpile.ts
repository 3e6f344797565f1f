// What transpiling a user's TypeScript costs the `netlayers` command at start (issue 14): for
// each candidate transpiler, a fresh process loads it, then transforms every .ts file under
// packages/*/src once (type removal plus enum and parameter-property lowering, source map on).
// Reports the median time to load the transpiler and to transform the ~270 files, from
// interleaved runs. The command uses oxc-transform (in-process, native); esbuild's
// transformSync talks to a child process it starts; tsx registers esbuild behind Node's hooks.
// Not a protocol benchmark; no RFC applies.
//
//   npx tsx packages/bench/src/startup-transpile.ts [--runs 5]

import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('../../../', import.meta.url));

function sources(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(path);
    }
  };
  for (const name of readdirSync(join(root, 'packages'))) {
    if (name === 'web') continue;
    try {
      walk(join(root, 'packages', name, 'src'));
    } catch {
      // a package without src/
    }
  }
  return out.sort();
}

// Each probe runs as its own process (cwd: where the transpiler resolves), prints "load transform" in ms.
const PROBES: Record<string, { cwd: string; code: string }> = {
  'oxc-transform': {
    cwd: join(root, 'packages/cli'),
    code: `const t0 = performance.now();
const { transformSync } = await import('oxc-transform');
const t1 = performance.now();
for (const f of files) { const r = transformSync(f, readFileSync(f, 'utf8'), { lang: 'ts', sourceType: 'module', sourcemap: true }); if (r.errors.length) throw new Error(f); }
console.log(t1 - t0, performance.now() - t1);`,
  },
  'esbuild transformSync': {
    cwd: root,
    code: `const t0 = performance.now();
const { transformSync } = await import('esbuild');
const t1 = performance.now();
for (const f of files) transformSync(readFileSync(f, 'utf8'), { loader: 'ts', format: 'esm', sourcemap: 'inline', sourcefile: f });
console.log(t1 - t0, performance.now() - t1);`,
  },
};

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function main(): void {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs: expected a whole number ≥ 1, got ${values.runs}`);
  const files = sources();
  const results = new Map<string, { load: number[]; transform: number[] }>();
  const load = [loadavg()[0]!];
  for (let run = 0; run < runs; run++) {
    for (const [name, probe] of Object.entries(PROBES)) {
      const script = `import { readFileSync } from 'node:fs';\nconst files = ${JSON.stringify(files)};\n${probe.code}`;
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: probe.cwd, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`${name}: ${r.stderr}`);
      const [l, t] = r.stdout.trim().split(' ').map(Number) as [number, number];
      const entry = results.get(name) ?? { load: [], transform: [] };
      entry.load.push(l);
      entry.transform.push(t);
      results.set(name, entry);
    }
    load.push(loadavg()[0]!);
  }
  console.log(`transpiling the workspace's ${files.length} source files, ${runs} interleaved runs; node ${process.version}, 1-min load ${Math.min(...load).toFixed(2)}–${Math.max(...load).toFixed(2)}`);
  console.log('');
  console.log('| transpiler | load ms (median) | transform all ms (median) | per file µs |');
  console.log('|---|---:|---:|---:|');
  for (const [name, r] of results) {
    console.log(`| ${name} | ${median(r.load).toFixed(1)} | ${median(r.transform).toFixed(0)} | ${((median(r.transform) * 1000) / files.length).toFixed(0)} |`);
  }
}

main();
