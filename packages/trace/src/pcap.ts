// Capture files Wireshark and tcpdump open. pcap: the libpcap format with the
// nanosecond-resolution magic 0xa1b23c4d and LINKTYPE_ETHERNET (1), or LINKTYPE_PPP (9) for
// a PPP link; it cannot say whether a frame carries its FCS, so Ethernet's is stripped. pcapng (draft-ietf-opsawg-pcapng): a
// Section Header Block, one Interface Description Block per captured port with
// if_tsresol = 9 (nanoseconds) and if_fcslen = 4 when the FCS is kept (the default), and an
// Enhanced Packet Block per frame with its direction in epb_flags. Timestamps are virtual
// time plus an optional epoch offset.

import { writeFileSync } from 'node:fs';
import { InvalidArgumentError, type FrameEvent, type TraceBus } from '@netlayers/core';

export type CaptureFormat = 'pcap' | 'pcapng';

export interface CapturedFrame {
  /** Virtual time in nanoseconds. */
  readonly time: number;
  /** The whole frame as on the port, FCS included. */
  readonly bytes: Uint8Array;
  /** "client:eth0": the node and port it was seen on. */
  readonly interfaceName: string;
  readonly direction: 'inbound' | 'outbound';
  /** The frame event's link type: 'ethernet' (default) or 'ppp'. */
  readonly linkType?: string;
}

export interface CaptureWriterOptions {
  /** Nanoseconds since 1970 added to virtual time (default 0: the capture starts at the epoch). */
  readonly epochNs?: bigint;
  /** pcapng only: keep the 4-byte FCS and say so with if_fcslen (default true). pcap always strips it. */
  readonly keepFcs?: boolean;
  readonly snaplen?: number;
  /**
   * pcapng only: the interfaces (capture points, "node:iface") to declare, in this order,
   * even those that saw no frame; frames on any other interface get theirs after these.
   */
  readonly interfaces?: readonly string[];
}

const LINKTYPE_ETHERNET = 1;
/** LINKTYPE_PPP: address 0xff, control 0x03, protocol, information (RFC 1662 framing, not stuffed). */
const LINKTYPE_PPP = 9;

/** The file's link type for a frame event's link type. */
function fileLinkType(linkType: string | undefined): number {
  return linkType === 'ppp' ? LINKTYPE_PPP : LINKTYPE_ETHERNET;
}

/** Bytes of frame check sequence at the end of a frame of this link type: Ethernet's CRC-32, PPP's FCS-16. */
function fcsLength(linkType: string | undefined): number {
  return linkType === 'ppp' ? 2 : 4;
}
const DEFAULT_SNAPLEN = 262144;

class ByteWriter {
  private chunks: Uint8Array[] = [];
  private size = 0;
  bytes(n: number): DataView {
    const chunk = new Uint8Array(n);
    this.chunks.push(chunk);
    this.size += n;
    return new DataView(chunk.buffer);
  }
  raw(data: Uint8Array): void {
    this.chunks.push(data);
    this.size += data.length;
  }
  toBytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    let offset = 0;
    for (const c of this.chunks) {
      out.set(c, offset);
      offset += c.length;
    }
    return out;
  }
}

function timestampNs(time: number, epochNs: bigint): bigint {
  return epochNs + BigInt(Math.round(time));
}

/** The frame as pcap stores an Ethernet frame: the FCS (last four bytes) removed. PPP frames keep their FCS-16 (the PPP dissector checks it; tcpdump reads past the IP datagram's end). */
function withoutFcs(bytes: Uint8Array, linkType?: string): Uint8Array {
  if (linkType === 'ppp') return bytes;
  return bytes.length > 4 ? bytes.subarray(0, bytes.length - 4) : bytes;
}

/**
 * A libpcap file (nanosecond magic, little-endian) of `frames`, FCS stripped. A pcap file has
 * one link type: that of the first frame (LINKTYPE_ETHERNET, or LINKTYPE_PPP for PPP links);
 * frames of another link type are left out (a pcapng file holds them all).
 */
