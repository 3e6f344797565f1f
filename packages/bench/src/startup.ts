// Start-up benchmark (issue 14): wall time from spawning a process to the first trace event of
// a tiny script that imports @netlayers/lab (two hosts on a cable, one ping), and the memory
// the process holds at that moment. Not a protocol benchmark; no RFC applies.
//
//   npx tsx packages/bench/src/startup.ts [--runs 10] [--base <checkout>] [--modes node,js,ts-cli,ts-cli-cold,ts-tsx]
//
// Modes (each a fresh process, run from a temporary folder whose node_modules links to the
// checkout's; only the command's TypeScript cache, node_modules/.cache/netlayers, is written
// there, and the probe's part of it is removed at the end):
//   node    `node -e` printing the marker at once: what Node itself costs on this machine
//   js      `node probe.mjs` (a checkout without prebuilt dist/ needs `node --import tsx`,
//           which is how it has to be run there, and is what this checkout's "before" was)
//   ts-cli  `node packages/cli/bin/netlayers.js run probe.ts`, the command a user types (a
//           checkout whose command keeps a TypeScript cache finds the probe there: the untimed
//           first run put it there, as any earlier run of an unchanged script would)
//   ts-cli-cold  the same with the probe's cache removed before each run: transpiled every time
//   ts-tsx  `node --import tsx probe.ts`, the TypeScript script without the command
// The probe prints a marker at its first trace event: the wall-clock time
// (performance.timeOrigin + performance.now(), the same clock the harness reads just before
// spawning), its RSS then, its peak RSS so far (process.resourceUsage().maxRSS) and the CPU
// time it had used (process.cpuUsage(), user + system): on a loaded machine wall time mostly
// measures the wait for a core, and CPU time is the steadier figure.
// With --base, every run measures each mode in both checkouts back to back (interleaved), and
// the table gives each median with its spread (min–max) and the ratio of the medians.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cacheFolder } from '../../cli/src/typescript-cache.ts';

const MODES = ['node', 'js', 'ts-cli', 'ts-cli-cold', 'ts-tsx'] as const;
type Mode = (typeof MODES)[number];
const MARKER = 'netlayers-startup';
// The default set leaves out ts-tsx (tsx's own start-up, not the command's); name it to add it.
const DEFAULT_MODES: readonly Mode[] = ['node', 'js', 'ts-cli', 'ts-cli-cold'];

const PROBE_BODY = `
const net = new Network({ seed: 1 });
let seen = false;
net.trace.on('event', () => {
  if (seen) return;
  seen = true;
  const now = performance.timeOrigin + performance.now();
  const cpu = process.cpuUsage();
  process.stdout.write('${MARKER} ' + now + ' ' + process.memoryUsage().rss + ' ' + process.resourceUsage().maxRSS * 1024 + ' ' + (cpu.user + cpu.system) / 1000 + '\\n');
});
const a = net.addHost('a');
const b = net.addHost('b');
net.connect([a, '10.0.0.1/24'], [b, '10.0.0.2/24']);
await a.ping('10.0.0.2');
`;

const PROBE_JS = `import { Network } from '@netlayers/lab';\n${PROBE_BODY}`;
// The same script with what makes it TypeScript: a type import, an interface, annotations.
const PROBE_TS = `import { Network, type Host } from '@netlayers/lab';
interface Pair { readonly a: Host; readonly b: Host }
const check = (pair: Pair): number => pair.a.name.length + pair.b.name.length;
void check;
${PROBE_BODY.replace("const net = new Network({ seed: 1 });", "const net: Network = new Network({ seed: 1 });")}`;

interface Sample {
  readonly ms: number;
  readonly rss: number;
  readonly maxRss: number;
  /** CPU time (user + system, all threads) the process had used by then, ms. */
  readonly cpu: number;
}

interface Checkout {
  readonly label: string;
  readonly root: string;
  readonly dir: string;
  readonly prebuilt: boolean;
}

function prepare(label: string, root: string): Checkout {
  const dir = mkdtempSync(join(tmpdir(), `netlayers-startup-${label}-`));
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(join(dir, 'probe.mjs'), PROBE_JS);
  writeFileSync(join(dir, 'probe.ts'), PROBE_TS);
  const prebuilt = existsSync(join(root, 'tsconfig.build.json'));
  return { label, root, dir, prebuilt };
}

function command(checkout: Checkout, mode: Mode): string[] {
  switch (mode) {
    case 'node':
      return ['-e', `const cpu = process.cpuUsage(); process.stdout.write('${MARKER} ' + (performance.timeOrigin + performance.now()) + ' ' + process.memoryUsage().rss + ' ' + process.resourceUsage().maxRSS * 1024 + ' ' + (cpu.user + cpu.system) / 1000 + '\\n')`];
    case 'js':
      return checkout.prebuilt ? ['probe.mjs'] : ['--import', 'tsx', 'probe.mjs'];
    case 'ts-cli':
    case 'ts-cli-cold':
      return [join(checkout.root, 'packages/cli/bin/netlayers.js'), 'run', 'probe.ts'];
    case 'ts-tsx':
      return ['--import', 'tsx', 'probe.ts'];
  }
}

