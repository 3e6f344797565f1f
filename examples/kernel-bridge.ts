// An emulated host talks to the Linux kernel through a TAP device: this script creates a
// network namespace, moves the TAP into it (the kernel at 10.219.0.1, our host at
// 10.219.0.2), measures round-trip times both ways, moves 10 MB each way over TCP, prints
// the bridge's per-direction statistics and the kernel's TX-dropped counter, and removes
// the namespace again. Needs root and /dev/net/tun.
// Run: sudo npx tsx examples/kernel-bridge.ts [--mb 10]

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { Network } from '@netlayers/lab';
import { NetNamespace, TapBridge, runRealtime, sh } from '@netlayers/lab/node';
import { honourTraceFlag, invokedDirectly } from './support/run-direct.ts';

function run(cmd: string, args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

export async function main(write: (line: string) => void = console.log, megabytes = 10): Promise<void> {
  const id = process.pid % 100000;
  const ns = `nlkb${id}`;
  const tap = `nlkb${id}`;
  const net = new Network({ seed: 1 });
  let bridge: TapBridge | undefined;
  const kernelNs = NetNamespace.create(ns);
  try {
    bridge = await TapBridge.open(net, { ifname: tap });
    kernelNs.adoptLink(tap, '10.219.0.1/24');
    const emu = net.addHost('emu');
    net.connect([emu, '10.219.0.2/24'], net.addSegment('kernel', () => bridge!, 'TAP device to the Linux kernel'));
    write(`namespace ${ns}: kernel 10.219.0.1 on ${tap}; emulated host emu 10.219.0.2`);

    // Round trips, measured by each side.
    const ours: number[] = [];
    for (let i = 0; i < 10; i++) {
      const reply = await runRealtime(net, { until: emu.ping('10.219.0.1', { timeout: '1s' }) });
      if (reply.ok) ours.push(reply.rtt / 1e6);
    }
    const kernelPing = await runRealtime(net, { until: run('ip', ['netns', 'exec', ns, 'ping', '-c', '10', '-i', '0.05', '10.219.0.2']) });
    const theirs = [...kernelPing.out.matchAll(/time=([\d.]+) ms/g)].map((m) => Number(m[1]));
    write(`ping RTT, median of 10: emu -> kernel ${median(ours).toFixed(3)} ms; kernel -> emu ${median(theirs).toFixed(3)} ms`);

    const bytes = megabytes * 1024 * 1024;
    const payload = new Uint8Array(bytes).map((_, i) => (i * 31 + (i >>> 11)) & 0xff);
    const digest = createHash('sha256').update(payload).digest('hex');

    // Kernel -> emulator: a kernel TCP client sends to our server.
    const received = new Promise<{ bytes: number; sha256: string }>((resolve) => {
      emu.tcp.listen({ port: 9000 }).on('connection', (socket) => {
        const h = createHash('sha256');
        let n = 0;
        socket.on('data', (c) => {
          h.update(c);
          n += c.length;
        });
        socket.on('end', () => {
          socket.end();
          resolve({ bytes: n, sha256: h.digest('hex') });
        });
      });
    });
    let started = process.hrtime.bigint();
    const sender = run('ip', ['netns', 'exec', ns, process.execPath, '-e', `
      const p = Buffer.alloc(${bytes}); for (let i = 0; i < p.length; i++) p[i] = (i * 31 + (i >>> 11)) & 0xff;
      const s = require('net').connect(9000, '10.219.0.2', () => s.end(p)); s.on('data', () => {}); s.on('close', () => process.exit(0));
    `]);
    const [, inbound] = await runRealtime(net, { until: Promise.all([sender, received]), timeoutMs: 120_000 });
    let seconds = Number(process.hrtime.bigint() - started) / 1e9;
    write(`kernel -> emu: ${inbound.bytes} bytes in ${seconds.toFixed(2)} s (${((inbound.bytes * 8) / seconds / 1e6).toFixed(0)} Mbit/s), sha256 ${inbound.sha256 === digest ? 'matches' : 'DIFFERS'}`);

    // Emulator -> kernel: our TCP client sends to a kernel server that hashes what it gets.
    const server = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', `
      require('net').createServer((s) => { const h = require('crypto').createHash('sha256'); let n = 0;
        s.on('data', (d) => { h.update(d); n += d.length; }); s.on('end', () => { s.end(n + ' ' + h.digest('hex')); }); })
        .listen(9001, '10.219.0.1', () => console.log('listening'));
    `]);
    try {
      await new Promise<void>((resolve) => server.stdout.once('data', () => resolve()));
      started = process.hrtime.bigint();
      const socket = emu.tcp.connect({ remoteAddress: '10.219.0.1', remotePort: 9001 });
      const answer = new Promise<string>((resolve, reject) => {
        let text = '';
        socket.on('connect', () => socket.end(payload));
        socket.on('data', (d) => (text += new TextDecoder().decode(d)));
        socket.on('end', () => resolve(text));
        socket.on('error', reject);
      });
      const [n, sha] = (await runRealtime(net, { until: answer, timeoutMs: 120_000 })).split(' ');
      seconds = Number(process.hrtime.bigint() - started) / 1e9;
      write(`emu -> kernel: ${n} bytes in ${seconds.toFixed(2)} s (${((Number(n) * 8) / seconds / 1e6).toFixed(0)} Mbit/s), sha256 ${sha === digest ? 'matches' : 'DIFFERS'}`);
    } finally {
      server.kill();
    }

    const [link] = JSON.parse(sh('ip', '-n', ns, '-s', '-j', 'link', 'show', 'dev', tap)) as { stats64: { tx: { dropped: number } } }[];
    const s = bridge.stats;
    write(`bridge outbound (emu -> kernel): ${s.outbound.frames} frames, ${s.outbound.bytes} bytes, ${s.outbound.drops} dropped`);
    write(`bridge inbound (kernel -> emu): ${s.inbound.frames} frames, ${s.inbound.bytes} bytes, ${s.inbound.drops} dropped; relay drops ${bridge.relayDrops}; peak backlog ${s.inboundQueuedPeak} frames`);
    write(`kernel's TX-dropped counter on ${tap}: ${link!.stats64.tx.dropped}`);
  } finally {
    bridge?.close();
    kernelNs.remove();
  }
}

if (invokedDirectly(import.meta.url)) {
  honourTraceFlag();
  const at = process.argv.indexOf('--mb');
  await main(console.log, at > 0 ? Number(process.argv[at + 1]) : 10);
}
