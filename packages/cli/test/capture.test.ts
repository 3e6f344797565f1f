// `--pcap` and `--capture` read by tshark: one pcapng interface per capture point, each
// point what tcpdump on that NIC would show. On a loss-free run no point shows a
// retransmission, out-of-order segment, duplicate ACK or lost segment, and every checksum
// is good; on an impaired run the sender's capture flags exactly the segments its TCP really
// retransmitted, and has the frames the link lost.

import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseCommandLine, UsageError } from '../src/args.ts';

const run = promisify(execFile);
const root = new URL('../../../', import.meta.url).pathname;
const bin = join(root, 'packages/cli/bin/netlayers.js');
const dir = mkdtempSync(join(tmpdir(), 'netlayers-capture-'));

function hasTshark(): boolean {
  try {
    execFileSync('tshark', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const CHECKS = ['-o', 'ip.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE'];
const ANALYSIS = 'tcp.analysis.retransmission || tcp.analysis.fast_retransmission || tcp.analysis.spurious_retransmission || tcp.analysis.out_of_order || tcp.analysis.duplicate_ack || tcp.analysis.lost_segment';

function tshark(args: string[]): string {
  return execFileSync('tshark', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 });
}

const lines = (text: string): string[] => text.split('\n').filter((l) => l.trim() !== '');

/** The interface names of a pcapng file, in IDB order. */
function interfaceNames(file: string): string[] {
  const names = new Map<number, string>();
  for (const row of lines(tshark(['-r', file, '-T', 'fields', '-e', 'frame.interface_id', '-e', 'frame.interface_name']))) {
    const [id, name] = row.split('\t');
    names.set(Number(id), name!);
  }
  return [...names.entries()].sort(([a], [b]) => a - b).map(([, n]) => n);
}

/** One capture point's frames on their own, as tcpdump on that NIC would have written them. */
function point(file: string, name: string): string {
  const out = join(dir, `${name.replace(/\W/g, '_')}-${Math.random().toString(36).slice(2)}.pcapng`);
  tshark(['-r', file, '-Y', `frame.interface_name == "${name}"`, '-w', out]);
  return out;
}

describe('parseCommandLine: --capture', () => {
  it('takes all, or node:iface points comma-separated or repeated, and needs --pcap', () => {
    expect(parseCommandLine(['run', 's.ts', '--pcap', 'x.pcapng', '--capture', 'all'])).toMatchObject({ capture: 'all' });
    expect(parseCommandLine(['run', 's.ts', '--pcap', 'x.pcapng', '--capture', 'a:eth0,r1:eth1', '--capture', 'b:eth0'])).toMatchObject({ capture: ['a:eth0', 'r1:eth1', 'b:eth0'] });
    expect(() => parseCommandLine(['run', 's.ts', '--capture', 'all'])).toThrow(/--capture needs --pcap/);
    expect(() => parseCommandLine(['run', 's.ts', '--pcap', 'x.pcapng', '--capture', 'client'])).toThrow(UsageError);
    expect(() => parseCommandLine(['run', 's.ts', '--pcap', 'x.pcapng', '--capture', 'client'])).toThrow(/invalid capture point "client"/);
  });
});

describe.skipIf(!hasTshark())('captures of examples/http-get.ts read by tshark', { timeout: 120_000 }, () => {
  it('--capture all: one interface per node:iface, and no point shows a retransmission, reordering, dup ACK or bad checksum', async () => {
    const file = join(dir, 'http-all.pcapng');
    const r = await cli('run', 'examples/http-get.ts', '--pcap', file, '--capture', 'all');
    expect(r.code).toBe(0);
    const names = interfaceNames(file);
    expect(names).toEqual(['sw1:port1', 'sw1:port2', 'sw1:port3', 'r1:eth0', 'r1:eth1', 'client:eth0', 'server:eth0', 'ns:eth0']);
    const perPoint = lines(tshark(['-r', file, '-T', 'fields', '-e', 'frame.interface_name']));
    for (const name of names) {
      expect(perPoint.filter((n) => n === name).length, name).toBeGreaterThan(5);
      const one = point(file, name);
      expect(lines(tshark(['-r', one, ...CHECKS, '-Y', `${ANALYSIS} || ip.checksum.status == 0 || tcp.checksum.status == 0 || udp.checksum.status == 0 || _ws.malformed`])), name).toEqual([]);
    }
    // A frame appears once per capture point: the client's SYN is seen leaving the client, on
    // the switch twice (in and out), at r1 twice (in on eth0, out on eth1) and at the server.
    const syns = lines(tshark(['-r', file, '-Y', 'tcp.flags.syn == 1 && tcp.flags.ack == 0 && tcp.dstport == 80', '-T', 'fields', '-e', 'frame.interface_name']));
    expect(syns.sort()).toEqual(['client:eth0', 'client:eth0', 'r1:eth0', 'r1:eth0', 'r1:eth1', 'r1:eth1', 'server:eth0', 'server:eth0', 'sw1:port1', 'sw1:port1', 'sw1:port3', 'sw1:port3']);
  }, 240_000);

  it('by default captures the first host\'s first interface (client:eth0), both directions, and reads clean', async () => {
    const file = join(dir, 'http-default.pcapng');
    const r = await cli('run', 'examples/http-get.ts', '--pcap', file);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/wrote \d+ frames to .*http-default\.pcapng \(pcapng, capture point client:eth0\)/);
    expect(interfaceNames(file)).toEqual(['client:eth0']);
    expect(lines(tshark(['-r', file, ...CHECKS, '-Y', ANALYSIS]))).toEqual([]);
    const directions = new Set(lines(tshark(['-r', file, '-T', 'fields', '-e', 'frame.packet_flags_direction'])));
    expect(directions).toEqual(new Set(['0x00000001', '0x00000002']));
  });

  it('refuses an unknown capture point, naming the ones there are', async () => {
    const r = await cli('run', 'examples/http-get.ts', '--pcap', join(dir, 'x.pcapng'), '--capture', 'client:eth9');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no capture point "client:eth9"');
    expect(r.stderr).toContain('client:eth0');
  });

  it('writes libpcap for a .pcap name, and refuses several points there', async () => {
    const file = join(dir, 'one.pcap');
    expect((await cli('run', 'examples/http-get.ts', '--pcap', file, '--capture', 'server:eth0')).code).toBe(0);
    expect(readFileSync(file).readUInt32LE(0)).toBe(0xa1b23c4d);
    const many = await cli('run', 'examples/http-get.ts', '--pcap', join(dir, 'many.pcap'), '--capture', 'all');
    expect(many.code).toBe(2);
    expect(many.stderr).toMatch(/a \.pcap file holds one capture point/);
  });
});

describe.skipIf(!hasTshark())('a capture of an impaired run shows what happened at that point', { timeout: 120_000 }, () => {
  it('the sender\'s capture has the frames the link lost, and flags exactly the segments its TCP retransmitted', async () => {
    const file = join(dir, 'lossy.pcapng');
    const truthFile = join(dir, 'truth.json');
    const r = await cli('run', 'packages/cli/test/fixtures/lossy-transfer.ts', '--pcap', file, '--capture', 'client:eth0,server:eth0', '--', truthFile);
    expect(r.code).toBe(0);
    const truth = JSON.parse(readFileSync(truthFile, 'utf8')) as { retransmitted: number[]; lost: number[] };
    expect(truth.retransmitted.length).toBeGreaterThan(3);
    expect(truth.lost.length).toBeGreaterThan(3);

    const client = point(file, 'client:eth0');
    const sent = lines(tshark(['-r', client, '-Y', 'tcp.dstport == 80', '-T', 'fields', '-e', 'tcp.seq_raw'])).map(Number);
    // Every segment the link lost was captured leaving the client.
    for (const seq of truth.lost) expect(sent).toContain(seq);
    // tshark's expert analysis at the client flags the client's own segments only where its TCP really retransmitted.
    const flagged = lines(tshark(['-r', client, '-Y', `tcp.dstport == 80 && tcp.len > 0 && (${ANALYSIS})`, '-T', 'fields', '-e', 'tcp.seq_raw'])).map(Number);
    expect(new Set(flagged)).toEqual(new Set(truth.retransmitted));
    // The server's capture misses what the link lost: tshark sees gaps there.
    const server = point(file, 'server:eth0');
    expect(lines(tshark(['-r', server, '-Y', 'tcp.analysis.lost_segment'])).length).toBeGreaterThan(0);
  }, 120_000);
});
