// netlayers against ns-3 on the same scenario (../ns3/p2p-bulk.cc and ./p2p-bulk.ts): two nodes,
// a 1 Gbit/s / 1 ms point-to-point link, one bulk TCP transfer with matched segment size (1448),
// buffers, Nagle, initial window, delayed ACKs, NewReno, SACK, timestamps and a 1000-packet FIFO.
// Compiles the ns-3 program with g++ against Debian's libns3-dev (ns-3.37; `--install` runs
// apt-get install libns3-dev first), then runs both simulators in interleaved pairs (the order
// alternates from run to run) under /usr/bin/time, and reports per size:
//   - whole-process CPU time (user + system, from start-up to exit) and wall time,
//   - the run loop's CPU time (Simulator::Run / net.runUntilIdle only),
//   - both simulators' simulated completion times (last byte at the receiver),
// with ratios taken within each pair (ns-3 ÷ netlayers: above 1 means netlayers is faster) and
// their median.
//
// Like for like: ns-3 runs as a compiled binary, so our side by default runs prebuilt too: an
// esbuild bundle of p2p-bulk.ts and the workspace sources it imports, cached under
// node_modules/.cache/netlayers-bench by content hash, run by plain `node`. The same script
// under tsx (transpiled at every start) runs in each group as well and gets its own rows
// (`--no-tsx` leaves it out).
//
//   npx tsx packages/bench/src/ns3-compare.ts --runs 3 [--sizes 200,50] [--buffer 1048576]
//       [--nagle] [--install] [--no-tsx] [--ours "node other.js"] [--json out.json]

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const SOURCE = path.join(here, '../ns3/p2p-bulk.cc');
const NS3_LIBS = ['core', 'network', 'internet', 'point-to-point', 'applications', 'traffic-control'];

/** netlayers = our side prebuilt (or `--ours`); netlayers-tsx = the same script under tsx. */
export type Simulator = 'ns-3' | 'netlayers' | 'netlayers-tsx';

export interface RunRecord {
  simulator: Simulator;
  bytes: number;
  completionSeconds: number;
  runLoopWallMs: number;
  runLoopCpuMs: number;
  events: number;
  processWallS: number;
  processCpuS: number;
  maxRssMiB: number;
}

interface Options {
  runs: number;
  sizesMiB: number[];
  buffer: number;
  nagle: boolean;
  install: boolean;
  ours: string[] | undefined;
  tsx: boolean;
  json: string | undefined;
}

const TSX_SIDE = [process.execPath, '--import', 'tsx', path.join(here, 'p2p-bulk.ts')];
export const BUNDLE_CACHE = path.resolve(here, '../../../node_modules/.cache/netlayers-bench');

/**
 * Bundles a checkout's p2p-bulk.ts (default: this one) with every workspace package it imports
 * (their TypeScript sources, through the `netlayers-source` condition and that checkout's own
 * tsconfig and node_modules) into one ES module, cached by content hash; returns its path.
 * Refuses if a workspace source came from another tree. A few hundred milliseconds, outside
 * any timing.
 */
