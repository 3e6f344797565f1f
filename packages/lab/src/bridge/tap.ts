// A medium whose far side is a real Linux kernel: a TAP device (/dev/net/tun) reached
// through the small C relay in ../../native/tap-relay.c (compiled on first use with the
// system C compiler). The relay drains the TAP in batches into a 16 MiB buffer and an
// enlarged pipe, stamps each frame with its CLOCK_MONOTONIC arrival, and reports any frame
// it had to drop; this side parses those records as they come (Node reads the pipe whenever
// its event loop turns, and runRealtime turns it at least every millisecond or so) and
// hands each frame to the simulation at the virtual time of its arrival. Options, stats and
// drops are the boundary's (boundary.ts). Run it with runRealtime(): the kernel keeps real time.

import { spawn, execFileSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DropReason, InvalidArgumentError, type Scheduler, type SimulationContext } from '@netlayers/core';
import { BoundaryMedium, type BoundaryOptions } from './boundary.ts';

const NATIVE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'native');

/** Compile ../../native/<name>.c with the system C compiler if needed; returns the binary's path. */
export function buildNativeTool(name: 'tap-relay' | 'tx-csum-off'): string {
  const path = join(NATIVE, `${name}.c`);
  const source = readFileSync(path);
  const binary = join(tmpdir(), `netlayers-${name}-${createHash('sha256').update(source).digest('hex').slice(0, 12)}`);
  if (!existsSync(binary)) {
    const building = `${binary}.${process.pid}`;
    execFileSync('cc', ['-O2', '-o', building, path], { stdio: 'pipe' });
    execFileSync('mv', ['-f', building, binary]);
  }
  return binary;
}

/** Compile the relay if needed; returns the binary's path. */
export function buildTapRelay(): string {
  return buildNativeTool('tap-relay');
}

export interface TapBridgeOptions extends BoundaryOptions {
  /** TAP device name (at most 15 characters). */
  readonly ifname: string;
  /** The TAP's transmit queue length, i.e. frames the kernel may queue for us (default 10,000). */
  readonly txQueueLength?: number;
  /** The relay's buffer for frames from the kernel that Node has not read yet (default 16 MiB). */
  readonly relayBufferBytes?: number;
}

const FRAME_HEADER = 12;
const DROP_FLAG = 0x80000000;

export class TapBridge extends BoundaryMedium {
  readonly ifname: string;
  private pending: Buffer = Buffer.alloc(0);
  private corked = false;
  /** Frames the relay reported dropping because its buffer was full (also in stats.inbound.drops). */
  relayDrops = 0;

  private constructor(private readonly relay: ChildProcessWithoutNullStreams, scheduler: Scheduler, options: TapBridgeOptions) {
    super(`tap ${options.ifname}`, scheduler, options, 'tap');
    this.ifname = options.ifname;
  }

  /** Create the TAP device and start relaying. Needs root (or CAP_NET_ADMIN) and /dev/net/tun. */
  static async open(sim: SimulationContext | Scheduler, options: TapBridgeOptions): Promise<TapBridge> {
    const scheduler = 'scheduler' in sim ? sim.scheduler : sim;
    if (typeof options.ifname !== 'string' || options.ifname.length === 0 || options.ifname.length > 15) {
      throw new InvalidArgumentError('ifname', options.ifname, 'must be a device name of 1 to 15 characters');
    }
    const args = [options.ifname, String(options.mtu ?? 1500), String(options.txQueueLength ?? 10_000), String(options.relayBufferBytes ?? 16 << 20)];
    const relay = spawn(buildTapRelay(), args, { stdio: ['pipe', 'pipe', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      let err = '';
      relay.stderr.on('data', (d: Buffer) => {
        err += d.toString();
        if (err.includes('ready')) resolve();
      });
      relay.on('exit', (code) => reject(new Error(`tap-relay exited with ${code}: ${err.trim()}`)));
      relay.on('error', reject);
    });
    const bridge = new TapBridge(relay, scheduler, options);
    relay.stdout.on('data', (chunk: Buffer) => bridge.parse(chunk));
    return bridge;
  }

  close(): void {
    this.relay.stdin.end();
    this.relay.kill();
  }

  protected sendOut(body: Uint8Array): void {
    const stdin = this.relay.stdin;
    // Frames sent in one turn of the event loop leave in one writev() to the relay.
    if (!this.corked) {
      this.corked = true;
      stdin.cork();
      process.nextTick(() => {
        this.corked = false;
        stdin.uncork();
      });
    }
    const header = Buffer.allocUnsafe(4);
    header.writeUInt32BE(body.length, 0);
    stdin.write(header);
    stdin.write(body);
  }

  protected override outboundBacklog(): number {
    return this.relay.stdin.writableLength;
  }

  private parse(chunk: Buffer): void {
    let buf = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    let at = 0;
    while (buf.length - at >= FRAME_HEADER) {
      const word = buf.readUInt32BE(at);
      const arrival = buf.readBigUInt64BE(at + 4);
      if ((word & DROP_FLAG) !== 0) {
        const count = word & ~DROP_FLAG;
        this.relayDrops += count;
        this.lostOutside(count, DropReason.QueueFull, `the TAP relay's buffer was full; it dropped ${count} frame(s) from the kernel`);
        at += FRAME_HEADER;
        continue;
      }
      if (buf.length - at < FRAME_HEADER + word) break;
      // receiveFromOutside copies it (adding the FCS), so a view into Node's chunk will do.
      const body = buf.subarray(at + FRAME_HEADER, at + FRAME_HEADER + word);
      at += FRAME_HEADER + word;
      this.receiveFromOutside(body, arrival);
    }
    buf = buf.subarray(at);
    this.pending = buf.length === 0 ? Buffer.alloc(0) : Buffer.from(buf);
  }
}
