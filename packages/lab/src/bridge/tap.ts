// A medium whose far side is a real Linux kernel: a TAP device (/dev/net/tun) reached
// through the small C relay in ../../native/tap-relay.c (compiled on first use with the
// system C compiler). The kernel sends and expects Ethernet frames without the FCS, so the
// bridge strips our FCS going out and pads to the 60-byte minimum and adds a computed FCS
// coming in (IEEE 802.3 CRC-32). Run it with runRealtime(): the kernel keeps real time.

import { spawn, execFileSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  crc32,
  DropReason,
  InvalidStateError,
  type FrameReceiver,
  type Medium,
  type NodeContext,
  type PhyCapabilities,
  type PhyPort,
  type PhyPortStats,
  type Scheduler,
} from '@netlayers/core';

const RELAY_SOURCE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'native', 'tap-relay.c');

/** Compile the relay if needed; returns the binary's path. */
export function buildTapRelay(): string {
  const source = readFileSync(RELAY_SOURCE);
  const binary = join(tmpdir(), `netlayers-tap-relay-${createHash('sha256').update(source).digest('hex').slice(0, 12)}`);
  if (!existsSync(binary)) execFileSync('cc', ['-O2', '-o', binary, RELAY_SOURCE], { stdio: 'pipe' });
  return binary;
}

export interface TapBridgeOptions {
  /** TAP device name (at most 15 characters). */
  readonly ifname: string;
  /** MTU of the kernel side (default 1500). */
  readonly mtu?: number;
}

export class TapBridge implements Medium {
  readonly name: string;
  readonly capabilities: PhyCapabilities;
  private port: TapPort | null = null;

  private constructor(private readonly relay: ChildProcessWithoutNullStreams, private readonly scheduler: Scheduler, options: TapBridgeOptions) {
    this.name = `tap ${options.ifname}`;
    const mtu = options.mtu ?? 1500;
    this.capabilities = { mtu, maxFrameBytes: mtu + 22, bitsPerSecond: 1e9, propagationDelay: 0 };
  }

  /** Create the TAP device and start relaying. Needs root (or CAP_NET_ADMIN) and /dev/net/tun. */
  static async open(scheduler: Scheduler, options: TapBridgeOptions): Promise<TapBridge> {
    const relay = spawn(buildTapRelay(), [options.ifname], { stdio: ['pipe', 'pipe', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      let err = '';
      relay.stderr.on('data', (d: Buffer) => {
        err += d.toString();
        if (err.includes('ready')) resolve();
      });
      relay.on('exit', (code) => reject(new Error(`tap-relay exited with ${code}: ${err.trim()}`)));
    });
    const bridge = new TapBridge(relay, scheduler, options);
    bridge.listen();
    return bridge;
  }

  attach(node: NodeContext, portName: string): PhyPort {
    if (this.port !== null) throw new InvalidStateError('ERR_PORT_IN_USE', `${this.name} has one side only; it is attached to ${this.port.name}`);
    this.port = new TapPort(portName, this.capabilities, node, (frame) => this.sendToKernel(frame));
    return this.port;
  }

  close(): void {
    this.relay.stdin.end();
    this.relay.kill();
  }

  private sendToKernel(frame: Uint8Array): void {
    const body = frame.subarray(0, frame.length - 4); // the kernel expects no FCS
    const header = Buffer.from([body.length >> 8, body.length & 0xff]);
    this.relay.stdin.write(Buffer.concat([header, body]));
  }

  private listen(): void {
    let pending = Buffer.alloc(0);
    this.relay.stdout.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 2) {
        const length = pending.readUInt16BE(0);
        if (pending.length < length + 2) break;
        const body = pending.subarray(2, length + 2);
        pending = pending.subarray(length + 2);
        const padded = Math.max(60, body.length);
        const frame = new Uint8Array(padded + 4);
        frame.set(body);
        const fcs = crc32(frame, 0, padded);
        frame[padded] = fcs & 0xff;
        frame[padded + 1] = (fcs >>> 8) & 0xff;
        frame[padded + 2] = (fcs >>> 16) & 0xff;
        frame[padded + 3] = fcs >>> 24;
        this.scheduler.schedule(0, () => this.port?.deliver(frame));
      }
    });
  }
}

class TapPort implements PhyPort {
  readonly stats: PhyPortStats = { txFrames: 0, txBytes: 0, rxFrames: 0, rxBytes: 0, drops: 0 };
  readonly isUp = true;
  /** "h1:eth0". */
  readonly name: string;
  /** "eth0": the node's capture point is node:iface, as on every other port. */
  readonly iface: string;
  private receiver: FrameReceiver | null = null;

  constructor(
    portName: string,
    readonly capabilities: PhyCapabilities,
    private readonly node: NodeContext,
    private readonly out: (frame: Uint8Array) => void,
  ) {
    const prefix = `${node.name}:`;
    this.iface = portName.startsWith(prefix) ? portName.slice(prefix.length) : portName;
    this.name = prefix + this.iface;
  }

  /** tx at this node's capture point as the frame goes to the kernel; rx as one comes from it. */
  transmit(frame: Uint8Array): boolean {
    if (frame.length > this.capabilities.maxFrameBytes) {
      this.stats.drops++;
      this.node.tracer.drop('physical', 'tap', DropReason.TooBig, `${frame.length}-byte frame exceeds the ${this.capabilities.maxFrameBytes}-byte maximum`, frame.length, { iface: this.iface });
      return false;
    }
    this.stats.txFrames++;
    this.stats.txBytes += frame.length;
    this.node.tracer.frame('physical', 'tap', this.iface, 'tx', frame);
    this.out(frame);
    return true;
  }

  setReceiver(receiver: FrameReceiver | null): void {
    this.receiver = receiver;
  }

  onLinkChange(): void {
    // A TAP device stays up for the bridge's lifetime.
  }

  deliver(frame: Uint8Array): void {
    this.stats.rxFrames++;
    this.stats.rxBytes += frame.length;
    this.node.tracer.frame('physical', 'tap', this.iface, 'rx', frame);
    this.receiver?.(frame);
  }
}
