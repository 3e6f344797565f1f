import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@netlayers/core';
import { capture, writePcap, writePcapng } from '../src/pcap.ts';
import { REQUEST, RESPONSE } from './support/fake-tcp-world.ts';
import { textbookEvents } from './support/textbook.ts';
import { FakeTcpWorld, playTextbook } from './support/fake-tcp-world.ts';
import { findTshark, tsharkCheck } from './support/tshark.ts';

const tshark = findTshark();
const dir = mkdtempSync(join(tmpdir(), 'netlayers-pcap-'));

function textbookCaptures(): { pcap: ReturnType<typeof capture>; pcapng: ReturnType<typeof capture>; client: ReturnType<typeof capture> } {
  const world = new FakeTcpWorld();
  const pcap = capture(world.sim.trace, { format: 'pcap' });
  const pcapng = capture(world.sim.trace, { format: 'pcapng' });
  const client = capture(world.sim.trace, { format: 'pcapng', node: 'client', iface: 'eth0' });
  playTextbook(world, { loseRequest: true });
  world.sim.scheduler.runUntilIdle();
  return { pcap, pcapng, client };
}

describe('pcap and pcapng writers', () => {
  it('writes the libpcap nanosecond header and strips the FCS from each record', () => {
    const frame = new Uint8Array(68).fill(7);
    const bytes = writePcap([{ time: 1_500_000_123, bytes: frame, interfaceName: 'a:eth0', direction: 'outbound' }]);
    const v = new DataView(bytes.buffer);
    expect(v.getUint32(0, true)).toBe(0xa1b23c4d);
    expect([v.getUint16(4, true), v.getUint16(6, true), v.getUint32(20, true)]).toEqual([2, 4, 1]);
    expect([v.getUint32(24, true), v.getUint32(28, true), v.getUint32(32, true), v.getUint32(36, true)]).toEqual([1, 500_000_123, 64, 64]);
    expect(bytes.length).toBe(24 + 16 + 64);
  });

  it('writes pcapng blocks: SHB, one IDB per interface with if_tsresol 9 and if_fcslen 4, EPBs', () => {
    const frames = [
      { time: 0, bytes: new Uint8Array(64), interfaceName: 'a:eth0', direction: 'outbound' as const },
      { time: 10, bytes: new Uint8Array(65), interfaceName: 'b:eth0', direction: 'inbound' as const },
      { time: 20, bytes: new Uint8Array(64), interfaceName: 'a:eth0', direction: 'inbound' as const },
    ];
    const bytes = writePcapng(frames);
    const v = new DataView(bytes.buffer);
    const blocks: number[] = [];
    for (let o = 0; o < bytes.length; o += v.getUint32(o + 4, true)) {
      blocks.push(v.getUint32(o, true));
      expect(v.getUint32(o + v.getUint32(o + 4, true) - 4, true)).toBe(v.getUint32(o + 4, true));
    }
    expect(blocks).toEqual([0x0a0d0d0a, 1, 1, 6, 6, 6]);
    const text = Buffer.from(bytes).toString('latin1');
    expect(text).toContain('a:eth0');
    expect(text).toContain('b:eth0');
  });

  it('rejects an unknown format by name', () => {
    const { world } = textbookEvents();
    expect(() => capture(world.sim.trace, { format: 'cap' as 'pcap' })).toThrow(InvalidArgumentError);
    expect(() => capture(world.sim.trace, { format: 'cap' as 'pcap' })).toThrow(/"cap"/);
  });

  it('captures both directions of one interface and stops when asked', () => {
    const { client } = textbookCaptures();
    // The client sends 6 segments (one lost on the medium, after it left the port) and receives 4.
    expect(client.frames.map((f) => f.direction)).toEqual(['outbound', 'inbound', 'outbound', 'outbound', 'outbound', 'inbound', 'outbound', 'inbound', 'inbound', 'outbound']);
    expect(client.frames.every((f) => f.interfaceName === 'client:eth0')).toBe(true);
    const world = new FakeTcpWorld();
    const stopped = capture(world.sim.trace, { format: 'pcap' });
    stopped.stop();
    playTextbook(world);
    world.sim.scheduler.runUntilIdle();
    expect(stopped.frames).toHaveLength(0);
  });
});

describe.skipIf(tshark === undefined && !process.env['CI'])('captures read by tshark', () => {
  const { pcap, pcapng, client } = textbookCaptures();

  for (const [name, cap, extra] of [
    ['pcap (FCS stripped)', pcap, []],
    ['pcapng (FCS kept, if_fcslen 4)', pcapng, ['-o', 'eth.check_fcs:TRUE']],
    ['pcapng of one interface, both directions', client, ['-o', 'eth.check_fcs:TRUE']],
  ] as const) {
    it(`${name}: no malformed packets, no bad checksums, and the TCP stream is what the applications sent`, () => {
      const path = cap.writeFile(join(dir, `${name.replace(/\W+/g, '-')}.${cap.format}`));
      const result = tsharkCheck(tshark!, path, [...extra]);
      expect(result.packets).toBe(cap.frames.length);
      expect(result.malformed).toBe(0);
      expect(result.badChecksums).toBe(0);
      expect(result.streams[0]).toEqual({ client: REQUEST, server: RESPONSE });
      if (cap.format === 'pcapng') {
        expect(result.fcsGood).toBe(cap.frames.length);
      }
    });
  }

  it('a capture of a real run through a switch and a router reads cleanly, stream intact', async () => {
    const { Network } = await import('@netlayers/lab');
    const { REAL_REQUEST, REAL_RESPONSE } = await import('./support/real-run.ts');
    let cap: ReturnType<typeof capture> | undefined;
    const off = Network.onCreate((net) => {
      cap = capture(net.trace, { format: 'pcapng', node: 'server' });
    });
    const { realExchange } = await import('./support/real-run.ts');
    const { received } = realExchange();
    off();
    expect(received).toEqual({ client: REAL_RESPONSE, server: REAL_REQUEST });
    const path = cap!.writeFile(join(dir, 'real.pcapng'));
    const result = tsharkCheck(tshark!, path, ['-o', 'eth.check_fcs:TRUE']);
    expect(result.malformed).toBe(0);
    expect(result.badChecksums).toBe(0);
    expect(result.fcsGood).toBe(cap!.frames.length);
    expect(result.streams[0]).toEqual({ client: REAL_REQUEST, server: REAL_RESPONSE });
  });

  it('does see bad checksums when there are some (the check can fail)', () => {
    const frames = pcap.frames.map((f, i) => {
      const bytes = f.bytes.slice();
      if (i === 0) bytes[14 + 8] = bytes[14 + 8]! ^ 0x01; // TTL of the first frame: IPv4 checksum now wrong
      return { ...f, bytes };
    });
    const path = join(dir, 'broken.pcap');
    writeFileSync(path, writePcap(frames));
    expect(tsharkCheck(tshark!, path).badChecksums).toBe(1);
  });

  it('has nanosecond timestamps from virtual time', () => {
    const path = pcap.writeFile(join(dir, 'times.pcap'));
    const out = execFileSync(tshark!, ['-r', path, '-T', 'fields', '-e', 'frame.time_epoch'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(out.trim().split('\n').slice(0, 3)).toEqual(['0.000000000', '0.002000000', '0.004000000']);
  });
});
