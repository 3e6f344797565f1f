// Instructions per TCP data segment of the bulk transfer (issue 14), counted under valgrind
// rather than timed, so a busy machine does not move the figure. The scenario is the ns-3
// comparison's (p2p-bulk.ts: one 1 Gbit/s point-to-point cable, MSS 1448, every checksum and
// FCS computed and verified), prebuilt with esbuild and run by `node --single-threaded` (no
// concurrent compiler or GC threads) under `valgrind --tool=cachegrind --cache-sim=no`, which
// counts every instruction executed. Two transfer sizes per run; the difference between their
// counts, divided by the difference in segments, leaves out start-up, the JIT's warm-up and
// exit. With `--other DIR` the same is done for another checkout (bundled from its own
// sources), interleaved, with the ratio per run.
//
//   npx tsx packages/bench/src/bulk-instructions.ts [--other DIR] [--runs 1] [--small 16] [--large 48]
//
// --small/--large are MiB. Under valgrind a run is ~50× slower: the default pair takes about
// two minutes per checkout. Smaller pairs count more of the JIT's warm-up per segment (8/24
// MiB gave ~10% more than 16/48), so compare checkouts at the same sizes only.

import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { parseArgs as parseCommandLine } from 'node:util';
import { BUNDLE_CACHE, buildOursBundle } from './ns3-compare.ts';

const MSS = 1448;

interface Options {
  other: string | undefined;
  runs: number;
  smallMiB: number;
  largeMiB: number;
}

function parseArgs(argv: string[]): Options {
  // node:util's parser: unknown flags and missing values are errors.
  const { values } = parseCommandLine({
    args: argv,
    options: { other: { type: 'string' }, runs: { type: 'string' }, small: { type: 'string' }, large: { type: 'string' } },
  });
  const o: Options = { other: values.other, runs: Number(values.runs ?? 1), smallMiB: Number(values.small ?? 16), largeMiB: Number(values.large ?? 48) };
  if (!Number.isInteger(o.runs) || o.runs < 1) throw new Error(`--runs wants a positive integer, not ${o.runs}`);
  if (!(o.smallMiB > 0 && o.largeMiB > o.smallMiB)) throw new Error('--small and --large want MiB with small < large');
  return o;
}

/** The `I refs` total of a cachegrind summary (stderr), or null. */
export function instructionsFrom(stderr: string): number | null {
  const m = /I\s+refs:\s+([\d,]+)/.exec(stderr);
  return m === null ? null : Number(m[1]!.replace(/,/g, ''));
}

/** Instructions per segment from the counts of a small and a large transfer. */
export function perSegment(small: { bytes: number; instructions: number }, large: { bytes: number; instructions: number }): number {
  return (large.instructions - small.instructions) / ((large.bytes - small.bytes) / MSS);
}

function count(bundle: string, bytes: number): number {
  const r = spawnSync('valgrind', ['--tool=cachegrind', '--cache-sim=no', '--cachegrind-out-file=/dev/null', process.execPath, '--single-threaded', bundle, '--bytes', String(bytes), '--no-nagle'], {
    encoding: 'utf8',
    maxBuffer: 16 * 2 ** 20,
  });
  if (r.error) throw r.error;
  const n = instructionsFrom(r.stderr);
  if (r.status !== 0 || n === null) throw new Error(`valgrind run failed (status ${r.status}):\n${r.stderr.slice(-1500)}`);
  return n;
}

function measure(bundle: string, o: Options): number {
  const small = Math.round(o.smallMiB * 2 ** 20);
  const large = Math.round(o.largeMiB * 2 ** 20);
  return perSegment({ bytes: small, instructions: count(bundle, small) }, { bytes: large, instructions: count(bundle, large) });
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const probe = spawnSync('valgrind', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) throw new Error('valgrind not found (Debian package "valgrind")');
  const ours = await buildOursBundle();
  const theirs = o.other === undefined ? undefined : await buildOursBundle(BUNDLE_CACHE, o.other);
  console.log(`${o.smallMiB} and ${o.largeMiB} MiB transfers, valgrind cachegrind (instruction count), node ${process.version} --single-threaded`);
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < o.runs; i++) {
    let line = '';
    if (theirs === undefined) {
      a.push(measure(ours, o));
    } else if (i % 2 === 0) {
      a.push(measure(ours, o));
      b.push(measure(theirs, o));
    } else {
      b.push(measure(theirs, o));
      a.push(measure(ours, o));
    }
    line = `run ${i + 1}: this checkout ${Math.round(a[i]!).toLocaleString('en')} instructions/segment`;
    if (theirs !== undefined) line += ` | ${o.other} ${Math.round(b[i]!).toLocaleString('en')} | other ÷ this ${(b[i]! / a[i]!).toFixed(3)}`;
    console.log(`${line} (load ${os.loadavg()[0]!.toFixed(1)})`);
  }
  if (o.other !== undefined) console.log(`bundles: ${path.basename(ours)} (this checkout), ${path.basename(theirs!)} (${o.other})`);
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  await main();
}
