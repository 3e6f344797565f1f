// A capture file opened in the page (pcap or pcapng from tcpdump, Wireshark or a netlayers
// run) turned into what the page shows for a run: the hosts the frames went between (named
// by IPv4 address, MAC for a host never seen with one) on one segment per capture interface,
// and each frame as sent by its source host and received by its destination
// (captureHostEvents from @netlayers/trace), so the event list, the encapsulation in every
// model, the topology and the ladder of each connection read it as they read a run. Nothing
// is simulated: times and bytes are the capture's.

import type { FrameEvent } from '@netlayers/core';
import { captureHostEvents, dissect, interfaceLabel, interfaceLinkType, isCaptureReadError, readCapture, type CaptureFile } from '@netlayers/trace';
import type { RecordedNetwork, TopologyLink, TopologyNode } from './protocol.ts';

export interface OpenedCapture {
  readonly name: string;
  readonly capture: CaptureFile;
  readonly network: RecordedNetwork;
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** The MAC a host's frames leave from: the outer layer's source, when the frame came from that host. */
function sourceMac(event: FrameEvent): string | undefined {
  const outer = dissect(event).layers[0];
  return outer?.role === 'link' ? outer.endpoints?.source : undefined;
}

/** Read `bytes` as a capture and build the page's view of it; an error says why it cannot be shown. */
export function openCapture(name: string, bytes: Uint8Array): OpenedCapture | { readonly error: string } {
  const capture = readCapture(bytes);
  if (isCaptureReadError(capture)) return { error: `${name} is not a capture file: ${capture.error}` };
  if (capture.packets.length === 0) return { error: `${name} holds no frames${capture.problems.length ? ` (${capture.problems[0]})` : ''}` };
  if (!capture.interfaces.some((i) => interfaceLinkType(i) !== undefined)) {
    return { error: `${name}: unknown link type ${capture.interfaces.map((i) => i.linkType).join(', ')} (the page decodes Ethernet)` };
  }
  // A host seen with an IPv4 address keeps that name for its MAC-only frames (ARP, IPv6) too.
  const raw = captureHostEvents(capture);
  const ipOfMac = new Map<string, string>();
  for (const e of raw) {
    if (e.action !== 'tx' || !IPV4.test(e.node)) continue;
    const mac = sourceMac(e);
    if (mac !== undefined && !ipOfMac.has(mac)) ipOfMac.set(mac, e.node);
  }
  const events = raw.map((e) => (ipOfMac.has(e.node) ? { ...e, node: ipOfMac.get(e.node)! } : e));
  const hosts = new Map<string, { segments: Set<string>; mac?: string }>();
  for (const e of events) {
    let host = hosts.get(e.node);
    if (host === undefined) hosts.set(e.node, (host = { segments: new Set() }));
    host.segments.add(e.iface ?? 'capture');
  }
  for (const [mac, ip] of ipOfMac) {
    const host = hosts.get(ip);
    if (host !== undefined) host.mac ??= mac;
  }
  const segments = [...new Set(capture.packets.map((p) => interfaceLabel(capture, p.interfaceId)))];
  const nodes: TopologyNode[] = [
    ...[...hosts].map(([hostName, h]): TopologyNode => ({
      name: hostName,
      kind: 'host',
      interfaces: [...h.segments].map((s) => ({ name: s, ...(IPV4.test(hostName) ? { address: hostName } : {}), ...(h.mac !== undefined ? { mac: h.mac } : {}) })),
    })),
    ...segments.map((s): TopologyNode => ({ name: s, kind: 'segment', interfaces: [] })),
  ];
  const links: TopologyLink[] = [];
  for (const [hostName, h] of hosts) for (const s of h.segments) links.push({ name: `${hostName}~${s}`, a: hostName, b: s, label: '' });
  const endTime = events.reduce((max, e) => Math.max(max, e.time), 0);
  return { name, capture, network: { seed: `capture ${name}`, nodes, links, events, endTime } };
}
