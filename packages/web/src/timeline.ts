// What the page steps through: the run's trace events in time order, each with the layer it
// belongs to in the chosen model and one line saying what happened, plus the frame
// transmissions (a frame leaving one node's NIC and arriving at the next) that the topology
// animates. Derived from the recorded events only: nothing here simulates.

import { layerForRole, type LayerModel, type TraceEvent } from '@netlayers/core';
import { connectionOf, tcpdumpLineFromFrame } from '@netlayers/trace';
import type { RecordedNetwork } from './protocol.ts';

export interface Step {
  /** Index into the run's events. */
  readonly index: number;
  readonly event: TraceEvent;
  readonly what: string;
  readonly protocol: string;
  readonly connection: string | undefined;
}

export interface Transmission {
  readonly from: string;
  readonly to: string;
  readonly sent: number;
  /** Arrival time, or undefined when the medium lost it. */
  readonly arrived: number | undefined;
  /** The step index of the send. */
  readonly step: number;
  readonly label: string;
}

function describe(event: TraceEvent): string {
  switch (event.kind) {
    case 'pdu':
      return `${event.direction === 'down' ? 'sends' : event.direction === 'up' ? 'receives' : 'forwards'} ${event.text}`;
    case 'frame':
      return `${event.action === 'tx' ? 'frame out' : event.action === 'rx' ? 'frame in' : `frame ${event.action}`} ${event.iface ?? ''}: ${tcpdumpLineFromFrame(event)}${event.detail ? ` (${event.detail})` : ''}`;
    case 'drop':
      return `drops ${event.length} bytes: ${event.reason} — ${event.detail}`;
    case 'state':
      return `${event.entity}: ${event.from} → ${event.to}${event.cause ? ` (${event.cause})` : ''}`;
    case 'timer':
      return `${event.timer} timer ${event.action}${event.entity ? ` for ${event.entity}` : ''}`;
    case 'note':
      return event.message;
    case 'metric':
      return Object.entries(event.values).map(([k, v]) => `${k}=${v}`).join(' ');
  }
}

/** Events worth a row: every PDU, frame, drop, state change and note; timers only when they fire. */
function shown(event: TraceEvent): boolean {
  if (event.kind === 'metric') return false;
  if (event.kind === 'timer') return event.action === 'fired';
  return true;
}

/**
 * A step's line and a frame's connection are worked out when something asks for them (the
 * event list draws a window of rows, the topology the frames in flight, a connection filter
 * its matches), not for every event of a run: decoding every frame of a 10 MB transfer took
 * seconds of the page's main thread after the run.
 */
class RunStep implements Step {
  private line: string | undefined;
  private conn: string | undefined | null = null;
  constructor(
    readonly index: number,
    readonly event: TraceEvent,
    readonly protocol: string,
  ) {}

  get what(): string {
    return (this.line ??= describe(this.event));
  }

  get connection(): string | undefined {
    if (this.conn === null) this.conn = stepConnection(this.event);
    return this.conn;
  }
}

/**
 * A run names a handful of connections in tens of thousands of events: each named key is
 * canonicalised once (a PDU's or drop's connection, and a state's, timer's, metric's or
 * note's entity, apart: connectionOf treats them differently), and a frame is decoded.
 */
const connectionOfNamed = new Map<string, string | undefined>();
const connectionOfEntity = new Map<string, string | undefined>();

function stepConnection(event: TraceEvent): string | undefined {
  if (event.kind === 'frame') return connectionOf(event);
  const named = event.kind === 'pdu' || event.kind === 'drop';
  const key = named ? event.connection : event.entity;
  if (key === undefined) return undefined;
  const cache = named ? connectionOfNamed : connectionOfEntity;
  const known = cache.get(key);
  if (known !== undefined || cache.has(key)) return known;
  const connection = connectionOf(event);
  cache.set(key, connection);
  return connection;
}

export function buildSteps(run: RecordedNetwork): Step[] {
  const steps: Step[] = [];
  run.events.forEach((event, index) => {
    if (!shown(event)) return;
    steps.push(new RunStep(index, event, event.protocol));
  });
  return steps;
}

