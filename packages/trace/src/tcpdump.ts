// tcpdump-style lines: "0.002100 client eth0 10.0.1.10.49152 > 10.0.2.10.80: Flags [S],
// seq 0, win 65535, options [mss 1460], length 0". Two sources, one format: the transport's
// pdu events (what a node sent and received), or the frame bytes seen on a port, decoded by
// the dissector the way tcpdump decodes an interface.

import type { FrameEvent, PduEvent, TraceEvent } from '@netlayers/core';
import { dissectFrame, type DissectedFrame } from './dissect.ts';
import { formatTcpOptions, icmpTypeName } from './dissect-transport.ts';
import { formatSeconds } from './format.ts';
import { tcpdumpFlags, tcpSummaryOf, type TcpSegmentSummary } from './tcp-fields.ts';

export interface TcpdumpOptions {
  /** Only this node's traffic. */
  readonly node?: string;
  /** Only this interface/port (with frames: the port the frames were seen on). */
  readonly iface?: string;
  /**
   * 'pdu': lines from transport/ICMP/ARP pdu events (default);
   * 'frames': lines from frame bytes on ports, decoded like tcpdump on an interface.
   */
  readonly source?: 'pdu' | 'frames';
  /** With frames: which port actions to show (default: tx and rx when a node is chosen, else tx only, so each hop shows once). */
  readonly actions?: readonly FrameEvent['action'][];
  /** Print link-level headers too, as tcpdump -e does. */
  readonly linkHeaders?: boolean;
  /** Print TCP options (default true); false keeps lines short enough for a narrow terminal. */
  readonly tcpOptions?: boolean;
}

function tcpBody(t: TcpSegmentSummary, withOptions = true): string {
  const parts = [`Flags [${tcpdumpFlags(t.flags)}]`];
  parts.push(t.length > 0 ? `seq ${t.seq}:${(t.seq + t.length) % 0x1_0000_0000}` : `seq ${t.seq}`);
  if (t.flags.includes('ACK')) parts.push(`ack ${t.ack}`);
  parts.push(`win ${t.window}`);
  const options: string[] = [];
  if (t.mss !== undefined) options.push(`mss ${t.mss}`);
  if (t.sackOK) options.push('sackOK');
  if (t.tsval !== undefined) options.push(`TS val ${t.tsval} ecr ${t.tsecr ?? 0}`);
  if (t.wscale !== undefined) options.push(`wscale ${t.wscale}`);
  if (t.sack !== undefined) options.push(`sack ${t.sack}`);
  if (withOptions && options.length) parts.push(`options [${options.join(',')}]`);
  parts.push(`length ${t.length}`);
  return `${t.source}.${t.sourcePort} > ${t.destination}.${t.destinationPort}: ${parts.join(', ')}`;
}

function prefix(time: number, node: string, iface: string | undefined): string {
  return `${formatSeconds(time)} ${node}${iface ? ` ${iface}` : ''}`;
}

/** One tcpdump line for a pdu event (TCP from its fields, others from the layer's text). */
export function tcpdumpLineFromPdu(event: PduEvent, tcpOptions = true): string {
  const tcp = tcpSummaryOf(event);
  const body = tcp !== undefined ? tcpBody(tcp, tcpOptions) : event.text;
  return `${prefix(event.time, event.node, event.iface)} ${body}`;
}

