// The ladder (sequence) diagram model, built from recorded events and shared by the text,
// Mermaid and SVG renderers. Arrows come from the frames at the NICs, decoded by the
// registered dissectors: an arrow leaves when the sender's interface put the frame on the
// medium and arrives when the peer's interface took it off (the times a capture at those
// NICs records), or ends in a cross when it never arrived. A copy the medium duplicated
// arrives twice, so it gets a second arrow marked as the duplicate: the ladder shows one
// arrow per frame the sender's capture saw leave and one arrowhead per frame the peer's
// capture saw arrive. For one conversation (a TCP
// connection, a go-back-N connection, any transport whose dissector names its two ends) it
// adds each side's states (RFC 9293 §3.3.2 names for TCP) and timers; for any two nodes it
// draws every frame either one sent, tagged with its layer in the chosen model. Rows are in
// time order; nothing here knows a protocol by name.

import {
  formatDuration,
  layerLabel,
  resolveModel,
  type DissectedLayer,
  type LayerModel,
  type ModelId,
  type PduEvent,
  type Role,
  type TraceEvent,
} from '@netlayers/core';
import { canonicalConnectionKey, parseConnectionKey, requireConnectionKey } from '../connection.ts';
import type { DissectorOptions } from '../dissectors.ts';
import { conversationKey, conversationOf, mainLayer, seenFrames, type SeenFrame } from '../frames.ts';

export type SideIndex = 0 | 1;

export interface LadderParticipant {
  readonly node: string;
  /** "10.0.1.10:49152" for a conversation; empty for two-node ladders. */
  readonly endpoint: string;
  /** State before the first change shown (CLOSED, LISTEN), when known. */
  readonly initialState?: string;
}

export interface LadderArrow {
  readonly kind: 'arrow';
  readonly from: SideIndex;
  /** Send time (ns): when the sender's NIC put the frame on the medium; the frame event's index. */
  readonly time: number;
  readonly index: number;
  /** Arrival time at the peer's NIC and that event's index, absent when the frame never arrived. */
  readonly arrival?: number;
  readonly arrivalIndex?: number;
  readonly label: string;
  readonly lost: boolean;
  /** Why it was lost, when a lost-frame event says. */
  readonly lossReason?: string;
  readonly retransmission: boolean;
  /** The medium's extra copy of the frame (netem "duplicate"): same send time, its own arrival. */
  readonly duplicate?: boolean;
  /** The protocol of the layer the arrow is about ('tcp', 'arp', 'go-back-n'). */
  readonly protocol: string;
  /** Its role, and the layer of the chosen model it belongs to ("4 Transport"). */
  readonly role: Role;
  readonly layer: string;
}

export interface LadderState {
  readonly kind: 'state';
  readonly side: SideIndex;
  readonly time: number;
  readonly index: number;
  readonly state: string;
  readonly cause?: string;
}

export interface LadderNote {
  readonly kind: 'note';
  readonly side: SideIndex;
  readonly time: number;
  readonly index: number;
  readonly text: string;
}

export type LadderRow = LadderArrow | LadderState | LadderNote;

export interface Ladder {
  readonly title: string;
  /** The model the layers are named in, and what the drawn PDUs are at that layer. */
  readonly model: LayerModel;
  /** "4 Transport layer, TCP/IP five-layer model" for a conversation; empty for two-node ladders (each arrow has its layer). */
  readonly layer: string;
  readonly participants: readonly [LadderParticipant, LadderParticipant];
  /** In time order (ties in event order). */
  readonly rows: readonly LadderRow[];
}

export interface LadderOptions extends DissectorOptions {
  /** The conversation to draw ("10.0.1.10:49152-10.0.2.10:80", either direction). Default: the first one seen. */
  readonly connection?: string;
  /** Draw these two nodes' frames instead of one conversation. */
  readonly nodes?: readonly [string, string];
  /** With nodes: only these protocols (the protocol of each frame's innermost layer below the application). */
  readonly protocols?: readonly string[];
  /** Sequence and acknowledgment numbers relative to each side's initial number (default false: absolute). */
  readonly relative?: boolean;
  /** Add what the dissector gives as detail (window and options for TCP) to labels. */
  readonly details?: boolean;
  /** The model that names the layers (default 'tcpip-5'). */
  readonly model?: ModelId | LayerModel;
  readonly title?: string;
}

