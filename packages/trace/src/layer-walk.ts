// The layer walk of one message: down the sender's stack, across each hop (a switch touches
// only the link layer, IEEE 802.1D forwarding; a router goes up to the network layer and
// back down, decrementing TTL and updating the header checksum, RFC 1812 §5.3.1 and
// RFC 1624), and up the receiver's stack, named in the chosen model. Built from the frames
// at every NIC, decoded by the registered dissectors: the headers each layer added come
// from the dissected layers (any protocol, ours or a student's), the path from the frames
// of the same message (same identity) seen hop by hop, and what a router changed from the
// headers that differ between what it took in and what it sent out.

import { layerLabel, resolveModel, type DissectedFrame, type DissectedLayer, type FrameEvent, type LayerModel, type ModelId, type ModelLayer, type PduEvent, type Role, type TraceEvent } from '@netlayers/core';
import type { DissectorOptions } from './dissectors.ts';
import { fit, formatSeconds, previewBytes } from './format.ts';
import { frameBody, seenFrames, type SeenFrame } from './frames.ts';

export type HopKind = 'sender' | 'switch' | 'router' | 'receiver';

export interface WalkLine {
  readonly role: Role;
  readonly time: number;
  readonly text: string;
  /** The model layer to label the line with, when it is not the role's (OSI's session and presentation). */
  readonly layer?: string;
}

export interface WalkHop {
  readonly node: string;
  readonly kind: HopKind;
  readonly lines: readonly WalkLine[];
}

export interface LayerWalk {
  /** tcpdump-style summary of the message as the sender sent it. */
  readonly summary: string;
  readonly hops: readonly WalkHop[];
  /** True when the message never reached a receiver (lost or dropped on the way). */
  readonly incomplete: boolean;
}

export interface LayerWalkOptions extends DissectorOptions {
  /** Choose the message: the first frame a sender originated for which this returns true. Default: the first carrying application data (else the first with a network layer). */
  readonly match?: (frame: DissectedFrame, event: FrameEvent) => boolean;
  /** The model that names the layers (default 'tcpip-5'). */
  readonly model?: ModelId | LayerModel;
}

function applicationBytes(d: DissectedFrame): { offset: number; length: number } | undefined {
  const first = d.layers.find((l) => l.role === 'application');
  if (first !== undefined) return { offset: first.offset, length: d.payload.offset + d.payload.length - first.offset };
  return d.payload.role === 'application' && d.payload.length > 0 ? { offset: d.payload.offset, length: d.payload.length } : undefined;
}

function defaultMatch(d: DissectedFrame): boolean {
  return applicationBytes(d) !== undefined;
}

function hasNetwork(d: DissectedFrame): boolean {
  return d.layers.some((l) => l.role === 'network');
}

/** Follow one message through the recorded events. Undefined when no frame matches. */
export function buildLayerWalk(events: readonly TraceEvent[], options: LayerWalkOptions = {}): LayerWalk | undefined {
  const frames = seenFrames(events, options.dissectors);
  const match = options.match ?? defaultMatch;
  const sent = (f: SeenFrame): boolean => f.event.action === 'tx' && !f.relayed && hasNetwork(f.d);
  let start = frames.find((f) => sent(f) && match(f.d, f.event));
  if (start === undefined && options.match === undefined) start = frames.find(sent);
  if (start === undefined) return undefined;
  const path = frames.filter((f) => f.index >= start!.index && f.identity === start!.identity);

  const hops: WalkHop[] = [{ node: start.event.node, kind: 'sender', lines: senderLines(events, start) }];
  let current = start;
  let incomplete = true;
  const visited = new Set<string>([start.event.node]);
  for (;;) {
    // The medium's loss of this copy (traced on the sender's port or on the medium itself).
    const lost = path.find((f) => f.event.action === 'lost' && f.index > current.index);
    const arrivals = path.filter((f) => f.event.action === 'rx' && f.index > current.index && !visited.has(f.event.node));
    // Prefer the arrival that goes on (a later tx from that node), then one that delivers upward.
    const onward = arrivals.find((a) => path.some((f) => f.event.action === 'tx' && f.index > a.index && f.event.node === a.event.node));
    const delivered = arrivals.find((a) => events.some((e, i) => i > a.index && e.node === a.event.node && e.kind === 'pdu' && e.role === 'network' && e.direction === 'up'));
    const arrival = onward ?? delivered ?? (lost ? undefined : arrivals[0]);
    if (arrival === undefined) {
      if (lost) hops.push({ node: current.event.node, kind: 'sender', lines: [{ role: 'physical', time: lost.event.time, text: `lost on the medium after ${current.event.iface ?? 'the port'}${lost.event.detail ? ` (${lost.event.detail})` : ''}` }] });
      break;
    }
    visited.add(arrival.event.node);
    const departure = path.find((f) => f.event.action === 'tx' && f.index > arrival.index && f.event.node === arrival.event.node);
    if (departure === undefined) {
      hops.push({ node: arrival.event.node, kind: 'receiver', lines: receiverLines(events, arrival) });
      incomplete = false;
      break;
    }
    const routed = !sameLinkHeader(arrival.d, departure.d) || networkChanged(arrival.d, departure.d);
    hops.push({ node: arrival.event.node, kind: routed ? 'router' : 'switch', lines: routed ? routerLines(arrival, departure) : switchLines(arrival, departure) });
    current = departure;
  }
  return { summary: frameBody(start.d, { brief: true }), hops, incomplete };
}