export function writePcap(frames: readonly CapturedFrame[], options: CaptureWriterOptions = {}): Uint8Array {
  const epoch = options.epochNs ?? 0n;
  const snaplen = options.snaplen ?? DEFAULT_SNAPLEN;
  const w = new ByteWriter();
  const h = w.bytes(24);
  h.setUint32(0, 0xa1b23c4d, true);
  h.setUint16(4, 2, true);
  h.setUint16(6, 4, true);
  h.setInt32(8, 0, true);
  h.setUint32(12, 0, true);
  h.setUint32(16, snaplen, true);
  const linkType = frames[0]?.linkType;
  h.setUint32(20, fileLinkType(linkType), true);
  for (const frame of frames) {
    if (fileLinkType(frame.linkType) !== fileLinkType(linkType)) continue;
    const data = withoutFcs(frame.bytes, frame.linkType);
    const kept = data.subarray(0, Math.min(data.length, snaplen));
    const ts = timestampNs(frame.time, epoch);
    const r = w.bytes(16);
    r.setUint32(0, Number(ts / 1_000_000_000n), true);
    r.setUint32(4, Number(ts % 1_000_000_000n), true);
    r.setUint32(8, kept.length, true);
    r.setUint32(12, data.length, true);
    w.raw(kept.slice());
  }
  return w.toBytes();
}

function pad4(n: number): number {
  return (n + 3) & ~3;
}

function option(code: number, value: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + pad4(value.length));
  const v = new DataView(out.buffer);
  v.setUint16(0, code, true);
  v.setUint16(2, value.length, true);
  out.set(value, 4);
  return out;
}

