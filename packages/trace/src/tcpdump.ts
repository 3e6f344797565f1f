// tcpdump-style lines from the frames seen at the NICs: "0.002100 client eth0
// IP 10.0.1.10.49152 > 10.0.2.10.80: Flags [S], seq 0, win 65535, options [mss 1460], length 0".
// Every frame is decoded by the registered dissectors and printed by the same line printer
// as `tcpdumpLinesFromCapture` (tcpdump-line.ts): after the time and capture point, a run's
// line is what `tcpdump -nn -r` prints for the run's pcap (TCP sequence numbers relative
// per connection over the lines printed together, unless absoluteSequence). Nothing here
// knows a protocol by name.

import type { FrameEvent, PduEvent, TraceEvent } from '@netlayers/core';
import { dissect, type DissectorOptions } from './dissectors.ts';
import { formatSeconds } from './format.ts';
import { frameBody, seenFrames } from './frames.ts';
import { createLineState, tcpdumpText, type LineState } from './tcpdump-line.ts';

export interface TcpdumpOptions extends DissectorOptions {
  /** Only this node's traffic: what its NICs sent and received. */
  readonly node?: string;
  /** Only this interface/port. */
  readonly iface?: string;
  /** Which frame actions to show (default tx and rx with a node chosen; without one, what each sender originated, each packet once). */
  readonly actions?: readonly FrameEvent['action'][];
  /** Print link-level headers too, as tcpdump -e does. */
  readonly linkHeaders?: boolean;
  /** Print protocol options (default true); false keeps lines short enough for a narrow terminal. */
  readonly tcpOptions?: boolean;
  /** Name the interface after the node (default: when a node is chosen, as tcpdump -i any does). */
  readonly interfaces?: boolean;
  /** Absolute TCP sequence numbers, as tcpdump -S (default: relative, as tcpdump prints them). */
  readonly absoluteSequence?: boolean;
  /** tcpdump -v: IP header fields and application details (lines of several rows). */
  readonly verbose?: boolean;
}

function prefix(time: number, node: string, iface: string | undefined): string {
  return `${formatSeconds(time)} ${node}${iface ? ` ${iface}` : ''}`;
}

/** One line for a pdu event, from the layer's own text (what it said when it crossed). */
export function tcpdumpLineFromPdu(event: PduEvent): string {
  return `${prefix(event.time, event.node, event.iface)} ${event.text}`;
}

/**
 * One tcpdump line for a frame seen on a port. `state` carries TCP's relative numbering
 * from line to line (tcpdump() keeps one for all its lines); without it, the line stands
 * alone.
 */
export function tcpdumpLineFromFrame(event: FrameEvent, options: Omit<TcpdumpOptions, 'node' | 'iface' | 'actions'> = {}, state?: LineState): string {
  const mark = event.action === 'lost' ? ' [lost on the medium]' : '';
  const d = dissect(event, options.dissectors);
  let body: string;
  if (options.tcpOptions === false) {
    body = frameBody(d, { linkHeaders: options.linkHeaders ?? false, brief: true });
  } else {
    const outer = d.layers[0];
    const link = options.linkHeaders && outer?.endpoints ? `${outer.endpoints.source} > ${outer.endpoints.destination}, length ${d.length}: ` : '';
    body = link + tcpdumpText(d, state ?? createLineState({ absoluteSequence: options.absoluteSequence ?? false, verbose: options.verbose ?? false }), options.dissectors);
  }
  return `${prefix(event.time, event.node, options.interfaces === false ? undefined : event.iface)} ${body}${mark}`;
}

/**
 * tcpdump lines for a run, from the frames at the NICs. With a node chosen: what it sent
 * and received (optionally on one interface). Without: each packet once, at the NIC of the
 * node that sent it (not again where a switch or router relays it).
 */
export function tcpdump(events: readonly TraceEvent[], options: TcpdumpOptions = {}): string[] {
  const lines: string[] = [];
  const state = createLineState({ absoluteSequence: options.absoluteSequence ?? false, verbose: options.verbose ?? false });
  const actions = options.actions !== undefined ? new Set(options.actions) : undefined;
  for (const f of seenFrames(events, options.dissectors)) {
    const e = f.event;
    if (options.node !== undefined) {
      if (e.node !== options.node || !(actions ?? new Set(['tx', 'rx'])).has(e.action)) continue;
    } else if (actions !== undefined ? !actions.has(e.action) : e.action !== 'tx' || f.relayed) {
      continue;
    }
    if (options.iface !== undefined && e.iface !== options.iface) continue;
    lines.push(tcpdumpLineFromFrame(e, { ...options, interfaces: options.interfaces ?? options.node !== undefined }, state));
  }
  return lines;
}
