// Summarise a V8 .cpuprofile (from `node --cpu-prof`): the functions with the most self time,
// as shares of the samples taken inside `runUntilIdle` (the simulation itself: start-up,
// module loading and idle time are left out), with their file. Used for the bulk-transfer
// profile in BENCHMARKS.md.
//
//   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx packages/bench/src/profile-bulk.ts
//   npx tsx packages/bench/src/profile-summary.ts /tmp/prof [top=25]
//
// Given a directory, it reads the largest .cpuprofile there (tsx's loader thread writes a
// small one of its own beside the main thread's).

import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const file = process.argv[2];
if (file === undefined) {
  console.error('usage: profile-summary.ts <file.cpuprofile> [top=25]');
  process.exit(2);
}
const top = Number(process.argv[3] ?? 25);
const chosen = statSync(file).isDirectory()
  ? readdirSync(file)
      .filter((f) => f.endsWith('.cpuprofile'))
      .map((f) => path.join(file, f))
      .sort((a, b) => statSync(b).size - statSync(a).size)[0]
  : file;
if (chosen === undefined) {
  console.error(`no .cpuprofile in ${file}`);
  process.exit(2);
}
const profile = JSON.parse(readFileSync(chosen, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const inside = new Map<number, boolean>();
const isInside = (id: number): boolean => {
  const known = inside.get(id);
  if (known !== undefined) return known;
  const node = byId.get(id)!;
  const up = parent.get(id);
  const result = node.callFrame.functionName === 'runUntilIdle' || (up !== undefined && isInside(up));
  inside.set(id, result);
  return result;
};
const self = new Map<string, number>();
let total = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const node = byId.get(profile.samples[i]!)!;
  if (!isInside(node.id) && node.callFrame.functionName !== '(garbage collector)') continue;
  const dt = profile.timeDeltas[i] ?? 0;
  const f = node.callFrame;
  const where = f.url === '' ? '' : f.url.replace(/^.*\/packages\//, '').replace(/^file:\/\//, '');
  const key = `${f.functionName || '(anonymous)'} ${where}`.trim();
  self.set(key, (self.get(key) ?? 0) + dt);
  total += dt;
}
const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
console.log(`${(total / 1e6).toFixed(2)} s sampled inside runUntilIdle (and garbage collection)`);
console.log('| self % | function |');
console.log('|---:|---|');
for (const [key, t] of rows) console.log(`| ${((100 * t) / total).toFixed(1)} | \`${key}\` |`);
