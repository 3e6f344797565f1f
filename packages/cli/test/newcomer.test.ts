// What a newcomer does first, and must not be able to break: the README snippet saved at the
// repository root and run as it is; a script in a directory with spaces; `| head`; Ctrl+D in
// step mode; an unwritable --pcap; a script's own error; --trace on every example; one
// ladder under `--trace ladder`; steps numbered without gaps.

import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/main.ts';

const run = promisify(execFile);
const root = new URL('../../../', import.meta.url).pathname;
const bin = join(root, 'packages/cli/bin/netlayers.js');
const tsx = join(root, 'node_modules/.bin/tsx');
const fixture = 'packages/cli/test/fixtures/http-exchange.ts';
// Scripts must live inside the repository to resolve @netlayers/*; this directory is removed afterwards.
const scratch = mkdtempSync(join(root, '.newcomer-test-'));
const outside = mkdtempSync(join(tmpdir(), 'netlayers-newcomer-'));
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

async function exec(file: string, args: string[], cwd = root): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(file, args, { cwd, env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const cli = (...args: string[]) => exec(process.execPath, [bin, ...args]);

/** The first TypeScript block of the README: the snippet a newcomer copies. */
function readmeSnippet(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const match = /```ts\n([\s\S]*?)```/.exec(readme);
  if (match === null) throw new Error('README.md has no ```ts block');
  return match[1]!;
}

describe('a newcomer\'s script', { timeout: 60_000 }, () => {
  it('the README snippet saved as my-net.ts at the repository root runs as it is, with tsx and with netlayers run', async () => {
    const file = join(root, 'my-net.ts');
    writeFileSync(file, readmeSnippet());
    try {
      const direct = await exec(tsx, ['my-net.ts']);
      expect(direct.stderr).toBe('');
      expect(direct.code).toBe(0);
      expect(direct.stdout).toMatch(/reply from 10\.0\.0\.2 in \d+(\.\d+)? µs/);
      const viaCli = await cli('run', 'my-net.ts');
      expect(viaCli.code).toBe(0);
      expect(viaCli.stdout).toBe(direct.stdout);
    } finally {
      rmSync(file, { force: true });
    }
  });

  it('runs from a directory and a file name with spaces, anywhere in the repository', async () => {
    const dir = join(scratch, 'my labs', 'week one');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'my net.ts');
    writeFileSync(file, readmeSnippet());
    const r = await cli('run', file, '--trace', 'text');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/reply from 10\.0\.0\.2/);
    expect(r.stdout).toContain('ICMP echo request');
    const direct = await exec(tsx, [file]);
    expect(direct.code).toBe(0);
    expect(direct.stdout).toMatch(/reply from 10\.0\.0\.2/);
  });

  it('refuses an unwritable --pcap or --out before running anything, saying why', async () => {
    const missingDir = await cli('run', fixture, '--pcap', join(outside, 'no-such-dir', 'x.pcapng'));
    expect(missingDir.code).toBe(2);
    expect(missingDir.stderr).toContain(`cannot write --pcap file "${join(outside, 'no-such-dir', 'x.pcapng')}": directory ${join(outside, 'no-such-dir')} does not exist`);
    expect(missingDir.stdout).not.toContain('fixture: exchange done');
    const directory = await cli('run', fixture, '--pcap', outside);
    expect([directory.code, directory.stderr]).toEqual([2, expect.stringContaining('it is a directory')]);
    expect(directory.stdout).not.toContain('fixture: exchange done');
    const out = await cli('run', fixture, '--trace', 'svg', '--out', join(outside, 'nope', 'l.svg'));
    expect([out.code, out.stderr]).toEqual([2, expect.stringContaining('cannot write --out file')]);
  });

  it('shows a script\'s own error with the script\'s frames, not netlayers\' internals', async () => {
    const file = join(scratch, 'broken lab.ts');
    writeFileSync(
      file,
      [
        "import { Network } from '@netlayers/lab';",
        '',
        'function build(): void {',
        '  const net = new Network();',
        "  const a = net.addHost('a');",
        '  net.connect(a, a);',
        '}',
        'build();',
        '',
      ].join('\n'),
    );
    const r = await cli('run', file);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('broken lab.ts failed:');
    expect(r.stderr).toContain('InvalidArgumentError: invalid endpoint "a": cannot connect a node to itself');
    expect(r.stderr).toMatch(/at build \(.*broken lab\.ts:6:\d+\)/);
    expect(r.stderr).not.toMatch(/packages\/(lab|cli)\/src/);
    expect(r.stderr).not.toContain('node:internal');
  });
});

