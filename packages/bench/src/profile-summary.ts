// Summarise a V8 .cpuprofile (node --cpu-prof) as the top-N functions by self time, as a
// Markdown table for BENCHMARKS.md. Self time of a node is the sum of the sampling intervals
// (timeDeltas) whose sample landed in it; nodes are merged by function name and source
// location, so a function reached through several call paths is counted once.
//
//   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx packages/bench/src/profile-bulk.ts
//   npx tsx packages/bench/src/profile-summary.ts /tmp/prof/*.cpuprofile [--top 20] [--exclude-node-internals]

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface SelfTimeRow {
  /** Function name and `file:line` (1-based), or a V8 pseudo-node such as (garbage collector). */
  readonly name: string;
  readonly location: string;
  readonly selfMs: number;
  /** Share of all sampled time, idle excluded. */
  readonly share: number;
}

function isProfile(v: unknown): v is CpuProfile {
  if (typeof v !== 'object' || v === null) return false;
  const p = v as Record<string, unknown>;
  return Array.isArray(p.nodes) && Array.isArray(p.samples) && Array.isArray(p.timeDeltas) && p.samples.length === p.timeDeltas.length;
}

export function parseProfile(text: string): CpuProfile {
  const v: unknown = JSON.parse(text);
  if (!isProfile(v)) throw new Error('not a V8 .cpuprofile: wants nodes, samples and timeDeltas of equal length');
  return v;
}

/**
 * Top `top` functions by self time; `(idle)` is left out of the shares and the table, and with
 * `excludeNodeInternals` so is code from `node:internal/...` (the module loader at start-up).
 */
export function selfTimes(profile: CpuProfile, top = 20, options: { excludeNodeInternals?: boolean } = {}): { rows: SelfTimeRow[]; totalMs: number } {
  const byId = new Map<number, ProfileNode>();
  for (const n of profile.nodes) byId.set(n.id, n);
  const selfUs = new Map<string, { name: string; location: string; us: number }>();
  let totalUs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]!);
    if (node === undefined) continue;
    // A sample's interval is the delta to the next sample (V8 records the delta before it).
    const us = Math.max(0, profile.timeDeltas[i + 1] ?? 0);
    const f = node.callFrame;
    if (f.functionName === '(idle)') continue;
    // Node's own module loader and the like (start-up, not the simulation); node:zlib etc. stay.
    if (options.excludeNodeInternals === true && f.url.startsWith('node:internal')) continue;
    const file = f.url === '' ? '' : path.basename(f.url.replace(/^file:\/\//, ''));
    // Transpiled sources (tsx) often report line 0 for everything: then the file alone.
    const location = file === '' ? '' : f.lineNumber > 0 ? `${file}:${f.lineNumber + 1}` : file;
    const name = f.functionName === '' ? '(anonymous)' : f.functionName;
    const key = `${name}@${location}`;
    const entry = selfUs.get(key) ?? { name, location, us: 0 };
    entry.us += us;
    selfUs.set(key, entry);
    totalUs += us;
  }
  const rows = [...selfUs.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, top)
    .map((e) => ({ name: e.name, location: e.location, selfMs: e.us / 1e3, share: totalUs > 0 ? e.us / totalUs : 0 }));
  return { rows, totalMs: totalUs / 1e3 };
}

export function markdown(rows: readonly SelfTimeRow[], totalMs: number): string {
  const lines = [`Sampled time ${totalMs.toFixed(0)} ms (idle excluded).`, '', '| function | where | self time | share |', '|---|---|---|---|'];
  for (const r of rows) lines.push(`| \`${r.name}\` | ${r.location || '—'} | ${r.selfMs.toFixed(1)} ms | ${(100 * r.share).toFixed(1)} % |`);
  return lines.join('\n');
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const t = args.indexOf('--top');
  const top = t >= 0 ? Number(args[t + 1]) : 20;
  const files = args.filter((a, i) => !a.startsWith('--') && (t < 0 || i !== t + 1));
  if (files.length === 0 || !(top > 0)) {
    console.error('usage: profile-summary.ts FILE.cpuprofile... [--top N (20)] [--exclude-node-internals]');
    process.exit(2);
  }
  const excludeNodeInternals = args.includes('--exclude-node-internals');
  for (const file of files) {
    const { rows, totalMs } = selfTimes(parseProfile(readFileSync(file, 'utf8')), top, { excludeNodeInternals });
    console.log(`${path.basename(file)}${excludeNodeInternals ? ' (node:internal frames left out)' : ''}\n\n${markdown(rows, totalMs)}\n`);
  }
}
