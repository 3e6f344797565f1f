// How often netlayers' line printer (tcpdumpLinesFromCapture, @netlayers/trace) prints
// exactly what the real `tcpdump -nn -r` prints, whole lines compared. Two sets of captures:
// the committed fixtures (real captures of real tools, fixtures/captures) with tcpdump's
// -nn, -nn -v and -nn -S, and a pcapng of every example run by the CLI with
// `--pcap <tmp> --capture all` (-nn and -nn -S). Prints agreement per protocol (the
// innermost layer netlayers decoded) and the lines that differ.
//
//   npx tsx packages/bench/src/tcpdump-agreement.ts [--fixtures-only] [--examples a,b] [--show N] [--json]
//
// Needs tcpdump on the PATH (tcpdump 4.99); runs it with TZ=UTC, as the printer prints
// UTC clock times.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { captureLinkType, defaultDissectors, isCaptureReadError, readCapture, tcpdumpLinesFromCapture, type CaptureFile } from '@netlayers/trace';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const args = process.argv.slice(2);
const fixturesOnly = args.includes('--fixtures-only');
const json = args.includes('--json');
const showAt = args.indexOf('--show');
const show = showAt >= 0 ? Number(args[showAt + 1]) : 20;
const examplesAt = args.indexOf('--examples');
const onlyExamples = examplesAt >= 0 ? new Set(args[examplesAt + 1]!.split(',')) : undefined;

/** Examples that need a real kernel (TAP, VXLAN over a Linux device) and so root and netns: left out. */
const KERNEL_EXAMPLES = new Set(['kernel-bridge', 'vxlan-lab']);

interface Tally {
  same: number;
  total: number;
}

interface Difference {
  readonly source: string;
  readonly flags: string;
  readonly tcpdump: string;
  readonly ours: string;
}

