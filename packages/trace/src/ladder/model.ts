// The ladder (sequence) diagram model, built from recorded events and shared by the text,
// Mermaid and SVG renderers. For one TCP connection it holds an arrow per segment (sent by
// a 'down' pdu event, arriving with the matching 'up' at the peer, or lost when there is
// none), each side's RFC 9293 §3.3.2 state where it changes, the TIME-WAIT 2*MSL timer,
// drops and retransmissions. For any two nodes it does the same for their TCP, UDP, ICMP
// and ARP PDUs.

import { formatDuration, type PduEvent, type TraceEvent } from '@netlayers/core';
import { canonicalConnectionKey, parseConnectionKey, requireConnectionKey } from '../connection.ts';
import { dissectFrame } from '../dissect.ts';
import { seqDiff, tcpSummaryOf, type TcpSegmentSummary } from '../tcp-fields.ts';

export type SideIndex = 0 | 1;

export interface LadderParticipant {
  readonly node: string;
  /** "10.0.1.10:49152" for a connection; empty for two-node ladders. */
  readonly endpoint: string;
  /** State before the first change shown (CLOSED, LISTEN), when known. */
  readonly initialState?: string;
}

export interface LadderArrow {
  readonly kind: 'arrow';
  readonly from: SideIndex;
  /** Send time (ns) and the index of the sending event in the input. */
  readonly time: number;
  readonly index: number;
  /** Arrival time and event index, absent when the segment was lost. */
  readonly arrival?: number;
  readonly arrivalIndex?: number;
  readonly label: string;
  readonly lost: boolean;
  /** Why it was lost, when a drop or lost-frame event says. */
  readonly lossReason?: string;
  readonly retransmission: boolean;
  readonly protocol: string;
  /** The segment, for TCP arrows. */
  readonly segment?: TcpSegmentSummary;
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
  readonly participants: readonly [LadderParticipant, LadderParticipant];
  /** In order of their first instant (send time for arrows). */
  readonly rows: readonly LadderRow[];
}

export interface LadderOptions {
  /** The TCP connection to draw ("10.0.1.10:49152-10.0.2.10:80", either direction). Default: the first one seen. */
  readonly connection?: string;
  /** Draw these two nodes' PDUs instead of one connection. */
  readonly nodes?: readonly [string, string];
  /** Protocols drawn between two nodes (default tcp, udp, icmp, arp). */
  readonly protocols?: readonly string[];
  /** Sequence and acknowledgment numbers relative to each side's ISN (default false: absolute). */
  readonly relative?: boolean;
  /** Add window and options (mss, wscale, sackOK) to TCP labels. */
  readonly details?: boolean;
  readonly title?: string;
}

const TWO_NODE_PROTOCOLS = ['tcp', 'udp', 'icmp', 'arp'];

/** The arrow label for a TCP segment: "SYN,ACK seq=0 ack=1 len=0". */
export function tcpLabel(t: TcpSegmentSummary, options: { relative?: { own: number; peer: number | undefined }; details?: boolean } = {}): string {
  const order = ['SYN', 'FIN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR'];
  const flags = [...t.flags].sort((a, b) => order.indexOf(a) - order.indexOf(b)).join(',') || 'none';
  const seq = options.relative ? seqDiff(t.seq, options.relative.own) : t.seq;
  const parts = [flags, `seq=${seq}`];
  if (t.flags.includes('ACK')) {
    const peer = options.relative?.peer;
    parts.push(`ack=${options.relative && peer !== undefined ? seqDiff(t.ack, peer) : t.ack}`);
  }
  parts.push(`len=${t.length}`);
  if (options.details) {
    parts.push(`win=${t.window}`);
    if (t.mss !== undefined) parts.push(`mss=${t.mss}`);
    if (t.wscale !== undefined) parts.push(`wscale=${t.wscale}`);
    if (t.sackOK) parts.push('sackOK');
  }
  return parts.join(' ');
}

function sameSegment(a: PduEvent, b: PduEvent): boolean {
  if (a.protocol !== b.protocol) return false;
  if (a.protocol === 'tcp') {
    const x = tcpSummaryOf(a);
    const y = tcpSummaryOf(b);
    if (x === undefined || y === undefined) return false;
    return x.seq === y.seq && x.ack === y.ack && x.length === y.length && x.flags.join() === y.flags.join() && x.sourcePort === y.sourcePort;
  }
  if (a.text === b.text) return true;
  return JSON.stringify(a.header, (k, v: unknown) => (k === 'ttl' ? undefined : v)) === JSON.stringify(b.header, (k, v: unknown) => (k === 'ttl' ? undefined : v));
}

