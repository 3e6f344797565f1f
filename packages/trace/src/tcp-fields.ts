// Reading a TCP segment's summary out of a pdu trace event (the fields the transport layer
// publishes: sport, dport, seq, ack, flags "SYN,ACK", win, len and the RFC 7323 / RFC 2018
// options) and spelling flags the way tcpdump does ("S.", "P.", "F.").

import type { PduEvent } from '@netlayers/core';
import { parseConnectionKey } from './connection.ts';

export interface TcpSegmentSummary {
  readonly source: string;
  readonly sourcePort: number;
  readonly destination: string;
  readonly destinationPort: number;
  readonly seq: number;
  readonly ack: number;
  /** RFC 9293 names: "SYN", "ACK", "FIN", "RST", "PSH", "URG", "ECE", "CWR". */
  readonly flags: readonly string[];
  readonly window: number;
  readonly length: number;
  readonly mss?: number;
  readonly wscale?: number;
  readonly sackOK?: boolean;
  readonly tsval?: number;
  readonly tsecr?: number;
  readonly sack?: string;
}

/** Split "SYN,ACK" / "SYN ACK" / "S." style flag text into RFC names. */
export function parseFlagText(text: string): string[] {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === 'none') return [];
  if (/^[SFRPUEW.]+$/.test(trimmed) && !/^(SYN|FIN|RST|PSH|URG|ECE|CWR|ACK)/.test(trimmed)) {
    const map: Record<string, string> = { S: 'SYN', F: 'FIN', R: 'RST', P: 'PSH', U: 'URG', E: 'ECE', W: 'CWR', '.': 'ACK' };
    return [...trimmed].map((c) => map[c]!).filter(Boolean);
  }
  return trimmed.split(/[\s,|+]+/).filter(Boolean).map((f) => f.toUpperCase());
}

/** The TCP summary of a tcp pdu event, or undefined when it carries no TCP header. */
export function tcpSummaryOf(event: PduEvent): TcpSegmentSummary | undefined {
  const t = event.header;
  if (t.protocol !== 'tcp') return undefined;
  const key = parseConnectionKey(event.connection);
  let source = '?';
  let destination = '?';
  if (key !== undefined) {
    // The key is written from the sender's view; the ports decide when both readings exist.
    const reversed = key.remote.port === t.sourcePort && key.local.port === t.destinationPort && key.local.port !== key.remote.port;
    source = reversed ? key.remote.address : key.local.address;
    destination = reversed ? key.local.address : key.remote.address;
  }
  const o = t.options;
  return {
    source,
    sourcePort: t.sourcePort,
    destination,
    destinationPort: t.destinationPort,
    seq: t.seq,
    ack: t.ack,
    flags: t.flags,
    window: t.window,
    length: t.payloadLength,
    ...(o.mss !== undefined ? { mss: o.mss } : {}),
    ...(o.windowScale !== undefined ? { wscale: o.windowScale } : {}),
    ...(o.sackPermitted ? { sackOK: true } : {}),
    ...(o.timestamps !== undefined ? { tsval: o.timestamps.value, tsecr: o.timestamps.echo } : {}),
    ...(o.sack !== undefined ? { sack: o.sack.map(([l, r]) => `${l}-${r}`).join(' ') } : {}),
  };
}

const TCPDUMP_ORDER: readonly [string, string][] = [
  ['FIN', 'F'],
  ['SYN', 'S'],
  ['RST', 'R'],
  ['PSH', 'P'],
  ['ACK', '.'],
  ['URG', 'U'],
  ['ECE', 'E'],
  ['CWR', 'W'],
];

/** tcpdump's flag letters, in tcpdump's order: SYN+ACK is "S.", FIN+ACK "F.", ACK alone ".". */
export function tcpdumpFlags(flags: readonly string[]): string {
  const set = new Set(flags);
  const out = TCPDUMP_ORDER.filter(([name]) => set.has(name)).map(([, letter]) => letter).join('');
  return out === '' ? 'none' : out;
}

/** Sequence-number arithmetic (RFC 9293 §3.4): `a - b` modulo 2^32. */
export function seqDiff(a: number, b: number): number {
  return (a - b + 0x1_0000_0000) % 0x1_0000_0000;
}