/**
 * The transport connections of a run, in order of first appearance. A simulated run's
 * transport events name their connections, so its frames are not decoded for them; a capture
 * has frames only, and each is decoded.
 */
export function connectionsOf(steps: readonly Step[], isKey: (connection: string) => boolean): string[] {
  const named = (list: readonly Step[]): string[] => [...new Set(list.map((s) => s.connection).filter((c): c is string => c !== undefined && isKey(c)))];
  const fromEvents = named(steps.filter((s) => s.event.kind !== 'frame'));
  return fromEvents.length > 0 ? fromEvents : named(steps);
}

export function layerName(model: LayerModel, event: TraceEvent): string {
  try {
    return layerForRole(model, event.role).name;
  } catch {
    return event.role;
  }
}

/**
 * A frame's bucket for pairing, at one node: its length and last four bytes (the FCS, when it
 * has one) folded into a small integer (a map keyed by it stays on the fast path; frames that
 * share a bucket are told apart by their bytes).
 */
function frameKey(bytes: Uint8Array): number {
  const n = bytes.length;
  const tail = ((bytes[n - 4] ?? 0) << 24) | ((bytes[n - 3] ?? 0) << 16) | ((bytes[n - 2] ?? 0) << 8) | (bytes[n - 1] ?? 0);
  return (tail ^ Math.imul(n, 0x9e3779b1)) & 0x3fffffff;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Pair each frame sent (tx) with the frame that arrived (rx) with the same bytes at a node
 * linked to the sender (through a shared segment too), the first one after it; unpaired
 * sends were lost on the medium. Linear in the number of frames.
 */
export function buildTransmissions(run: RecordedNetwork, steps: readonly Step[]): Transmission[] {
  const segments = new Set(run.nodes.filter((n) => n.kind === 'segment').map((n) => n.name));
  const direct = new Map<string, Set<string>>();
  const link = (a: string, b: string): void => {
    if (!direct.has(a)) direct.set(a, new Set());
    direct.get(a)!.add(b);
  };
  for (const l of run.links) {
    link(l.a, l.b);
    link(l.b, l.a);
  }
  const peerLists = new Map<string, string[]>();
  const peersOf = (node: string): string[] => {
    const known = peerLists.get(node);
    if (known !== undefined) return known;
    const out = new Set<string>();
    for (const n of direct.get(node) ?? []) {
      if (segments.has(n)) for (const m of direct.get(n) ?? []) if (m !== node) out.add(m);
      out.add(n);
    }
    const list = [...out];
    peerLists.set(node, list);
    return list;
  };
  // Arrivals by node, then by frame bucket.
  const arrivals = new Map<string, Map<number, Step[]>>();
  for (const s of steps) {
    const e = s.event;
    if (e.kind !== 'frame' || e.action !== 'rx') continue;
    let atNode = arrivals.get(e.node);
    if (atNode === undefined) arrivals.set(e.node, (atNode = new Map()));
    const key = frameKey(e.bytes);
    const queue = atNode.get(key);
    if (queue === undefined) atNode.set(key, [s]);
    else queue.push(s);
  }
  const out: Transmission[] = [];
  steps.forEach((s, stepIndex) => {
    const e = s.event;
    if (e.kind !== 'frame' || e.action !== 'tx') return;
    const peers = peersOf(e.node);
    const key = frameKey(e.bytes);
    let match: Step | undefined;
    for (const peer of peers) {
      const queue = arrivals.get(peer)?.get(key);
      const at = queue?.findIndex((a) => a.event.time >= e.time && a.event.kind === 'frame' && sameBytes(a.event.bytes, e.bytes)) ?? -1;
      if (queue !== undefined && at >= 0) {
        match = queue.splice(at, 1)[0];
        break;
      }
    }
    const to = match?.event.node ?? peers.find((p) => !segments.has(p)) ?? peers[0] ?? e.node;
    out.push({
      from: e.node,
      to,
      sent: e.time,
      arrived: match?.event.time,
      step: stepIndex,
      get label() {
        return s.what;
      },
    });
  });
  return out;
}
