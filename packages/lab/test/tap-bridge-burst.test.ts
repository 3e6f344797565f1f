// A burst of 3,000 back-to-back UDP datagrams from the kernel (faster than 1 Gbit/s): with
// the default inbound queue the bridge takes every frame; with a deliberately small one
// (queueLimit 16) the simulation cannot keep up and the bridge drops visibly: every frame
// the kernel sent is either delivered or counted as a drop (stats, port drops, drop trace
// events with reason queue-full), and none vanishes (the kernel's tx_dropped stays 0). Needs root and /dev/net/tun; skipped
// elsewhere, except in CI (CI=true), where a missing capability is a failure.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { DropReason, type DropEvent } from '@netlayers/core';
import { Network, type Host } from '../src/index.ts';
import { NetNamespace, TapBridge, runRealtime, sh } from '../src/node.ts';

const capable = process.platform === 'linux' && process.getuid?.() === 0 && existsSync('/dev/net/tun');
const id = `${process.pid % 100000}`;

function tapCounters(ns: string, tap: string): { txPackets: number; txDropped: number } {
  const [link] = JSON.parse(sh('ip', '-n', ns, '-s', '-j', 'link', 'show', 'dev', tap)) as { stats64: { tx: { packets: number; dropped: number } } }[];
  return { txPackets: link!.stats64.tx.packets, txDropped: link!.stats64.tx.dropped };
}

describe.skipIf(!capable && !process.env.CI).each([
  { queueLimit: 8192, what: 'the default queue absorbs it' },
  { queueLimit: 16, what: 'a 16-frame queue cannot, and drops visibly' },
])('TAP bridge and a burst from the kernel: $what', ({ queueLimit }) => {
  const ns = `nlbu${queueLimit}x${id}`;
  const tap = `nlbu${queueLimit % 100}x${id}`;
  let net: Network;
  let bridge: TapBridge;
  let emu: Host;
  let kernelNs: NetNamespace | undefined;

  beforeAll(async () => {
    kernelNs = NetNamespace.create(ns);
    net = new Network({ seed: 5 });
    bridge = await TapBridge.open(net, { ifname: tap, queueLimit });
    kernelNs.adoptLink(tap, '10.217.0.1/24');
    emu = net.addHost('emu');
    net.connect([emu, '10.217.0.2/24'], net.addSegment('kernel', () => bridge, 'TAP device to the Linux kernel'));
  });

  afterAll(() => {
    bridge?.close();
    kernelNs?.remove();
  });

  it('3,000 back-to-back 1400-byte datagrams: delivered + dropped = sent, drops traced as queue-full', async () => {
    const started = process.hrtime.bigint();
    const warm = await runRealtime(net, { until: emu.ping('10.217.0.1', { timeout: '2s' }) });
    expect(warm.ok).toBe(true);
    let received = 0;
    emu.udp.bind({ port: 9999 }).on('message', () => received++);
    const drops: DropEvent[] = [];
    net.trace.on('drop', (e) => {
      if (e.node === 'emu' && e.role === 'physical') drops.push(e);
    });
    const before = tapCounters(ns, tap);
    const inboundBefore = bridge.stats.inbound.frames;
    const flood = new Promise<number | null>((resolve) => {
      const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', `
        const s = require('dgram').createSocket('udp4');
        const buf = Buffer.alloc(1400, 7);
        let n = 0;
        const burst = () => { for (let i = 0; i < 500 && n < 3000; i++, n++) s.send(buf, 9999, '10.217.0.2'); if (n < 3000) setImmediate(burst); else setTimeout(() => s.close(), 200); };
        burst();
      `]);
      child.on('exit', resolve);
    });
    await runRealtime(net, { until: flood, timeoutMs: 30_000 });
    const after = tapCounters(ns, tap);
    const sent = after.txPackets - before.txPackets;
    // On a loaded machine the simulation may still be working through the burst: wait
    // (in real time) until every frame the kernel sent is accounted for, or 20 s pass.
    const accounted = (): number => bridge.stats.inbound.frames - inboundBefore + bridge.stats.inbound.drops;
    for (let waited = 0; accounted() < sent && waited < 20_000; waited += 200) {
      await runRealtime(net, { until: new Promise((r) => setTimeout(r, 200)) });
    }
    const delivered = bridge.stats.inbound.frames - inboundBefore;
    const dropped = bridge.stats.inbound.drops;
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    console.log(`burst (queueLimit ${queueLimit}, ${ms.toFixed(0)} ms in all): kernel sent ${sent} frames (tx_dropped +${after.txDropped - before.txDropped}); bridge delivered ${delivered}, dropped ${dropped} (${JSON.stringify(bridge.stats.inbound.dropsByReason)}); UDP socket got ${received}; relay drops ${bridge.relayDrops}, queued ${bridge.stats.inboundQueued}`);
    expect(after.txDropped - before.txDropped).toBe(0);
    expect(sent).toBeGreaterThanOrEqual(3000);
    if (queueLimit === 16) expect(dropped).toBeGreaterThan(0);
    else expect(dropped).toBe(0);
    // Exact but for a stray frame of the kernel's own (IPv6 neighbour discovery, ARP) that
    // may cross between reading its counter and ours.
    expect(Math.abs(delivered + dropped - sent)).toBeLessThanOrEqual(2);
    expect(bridge.stats.inbound.dropsByReason[DropReason.QueueFull] ?? 0).toBe(dropped);
    expect(drops.filter((d) => d.reason === DropReason.QueueFull)).toHaveLength(dropped);
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThanOrEqual(delivered);
  });
});
