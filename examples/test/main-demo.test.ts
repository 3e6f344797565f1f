import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDemo, REQUEST, RESPONSE } from '../main-demo.ts';

const dir = mkdtempSync(join(tmpdir(), 'netlayers-demo-'));

function hasTshark(): boolean {
  try {
    execFileSync('tshark', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('main demo', () => {
  const result = runDemo({ pcapPath: join(dir, 'demo.pcap') });

  it('completes the exchange: each side got what the other sent', () => {
    expect(result.received).toEqual({ client: RESPONSE, server: REQUEST });
  });

  it('prints every section, fits 100 columns and has no colour unless asked', () => {
    const out = result.output;
    for (const heading of ['Topology', 'One data frame, layer by layer (TCP/IP five-layer model)', 'The same frame in the TCP/IP four-layer model', 'The connection, segment by segment', "The request's walk through the stacks", 'tcpdump-style lines']) {
      expect(out).toContain(heading);
    }
    expect(Math.max(...out.split('\n').map((l) => l.length))).toBeLessThanOrEqual(100);
    expect(out).not.toContain('\x1b[');
    expect(runDemo({ color: true, pcapPath: null }).output).toContain('\x1b[1m');
  });

  it('shows textbook numbers (ISN 0), both sides\' states and TIME-WAIT for 2*MSL on the client', () => {
    const out = result.output;
    expect(out).toMatch(/\|-+ SYN seq=0 len=0 -+>\|/);
    expect(out).toMatch(/\|<-+ SYN,ACK seq=0 ack=1 len=0 -+\|/);
    expect(out).toMatch(/\d\.\d{6} s {4}TIME-WAIT \|/);
    expect(out).toContain('(2*MSL = 4 min)');
    expect(out).toMatch(/\| CLOSE-WAIT {3}\d/);
    expect(out).toContain('1 Link (network access) | pre+SFD 8 | Ethernet 14 |');
    expect(out).toContain('r1 (router: up to the network layer and back down)');
  });

  it('writes a pcap it names, with the demo\'s frames', () => {
    expect(result.pcapPath).toBe(join(dir, 'demo.pcap'));
    expect(result.output).toContain(`to ${join(dir, 'demo.pcap')} (open it in Wireshark`);
    expect(readFileSync(result.pcapPath!).readUInt32LE(0)).toBe(0xa1b23c4d);
  });

  it.skipIf(!hasTshark() && !process.env['CI'])('the pcap opens cleanly in tshark and holds the request and response', () => {
    const checks = ['-o', 'ip.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE'];
    const bad = execFileSync('tshark', ['-r', result.pcapPath!, ...checks, '-Y', '_ws.malformed || ip.checksum.status == 0 || tcp.checksum.status == 0'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(bad.trim()).toBe('');
    const payloads = execFileSync('tshark', ['-r', result.pcapPath!, '-Y', 'tcp.len > 0', '-T', 'fields', '-e', 'tcp.payload'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(payloads.trim().split('\n').map((h) => Buffer.from(h.replace(/:/g, ''), 'hex').toString('latin1'))).toEqual([REQUEST, RESPONSE]);
  });

  it('runs from the command line as `pnpm demo` does', () => {
    const root = new URL('../../', import.meta.url).pathname;
    const cwd = mkdtempSync(join(tmpdir(), 'netlayers-demo-cwd-'));
    const out = execFileSync(process.execPath, [join(root, 'packages/cli/bin/netlayers.js'), 'run', join(root, 'examples/main-demo.ts')], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(out.startsWith('netlayers demo:')).toBe(true);
    expect(out).toContain(`to ${join(cwd, 'netlayers-demo.pcap')} (open it in Wireshark`);
    expect(existsSync(join(cwd, 'netlayers-demo.pcap'))).toBe(true);
  });
});
