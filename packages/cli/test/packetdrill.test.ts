// `netlayers packetdrill`: runs files and folders, prints failures in full, exits 1 on a
// failing script and 2 on a usage mistake, and tests another TCP given with --stack.
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/main.ts';

const root = new URL('../../../', import.meta.url).pathname;
const scripts = join(root, 'packages/packetdrill/scripts');
const dir = mkdtempSync(join(tmpdir(), 'netlayers-pd-'));

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (d: Buffer) => out.push(d.toString()));
  stderr.on('data', (d: Buffer) => err.push(d.toString()));
  const code = await runCli(argv, { stdout, stderr, stdin: new PassThrough(), env: {} });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('netlayers packetdrill', () => {
  it('runs a folder of scripts', async () => {
    const r = await cli('packetdrill', join(scripts, 'teardown'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ok {4}.*active-close\.pkt \(17 events, 242\.400 s virtual\)$/m);
    expect(r.stdout).toMatch(new RegExp(`\\n${readdirSync(join(scripts, 'teardown')).length} passed, 0 failed\\n$`));
  });

  it('prints a failure in full and exits 1', async () => {
    const bad = join(dir, 'bad.pkt');
    writeFileSync(bad, '0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 bind(3, ..., ...) = 0\n+0 listen(3, 1) = 0\n+0 < S 0:0(0) win 1000 <mss 1000>\n+0 > S. 0:0(0) ack 2 <mss 1460>\n');
    const r = await cli('packetdrill', bad, join(scripts, 'handshake/passive-open.pkt'));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('bad.pkt:5: outbound packet does not match the script: ack: expected 2, actual 1\n  script: +0 > S. 0:0(0) ack 2 <mss 1460>\n');
    expect(r.stdout).toMatch(/\n1 passed, 1 failed\n$/);
  });

  it('tests the TCP a --stack module exports', async () => {
    const r = await cli('packetdrill', join(scripts, 'handshake/passive-open.pkt'), '--stack', join(root, 'packages/cli/test/fixtures/packetdrill-stack.ts'));
    expect(r.stdout).toMatch(/^ok {4}.*passive-open\.pkt/m);
    expect(r.code).toBe(0);
  });

  it('reports usage mistakes with status 2', async () => {
    expect((await cli('packetdrill')).stderr).toContain('packetdrill: give at least one .pkt file or folder');
    const missing = await cli('packetdrill', join(dir, 'nope.pkt'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file or folder');
    expect((await cli('packetdrill', join(scripts, 'teardown'), '--seed', 'x')).stderr).toContain('invalid value "x" for --seed');
    expect((await cli('packetdrill', '--help')).stdout).toContain('netlayers packetdrill <file.pkt | folder>...');
  });
});