/** A switch relays the frame as is; a router writes a new link header (and changes the network header). */
function sameLinkHeader(a: DissectedFrame, b: DissectedFrame): boolean {
  const x = a.layers[0];
  const y = b.layers[0];
  return x !== undefined && y !== undefined && x.summary === y.summary;
}

/** A router rewrites the network header (TTL, checksum); a switch leaves it alone. */
function networkChanged(a: DissectedFrame, b: DissectedFrame): boolean {
  const x = a.layers.find((l) => l.role === 'network');
  const y = b.layers.find((l) => l.role === 'network');
  return x !== undefined && y !== undefined && x.fields.some((f, i) => y.fields[i]?.value !== f.value);
}

function pduNear(events: readonly TraceEvent[], node: string, role: Role, direction: PduEvent['direction'], around: number, before: boolean): PduEvent | undefined {
  if (before) {
    for (let i = around - 1; i >= 0; i--) {
      const e = events[i]!;
      if (e.node === node && e.kind === 'pdu' && e.role === role && e.direction === direction) return e;
      if (e.node === node && e.kind === 'frame' && e.action === 'tx') break;
    }
    return undefined;
  }
  for (let i = around + 1; i < events.length; i++) {
    const e = events[i]!;
    if (e.node === node && e.kind === 'pdu' && e.role === role && e.direction === direction) return e;
    if (e.node === node && e.kind === 'frame' && e.action === 'rx') break;
  }
  return undefined;
}

function headerText(l: DissectedLayer): string {
  const end = (l.offset + l.headerLength + l.payloadLength) * 8;
  const trailerField = l.fields.find((f) => f.bitOffset >= end);
  const trailer = l.trailerLength ? ` + ${trailerField?.name ?? 'trailer'} ${l.trailerLength} B` : '';
  return `${l.title} ${l.headerLength} B${trailer}: ${l.label ?? l.brief ?? l.summary}`;
}

function dataText(d: DissectedFrame, bytes: Uint8Array): string | undefined {
  const app = applicationBytes(d);
  if (app === undefined) return undefined;
  const top = d.layers.find((l) => l.role === 'application');
  return `${top ? `${top.title} ` : ''}message: ${app.length} bytes "${previewBytes(bytes.subarray(app.offset, app.offset + app.length), 28)}"`;
}

function senderLines(events: readonly TraceEvent[], tx: SeenFrame): WalkLine[] {
  const { d, event } = tx;
  const lines: WalkLine[] = [];
  const data = dataText(d, event.bytes);
  const app = pduNear(events, event.node, 'application', 'down', tx.index, true);
  const transport = pduNear(events, event.node, 'transport', 'down', tx.index, true);
  if (data !== undefined) lines.push({ role: 'application', time: app?.time ?? transport?.time ?? event.time, text: data });
  // Innermost header first: each layer going down adds its header in front.
  for (const l of [...d.layers].reverse()) {
    if (l.role === 'application') continue;
    const pdu = pduNear(events, event.node, l.role, 'down', tx.index, true);
    lines.push({ role: l.role, time: pdu?.time ?? event.time, text: `adds ${headerText(l)}` });
  }
  lines.push({ role: 'physical', time: event.time, text: `sends ${event.bytes.length} bytes${event.linkType === undefined || event.linkType.startsWith('ethernet') ? ' + 8 B preamble/SFD' : ''} as bits on ${event.iface ?? 'its port'}` });
  return ordered(lines);
}

/** Times never run backwards down a stack: a line is no earlier than the one before it. */
function ordered(lines: WalkLine[]): WalkLine[] {
  let latest = -Infinity;
  return lines.map((l) => {
    latest = Math.max(latest, l.time);
    return { ...l, time: latest };
  });
}

function receiverLines(events: readonly TraceEvent[], rx: SeenFrame): WalkLine[] {
  const { d, event } = rx;
  const lines: WalkLine[] = [{ role: 'physical', time: event.time, text: `receives ${event.bytes.length} bytes on ${event.iface ?? 'its port'}` }];
  for (const l of d.layers) {
    if (l.role === 'application') continue;
    const pdu = pduNear(events, event.node, l.role, 'up', rx.index, false);
    lines.push({ role: l.role, time: pdu?.time ?? event.time, text: `strips ${headerText(l)}` });
  }
  const data = dataText(d, event.bytes);
  if (data !== undefined) {
    const app = pduNear(events, event.node, 'application', 'up', rx.index, false);
    lines.push({ role: 'application', time: app?.time ?? event.time, text: `reads the ${data}` });
  }
  return ordered(lines);
}