function hasTcpdump(): boolean {
  try {
    execFileSync('tcpdump', ['--version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

/** tcpdump's output split into one record per packet (a -v record spans several lines). */
export function tcpdumpRecords(output: string): string[] {
  const records: string[] = [];
  for (const line of output.split('\n')) {
    if (line === '') continue;
    if (/^\d\d:\d\d:\d\d\.\d{6} /.test(line) || records.length === 0) records.push(line);
    else records[records.length - 1] += `\n${line}`;
  }
  return records;
}

function runTcpdump(file: string, flags: readonly string[]): string {
  return execFileSync('tcpdump', ['-nn', ...flags, '-r', file], { env: { ...process.env, TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 28 }).toString('utf8');
}

/** The innermost protocol netlayers decoded in each packet, for the per-protocol table. */
function protocols(capture: CaptureFile): string[] {
  const registry = defaultDissectors();
  return capture.packets.map((p) => {
    const iface = capture.interfaces[p.interfaceId];
    const link = iface === undefined ? undefined : captureLinkType(iface);
    if (link === undefined) return `linktype-${iface?.linkType ?? '?'}`;
    const d = registry.dissect(p.data, link);
    const layers = d.layers;
    if (layers.length === 1 && layers[0]!.protocol === 'ethernet') {
      const type = (p.data[12]! << 8) | p.data[13]!;
      return type === 0x86dd ? 'ipv6 (not decoded)' : `ethertype 0x${type.toString(16)}`;
    }
    return layers[layers.length - 1]?.protocol ?? 'none';
  });
}

const byProtocol = new Map<string, Map<string, Tally>>();
const differences: Difference[] = [];
const totals = new Map<string, Tally>();

function compare(set: string, source: string, file: string, flags: readonly string[]): void {
  const capture = readCapture(new Uint8Array(readFileSync(file)));
  if (isCaptureReadError(capture)) throw new Error(`${file}: ${capture.error}`);
  const theirs = tcpdumpRecords(runTcpdump(file, flags));
  const ours = tcpdumpLinesFromCapture(capture, { verbose: flags.includes('-v'), absoluteSequence: flags.includes('-S') });
  const kinds = protocols(capture);
  const key = `${set} ${flags.length ? flags.join(' ') : '(default)'}`;
  let table = byProtocol.get(key);
  if (table === undefined) byProtocol.set(key, (table = new Map()));
  let total = totals.get(key);
  if (total === undefined) totals.set(key, (total = { same: 0, total: 0 }));
  const n = Math.max(theirs.length, ours.length);
  for (let i = 0; i < n; i++) {
    const kind = kinds[i] ?? 'extra line';
    let t = table.get(kind);
    if (t === undefined) table.set(kind, (t = { same: 0, total: 0 }));
    t.total++;
    total.total++;
    if (theirs[i] === ours[i]) {
      t.same++;
      total.same++;
    } else {
      differences.push({ source, flags: flags.join(' '), tcpdump: theirs[i] ?? '(none)', ours: ours[i] ?? '(none)' });
    }
  }
}

function percent(t: Tally): string {
  return t.total === 0 ? '-' : `${((100 * t.same) / t.total).toFixed(1)}%`;
}

if (!hasTcpdump()) {
  console.error('tcpdump is not on the PATH: install it (Debian: apt-get install tcpdump) to measure agreement.');
  process.exit(2);
}
const version = execFileSync('tcpdump', ['--version']).toString().split('\n')[0];

const fixtureDir = join(root, 'fixtures/captures');
for (const name of readdirSync(fixtureDir).filter((f) => /\.pcap(ng)?$/.test(f)).sort()) {
  for (const flags of [[], ['-v'], ['-S']]) compare('fixtures', `fixtures/captures/${name}`, join(fixtureDir, name), flags);
}

if (!fixturesOnly) {
  const dir = mkdtempSync(join(tmpdir(), 'netlayers-agreement-'));
  try {
    const examples = readdirSync(join(root, 'examples'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => basename(f, '.ts'))
      .filter((e) => !KERNEL_EXAMPLES.has(e) && (onlyExamples === undefined || onlyExamples.has(e)))
      .sort();
    for (const example of examples) {
      const file = join(dir, `${example}.pcapng`);
      try {
        execFileSync('node', [join(root, 'packages/cli/bin/netlayers.js'), 'run', join(root, 'examples', `${example}.ts`), '--pcap', file, '--capture', 'all'], { cwd: root, stdio: 'ignore', timeout: 300_000 });
      } catch (error) {
        console.error(`examples/${example}.ts did not run: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
        continue;
      }
      for (const flags of [[], ['-S']]) compare('examples', `examples/${example}.ts`, file, flags);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (json) {
  const out: Record<string, unknown> = { tcpdump: version };
  for (const [key, table] of byProtocol) out[key] = { total: totals.get(key), protocols: Object.fromEntries(table) };
  console.log(JSON.stringify({ ...out, differences: differences.slice(0, show) }, null, 2));
} else {
  console.log(`Agreement with ${version}, whole lines (a -v packet's rows as one), tcpdump run with TZ=UTC`);
  for (const [key, table] of byProtocol) {
    const total = totals.get(key)!;
    console.log(`\n${key}: ${total.same}/${total.total} (${percent(total)})`);
    for (const [kind, t] of [...table].sort((a, b) => b[1].total - a[1].total)) console.log(`  ${kind.padEnd(22)} ${String(t.same).padStart(6)}/${String(t.total).padEnd(6)} ${percent(t)}`);
  }
  if (differences.length > 0) {
    console.log(`\nLines that differ (${differences.length}; first ${Math.min(show, differences.length)}):`);
    for (const d of differences.slice(0, show)) console.log(`- ${d.source} ${d.flags}\n  tcpdump: ${d.tcpdump.replace(/\n/g, '\n           ')}\n  ours:    ${d.ours.replace(/\n/g, '\n           ')}`);
  }
}
