import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isValidXml, mermaidParse } from './support/validators.ts';
import { runCli, describeModels } from '../src/main.ts';
import { parseCommandLine, UsageError } from '../src/args.ts';

const run = promisify(execFile);
const root = new URL('../../../', import.meta.url).pathname;
const bin = join(root, 'packages/cli/bin/netlayers.js');
const fixture = 'packages/cli/test/fixtures/http-exchange.ts';
const dir = mkdtempSync(join(tmpdir(), 'netlayers-cli-'));

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('parseCommandLine', () => {
  it('parses run with every flag', () => {
    expect(parseCommandLine(['run', 's.ts', '--trace', 'svg', '--pcap', 'a.pcap', '--model', 'osi-7', '--step', '--out', 'x.svg', '--', 'arg'])).toEqual({
      command: 'run', script: 's.ts', scriptArgs: ['arg'], trace: 'svg', pcap: 'a.pcap', model: 'osi-7', step: true, out: 'x.svg',
    });
    expect(parseCommandLine(['run', 's.ts'])).toEqual({ command: 'run', script: 's.ts', scriptArgs: [], model: 'tcpip-5', step: false });
    expect(parseCommandLine(['-h'])).toEqual({ command: 'help' });
    expect(parseCommandLine(['models'])).toEqual({ command: 'models' });
  });

  it.each([
    [['run', 's.ts', '--colour'], /unknown flag --colour/],
    [['run', 's.ts', '--trace', 'graph'], /invalid value "graph" for --trace: use text, ladder, mermaid, svg/],
    [['run', 's.ts', '--model', 'osi7'], /invalid value "osi7" for --model: use tcpip-5, tcpip-4, tcpip-4-lower, osi-7/],
    [['run'], /missing script/],
    [[], /missing command/],
    [['walk'], /unknown command "walk"/],
    [['run', 's.ts', '--out', 'x.txt'], /--out needs --trace or --step/],
    [['run', 's.ts', '--trace'], /--trace/],
  ])('rejects %j with a usage error naming it', (argv, message) => {
    expect(() => parseCommandLine(argv)).toThrow(UsageError);
    expect(() => parseCommandLine(argv)).toThrow(message);
  });
});

describe('netlayers (spawned)', () => {
  it('prints help and exits 0', async () => {
    const r = await cli('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('netlayers run <script> [options]');
    expect(r.stdout).toContain('--trace <format>');
  });

  it('lists the models', async () => {
    const r = await cli('models');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(describeModels());
    expect(r.stdout).toContain('tcpip-4  TCP/IP four-layer model (RFC 1122)');
    expect(r.stdout).toMatch(/1 Link \(network access\)\s+PDU: frame\s+roles: link, physical, network-access/);
  });

  it('exits 2 naming the bad flag, the bad value, or the missing script', async () => {
    const unknown = await cli('run', fixture, '--frobnicate');
    expect([unknown.code, unknown.stderr]).toEqual([2, expect.stringContaining('unknown flag --frobnicate')]);
    const bad = await cli('run', fixture, '--model', 'osi-8');
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining('"osi-8" for --model')]);
    const missing = await cli('run', 'no/such/script.ts');
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining('script not found: no/such/script.ts')]);
  });

  it('runs a script end to end and draws its ladder', async () => {
    const r = await cli('run', fixture, '--trace', 'ladder');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('fixture: exchange done');
    expect(r.stdout).toMatch(/\|-+ SYN seq=0 len=0 -+>\|/);
    for (const state of ['SYN-SENT', 'SYN-RECEIVED', 'ESTABLISHED', 'FIN-WAIT-1', 'FIN-WAIT-2', 'CLOSE-WAIT', 'LAST-ACK', 'TIME-WAIT', 'CLOSED']) expect(r.stdout).toContain(state);
    expect(r.stdout).not.toContain('\x1b[');
  });

  it('writes Mermaid and SVG with --out', async () => {
    const mmd = join(dir, 'ladder.mmd');
    const svg = join(dir, 'ladder.svg');
    expect((await cli('run', fixture, '--trace', 'mermaid', '--out', mmd)).code).toBe(0);
    expect((await cli('run', fixture, '--trace', 'svg', '--out', svg)).code).toBe(0);
    await expect(mermaidParse(readFileSync(mmd, 'utf8'))).resolves.toMatchObject({ diagramType: 'sequence' });
    expect(isValidXml(readFileSync(svg, 'utf8'))).toBe(true);
    expect(readFileSync(svg, 'utf8')).toContain('SYN,ACK seq=0 ack=1 len=0');
  });

  it('prints tcpdump lines and a layer walk in the chosen model, writes a pcap', async () => {
    const pcap = join(dir, 'run.pcap');
    const r = await cli('run', fixture, '--trace', 'text', '--model', 'tcpip-4', '--pcap', pcap);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/client IP 10\.0\.1\.10\.\d+ > 10\.0\.2\.10\.80: Flags \[S\], seq 0, win 65535/);
    expect(r.stdout).toContain('Layer walk of one message (TCP/IP four-layer model (RFC 1122))');
    expect(r.stdout).toContain('r1 (router: up to the network layer and back down)');
    expect(r.stdout).toContain('1 Link (network access)');
    expect(r.stderr).toMatch(/wrote \d+ frames to .*run\.pcap/);
    const bytes = readFileSync(pcap);
    expect(bytes.readUInt32LE(0)).toBe(0xa1b23c4d);
  });

  it('tells the run step by step', async () => {
    const r = await cli('run', fixture, '--step', '--model', 'osi-7');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^step \d+$/m);
    expect(r.stdout).toMatch(/^  at 0\.000000 s, on node client, Transport layer \(TCP\) sent 10\.0\.1\.10\.\d+ > 10\.0\.2\.10\.80: Flags \[S\], seq 0, /m);
    expect(r.stdout).toMatch(/^  at 0\.\d{6} s, on node server, Transport layer \(TCP\) 10\.0\.2\.10:80-10\.0\.1\.10:\d+: SYN-RECEIVED -> ESTABLISHED/m);
    expect(r.stdout).toMatch(/on node sw1, Data link layer \(SWITCH\)/);
    expect(r.stdout).toMatch(/on node r1, Physical layer \(PHY\) took a \d+-byte frame off the wire on eth0/);
  });

  it('runs a self-running example script once', async () => {
    const r = await cli('run', 'examples/ping.ts', '--trace', 'text');
    expect(r.code).toBe(0);
    expect(r.stdout.match(/^ping 10\.0\.0\.2 from a/gm)).toHaveLength(1);
    expect(r.stdout).toContain('ICMP echo request');
  });
});

describe('runCli (in process)', () => {
  it('reports a script that made no network', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const sink = (into: string[]) => ({ write: (s: string) => (into.push(s), true) }) as unknown as NodeJS.WritableStream;
    const empty = join(dir, 'empty.ts');
    (await import('node:fs')).writeFileSync(empty, 'export const x = 1;\n');
    const code = await runCli(['run', empty, '--trace', 'ladder'], { stdout: sink(out), stderr: sink(err), stdin: process.stdin, env: {} });
    expect(code).toBe(1);
    expect(err.join('')).toContain('made no Network');
    expect(existsSync(empty)).toBe(true);
  });
});
