// Our stack against a real Linux kernel: a TAP device moved into a network namespace this
// test creates, with the kernel at 10.213.0.1 and our emulated host at 10.213.0.2. Traffic
// never leaves that namespace. Needs root and /dev/net/tun: skipped elsewhere, except in
// CI (CI=true), where a missing capability is a failure.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { Network, type Host } from '../src/index.ts';
import { NetNamespace, TapBridge, runRealtime } from '../src/node.ts';
import type { StreamSocket } from '@netlayers/core';

const capable = process.platform === 'linux' && process.getuid?.() === 0 && existsSync('/dev/net/tun');
const ns = `nlt${process.pid}`;
const tap = `nltap${process.pid % 100000}`;

describe.skipIf(!capable && !process.env.CI)('TAP bridge to the Linux kernel', () => {
  let net: Network;
  let bridge: TapBridge;
  let emu: Host;
  let kernelNs: NetNamespace | undefined;

  beforeAll(async () => {
    kernelNs = NetNamespace.create(ns);
    net = new Network({ seed: 7 });
    bridge = await TapBridge.open(net.scheduler, { ifname: tap });
    kernelNs.adoptLink(tap, '10.213.0.1/24');
    const kernel = net.addSegment('kernel', () => bridge, 'TAP device to the Linux kernel');
    emu = net.addHost('emu');
    net.connect([emu, '10.213.0.2/24'], kernel);
  });

  afterAll(() => {
    bridge?.close();
    kernelNs?.remove();
  });

  it('our host pings the kernel with Host.ping under runRealtime (ARP and ICMP against the real thing)', async () => {
    const reply = await runRealtime(net, { until: emu.ping('10.213.0.1', { timeout: '2s' }) });
    expect(reply.ok).toBe(true);
    // The reply is stamped with its wall-clock arrival: a real round trip, not 0.
    const again = await runRealtime(net, { until: emu.ping('10.213.0.1', { timeout: '2s' }) });
    expect(again.ok && again.rtt).toBeGreaterThan(5_000);
    expect(bridge.stats.outbound.frames).toBeGreaterThanOrEqual(3);
    expect(bridge.stats.inbound.frames).toBeGreaterThanOrEqual(3);
  });

  it('the kernel pings our host and gets valid replies', async () => {
    const child = spawn('ip', ['netns', 'exec', ns, 'ping', '-c', '3', '-i', '0.2', '-W', '2', '10.213.0.2']);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const code = await runRealtime(net.scheduler, { until: exited });
    expect(out).toMatch(/3 packets transmitted, 3 received/);
    expect(code).toBe(0);
  });

  it('our TCP client exchanges 200 KB with a kernel TCP echo server', async () => {
    const server = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', `
      require('net').createServer((s) => s.pipe(s)).listen(7007, '10.213.0.1', () => console.log('listening'));
    `]);
    await new Promise<void>((resolve) => server.stdout.once('data', () => resolve()));
    try {
      const payload = new Uint8Array(200_000).map((_, i) => (i * 31 + 7) & 0xff);
      const socket: StreamSocket = emu.tcp.connect({ remoteAddress: '10.213.0.1', remotePort: 7007 });
      const received: Uint8Array[] = [];
      let total = 0;
      const done = new Promise<void>((resolve, reject) => {
        socket.on('connect', () => {
          socket.write(payload);
        });
        socket.on('data', (chunk) => {
          received.push(chunk.slice());
          total += chunk.length;
          if (total >= payload.length) {
            socket.end();
            resolve();
          }
        });
        socket.on('error', reject);
      });
      await runRealtime(net.scheduler, { until: done, timeoutMs: 15_000 });
      const digest = (parts: Uint8Array[]): string => {
        const h = createHash('sha256');
        for (const p of parts) h.update(p);
        return h.digest('hex');
      };
      expect(total).toBe(payload.length);
      expect(digest(received)).toBe(digest([payload]));
    } finally {
      server.kill();
    }
  });

  it('a kernel TCP client talks to our TCP server', async () => {
    const listener = emu.tcp.listen({ port: 8080 });
    listener.on('connection', (socket) => {
      let request = '';
      socket.on('data', (chunk) => {
        request += new TextDecoder().decode(chunk);
        if (request.includes('\n')) socket.end(`hello kernel, you said ${request.trim()}\n`);
      });
    });
    const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', `
      const s = require('net').connect(8080, '10.213.0.2', () => s.write('ping from linux\\n'));
      let got = ''; s.on('data', (d) => (got += d)); s.on('end', () => { console.log(got.trim()); s.end(); });
      s.on('error', (e) => { console.error(e.message); process.exit(1); });
    `]);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const code = await runRealtime(net.scheduler, { until: exited, timeoutMs: 15_000 });
    expect(out.trim()).toBe('hello kernel, you said ping from linux');
    expect(code).toBe(0);
  });
});