function layerName(model: LayerModel, role: Role): string {
  const layer = model.layers.find((l) => l.roles.includes(role));
  return layer ? layerLabel(layer) : role;
}

/**
 * Pair sends with the first later arrival of the same message at the other side, and each
 * copy the medium duplicated on the way with its own later arrival there. Returns the
 * arrows of those copies (with the send's layer), to be added to the rows.
 */
function matchArrivals<T extends { arrow: LadderArrow; sent: SeenFrame }>(frames: readonly SeenFrame[], arrows: readonly T[], peerNode: (side: SideIndex) => string): T[] {
  const used = new Set<number>();
  const duplicates: T[] = [];
  const byIdentity = new Map<string, SeenFrame[]>();
  for (const f of frames) {
    if (f.identity === undefined || (f.event.action !== 'rx' && f.event.action !== 'lost' && f.event.action !== 'duplicated')) continue;
    const list = byIdentity.get(f.identity);
    if (list === undefined) byIdentity.set(f.identity, [f]);
    else list.push(f);
  }
  for (const entry of arrows) {
    const { arrow, sent } = entry;
    const to = peerNode(arrow.from);
    const same = sent.identity === undefined ? [] : (byIdentity.get(sent.identity) ?? []);
    const rx = same.find((f) => f.event.action === 'rx' && f.index > sent.index && !used.has(f.index) && f.event.node === to);
    if (rx !== undefined) {
      used.add(rx.index);
      Object.assign(arrow as { arrival?: number; arrivalIndex?: number; lost: boolean }, { arrival: rx.event.time, arrivalIndex: rx.index, lost: false });
      // Copies made on the way: each arrives after the duplication, as its own frame.
      for (const copy of same) {
        if (copy.event.action !== 'duplicated' || copy.index < sent.index || used.has(copy.index)) continue;
        const arrival = same.find((f) => f.event.action === 'rx' && f.index > copy.index && !used.has(f.index) && f.event.node === to);
        if (arrival === undefined) continue;
        used.add(copy.index);
        used.add(arrival.index);
        duplicates.push({ ...entry, arrow: { ...arrow, duplicate: true, retransmission: false, arrival: arrival.event.time, arrivalIndex: arrival.index } });
        break;
      }
    } else {
      const lost = same.find((f) => f.event.action === 'lost' && f.index > sent.index);
      if (lost !== undefined) (arrow as { lossReason?: string }).lossReason = lost.event.detail ?? 'lost on the medium';
    }
  }
  return duplicates;
}

/** Whether the pdu event a layer sent for this frame said it was a retransmission. */
function retransmitted(events: readonly TraceEvent[], sent: SeenFrame, layer: DissectedLayer, used: Set<number>): boolean {
  if (layer.header === undefined) return false;
  const want = JSON.stringify(layer.header);
  for (let i = sent.index - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.kind !== 'pdu' || e.node !== sent.event.node || e.direction !== 'down' || used.has(i) || e.header.protocol !== layer.header.protocol) continue;
    if (JSON.stringify(e.header) !== want) continue;
    used.add(i);
    return (e as PduEvent).retransmission === true;
  }
  return false;
}

/** Rows in time order; at one instant, in the order things happened. */
function sortRows(rows: LadderRow[]): void {
  rows.sort((a, b) => a.time - b.time || a.index - b.index);
}

/** The first conversation a sender started: a connection-oriented one (with sequence numbers) first. */
function firstConversation(frames: readonly SeenFrame[]): string | undefined {
  let any: string | undefined;
  for (const f of frames) {
    if (f.event.action !== 'tx' || f.relayed) continue;
    const c = conversationOf(f.d);
    if (c === undefined) continue;
    if (c.sequence !== undefined) return conversationKey(c);
    any ??= conversationKey(c);
  }
  return any;
}