function once(checkout: Checkout, mode: Mode): Promise<Sample> {
  if (mode === 'ts-cli-cold') rmSync(cacheFolder(checkout.dir), { recursive: true, force: true });
  return new Promise((done, fail) => {
    const args = command(checkout, mode);
    const start = performance.timeOrigin + performance.now();
    const child = spawn(process.execPath, args, { cwd: checkout.dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith(`${MARKER} `));
      if (code !== 0 || line === undefined) {
        fail(new Error(`${checkout.label} ${mode}: node ${args.join(' ')} exited ${code} without a marker\n${err}`));
        return;
      }
      const [, at, rss, maxRss, cpu] = line.split(' ').map(Number) as [number, number, number, number, number];
      done({ ms: at - start, rss, maxRss, cpu });
    });
  });
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const mib = (bytes: number): string => (bytes / 1048576).toFixed(0);
const spread = (xs: readonly number[], f: (x: number) => string): string => `${f(median(xs))} (${f(Math.min(...xs))}–${f(Math.max(...xs))})`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { runs: { type: 'string', default: '10' }, base: { type: 'string' }, modes: { type: 'string', default: DEFAULT_MODES.join(',') } },
  });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs: expected a whole number ≥ 1, got ${values.runs}`);
  const modes = values.modes.split(',').map((m) => {
    if (!(MODES as readonly string[]).includes(m)) throw new Error(`--modes: unknown mode "${m}", use ${MODES.join(', ')}`);
    return m as Mode;
  });
  const here = fileURLToPath(new URL('../../../', import.meta.url));
  const checkouts = [prepare('this', here)];
  if (values.base !== undefined) {
    const base = resolve(values.base);
    if (!existsSync(join(base, 'packages/lab/package.json'))) throw new Error(`--base ${values.base}: not a netlayers checkout`);
    checkouts.push(prepare('base', base));
  }
  // The command rebuilds a stale dist/ before it starts: bring it up to date outside the timing.
  const { ensureBuilt } = (await import(join(here, 'packages/cli/bin/ensure-built.js'))) as { ensureBuilt: () => Promise<string[]> };
  await ensureBuilt();

  const samples = new Map<string, Sample[]>();
  const load = [loadavg()[0]!];
  try {
    // One untimed start of each, so the file cache is warm for every contender alike.
    for (const mode of modes) for (const c of checkouts) await once(c, mode);
    for (let run = 0; run < runs; run++) {
      for (const mode of modes) {
        // Alternate which checkout goes first, so neither always follows the other.
        const order = run % 2 === 0 ? checkouts : [...checkouts].reverse();
        for (const c of order) {
          const key = `${c.label} ${mode}`;
          const list = samples.get(key) ?? [];
          list.push(await once(c, mode));
          samples.set(key, list);
        }
      }
      load.push(loadavg()[0]!);
    }
  } finally {
    for (const c of checkouts) {
      rmSync(cacheFolder(c.dir), { recursive: true, force: true });
      rmSync(c.dir, { recursive: true, force: true });
    }
  }

  console.log(`start-up to the first trace event, ${runs} interleaved runs; node ${process.version}, ${cpus().length} CPUs, 1-min load ${Math.min(...load).toFixed(2)}–${Math.max(...load).toFixed(2)}`);
  console.log('');
  const withBase = checkouts.length > 1;
  console.log(`| mode | ${checkouts.map((c) => `${c.label}: wall ms median (min–max)`).join(' | ')} | ${checkouts.map((c) => `${c.label}: CPU ms median (min–max)`).join(' | ')} | ${checkouts.map((c) => `${c.label}: RSS / peak MiB`).join(' | ')}${withBase ? ' | wall this / base | CPU this / base' : ''} |`);
  console.log(`|---|${checkouts.map(() => '---:|---:|---:|').join('')}${withBase ? '---:|---:|' : ''}`);
  for (const mode of modes) {
    const per = checkouts.map((c) => samples.get(`${c.label} ${mode}`)!);
    const times = per.map((list) => list.map((s) => s.ms));
    const cpus = per.map((list) => list.map((s) => s.cpu));
    const ms = times.map((t) => spread(t, (x) => x.toFixed(0)));
    const cpu = cpus.map((t) => spread(t, (x) => x.toFixed(0)));
    const mem = per.map((list) => `${mib(median(list.map((s) => s.rss)))} / ${mib(median(list.map((s) => s.maxRss)))}`);
    const ratio = withBase ? ` | ${(median(times[0]!) / median(times[1]!)).toFixed(2)} | ${(median(cpus[0]!) / median(cpus[1]!)).toFixed(2)}` : '';
    console.log(`| ${mode} | ${ms.join(' | ')} | ${cpu.join(' | ')} | ${mem.join(' | ')}${ratio} |`);
  }
}

await main();