/**
 * Pair each arrival ('up' at the peer) with the latest unmatched send of the same PDU before
 * it, so a retransmission that arrives is not mistaken for the lost copy it replaced.
 * Arrows left without an arrival stay lost.
 */
function matchArrivals(
  events: readonly TraceEvent[],
  arrows: readonly { arrow: LadderArrow; down: PduEvent }[],
  sideOf: (node: string) => SideIndex | undefined,
  relevant: (e: PduEvent) => boolean,
): void {
  events.forEach((e, index) => {
    if (e.kind !== 'pdu' || e.direction !== 'up' || !relevant(e)) return;
    const side = sideOf(e.node);
    if (side === undefined) return;
    for (let i = arrows.length - 1; i >= 0; i--) {
      const { arrow, down } = arrows[i]!;
      if (arrow.index > index || !arrow.lost || arrow.from === side || !sameSegment(e, down)) continue;
      Object.assign(arrow as { arrival?: number; arrivalIndex?: number; lost: boolean }, { arrival: e.time, arrivalIndex: index, lost: false });
      return;
    }
  });
}

/**
 * Order rows as a reader follows the exchange: arrows by send time, and a state change or
 * note that a segment's arrival caused right after that segment's arrow (not after arrows
 * the other side sent meanwhile). Rows caused by a timer or a call keep their own place.
 */
function sortRows(rows: LadderRow[], arrows: readonly LadderArrow[]): void {
  const key = new Map<LadderRow, number>();
  for (const row of rows) {
    if (row.kind === 'arrow') continue;
    let cause: LadderArrow | undefined;
    for (const a of arrows) {
      if (a.from === row.side || a.arrivalIndex === undefined || a.arrivalIndex >= row.index || a.arrival !== row.time) continue;
      if (cause === undefined || a.arrivalIndex > cause.arrivalIndex!) cause = a;
    }
    if (cause !== undefined) key.set(row, cause.index + 0.5);
  }
  rows.sort((a, b) => (key.get(a) ?? a.index) - (key.get(b) ?? b.index) || a.index - b.index);
}

function firstConnection(events: readonly TraceEvent[]): string | undefined {
  for (const e of events) if (e.kind === 'pdu' && e.protocol === 'tcp' && e.direction === 'down' && e.connection !== undefined) return e.connection;
  return undefined;
}