describe('output that ends early or step by step', { timeout: 60_000 }, () => {
  it('`| head` ends quietly: no EPIPE, exit status 0', async () => {
    const r = await exec('bash', ['-c', `"${process.execPath}" "${bin}" run ${fixture} --step | head -3; echo "status=\${PIPESTATUS[0]}"`]);
    expect(r.stdout).toContain('status=0');
    expect(r.stdout.split('\n').filter((l) => l !== '' && !l.startsWith('status='))).toHaveLength(3);
    expect(r.stderr).toBe('');
  });

  it('Ctrl+D (end of input) leaves step mode cleanly', async () => {
    const stdin = Object.assign(new PassThrough(), { isTTY: true });
    const out: string[] = [];
    const stdout = Object.assign(new PassThrough(), { isTTY: true });
    stdout.on('data', (chunk: Buffer) => out.push(chunk.toString()));
    const done = runCli(['run', fixture, '--step'], { stdout, stderr: new PassThrough(), stdin, env: {} });
    // Enter twice, then end of input.
    setTimeout(() => {
      stdin.write('\n\n');
      stdin.end();
    }, 50);
    await expect(done).resolves.toBe(0);
    const text = out.join('');
    // (No terminal echoes the Enter here, so each step follows its prompt on the same line.)
    expect(text.match(/step \d+$/gm)).toEqual(['step 1', 'step 2', 'step 3']);
    expect(text.match(/-- Enter: next step, q: quit -- /g)).toHaveLength(3);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('numbers steps 1, 2, 3... without gaps', async () => {
    const r = await cli('run', fixture, '--step');
    const numbers = [...r.stdout.matchAll(/^step (\d+)$/gm)].map((m) => Number(m[1]));
    expect(numbers.length).toBeGreaterThan(20);
    expect(numbers).toEqual(numbers.map((_, i) => i + 1));
  });
});

describe('examples under the netlayers command', { timeout: 120_000 }, () => {
  it('`--trace ladder` on an example that draws its own ladder shows one ladder', async () => {
    const r = await cli('run', 'examples/three-way-handshake.ts', '--trace', 'ladder');
    expect(r.code).toBe(0);
    expect(r.stdout.match(/^TCP 10\.0\.0\.1:\d+ <-> 10\.0\.0\.2:80( \(.*\))?$/gm)).toHaveLength(1);
    expect(r.stdout).toContain('SYN-SENT');
  });

  it('every example honours --trace when run directly (each prints every layer)', () => {
    const examples = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.ts'));
    expect(examples.length).toBeGreaterThan(10);
    for (const name of examples) {
      const source = readFileSync(join(root, 'examples', name), 'utf8');
      // Either it reads --trace itself, or its entry point calls honourTraceFlag().
      expect(source.includes("process.argv.includes('--trace')") || /honourTraceFlag\(\);/.test(source), name).toBe(true);
      expect(source, name).toMatch(/invokedDirectly\(import\.meta\.url\)/);
    }
  });

  it.each(['ping.ts', 'fragmentation.ts'])('examples/%s prints round-trip times with their unit', async (name) => {
    const r = await cli('run', join('examples', name));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/"rtt":"[\d.]+ (ns|µs|ms|s)"/);
    expect(r.stdout).not.toMatch(/"rtt":\d/);
  });

  it.each(['ping.ts', 'fragmentation.ts', 'four-layer.ts'])('examples/%s --trace prints every layer', async (name) => {
    const r = await exec(tsx, [join('examples', name), '--trace']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\d+\.\d{3} ms {2}\S+ +(link|network-access) /);
    expect(r.stdout).toMatch(/\d+\.\d{3} ms {2}\S+ +network /);
  });
});
