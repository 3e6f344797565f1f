// The real-network examples run end to end: kernel-bridge.ts (a TAP device in a namespace it
// creates) and vxlan-lab.ts (a second netlayers process and a Linux vxlan device), and the
// VXLAN capture decodes in tshark with valid checksums inside and out. Need root and
// /dev/net/tun (tshark for the capture check): skipped elsewhere, except in CI (CI=true).

import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main as kernelBridge } from '../kernel-bridge.ts';
import { main as vxlanLab } from '../vxlan-lab.ts';

const capable = process.platform === 'linux' && process.getuid?.() === 0 && existsSync('/dev/net/tun');
const hasTshark = ((): boolean => {
  try {
    execFileSync('tshark', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

async function output(run: (write: (line: string) => void) => Promise<void>): Promise<string> {
  const lines: string[] = [];
  await run((line) => lines.push(line));
  return lines.join('\n');
}

describe.skipIf(!capable && !process.env.CI)('real-network examples', () => {
  it('examples/kernel-bridge.ts: RTTs both ways, 2 MB each way with matching sha256, nothing dropped', async () => {
    const out = await output((w) => kernelBridge(w, 2));
    expect(out).toMatch(/ping RTT, median of 10: emu -> kernel [\d.]+ ms; kernel -> emu [\d.]+ ms/);
    expect(out).toMatch(/kernel -> emu: 2097152 bytes .* sha256 matches/);
    expect(out).toMatch(/emu -> kernel: 2097152 bytes .* sha256 matches/);
    expect(out).toMatch(/inbound \(kernel -> emu\): \d+ frames, \d+ bytes, 0 dropped; relay drops 0/);
    expect(out).toMatch(/TX-dropped counter on \S+: 0$/m);
  }, 180_000);

  it('examples/vxlan-lab.ts: two processes and a kernel on two VXLAN segments; the capture decodes as VXLAN', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vxlan-lab-'));
    const pcap = join(dir, 'vxlan.pcap');
    const port = 25000 + (process.pid % 10000);
    try {
      const out = await output((w) => vxlanLab(w, { pcap, megabytes: 1, port }));
      expect(out).toMatch(/B: ping hostA [\d.]+ ms, ping the kernel \(via r1\) [\d.]+ ms/);
      expect(out).toMatch(/B -> hostA over TCP: 1048576 bytes .* sha256 matches/);
      expect(out).toMatch(/kernel pings hostB through r1 and both tunnels: 3 of 3 replies/);
      expect(out).toMatch(/kernel GETs 256 KiB from hostA over HTTP: sha256 matches/);
      if (!hasTshark) return;
      const fields = execFileSync('tshark', ['-r', pcap, '-d', `udp.port==${port},vxlan`, '-o', 'ip.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE',
        '-o', 'tcp.check_checksum:TRUE', '-Y', 'vxlan && tcp', '-T', 'fields', '-e', 'vxlan.vni', '-e', 'ip.checksum.status', '-e', 'udp.checksum.status', '-e', 'tcp.checksum.status'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n');
      // Both segments carried TCP; every outer and inner IPv4, outer UDP and inner TCP checksum is good (1).
      expect(new Set(fields.map((l) => l.split('\t')[0]))).toEqual(new Set(['42', '43']));
      expect(fields.length).toBeGreaterThan(700);
      for (const line of fields) expect(line.split('\t').slice(1)).toEqual(['1,1', '1', '1']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
