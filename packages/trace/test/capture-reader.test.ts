import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { isCaptureReadError, readCapture, writePcap, writePcapng, type CaptureFile, type CapturedFrame } from '../src/index.ts';

function frame(n: number, length = 60): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 7 + n) & 0xff;
  return bytes;
}

const FRAMES: CapturedFrame[] = [
  { time: 1_000, bytes: frame(1), interfaceName: 'client:eth0', direction: 'outbound' },
  { time: 2_500_123, bytes: frame(2, 98), interfaceName: 'server:eth0', direction: 'inbound' },
  { time: 3_000_000_007, bytes: frame(3, 1514), interfaceName: 'client:eth0', direction: 'inbound' },
];

function read(bytes: Uint8Array): CaptureFile {
  const file = readCapture(bytes);
  if (isCaptureReadError(file)) throw new Error(file.error);
  return file;
}

const haveEditcap = (() => {
  try {
    execFileSync('editcap', ['-h'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('readCapture', () => {
  it('reads back our pcapng: one interface per node:iface, nanosecond times, FCS length', () => {
    const file = read(writePcapng(FRAMES, { epochNs: 1_700_000_000_000_000_000n }));
    expect(file.format).toBe('pcapng');
    expect(file.problems).toEqual([]);
    expect(file.interfaces.map((i) => i.name)).toEqual(['client:eth0', 'server:eth0']);
    expect(file.interfaces.every((i) => i.linkType === 1 && i.fcsLength === 4)).toBe(true);
    expect(file.packets.map((p) => p.timestampNs - 1_700_000_000_000_000_000n)).toEqual([1_000n, 2_500_123n, 3_000_000_007n]);
    expect(file.packets.map((p) => file.interfaces[p.interfaceId]!.name)).toEqual(['client:eth0', 'server:eth0', 'client:eth0']);
    expect(file.packets.map((p) => [...p.data])).toEqual(FRAMES.map((f) => [...f.bytes]));
  });

  it('reads back our pcap: nanosecond magic, FCS stripped as the writer does', () => {
    const file = read(writePcap(FRAMES));
    expect(file.format).toBe('pcap');
    expect(file.interfaces).toEqual([{ linkType: 1, snaplen: expect.any(Number), fcsLength: 0 }]);
    expect(file.packets.map((p) => p.timestampNs)).toEqual([1_000n, 2_500_123n, 3_000_000_007n]);
    expect(file.packets.map((p) => p.data.length)).toEqual(FRAMES.map((f) => f.bytes.length - 4));
  });

  it.skipIf(!haveEditcap)('reads what Wireshark\'s editcap writes: nanosecond pcap and pcapng from a pcap', () => {
    const dir = mkdtempSync(join(tmpdir(), 'netlayers-reader-'));
    writeFileSync(join(dir, 'in.pcapng'), writePcapng(FRAMES, { epochNs: 1_600_000_000_000_000_000n }));
    execFileSync('editcap', ['-F', 'pcap', join(dir, 'in.pcapng'), join(dir, 'out.pcap')], { stdio: 'ignore' });
    execFileSync('editcap', ['-F', 'nsecpcap', join(dir, 'in.pcapng'), join(dir, 'out-ns.pcap')], { stdio: 'ignore' });
    execFileSync('editcap', ['-F', 'pcapng', join(dir, 'out.pcap'), join(dir, 'again.pcapng')], { stdio: 'ignore' });
    const ns = read(new Uint8Array(readFileSync(join(dir, 'out-ns.pcap'))));
    expect(ns.format).toBe('pcap');
    expect(ns.packets.map((p) => p.timestampNs - 1_600_000_000_000_000_000n)).toEqual([1_000n, 2_500_123n, 3_000_000_007n]);
    const us = read(new Uint8Array(readFileSync(join(dir, 'out.pcap'))));
    expect(us.packets.map((p) => p.timestampNs - 1_600_000_000_000_000_000n)).toEqual([1_000n, 2_500_000n, 3_000_000_000n]);
    const again = read(new Uint8Array(readFileSync(join(dir, 'again.pcapng'))));
    expect(again.packets).toHaveLength(3);
    expect(again.packets.map((p) => p.data.length)).toEqual(us.packets.map((p) => p.data.length));
  });

  it('keeps what it read before a truncated record and says where it stopped', () => {
    const whole = writePcapng(FRAMES);
    const cut = read(whole.subarray(0, whole.length - 10));
    expect(cut.packets).toHaveLength(2);
    expect(cut.problems[0]).toMatch(/block at offset \d+/);
    const pcap = writePcap(FRAMES);
    const cutPcap = read(pcap.subarray(0, pcap.length - 3));
    expect(cutPcap.packets).toHaveLength(2);
    expect(cutPcap.problems[0]).toMatch(/record 3: \d+ bytes announced/);
  });

  it('refuses what is neither pcap nor pcapng, with the magic it saw', () => {
    const result = readCapture(new TextEncoder().encode('GET / HTTP/1.1\r\n'));
    expect(isCaptureReadError(result) && result.error).toMatch(/not a pcap or pcapng file \(magic 0x47455420\)/);
    expect(isCaptureReadError(readCapture(new Uint8Array(2)))).toBe(true);
  });

  it('never throws on damaged files (fast-check: random bytes spliced into real captures)', () => {
    const real = [writePcapng(FRAMES), writePcap(FRAMES)];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1 }), fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.nat(), (which, at, junk, cutAt) => {
        const base = real[which]!;
        const damaged = new Uint8Array(base);
        damaged.set(junk.subarray(0, Math.max(0, damaged.length - (at % damaged.length))), at % damaged.length);
        const result = readCapture(damaged.subarray(0, Math.max(4, cutAt % (damaged.length + 1))));
        return isCaptureReadError(result) || Array.isArray(result.packets);
      }),
      { numRuns: 3000 },
    );
  });
});