/** Build a ladder from recorded events. Throws InvalidArgumentError for a malformed connection key. */
export function buildLadder(events: readonly TraceEvent[], options: LadderOptions = {}): Ladder {
  const model = resolveModel(options.model);
  const frames = seenFrames(events, options.dissectors);
  if (options.nodes !== undefined && options.connection === undefined) return buildTwoNodeLadder(events, frames, options.nodes, options, model);
  const key = options.connection ?? firstConversation(frames);
  if (key === undefined) {
    return { title: options.title ?? 'no conversation in the trace', model, layer: '', participants: [{ node: '?', endpoint: '' }, { node: '?', endpoint: '' }], rows: [] };
  }
  const parsed = requireConnectionKey(key);
  const canonical = canonicalConnectionKey(key);
  const ofConnection = (c: string | undefined): boolean => c !== undefined && parseConnectionKey(c) !== undefined && canonicalConnectionKey(c) === canonical;
  const mine = frames.filter((f) => {
    const c = conversationOf(f.d);
    return c !== undefined && ofConnection(conversationKey(c));
  });

  // Left is whoever sent the conversation's first frame; right the other end.
  let left: { node: string; endpoint: string } | undefined;
  let right: { node: string; endpoint: string } | undefined;
  let role: Role = 'transport';
  let protocol = '';
  for (const f of mine) {
    const c = conversationOf(f.d)!;
    if (f.event.action === 'tx' && !f.relayed) {
      if (left === undefined) {
        left = { node: f.event.node, endpoint: c.endpoints!.source };
        role = c.role;
        protocol = c.title;
      } else if (right === undefined && c.endpoints!.source !== left.endpoint) right = { node: f.event.node, endpoint: c.endpoints!.source };
    }
  }
  if (left !== undefined && right === undefined) {
    // Nobody answered: the node that took the frames in without sending them on.
    const delivered = mine.find((f) => f.event.action === 'rx' && f.event.node !== left!.node && !mine.some((g) => g.relayed && g.event.node === f.event.node));
    if (delivered !== undefined) right = { node: delivered.event.node, endpoint: conversationOf(delivered.d)!.endpoints!.destination };
  }
  const localEnd = `${parsed.local.address}:${parsed.local.port}`;
  const remoteEnd = `${parsed.remote.address}:${parsed.remote.port}`;
  left ??= { node: '?', endpoint: localEnd };
  right ??= { node: '?', endpoint: left.endpoint === localEnd ? remoteEnd : localEnd };
  const nodes = [left.node, right.node] as const;
  const sideOfNode = (node: string): SideIndex | undefined => (node === nodes[0] ? 0 : node === nodes[1] ? 1 : undefined);

  const rows: LadderRow[] = [];
  const initial: [string | undefined, string | undefined] = [undefined, undefined];
  const isn: [number | undefined, number | undefined] = [undefined, undefined];
  const arrows: { arrow: LadderArrow; sent: SeenFrame; layer: DissectedLayer }[] = [];
  const usedPdus = new Set<number>();
  const layer = layerName(model, role);
  for (const f of mine) {
    if (f.event.action !== 'tx' || f.relayed) continue;
    const side = sideOfNode(f.event.node);
    if (side === undefined) continue;
    const c = conversationOf(f.d)!;
    if (c.sequence?.initial && isn[side] === undefined) isn[side] = c.sequence.seq;
    const arrow: LadderArrow = {
      kind: 'arrow',
      from: side,
      time: f.event.time,
      index: f.index,
      label: '',
      lost: true,
      retransmission: retransmitted(events, f, c, usedPdus),
      protocol: c.protocol,
      role: c.role,
      layer,
    };
    arrows.push({ arrow, sent: f, layer: c });
    rows.push(arrow);
  }
  events.forEach((e, index) => {
    const side = sideOfNode(e.node);
    if (side === undefined || e.role !== role) return;
    if (e.kind === 'state' && (ofConnection(e.entity) || (e.to === 'LISTEN' && initial[side] === undefined && parseConnectionKey(e.entity) === undefined))) {
      if (e.to === 'LISTEN' || (e.from === 'LISTEN' && initial[side] === undefined)) {
        initial[side] ??= 'LISTEN';
        if (e.to === 'LISTEN') return;
      }
      initial[side] ??= e.from;
      rows.push({ kind: 'state', side, time: e.time, index, state: e.to, ...(e.cause ? { cause: e.cause } : {}) });
    } else if (e.kind === 'timer' && e.timer === 'TIME-WAIT' && e.action === 'set' && ofConnection(e.entity)) {
      const d = e.duration;
      rows.push({ kind: 'note', side, time: e.time, index, text: d !== undefined ? `2*MSL = ${formatDuration(d)}` : 'TIME-WAIT timer set' });
    } else if (e.kind === 'drop' && ofConnection(e.connection)) {
      rows.push({ kind: 'note', side, time: e.time, index, text: `drop: ${e.reason}` });
    }
  });

  for (const copy of matchArrivals(frames, arrows, (side) => nodes[side === 0 ? 1 : 0])) {
    arrows.push(copy);
    rows.push(copy.arrow);
  }
  for (const { arrow, layer: l } of arrows) {
    const own = isn[arrow.from];
    const peer = isn[arrow.from === 0 ? 1 : 0];
    let label = options.relative && own !== undefined && l.labelWith ? l.labelWith({ own, peer }) : (l.label ?? l.summary);
    if (options.details && l.detail) label += ` ${l.detail}`;
    (arrow as { label: string }).label = label;
  }
  sortRows(rows);
  const where = `${layer} layer, ${model.title}`;
  const title = options.title ?? `${protocol || 'conversation'} ${left.endpoint} <-> ${right.endpoint} (${where}${options.relative ? '; relative sequence numbers' : ''})`;
  return {
    title,
    model,
    layer: where,
    participants: [
      { ...left, ...(initial[0] ? { initialState: initial[0] } : {}) },
      { ...right, ...(initial[1] ? { initialState: initial[1] } : {}) },
    ],
    rows,
  };
}

