// The layer walk of one message: down the sender's stack, across each hop (a switch touches
// only the link layer, IEEE 802.1D forwarding; a router goes up to the network layer and
// back down, decrementing TTL and updating the header checksum, RFC 1812 §5.3.1 and
// RFC 1624), and up the receiver's stack, named in the chosen model. Built from recorded
// events: the frame bytes seen on every port (dissected) give the path and what each hop
// changed; pdu events give what the transport and application layers said.

import { getModel, type FrameEvent, type LayerModel, type ModelId, type ModelLayer, type PduEvent, type Role, type TraceEvent } from '@netlayers/core';
import { dissectFrame, type DissectedFrame } from './dissect.ts';
import { fit, formatSeconds, previewBytes } from './format.ts';
import { tcpdumpBody } from './tcpdump.ts';

export type HopKind = 'sender' | 'switch' | 'router' | 'receiver';

export interface WalkLine {
  readonly role: Role;
  readonly time: number;
  readonly text: string;
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

export interface LayerWalkOptions {
  /** Choose the message: the first transmitted frame for which this returns true. Default: the first frame carrying TCP or UDP data (else the first IPv4 frame). */
  readonly match?: (frame: DissectedFrame, event: FrameEvent) => boolean;
  /** The model that names the layers (default 'tcpip-5'). */
  readonly model?: ModelId | LayerModel;
}

interface Seen {
  readonly event: FrameEvent;
  readonly index: number;
  readonly d: DissectedFrame;
}

function messageKey(d: DissectedFrame): string | undefined {
  const ip = d.ipv4;
  if (ip === undefined) return undefined;
  const t = d.tcp;
  return `${ip.source}>${ip.destination}/${ip.protocol}/${ip.identification}${t ? `/${t.seq}/${t.ack}/${t.flags.join()}` : ''}`;
}

function defaultMatch(d: DissectedFrame): boolean {
  return (d.tcp?.payloadLength ?? 0) > 0 || (d.udp?.payloadLength ?? 0) > 0;
}

/** Follow one message through the recorded events. Undefined when no frame matches. */
export function buildLayerWalk(events: readonly TraceEvent[], options: LayerWalkOptions = {}): LayerWalk | undefined {
  const frames: Seen[] = [];
  events.forEach((e, index) => {
    if (e.kind === 'frame') frames.push({ event: e, index, d: dissectFrame(e.bytes) });
  });
  const match = options.match ?? defaultMatch;
  let start = frames.find((f) => f.event.action === 'tx' && f.d.ipv4 !== undefined && match(f.d, f.event));
  if (start === undefined && options.match === undefined) start = frames.find((f) => f.event.action === 'tx' && f.d.ipv4 !== undefined);
  if (start === undefined) return undefined;
  const key = messageKey(start.d)!;
  const path = frames.filter((f) => f.index >= start!.index && messageKey(f.d) === key);

  const hops: WalkHop[] = [];
  hops.push({ node: start.event.node, kind: 'sender', lines: senderLines(events, start) });
  let current = start;
  let incomplete = true;
  const visited = new Set<string>([start.event.node]);
  for (;;) {
    const lost = path.find((f) => f.event.action === 'lost' && f.index > current.index && f.event.node === current.event.node && f.event.iface === current.event.iface);
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
    const routed = departure.d.ipv4 !== undefined && arrival.d.ipv4 !== undefined && departure.d.ipv4.ttl !== arrival.d.ipv4.ttl;
    hops.push({ node: arrival.event.node, kind: routed ? 'router' : 'switch', lines: routed ? routerLines(arrival, departure) : switchLines(arrival, departure) });
    current = departure;
  }
  return { summary: tcpdumpBody(start.d, false, false), hops, incomplete };
}

function pduNear(events: readonly TraceEvent[], node: string, role: Role, direction: PduEvent['direction'], around: number, before: boolean): PduEvent | undefined {
  if (before) {
    for (let i = around - 1; i >= 0; i--) {
      const e = events[i]!;
      if (e.node === node && e.kind === 'pdu' && e.role === role && e.direction === direction) return e;
      if (e.node === node && e.kind === 'frame' && e.action === 'tx' && i !== around) break;
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

function transportText(d: DissectedFrame): string | undefined {
  if (d.tcp) {
    const t = d.tcp;
    return `TCP header ${t.headerLength} B: ${t.sourcePort} > ${t.destinationPort} [${t.flags.join(',') || 'no flags'}] seq ${t.seq} ack ${t.ack}`;
  }
  if (d.udp) return `UDP header 8 B: ${d.udp.sourcePort} > ${d.udp.destinationPort}`;
  if (d.icmp) return undefined;
  return undefined;
}

function networkText(d: DissectedFrame): string {
  const ip = d.ipv4!;
  const icmp = d.icmp ? ` carrying ICMP type ${d.icmp.type}` : '';
  return `IPv4 header ${ip.headerLength} B: ${ip.source} > ${ip.destination}, TTL ${ip.ttl}, id ${ip.identification}${icmp}`;
}

function linkText(d: DissectedFrame): string {
  const e = d.ethernet!;
  return `Ethernet 14 B + FCS 4 B: ${e.source} > ${e.destination}`;
}

function data(d: DissectedFrame, bytes: Uint8Array): string {
  return `${d.payload.length} bytes "${previewBytes(bytes.subarray(d.payload.offset, d.payload.offset + d.payload.length), 28)}"`;
}

function senderLines(events: readonly TraceEvent[], tx: Seen): WalkLine[] {
  const { d, event } = tx;
  const lines: WalkLine[] = [];
  const app = pduNear(events, event.node, 'application', 'down', tx.index, true);
  const transport = pduNear(events, event.node, 'transport', 'down', tx.index, true);
  if (d.payload.role === 'application' && d.payload.length > 0) lines.push({ role: 'application', time: app?.time ?? transport?.time ?? event.time, text: `${app ? `${app.protocol.toUpperCase()} ` : ''}message: ${data(d, event.bytes)}` });
  const t = transportText(d);
  if (t) lines.push({ role: 'transport', time: transport?.time ?? event.time, text: `adds ${t}` });
  const net = pduNear(events, event.node, 'network', 'down', tx.index, true);
  lines.push({ role: 'network', time: net?.time ?? event.time, text: `adds ${networkText(d)}` });
  const link = pduNear(events, event.node, 'link', 'down', tx.index, true);
  lines.push({ role: 'link', time: link?.time ?? event.time, text: `adds ${linkText(d)}` });
  lines.push({ role: 'physical', time: event.time, text: `sends ${event.bytes.length} bytes + 8 B preamble/SFD as bits on ${event.iface ?? 'its port'}` });
  return lines;
}

function receiverLines(events: readonly TraceEvent[], rx: Seen): WalkLine[] {
  const { d, event } = rx;
  const lines: WalkLine[] = [{ role: 'physical', time: event.time, text: `receives ${event.bytes.length} bytes on ${event.iface ?? 'its port'}` }];
  const link = pduNear(events, event.node, 'link', 'up', rx.index, false);
  lines.push({ role: 'link', time: link?.time ?? event.time, text: `checks the FCS; ${d.ethernet!.destination} is its MAC; strips Ethernet + FCS` });
  const net = pduNear(events, event.node, 'network', 'up', rx.index, false);
  lines.push({ role: 'network', time: net?.time ?? event.time, text: `${d.ipv4!.destination} is its own address; strips the IPv4 header (TTL ${d.ipv4!.ttl})` });
  const t = transportText(d);
  const transport = pduNear(events, event.node, 'transport', 'up', rx.index, false);
  if (t) lines.push({ role: 'transport', time: transport?.time ?? event.time, text: `strips the ${t.replace(/:.*/, '')}, delivers to port ${d.tcp?.destinationPort ?? d.udp?.destinationPort}` });
  if (d.payload.role === 'application' && d.payload.length > 0) {
    const app = pduNear(events, event.node, 'application', 'up', rx.index, false);
    lines.push({ role: 'application', time: app?.time ?? transport?.time ?? event.time, text: `reads ${data(d, event.bytes)}` });
  }
  return lines;
}

function switchLines(rx: Seen, tx: Seen): WalkLine[] {
  return [
    { role: 'physical', time: rx.event.time, text: `receives the frame on ${rx.event.iface ?? 'a port'}` },
    { role: 'link', time: rx.event.time, text: `looks up ${rx.d.ethernet!.destination} in its MAC table, forwards the frame as is` },
    { role: 'physical', time: tx.event.time, text: `sends it out of ${tx.event.iface ?? 'a port'}` },
  ];
}

function routerLines(rx: Seen, tx: Seen): WalkLine[] {
  const a = rx.d.ipv4!;
  const b = tx.d.ipv4!;
  return [
    { role: 'physical', time: rx.event.time, text: `receives the frame on ${rx.event.iface ?? 'a port'}` },
    { role: 'link', time: rx.event.time, text: `frame is for ${rx.d.ethernet!.destination} (its own); strips the Ethernet header` },
    { role: 'network', time: tx.event.time, text: `routes ${a.destination} out of ${tx.event.iface ?? 'a port'}: TTL ${a.ttl} -> ${b.ttl}, header checksum updated` },
    { role: 'link', time: tx.event.time, text: `adds a new Ethernet header: ${tx.d.ethernet!.source} > ${tx.d.ethernet!.destination}` },
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
  const model = typeof options.model === 'object' ? options.model : getModel(options.model ?? 'tcpip-5');
  const out = [`Layer walk of one message (${model.title}):`, `  ${walk.summary}`];
  const labelWidth = Math.max(...model.layers.map((l) => `${l.number} ${l.name}`.length));
  for (const hop of walk.hops) {
    out.push('');
    out.push(`${hop.node} (${KIND_TEXT[hop.kind]})`);
    let lines = [...hop.lines];
    if (model.id === 'osi-7' && (hop.kind === 'sender' || hop.kind === 'receiver') && lines.some((l) => l.role === 'application')) {
      const at = lines.findIndex((l) => l.role === 'application');
      const t = lines[at]!.time;
      const upper: WalkLine[] = [
        { role: 'application', time: t, text: '(6 Presentation: encoding is done by the application)' },
        { role: 'application', time: t, text: '(5 Session: connection state is kept by the application)' },
      ];
      lines = hop.kind === 'sender' ? [...lines.slice(0, at + 1), ...upper, ...lines.slice(at + 1)] : [...lines.slice(0, at), ...upper.reverse(), ...lines.slice(at)];
    }
    let previous = '';
    for (const line of lines) {
      const layer = modelLayerOf(model, line.role);
      const name = layer ? `${layer.number} ${layer.name}` : line.role;
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
  if (walk === undefined) return 'Layer walk: no IPv4 frame in the trace.\n';
  return renderLayerWalk(walk, options.model === undefined ? {} : { model: options.model });
}