export async function buildOursBundle(cacheDir = BUNDLE_CACHE, root = path.resolve(here, '../../..')): Promise<string> {
  const { build } = await import('esbuild');
  const checkout = realpathSync(root);
  const result = await build({
    entryPoints: [path.join(checkout, 'packages/bench/src/p2p-bulk.ts')],
    absWorkingDir: checkout,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['netlayers-source'],
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const foreign = Object.keys(result.metafile.inputs)
    .map((input) => realpathSync(path.resolve(checkout, input)))
    .filter((file) => !file.startsWith(checkout + path.sep));
  if (foreign.length > 0) throw new Error(`bundle of ${checkout} took sources from elsewhere: ${foreign.slice(0, 5).join(', ')}`);
  const code = result.outputFiles[0]!.contents;
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 12);
  // The script runs its main only when started as a file named like its module.
  const file = path.join(cacheDir, `p2p-bulk-${hash}.mjs`);
  if (!existsSync(file)) {
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(file, code);
  }
  return file;
}

function parseArgs(argv: readonly string[]): Options {
  const o: Options = { runs: 3, sizesMiB: [200, 50], buffer: 2 ** 20, nagle: false, install: false, ours: undefined, tsx: true, json: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--runs') o.runs = Number(value());
    else if (a === '--sizes') o.sizesMiB = value().split(',').map(Number);
    else if (a === '--buffer') o.buffer = Number(value());
    else if (a === '--nagle') o.nagle = true;
    else if (a === '--install') o.install = true;
    else if (a === '--no-tsx') o.tsx = false;
    else if (a === '--ours') o.ours = value().split(' ').filter((s) => s !== '');
    else if (a === '--json') o.json = value();
    else throw new Error(`unknown argument ${a} (see the comment at the top of ns3-compare.ts)`);
  }
  if (!Number.isInteger(o.runs) || o.runs < 1) throw new Error(`--runs wants a positive integer, not ${o.runs}`);
  if (o.sizesMiB.some((s) => !(s > 0))) throw new Error(`--sizes wants MiB counts like 200,50`);
  if (!Number.isInteger(o.buffer) || o.buffer < 4096) throw new Error(`--buffer wants bytes (at least 4096), not ${o.buffer}`);
  return o;
}

function run(cmd: string, args: readonly string[], inherit = false): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: inherit ? 'inherit' : 'pipe', maxBuffer: 64 * 2 ** 20 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** Compile p2p-bulk.cc once per source version; returns the binary's path. */
export function buildNs3(install: boolean): string {
  if (!existsSync('/usr/include/ns3/core-module.h')) {
    if (!install) throw new Error('ns-3 headers not found (/usr/include/ns3): install Debian\'s libns3-dev, or pass --install');
    process.stderr.write('installing libns3-dev (apt-get)...\n');
    const r = run('apt-get', ['install', '-y', '--no-install-recommends', 'libns3-dev'], true);
    if (r.status !== 0) throw new Error(`apt-get install libns3-dev failed (status ${r.status}); try as root after apt-get update`);
  }
  const source = readFileSync(SOURCE);
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 12);
  const dir = path.join(os.tmpdir(), 'netlayers-ns3');
  const binary = path.join(dir, `p2p-bulk-${hash}`);
  if (existsSync(binary)) return binary;
  mkdirSync(dir, { recursive: true });
  process.stderr.write(`compiling ${SOURCE} (g++ -O2, ns-3 from libns3-dev)...\n`);
  const r = run('g++', ['-O2', '-std=c++17', '-o', binary, SOURCE, ...NS3_LIBS.map((l) => `-lns3-${l}`)]);
  if (r.status !== 0) throw new Error(`g++ failed:\n${r.stderr}`);
  return binary;
}

/** One run under /usr/bin/time: the program's JSON line plus whole-process wall, CPU and RSS. */
function timed(simulator: RunRecord['simulator'], argv: readonly string[]): RunRecord {
  const r = run('/usr/bin/time', ['-f', 'TIME %e %U %S %M', ...argv]);
  if (r.status !== 0) throw new Error(`${simulator} failed (status ${r.status}):\n${r.stderr.slice(-2000)}`);
  const line = r.stdout.trim().split('\n').pop() ?? '';
  const result = JSON.parse(line) as Omit<RunRecord, 'processWallS' | 'processCpuS' | 'maxRssMiB'>;
  const t = /TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr);
  if (t === null) throw new Error(`no /usr/bin/time line in ${simulator}'s stderr:\n${r.stderr.slice(-500)}`);
  return { ...result, simulator, processWallS: Number(t[1]), processCpuS: Number(t[2]) + Number(t[3]), maxRssMiB: Number(t[4]) / 1024 };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function spreadOf(xs: readonly number[], digits: number): string {
  return `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}`;
}

