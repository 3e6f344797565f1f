// `--pcap` and `--capture`: which capture points go into the file, and the file itself. A
// capture point is a node's interface ("client:eth0", "r1:eth1", "sw1:port2"), tapped as
// tcpdump taps a NIC: frames it sent (tx) and frames delivered to it (rx), each once. The
// file is pcapng with one interface (IDB, if_name "node:iface") per point, or libpcap when
// the file name ends in .pcap (one point only: libpcap has no interfaces).

import { writeFileSync } from 'node:fs';
import type { Network } from '@netlayers/lab';
import { writePcap, writePcapng, type Capture, type CapturedFrame } from '@netlayers/trace';
import { UsageError } from './args.ts';

/** Every capture point of a network: each host's and router's interfaces and each switch port, in creation order. */
export function capturePoints(network: Network): string[] {
  const points: string[] = [];
  for (const node of network.nodes.values()) {
    if (node.kind === 'host' || node.kind === 'router') for (const iface of node.interfaces.keys()) points.push(`${node.name}:${iface}`);
    else if (node.kind === 'switch') for (const port of node.ports) points.push(port.name);
  }
  return points;
}

/**
 * The capture point a user expects when none is named: the first interface of the first
 * host the script added (usually the client), what `tcpdump -i eth0` on it would show; a
 * network of routers only gives the first router's first interface.
 */
export function defaultCapturePoint(network: Network): string | undefined {
  const nodes = [...network.nodes.values()];
  for (const kind of ['host', 'router'] as const) {
    for (const node of nodes) {
      if (node.kind !== kind) continue;
      const first = node.interfaces.keys().next();
      if (first.done !== true) return `${node.name}:${first.value}`;
    }
  }
  return undefined;
}

export interface CaptureChoice {
  /** 'all' or the points named with --capture; undefined for the default point. */
  readonly points: 'all' | readonly string[] | undefined;
}

export interface WrittenCapture {
  readonly file: string;
  readonly format: 'pcap' | 'pcapng';
  readonly points: readonly string[];
  readonly frames: number;
}

/** Pick the frames of the chosen points out of each network's capture and write the file. */
export function writeCapture(file: string, captures: readonly { network: Network; capture: Capture }[], choice: CaptureChoice): WrittenCapture {
  const format = /\.pcap$/i.test(file) ? 'pcap' : 'pcapng';
  const chosen: string[] = [];
  const frames: CapturedFrame[] = [];
  captures.forEach(({ network, capture }, index) => {
    const known = capturePoints(network);
    let points: readonly string[];
    if (choice.points === 'all') points = known;
    else if (choice.points === undefined) points = [defaultCapturePoint(network) ?? known[0]].filter((p): p is string => p !== undefined);
    else {
      const unknown = choice.points.filter((p) => !known.includes(p));
      if (unknown.length > 0 && captures.length === 1) {
        throw new UsageError(`no capture point ${unknown.map((p) => `"${p}"`).join(', ')} in this network: use all, or one of ${known.join(', ')}`);
      }
      points = choice.points.filter((p) => known.includes(p));
    }
    const wanted = new Set(points);
    const suffix = captures.length > 1 ? ` (network ${index + 1})` : '';
    for (const frame of capture.frames) {
      if (wanted.has(frame.interfaceName)) frames.push(suffix === '' ? frame : { ...frame, interfaceName: frame.interfaceName + suffix });
    }
    chosen.push(...points.map((p) => p + suffix));
  });
  if (format === 'pcap' && chosen.length > 1) {
    throw new UsageError(`a .pcap file holds one capture point (libpcap has no interfaces), and ${chosen.length} were chosen: name the file .pcapng, or pick one point with --capture`);
  }
  // Frames in time order across points; each network's frames are already in event order.
  frames.sort((a, b) => a.time - b.time);
  writeFileSync(file, format === 'pcap' ? writePcap(frames) : writePcapng(frames, { interfaces: chosen }));
  return { file, format, points: chosen, frames: frames.length };
}
