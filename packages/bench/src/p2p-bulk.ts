// The ns-3 comparison scenario in netlayers (the ns-3 twin is ../ns3/p2p-bulk.cc): two hosts on
// one point-to-point link, 1 Gbit/s, 1 ms one way, a 1000-frame FIFO transmit queue, MTU 1500;
// one TCP connection sends N bytes (RFC 9293 TCP with RFC 7323 timestamps and window scaling,
// RFC 2018 SACK, NewReno (RFC 6582), initial window 10 (RFC 6928), delayed ACKs (RFC 1122),
// Nagle (RFC 896) on unless --no-nagle). Every checksum and FCS is computed and verified.
// Prints one JSON line: the simulated completion time (last byte received), the run loop's
// wall and CPU time, and the events run.
//
//   npx tsx packages/bench/src/p2p-bulk.ts --bytes 209715200 [--buffer 1048576] [--no-nagle] [--framing-overhead 20]

import { Network } from '@netlayers/lab';
import { NS_PER_S } from '@netlayers/core';

export interface P2pBulkOptions {
  bytes: number;
  buffer: number;
  nagle: boolean;
  /** Preamble + SFD + inter-frame gap bytes charged per frame (Ethernet: 20). */
  framingOverhead: number;
}

export interface P2pBulkResult {
  simulator: 'netlayers';
  bytes: number;
  completionSeconds: number;
  runLoopWallMs: number;
  runLoopCpuMs: number;
  events: number;
  goodputMbps: number;
}

export function runP2pBulk(o: P2pBulkOptions): P2pBulkResult {
  const tcp = { sendBufferSize: o.buffer, receiveBufferSize: o.buffer, noDelay: !o.nagle, congestionControl: 'newreno', initialWindow: 'rfc6928' } as const;
  const net = new Network({ seed: 1 });
  const sender = net.addHost('sender', { tcp });
  const receiver = net.addHost('receiver', { tcp });
  net.connect([sender, '10.1.1.1/24'], [receiver, '10.1.1.2/24'], { bandwidth: '1Gbps', delay: '1ms', queueLimit: 1000, mtu: 1500, framingOverhead: o.framingOverhead });
  let received = 0;
  let completed = -1;
  receiver.tcp.listen({ port: 5001 }).on('connection', (s) =>
    s.on('data', (chunk) => {
      received += chunk.length;
      if (received === o.bytes) completed = net.scheduler.now();
    }),
  );
  const socket = sender.tcp.connect({ remoteAddress: '10.1.1.2', remotePort: 5001 });
  // Like ns-3's BulkSend: writes of 64 KiB as long as the send buffer takes them.
  const chunk = new Uint8Array(64 * 1024).fill(0x5a);
  let sent = 0;
  const pump = (): void => {
    while (sent < o.bytes) {
      const n = Math.min(chunk.length, o.bytes - sent);
      sent += n;
      if (!socket.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return;
    }
  };
  socket.on('connect', pump);
  socket.on('drain', pump);
  const cpu0 = process.cpuUsage();
  const wall0 = process.hrtime.bigint();
  const events = net.runUntilIdle();
  const wallMs = Number(process.hrtime.bigint() - wall0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  if (received !== o.bytes || completed < 0) throw new Error(`p2p-bulk: received ${received} of ${o.bytes} bytes`);
  const completionSeconds = completed / NS_PER_S;
  return {
    simulator: 'netlayers',
    bytes: o.bytes,
    completionSeconds,
    runLoopWallMs: wallMs,
    runLoopCpuMs: (cpu.user + cpu.system) / 1e3,
    events,
    goodputMbps: (o.bytes * 8) / completionSeconds / 1e6,
  };
}

function numberArg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const v = Number(args[i + 1]);
  if (!Number.isSafeInteger(v) || v < 0) throw new Error(`${name} wants a non-negative integer, not ${JSON.stringify(args[i + 1])}`);
  return v;
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const args = process.argv.slice(2);
  const result = runP2pBulk({
    bytes: numberArg(args, '--bytes', 50 * 2 ** 20),
    buffer: numberArg(args, '--buffer', 2 ** 20),
    nagle: !args.includes('--no-nagle'),
    framingOverhead: numberArg(args, '--framing-overhead', 20),
  });
  console.log(JSON.stringify(result));
}
