// The line printer against the real tcpdump (4.99, -nn): every capture fixture (real
// captures of real tools) read by tcpdumpLinesFromCapture and by `tcpdump -nn -r` (and -v,
// -S) agrees on at least 95% of whole lines, and an emulator run's pcapng (one per example
// family here; packages/bench/src/tcpdump-agreement.ts runs every example) agrees on 100%.
// Skipped, saying so, where tcpdump is not installed (.ci/run installs it).

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { isCaptureReadError, readCapture } from '../src/capture-reader.ts';
import { tcpdumpLinesFromCapture } from '../src/tcpdump-capture.ts';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

function tcpdumpVersion(): string | undefined {
  try {
    return execFileSync('tcpdump', ['--version'], { stdio: 'pipe' }).toString().split('\n')[0];
  } catch {
    return undefined;
  }
}

const version = tcpdumpVersion();
const reason = 'tcpdump is not installed (apt-get install tcpdump); .ci/run installs it';

/** tcpdump's output, one record per packet (a -v packet's rows together). */
function records(output: string): string[] {
  const out: string[] = [];
  for (const line of output.split('\n')) {
    if (line === '') continue;
    if (/^\d\d:\d\d:\d\d\.\d{6} /.test(line) || out.length === 0) out.push(line);
    else out[out.length - 1] += `\n${line}`;
  }
  return out;
}

function agreement(file: string, flags: readonly string[]): { same: number; total: number; differ: string[] } {
  const capture = readCapture(new Uint8Array(readFileSync(file)));
  if (isCaptureReadError(capture)) throw new Error(capture.error);
  const theirs = records(execFileSync('tcpdump', ['-nn', ...flags, '-r', file], { env: { ...process.env, TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'ignore'] }).toString());
  const ours = tcpdumpLinesFromCapture(capture, { verbose: flags.includes('-v'), absoluteSequence: flags.includes('-S') });
  let same = 0;
  const differ: string[] = [];
  const n = Math.max(theirs.length, ours.length);
  for (let i = 0; i < n; i++) {
    if (theirs[i] === ours[i]) same++;
    else differ.push(`tcpdump: ${theirs[i]}\nours:    ${ours[i]}`);
  }
  return { same, total: n, differ };
}

describe.skipIf(version === undefined)(`agreement with the real tcpdump (${version ?? reason})`, () => {
  const fixtures = join(root, 'fixtures/captures');
  const files = readdirSync(fixtures).filter((f) => /\.pcap(ng)?$/.test(f));

  for (const flags of [[], ['-v'], ['-S']]) {
    it(`fixtures, tcpdump -nn ${flags.join(' ')}: at least 95% of whole lines the same`, () => {
      let same = 0;
      let total = 0;
      for (const f of files) {
        const a = agreement(join(fixtures, f), flags);
        same += a.same;
        total += a.total;
      }
      expect(total).toBeGreaterThan(100);
      expect(same / total).toBeGreaterThanOrEqual(0.95);
    });
  }

  const dir = mkdtempSync(join(tmpdir(), 'netlayers-tcpdump-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // One example of each kind of traffic: TCP and HTTP, DNS, DHCP, fragments and ICMP errors, RIP, PPP links.
  for (const example of ['http-get', 'dns-lookup', 'dhcp-boot', 'fragmentation', 'traceroute', 'four-layer']) {
    it(`examples/${example}.ts: its pcapng read by tcpdump -nn, line for line what netlayers prints`, () => {
      const file = join(dir, `${example}.pcapng`);
      execFileSync('node', [join(root, 'packages/cli/bin/netlayers.js'), 'run', join(root, 'examples', `${example}.ts`), '--pcap', file, '--capture', 'all'], { cwd: root, stdio: 'ignore' });
      for (const flags of [[], ['-S']]) {
        const a = agreement(file, flags);
        expect(a.total).toBeGreaterThan(0);
        expect(a.differ.slice(0, 3)).toEqual([]);
      }
    }, 120_000);
  }
});