function switchLines(rx: SeenFrame, tx: SeenFrame): WalkLine[] {
  const link = rx.d.layers[0];
  return [
    { role: 'physical', time: rx.event.time, text: `receives the frame on ${rx.event.iface ?? 'a port'}` },
    { role: 'link', time: rx.event.time, text: `looks up ${link?.endpoints?.destination ?? 'the destination'} in its MAC table, forwards the frame as is` },
    { role: 'physical', time: tx.event.time, text: `sends it out of ${tx.event.iface ?? 'a port'}` },
  ];
}

/** What the router changed in the headers above the link layer ("TTL 64 -> 63"). */
function changes(a: DissectedLayer, b: DissectedLayer): string {
  const out: string[] = [];
  for (const f of a.fields) {
    const g = b.fields.find((x) => x.name === f.name);
    if (g === undefined || g.value === f.value) continue;
    out.push(/checksum/i.test(f.name) ? `${f.name.toLowerCase()} updated` : `${f.name} ${f.value} -> ${g.value}`);
  }
  return out.join(', ');
}

function routerLines(rx: SeenFrame, tx: SeenFrame): WalkLine[] {
  const inLink = rx.d.layers[0];
  const outLink = tx.d.layers[0];
  const network = rx.d.layers.find((l) => l.role === 'network');
  const networkOut = tx.d.layers.find((l) => l.role === 'network');
  const changed = network && networkOut ? changes(network, networkOut) : '';
  const where = network?.endpoints?.destination ?? 'the destination';
  return [
    { role: 'physical', time: rx.event.time, text: `receives the frame on ${rx.event.iface ?? 'a port'}` },
    { role: inLink?.role ?? 'link', time: rx.event.time, text: `frame is for ${inLink?.endpoints?.destination ?? 'this node'} (its own); strips the ${inLink?.title ?? 'link'} header` },
    { role: 'network', time: tx.event.time, text: `routes ${where} out of ${tx.event.iface ?? 'a port'}${changed ? `: ${changed}` : ''}` },
    { role: outLink?.role ?? 'link', time: tx.event.time, text: `adds a new ${outLink?.title ?? 'link'} header${outLink?.endpoints ? `: ${outLink.endpoints.source} > ${outLink.endpoints.destination}` : ''}` },
    { role: 'physical', time: tx.event.time, text: `sends it out of ${tx.event.iface ?? 'a port'}` },
  ];
}

const KIND_TEXT: Record<HopKind, string> = {
  sender: 'sender: down the stack',
  switch: 'switch: link layer only',
  router: 'router: up to the network layer and back down',
  receiver: 'receiver: up the stack',
};

function modelLayerOf(model: LayerModel, role: Role): ModelLayer | undefined {
  if (model.id === 'osi-7' && role === 'physical') return model.layers.find((l) => l.number === 1);
  return model.layers.find((l) => l.roles.includes(role));
}

/** Render a walk as text, each line labelled with its layer in the chosen model. */
export function renderLayerWalk(walk: LayerWalk, options: { model?: ModelId | LayerModel } = {}): string {
  const model = resolveModel(options.model);
  const out = [`Layer walk of one message (${model.title}):`, `  ${walk.summary}`];
  const labelWidth = Math.max(...model.layers.map((l) => layerLabel(l).length));
  for (const hop of walk.hops) {
    out.push('');
    out.push(`${hop.node} (${KIND_TEXT[hop.kind]})`);
    let lines = [...hop.lines];
    const empty = model.layers.filter((l) => l.roles.length === 0);
    if (empty.length > 0 && (hop.kind === 'sender' || hop.kind === 'receiver') && lines.some((l) => l.role === 'application')) {
      const at = lines.findIndex((l) => l.role === 'application');
      const t = lines[at]!.time;
      const upper: WalkLine[] = empty.map((l) => ({ role: 'application', time: t, text: '(no layer of its own in TCP/IP: done by the application)', layer: layerLabel(l) }));
      lines = hop.kind === 'sender' ? [...lines.slice(0, at + 1), ...upper, ...lines.slice(at + 1)] : [...lines.slice(0, at), ...upper.reverse(), ...lines.slice(at)];
    }
    let previous = '';
    for (const line of lines) {
      const layer = modelLayerOf(model, line.role);
      const name = line.layer ?? (layer ? layerLabel(layer) : line.role);
      const label = name === previous ? '' : name;
      previous = name;
      out.push(`  ${fit(formatSeconds(line.time), 9, 'right')}  ${fit(label, labelWidth)}  ${line.text}`);
    }
  }
  if (walk.incomplete) out.push('', '(the message did not reach a receiver)');
  return `${out.join('\n')}\n`;
}

/** Build and render in one call; a short explanation when no message matches. */
export function layerWalk(events: readonly TraceEvent[], options: LayerWalkOptions = {}): string {
  const walk = buildLayerWalk(events, options);
  if (walk === undefined) return 'Layer walk: no frame with a network layer in the trace.\n';
  return renderLayerWalk(walk, options.model === undefined ? {} : { model: options.model });
}