export function summarise(records: readonly RunRecord[], sizesMiB: readonly number[]): string {
  const rows: string[] = [
    '| size | measure | ns-3 (median, min–max) | netlayers (median, min–max) | ns-3 ÷ netlayers, paired (median, min–max) |',
    '|---|---|---|---|---|',
  ];
  const variants: Array<{ simulator: Simulator; suffix: string }> = [
    { simulator: 'netlayers', suffix: '' },
    { simulator: 'netlayers-tsx', suffix: ', ours under tsx' },
  ];
  for (const mib of sizesMiB) {
    const bytes = Math.round(mib * 2 ** 20);
    const ns3 = records.filter((r) => r.simulator === 'ns-3' && r.bytes === bytes);
    for (const { simulator, suffix } of variants) {
      const ours = records.filter((r) => r.simulator === simulator && r.bytes === bytes);
      if (ours.length === 0) continue;
      const pairs = Math.min(ns3.length, ours.length);
      const line = (label: string, f: (r: RunRecord) => number, digits: number, unit: string): void => {
        const a = ns3.map(f);
        const b = ours.map(f);
        const ratios = Array.from({ length: pairs }, (_, i) => a[i]! / b[i]!);
        rows.push(`| ${mib} MiB | ${label}${suffix} | ${median(a).toFixed(digits)} ${unit} (${spreadOf(a, digits)}) | ${median(b).toFixed(digits)} ${unit} (${spreadOf(b, digits)}) | ×${median(ratios).toFixed(2)} (${spreadOf(ratios, 2)}) |`);
      };
      line('whole process CPU (user + system)', (r) => r.processCpuS, 2, 's');
      line('whole process wall', (r) => r.processWallS, 2, 's');
      line('run loop CPU', (r) => r.runLoopCpuMs / 1e3, 3, 's');
      line('start-up and exit CPU (whole − run loop)', (r) => r.processCpuS - r.runLoopCpuMs / 1e3, 3, 's');
      if (simulator === 'netlayers-tsx') continue; // the simulation is the same script: one set of these rows
      line('simulated completion time', (r) => r.completionSeconds, 4, 's');
      line('events executed', (r) => r.events, 0, '');
      line('max RSS', (r) => r.maxRssMiB, 0, 'MiB');
    }
  }
  return rows.join('\n');
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  if (!existsSync('/usr/bin/time')) throw new Error('/usr/bin/time not found (Debian package "time"): it measures each whole process');
  const binary = buildNs3(o.install);
  const oursCommand = o.ours ?? [process.execPath, await buildOursBundle()];
  const records: RunRecord[] = [];
  for (let i = 0; i < o.runs; i++) {
    for (const mib of o.sizesMiB) {
      const bytes = Math.round(mib * 2 ** 20);
      const ourArgs = ['--bytes', String(bytes), '--buffer', String(o.buffer), ...(o.nagle ? [] : ['--no-nagle'])];
      const sides: Array<() => RunRecord> = [
        () => timed('ns-3', [binary, `--bytes=${bytes}`, `--buffer=${o.buffer}`, `--nagle=${o.nagle ? 1 : 0}`]),
        () => timed('netlayers', [...oursCommand, ...ourArgs]),
      ];
      if (o.tsx) sides.push(() => timed('netlayers-tsx', [...TSX_SIDE, ...ourArgs]));
      // Rotate which goes first, so a drift in the machine's load hits every side alike.
      const group: RunRecord[] = [];
      for (let k = 0; k < sides.length; k++) group.push(sides[(i + k) % sides.length]!());
      records.push(...group);
      const cpu = (sim: Simulator): string => group.find((r) => r.simulator === sim)?.processCpuS.toFixed(2) ?? '-';
      process.stderr.write(`run ${i + 1}/${o.runs}, ${mib} MiB: ns-3 ${cpu('ns-3')} s CPU, netlayers ${cpu('netlayers')} s, under tsx ${cpu('netlayers-tsx')} s (load ${os.loadavg()[0]!.toFixed(1)})\n`);
    }
  }
  console.log(`Machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, Node ${process.version}; load average at the end ${os.loadavg().map((l) => l.toFixed(2)).join(', ')}`);
  console.log(`Scenario: 1 Gbit/s, 1 ms, 1000-packet FIFO, MSS 1448, buffers ${o.buffer} B, Nagle ${o.nagle ? 'on' : 'off'} on both; ours: ${oursCommand.join(' ')}${o.tsx ? `; under tsx: ${TSX_SIDE.join(' ')}` : ''}\n`);
  console.log(summarise(records, o.sizesMiB));
  if (o.json !== undefined) writeFileSync(o.json, JSON.stringify({ options: o, records }, null, 2));
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
