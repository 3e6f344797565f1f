// A capture file read by readCapture, turned into the typed trace events every renderer
// reads: one frame event per packet, at the interface that captured it, with its time since
// the first packet; the same packets as host-to-host events (sent by the host of the source
// address, received by the host of the destination) for the ladder; and the connections
// (RFC 9293 §3.3.2 socket pairs, with the frames each one spans). The link type follows the
// pcap and pcapng specifications (LINKTYPE_ETHERNET = 1; the FCS length from the pcap "F" bit
// or pcapng if_fcslen). Untrusted bytes: nothing here throws; a frame that does not dissect
// carries its problems, as any frame does.

import type { FrameEvent } from '@netlayers/core';
import { canonicalConnectionKey } from './connection.ts';
import { LINKTYPE_ETHERNET, type CaptureFile, type CaptureInterface } from './capture-reader.ts';
import { dissect, type DissectorOptions } from './dissectors.ts';
import { conversationKey, conversationOf } from './frames.ts';

/**
 * The dissector link type ('ethernet' with the 4-byte FCS, 'ethernet-nofcs' without) of a
 * capture interface, or undefined when netlayers has no dissector for it.
 */
export function interfaceLinkType(iface: CaptureInterface): string | undefined {
  if (iface.linkType !== LINKTYPE_ETHERNET) return undefined;
  if (iface.fcsLength === 0) return 'ethernet-nofcs';
  if (iface.fcsLength === 4) return 'ethernet';
  return undefined;
}

/** The name an interface goes by: its pcapng if_name, or "if0", "if1"... */
export function interfaceLabel(capture: CaptureFile, interfaceId: number): string {
  return capture.interfaces[interfaceId]?.name ?? `if${interfaceId}`;
}

/** The link type a frame event of this interface carries: a dissector's, or "linktype-N" that none decodes (the frame shows that problem). */
function eventLinkType(iface: CaptureInterface | undefined): string {
  if (iface === undefined) return 'linktype-unknown';
  return interfaceLinkType(iface) ?? (iface.linkType === LINKTYPE_ETHERNET ? `ethernet-fcs-${iface.fcsLength}` : `linktype-${iface.linkType}`);
}

/** When the first packet was captured (ns since 1970); event times count from it. 0n for an empty capture. */
export function captureStartNs(capture: CaptureFile): bigint {
  let start: bigint | undefined;
  for (const p of capture.packets) if (start === undefined || p.timestampNs < start) start = p.timestampNs;
  return start ?? 0n;
}

const framesCache = new WeakMap<CaptureFile, FrameEvent[]>();

/**
 * One frame event per packet, in file order: node and iface are the capturing interface's
 * name, action 'tx' (the tcpdump renderer shows each once), time in ns since the first
 * packet (captureStartNs), bytes the captured bytes (no copy).
 */
export function captureEvents(capture: CaptureFile): FrameEvent[] {
  const cached = framesCache.get(capture);
  if (cached !== undefined) return cached;
  const start = captureStartNs(capture);
  const events = capture.packets.map((p): FrameEvent => {
    const name = interfaceLabel(capture, p.interfaceId);
    return {
      kind: 'frame',
      time: Number(p.timestampNs - start),
      node: name,
      role: 'physical',
      protocol: 'capture',
      iface: name,
      action: 'tx',
      bytes: p.data,
      linkType: eventLinkType(capture.interfaces[p.interfaceId]),
      ...(p.data.length < p.originalLength ? { detail: `captured ${p.data.length} of ${p.originalLength} bytes` } : {}),
    };
  });
  framesCache.set(capture, events);
  return events;
}

/** The hosts a frame goes between: its innermost layer with addresses below the transport (IP, else MAC or ARP). */
function hostsOf(event: FrameEvent, options: DissectorOptions): { source: string; destination: string } | undefined {
  const d = dissect(event, options.dissectors);
  let found: { source: string; destination: string } | undefined;
  for (const l of d.layers) {
    if (l.role === 'transport' || l.role === 'application') break;
    if (l.endpoints !== undefined) found = l.endpoints;
  }
  return found;
}

/**
 * The packets as the hosts saw them: each frame sent ('tx') by the host of its source
 * address and received ('rx') by the host of its destination, both at the capture time, so
 * the ladder draws host to host. Hosts are named by their IPv4 address (MAC when the frame
 * has no IP header). Frames with no addresses at all are left out.
 */
export function captureHostEvents(capture: CaptureFile, options: DissectorOptions = {}): FrameEvent[] {
  const out: FrameEvent[] = [];
  for (const e of captureEvents(capture)) {
    const hosts = hostsOf(e, options);
    if (hosts === undefined) continue;
    out.push({ ...e, node: hosts.source, action: 'tx' });
    out.push({ ...e, node: hosts.destination, action: 'rx' });
  }
  return out;
}

/** A connection found in a capture: its two ends and the frames that carry it. */
export interface CaptureConversation {
  /** "10.77.0.1:40000-10.77.0.2:8000", from the view of the end that sent first (its client, for TCP). */
  readonly key: string;
  /** The protocol of the conversation's layer ('tcp'). */
  readonly protocol: string;
  /** 1-based frame numbers, in file order. */
  readonly frames: readonly number[];
  readonly firstFrame: number;
  readonly lastFrame: number;
  /** Bytes of that layer's payload, both ways. */
  readonly payloadBytes: number;
}

/**
 * Every connection in the capture: conversations whose layer numbers its bytes (TCP 4-tuples,
 * any transport with sequence numbers), both directions grouped, in order of first frame.
 */
export function captureConversations(capture: CaptureFile, options: DissectorOptions = {}): CaptureConversation[] {
  const found = new Map<string, { key: string; protocol: string; frames: number[]; payloadBytes: number }>();
  captureEvents(capture).forEach((e, i) => {
    const layer = conversationOf(dissect(e, options.dissectors));
    if (layer === undefined || layer.sequence === undefined) return;
    const key = conversationKey(layer);
    if (key === undefined) return;
    const canonical = `${layer.protocol} ${canonicalConnectionKey(key)}`;
    let c = found.get(canonical);
    if (c === undefined) found.set(canonical, (c = { key, protocol: layer.protocol, frames: [], payloadBytes: 0 }));
    c.frames.push(i + 1);
    c.payloadBytes += layer.payloadLength;
  });
  return [...found.values()].map((c) => ({ ...c, firstFrame: c.frames[0]!, lastFrame: c.frames[c.frames.length - 1]! }));
}