function buildTwoNodeLadder(events: readonly TraceEvent[], frames: readonly SeenFrame[], nodes: readonly [string, string], options: LadderOptions, model: LayerModel): Ladder {
  const protocols = options.protocols !== undefined ? new Set(options.protocols) : undefined;
  const sideOf = (node: string): SideIndex | undefined => (node === nodes[0] ? 0 : node === nodes[1] ? 1 : undefined);
  const rows: LadderRow[] = [];
  const arrows: { arrow: LadderArrow; sent: SeenFrame; layer: DissectedLayer }[] = [];
  const usedPdus = new Set<number>();
  for (const f of frames) {
    if (f.event.action !== 'tx' || f.relayed) continue;
    const side = sideOf(f.event.node);
    const main = mainLayer(f.d);
    if (side === undefined || main === undefined || (protocols !== undefined && !protocols.has(main.protocol))) continue;
    const layer = layerName(model, main.role);
    const text = main.label ?? main.summary;
    const arrow: LadderArrow = {
      kind: 'arrow',
      from: side,
      time: f.event.time,
      index: f.index,
      label: `[${layer}] ${main.conversation && main.label ? `${main.title} ${text}` : text}${options.details && main.detail ? ` ${main.detail}` : ''}`,
      lost: true,
      retransmission: retransmitted(events, f, main, usedPdus),
      protocol: main.protocol,
      role: main.role,
      layer,
    };
    arrows.push({ arrow, sent: f, layer: main });
    rows.push(arrow);
  }
  events.forEach((e, index) => {
    const side = sideOf(e.node);
    if (side === undefined) return;
    if (e.kind === 'state' && parseConnectionKey(e.entity) !== undefined) {
      rows.push({ kind: 'state', side, time: e.time, index, state: e.to, ...(e.cause ? { cause: e.cause } : {}) });
    } else if (e.kind === 'drop') {
      rows.push({ kind: 'note', side, time: e.time, index, text: `drop at ${layerName(model, e.role)} (${e.protocol}): ${e.reason}${e.reason === 'arp-failed' ? `, ${e.detail}` : ''}` });
    }
  });
  for (const copy of matchArrivals(frames, arrows, (side) => nodes[side === 0 ? 1 : 0])) rows.push(copy.arrow);
  sortRows(rows);
  return { title: options.title ?? `${nodes[0]} <-> ${nodes[1]} (${model.title})`, model, layer: '', participants: [{ node: nodes[0], endpoint: '' }, { node: nodes[1], endpoint: '' }], rows };
}