/** The tcpdump body (after time and node) of dissected frame bytes. */
export function tcpdumpBody(d: DissectedFrame, linkHeaders = false, tcpOptions = true): string {
  const link = linkHeaders && d.ethernet ? `${d.ethernet.source} > ${d.ethernet.destination}, length ${d.length}: ` : '';
  if (d.arp !== undefined) {
    const a = d.arp;
    const what =
      a.operation === 1
        ? `Request who-has ${a.targetProtocol} tell ${a.senderProtocol}`
        : a.operation === 2
          ? `Reply ${a.senderProtocol} is-at ${a.senderHardware}`
          : `operation ${a.operation}`;
    return `${link}ARP, ${what}, length 28`;
  }
  const ip = d.ipv4;
  if (ip === undefined) {
    return `${link}${d.ethernet ? `ethertype 0x${d.ethernet.etherType.toString(16).padStart(4, '0')}` : 'unknown'}, length ${d.length}`;
  }
  const bad = d.problems.length ? ` [${d.problems.join('; ')}]` : '';
  if (d.tcp !== undefined) {
    const t = d.tcp;
    const options = formatTcpOptions(t.options.filter((o) => o.kind !== 'eol'));
    const parts = [`Flags [${tcpdumpFlags(t.flags)}]`];
    parts.push(t.payloadLength > 0 ? `seq ${t.seq}:${(t.seq + t.payloadLength) % 0x1_0000_0000}` : `seq ${t.seq}`);
    if (t.flags.includes('ACK')) parts.push(`ack ${t.ack}`);
    parts.push(`win ${t.window}`);
    if (tcpOptions && options) parts.push(`options [${options}]`);
    parts.push(`length ${t.payloadLength}`);
    return `${link}${ip.source}.${t.sourcePort} > ${ip.destination}.${t.destinationPort}: ${parts.join(', ')}${bad}`;
  }
  if (d.udp !== undefined) {
    return `${link}${ip.source}.${d.udp.sourcePort} > ${ip.destination}.${d.udp.destinationPort}: UDP, length ${d.udp.payloadLength}${bad}`;
  }
  if (d.icmp !== undefined) {
    const i = d.icmp;
    const echo = i.identifier !== undefined ? `, id ${i.identifier}, seq ${i.sequence}` : i.code ? `, code ${i.code}` : '';
    return `${link}${ip.source} > ${ip.destination}: ICMP ${icmpTypeName(i.type)}${echo}, length ${i.length}${bad}`;
  }
  const fragment = ip.fragmentOffset > 0 || ip.moreFragments ? ` (frag ${ip.identification}:${ip.totalLength - ip.headerLength}@${ip.fragmentOffset}${ip.moreFragments ? '+' : ''})` : '';
  return `${link}${ip.source} > ${ip.destination}: ip-proto-${ip.protocol}${fragment}, length ${ip.totalLength - ip.headerLength}${bad}`;
}

/** One tcpdump line for a frame seen on a port. */
export function tcpdumpLineFromFrame(event: FrameEvent, linkHeaders = false, tcpOptions = true): string {
  const mark = event.action === 'lost' ? ' [lost on the medium]' : '';
  return `${prefix(event.time, event.node, event.iface)} ${tcpdumpBody(dissectFrame(event.bytes), linkHeaders, tcpOptions)}${mark}`;
}

const PDU_PROTOCOLS = new Set(['tcp', 'udp', 'icmp', 'arp']);

/**
 * tcpdump lines for a run. From pdu events: one line per TCP/UDP/ICMP/ARP PDU; with a node
 * chosen, what it sent and received; without, what each node sent (each packet once).
 */
export function tcpdump(events: readonly TraceEvent[], options: TcpdumpOptions = {}): string[] {
  const lines: string[] = [];
  if ((options.source ?? 'pdu') === 'frames') {
    const actions = new Set(options.actions ?? (options.node !== undefined ? ['tx', 'rx'] : ['tx']));
    for (const e of events) {
      if (e.kind !== 'frame' || !actions.has(e.action)) continue;
      if (options.node !== undefined && e.node !== options.node) continue;
      if (options.iface !== undefined && e.iface !== options.iface) continue;
      lines.push(tcpdumpLineFromFrame(e, options.linkHeaders, options.tcpOptions ?? true));
    }
    return lines;
  }
  for (const e of events) {
    if (e.kind !== 'pdu' || !PDU_PROTOCOLS.has(e.protocol) || e.direction === 'forward') continue;
    if (options.node !== undefined ? e.node !== options.node : e.direction !== 'down') continue;
    if (options.iface !== undefined && e.iface !== undefined && e.iface !== options.iface) continue;
    lines.push(tcpdumpLineFromPdu(e, options.tcpOptions ?? true));
  }
  return lines;
}