/** Build a ladder from recorded events. Throws InvalidArgumentError for a malformed connection key. */
export function buildLadder(events: readonly TraceEvent[], options: LadderOptions = {}): Ladder {
  if (options.nodes !== undefined && options.connection === undefined) return buildTwoNodeLadder(events, options.nodes, options);
  const key = options.connection ?? firstConnection(events);
  if (key === undefined) {
    return { title: options.title ?? 'no TCP connection in the trace', participants: [{ node: '?', endpoint: '' }, { node: '?', endpoint: '' }], rows: [] };
  }
  const parsed = requireConnectionKey(key);
  const canonical = canonicalConnectionKey(key);
  const ofConnection = (c: string | undefined): boolean => c !== undefined && parseConnectionKey(c) !== undefined && canonicalConnectionKey(c) === canonical;

  // Left is whoever sent the connection's first segment (the active opener).
  let left: { node: string; endpoint: string } | undefined;
  let right: { node: string; endpoint: string } | undefined;
  for (const e of events) {
    if (e.kind !== 'pdu' || e.protocol !== 'tcp' || !ofConnection(e.connection)) continue;
    const t = tcpSummaryOf(e);
    if (t === undefined) continue;
    const sender = `${t.source}:${t.sourcePort}`;
    if (e.direction === 'down') {
      if (left === undefined) left = { node: e.node, endpoint: sender };
      else if (right === undefined && sender !== left.endpoint) right = { node: e.node, endpoint: sender };
    } else if (e.direction === 'up' && right === undefined && left !== undefined && sender === left.endpoint) {
      right = { node: e.node, endpoint: `${t.destination}:${t.destinationPort}` };
    }
  }
  left ??= { node: '?', endpoint: `${parsed.local.address}:${parsed.local.port}` };
  right ??= { node: '?', endpoint: left.endpoint === `${parsed.local.address}:${parsed.local.port}` ? `${parsed.remote.address}:${parsed.remote.port}` : `${parsed.local.address}:${parsed.local.port}` };
  const sideOfNode = (node: string): SideIndex | undefined => (node === left!.node ? 0 : node === right!.node ? 1 : undefined);

  const isn: [number | undefined, number | undefined] = [undefined, undefined];
  const rows: LadderRow[] = [];
  const initial: [string | undefined, string | undefined] = [undefined, undefined];
  const arrows: { arrow: LadderArrow; down: PduEvent }[] = [];

  events.forEach((e, index) => {
    const side = sideOfNode(e.node);
    if (side === undefined) return;
    if (e.kind === 'pdu' && e.protocol === 'tcp' && e.direction === 'down' && ofConnection(e.connection)) {
      const t = tcpSummaryOf(e);
      if (t === undefined) return;
      if (t.flags.includes('SYN') && isn[side] === undefined) isn[side] = t.seq;
      const arrow: LadderArrow = {
        kind: 'arrow',
        from: side,
        time: e.time,
        index,
        label: '',
        lost: true,
        retransmission: e.retransmission === true,
        protocol: 'tcp',
        segment: t,
      };
      arrows.push({ arrow, down: e });
      rows.push(arrow);
    } else if (e.kind === 'state' && e.protocol === 'tcp' && (ofConnection(e.entity) || (e.to === 'LISTEN' && initial[side] === undefined))) {
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

  matchArrivals(events, arrows, (node) => sideOfNode(node), (e) => e.protocol === 'tcp' && ofConnection(e.connection));

  // Name the loss of arrows that a lost frame or a drop explains.
  for (const e of events) {
    if (e.kind === 'frame' && e.action === 'lost') {
      const d = dissectFrame(e.bytes);
      if (d.tcp === undefined || d.ipv4 === undefined) continue;
      const tcp = d.tcp;
      const hit = arrows.find(({ arrow }) => arrow.lost && arrow.lossReason === undefined && arrow.segment !== undefined && arrow.segment.seq === tcp.seq && arrow.segment.ack === tcp.ack && arrow.segment.sourcePort === tcp.sourcePort && arrow.time <= e.time);
      if (hit) (hit.arrow as { lossReason?: string }).lossReason = e.detail ?? 'lost on the medium';
    }
  }

  for (const { arrow } of arrows) {
    const t = arrow.segment!;
    const own = isn[arrow.from];
    const peer = isn[arrow.from === 0 ? 1 : 0];
    const relative = options.relative && own !== undefined ? { own, peer } : undefined;
    (arrow as { label: string }).label = tcpLabel(t, { ...(relative ? { relative } : {}), ...(options.details ? { details: true } : {}) });
  }
  sortRows(rows, arrows.map((a) => a.arrow));
  const title = options.title ?? `TCP ${left.endpoint} <-> ${right.endpoint}${options.relative ? ' (relative sequence numbers)' : ''}`;
  return {
    title,
    participants: [
      { ...left, ...(initial[0] ? { initialState: initial[0] } : {}) },
      { ...right, ...(initial[1] ? { initialState: initial[1] } : {}) },
    ],
    rows,
  };
}

function buildTwoNodeLadder(events: readonly TraceEvent[], nodes: readonly [string, string], options: LadderOptions): Ladder {
  const protocols = new Set(options.protocols ?? TWO_NODE_PROTOCOLS);
  const sideOf = (node: string): SideIndex | undefined => (node === nodes[0] ? 0 : node === nodes[1] ? 1 : undefined);
  const rows: LadderRow[] = [];
  const arrows: { arrow: LadderArrow; down: PduEvent }[] = [];
  events.forEach((e, index) => {
    const side = sideOf(e.node);
    if (side === undefined) return;
    if (e.kind === 'pdu' && e.direction === 'down' && protocols.has(e.protocol)) {
      const t = tcpSummaryOf(e);
      const arrow: LadderArrow = {
        kind: 'arrow',
        from: side,
        time: e.time,
        index,
        label: t ? `${e.protocol.toUpperCase()} ${tcpLabel(t)}` : e.text,
        lost: true,
        retransmission: e.retransmission === true,
        protocol: e.protocol,
        ...(t ? { segment: t } : {}),
      };
      arrows.push({ arrow, down: e });
      rows.push(arrow);
    } else if (e.kind === 'state' && e.protocol === 'tcp') {
      rows.push({ kind: 'state', side, time: e.time, index, state: e.to, ...(e.cause ? { cause: e.cause } : {}) });
    } else if (e.kind === 'drop') {
      rows.push({ kind: 'note', side, time: e.time, index, text: `drop ${e.protocol}: ${e.reason}` });
    }
  });
  matchArrivals(events, arrows, sideOf, (e) => protocols.has(e.protocol));
  return { title: options.title ?? `${nodes[0]} <-> ${nodes[1]}`, participants: [{ node: nodes[0], endpoint: '' }, { node: nodes[1], endpoint: '' }], rows };
}