function block(w: ByteWriter, type: number, body: Uint8Array): void {
  const total = 12 + body.length;
  const head = w.bytes(8);
  head.setUint32(0, type, true);
  head.setUint32(4, total, true);
  w.raw(body);
  w.bytes(4).setUint32(0, total, true);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

const END_OF_OPTIONS = new Uint8Array(4);
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** A pcapng file: SHB, one IDB per interface (those given first, then in order of first frame), an EPB per frame. */
export function writePcapng(frames: readonly CapturedFrame[], options: CaptureWriterOptions = {}): Uint8Array {
  const epoch = options.epochNs ?? 0n;
  const keepFcs = options.keepFcs ?? true;
  const snaplen = options.snaplen ?? DEFAULT_SNAPLEN;
  const w = new ByteWriter();
  const shb = new DataView(new ArrayBuffer(16));
  shb.setUint32(0, 0x1a2b3c4d, true);
  shb.setUint16(4, 1, true);
  shb.setUint16(6, 0, true);
  shb.setBigInt64(8, -1n, true);
  block(w, 0x0a0d0d0a, concat([new Uint8Array(shb.buffer), option(4, utf8('netlayers (virtual time)')), END_OF_OPTIONS]));

  const interfaces = new Map<string, number>();
  const linkTypes = new Map<string, string | undefined>();
  for (const f of frames) if (!linkTypes.has(f.interfaceName)) linkTypes.set(f.interfaceName, f.linkType);
  for (const name of [...(options.interfaces ?? []), ...frames.map((f) => f.interfaceName)]) {
    if (interfaces.has(name)) continue;
    interfaces.set(name, interfaces.size);
    const linkType = linkTypes.get(name);
    const idb = new DataView(new ArrayBuffer(8));
    idb.setUint16(0, fileLinkType(linkType), true);
    idb.setUint16(2, 0, true);
    idb.setUint32(4, snaplen, true);
    const opts = [option(2, utf8(name)), option(9, new Uint8Array([9]))];
    if (keepFcs || linkType === 'ppp') opts.push(option(13, new Uint8Array([fcsLength(linkType)])));
    block(w, 0x00000001, concat([new Uint8Array(idb.buffer), ...opts, END_OF_OPTIONS]));
  }

  for (const frame of frames) {
    const data = keepFcs ? frame.bytes : withoutFcs(frame.bytes, frame.linkType);
    const kept = data.subarray(0, Math.min(data.length, snaplen));
    const ts = timestampNs(frame.time, epoch);
    const head = new DataView(new ArrayBuffer(20));
    head.setUint32(0, interfaces.get(frame.interfaceName)!, true);
    head.setUint32(4, Number(ts >> 32n), true);
    head.setUint32(8, Number(ts & 0xffffffffn), true);
    head.setUint32(12, kept.length, true);
    head.setUint32(16, data.length, true);
    const padded = new Uint8Array(pad4(kept.length));
    padded.set(kept);
    const flags = new DataView(new ArrayBuffer(4));
    flags.setUint32(0, frame.direction === 'inbound' ? 1 : 2, true);
    block(w, 0x00000006, concat([new Uint8Array(head.buffer), padded, option(2, new Uint8Array(flags.buffer)), END_OF_OPTIONS]));
  }
  return w.toBytes();
}

export interface CaptureOptions extends CaptureWriterOptions {
  /** Only this node's ports. */
  readonly node?: string;
  /** Only this interface or port (with `node`, one interface; alone, that name on any node). */
  readonly iface?: string;
  /** Only these capture points, "node:iface" (both directions of each, unless `actions` says otherwise). */
  readonly points?: readonly string[];
  /** File format (default 'pcap'). */
  readonly format?: CaptureFormat;
  /**
   * Which port events to keep. Default: tx and rx when a node or points are chosen (an
   * interface seen both ways, as tcpdump sees it); otherwise tx only, so every hop's frame
   * appears once. A frame event's time is when it crossed that capture point.
   */
  readonly actions?: readonly ('tx' | 'rx')[];
}

/** A running capture: frames are kept as they cross the chosen ports. */
export interface Capture {
  readonly format: CaptureFormat;
  readonly frames: readonly CapturedFrame[];
  /** The capture file's bytes so far. */
  bytes(): Uint8Array;
  /** Write the file (creating or replacing it); returns the path. */
  writeFile(path: string): string;
  /** Stop listening (frames already captured are kept). */
  stop(): void;
}

/** Capture frames from `bus` into a pcap or pcapng file. */
export function capture(bus: TraceBus, options: CaptureOptions = {}): Capture {
  const format = options.format ?? 'pcap';
  if (format !== 'pcap' && format !== 'pcapng') {
    throw new InvalidArgumentError('format', format, 'must be "pcap" or "pcapng"');
  }
  const actions = new Set<string>(options.actions ?? (options.node !== undefined || options.points !== undefined ? ['tx', 'rx'] : ['tx']));
  const points = options.points === undefined ? undefined : new Set(options.points);
  const frames: CapturedFrame[] = [];
  const listener = (event: FrameEvent): void => {
    if (!actions.has(event.action)) return;
    if (options.node !== undefined && event.node !== options.node) return;
    if (options.iface !== undefined && event.iface !== options.iface) return;
    if (points !== undefined && !points.has(`${event.node}:${event.iface ?? 'port'}`)) return;
    frames.push({
      time: event.time,
      bytes: event.bytes.slice(),
      interfaceName: `${event.node}:${event.iface ?? 'port'}`,
      direction: event.action === 'rx' ? 'inbound' : 'outbound',
      ...(event.linkType !== undefined ? { linkType: event.linkType } : {}),
    });
  };
  bus.on('frame', listener);
  const bytes = (): Uint8Array => (format === 'pcap' ? writePcap(frames, options) : writePcapng(frames, options));
  return {
    format,
    frames,
    bytes,
    writeFile(path: string): string {
      writeFileSync(path, bytes());
      return path;
    },
    stop(): void {
      bus.off('frame', listener);
    },
  };
}
