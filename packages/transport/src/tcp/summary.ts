// Human-readable forms of a TCP segment: the control bits spelled as RFC 9293 §3.1 names
// them, a tcpdump-style line, and the flat field record that trace events carry.

import type { Ipv4Address, TcpFlagName, TcpHeaderInfo, TcpOptionsInfo } from '@netlayers/core';
import { TcpFlag, type TcpSegment } from './wire.ts';
import type { TcpHeaderOptions } from './options.ts';

// Wireshark's order (least significant bit first), which gives the familiar spellings
// "SYN,ACK", "PSH,ACK", "FIN,ACK", "RST,ACK".
const RFC_ORDER: readonly [number, TcpFlagName][] = [
  [TcpFlag.FIN, 'FIN'],
  [TcpFlag.SYN, 'SYN'],
  [TcpFlag.RST, 'RST'],
  [TcpFlag.PSH, 'PSH'],
  [TcpFlag.ACK, 'ACK'],
  [TcpFlag.URG, 'URG'],
  [TcpFlag.ECE, 'ECE'],
  [TcpFlag.CWR, 'CWR'],
];

// tcpdump's letters, in tcpdump's order (print-tcp.c): F S R P . U E W.
const TCPDUMP_ORDER: readonly [number, string][] = [
  [TcpFlag.FIN, 'F'],
  [TcpFlag.SYN, 'S'],
  [TcpFlag.RST, 'R'],
  [TcpFlag.PSH, 'P'],
  [TcpFlag.ACK, '.'],
  [TcpFlag.URG, 'U'],
  [TcpFlag.ECE, 'E'],
  [TcpFlag.CWR, 'W'],
];

const nameCache = new Map<number, string>();

/** The RFC 9293 names of the set bits joined by ',', as Wireshark orders them: "SYN,ACK", "FIN,PSH,ACK". */
export function tcpFlagNames(flags: number): string {
  const cached = nameCache.get(flags & 0xff);
  if (cached !== undefined) return cached;
  const names: string[] = [];
  for (const [bit, name] of RFC_ORDER) if (flags & bit) names.push(name);
  const text = names.join(',');
  nameCache.set(flags & 0xff, text);
  return text;
}

/** tcpdump's flag letters: "S.", "F.", "P.", "R"; "none" when no bit is set. */
export function tcpdumpFlags(flags: number): string {
  let text = '';
  for (const [bit, letter] of TCPDUMP_ORDER) if (flags & bit) text += letter;
  return text === '' ? 'none' : text;
}

function optionsText(options: TcpHeaderOptions): string {
  const parts: string[] = [];
  if (options.mss !== undefined) parts.push(`mss ${options.mss}`);
  if (options.windowScale !== undefined) parts.push(`wscale ${options.windowScale}`);
  if (options.sackPermitted === true) parts.push('sackOK');
  if (options.timestamps !== undefined) parts.push(`TS val ${options.timestamps.value} ecr ${options.timestamps.echo}`);
  if (options.sack !== undefined && options.sack.length > 0) {
    parts.push(`sack ${options.sack.length} ${options.sack.map(([l, r]) => `{${l}:${r}}`).join('')}`);
  }
  // Other kinds by their IANA short name and option length, as tcpdump starts them: "mptcp 12".
  for (const other of options.others ?? []) parts.push(`${other.name} ${other.data.length + 2}`);
  return parts.join(',');
}

/**
 * One tcpdump-style line (absolute sequence numbers):
 * "10.0.0.1.49152 > 10.0.0.2.80: Flags [S.], seq 0, ack 1, win 65535, options [mss 1460], length 0".
 */
export function tcpSummary(
  segment: Pick<TcpSegment, 'sourcePort' | 'destinationPort' | 'seq' | 'ack' | 'flags' | 'window' | 'options'> & { readonly payload: { readonly length: number }; readonly urgentPointer?: number },
  source: Ipv4Address,
  destination: Ipv4Address,
): string {
  const len = segment.payload.length;
  let line = `${source}.${segment.sourcePort} > ${destination}.${segment.destinationPort}: Flags [${tcpdumpFlags(segment.flags)}], `;
  line += len > 0 || segment.flags & (TcpFlag.SYN | TcpFlag.FIN | TcpFlag.RST) ? `seq ${segment.seq}` : '';
  if (len > 0) line += `:${(segment.seq + len) >>> 0}`;
  if (segment.flags & TcpFlag.ACK) line += `${line.endsWith(', ') ? '' : ', '}ack ${segment.ack}`;
  line += `${line.endsWith(', ') ? '' : ', '}win ${segment.window}`;
  if (segment.flags & TcpFlag.URG) line += `, urg ${segment.urgentPointer ?? 0}`;
  const options = optionsText(segment.options);
  if (options !== '') line += `, options [${options}]`;
  line += `, length ${len}`;
  return line;
}

/** The RFC 9293 names of the set bits, in Wireshark's order (FIN, SYN, RST, PSH, ACK, URG, ECE, CWR). */
export function tcpFlagList(flags: number): TcpFlagName[] {
  const names: TcpFlagName[] = [];
  for (const [bit, name] of RFC_ORDER) if (flags & bit) names.push(name);
  return names;
}

/** The typed trace payload of a segment (see TcpHeaderInfo in core). */
export function tcpHeaderInfo(
  segment: Pick<TcpSegment, 'sourcePort' | 'destinationPort' | 'seq' | 'ack' | 'flags' | 'window' | 'options'> & { readonly urgentPointer?: number },
  payloadLength: number,
): TcpHeaderInfo {
  const o = segment.options;
  const options: { -readonly [K in keyof TcpOptionsInfo]: TcpOptionsInfo[K] } = {};
  if (o.mss !== undefined) options.mss = o.mss;
  if (o.windowScale !== undefined) options.windowScale = o.windowScale;
  if (o.sackPermitted === true) options.sackPermitted = true;
  if (o.timestamps !== undefined) options.timestamps = { value: o.timestamps.value, echo: o.timestamps.echo };
  if (o.sack !== undefined && o.sack.length > 0) options.sack = o.sack.map(([l, r]) => [l, r] as const);
  return {
    protocol: 'tcp',
    sourcePort: segment.sourcePort,
    destinationPort: segment.destinationPort,
    seq: segment.seq,
    ack: segment.ack,
    flags: tcpFlagList(segment.flags),
    window: segment.window,
    urgentPointer: segment.urgentPointer ?? 0,
    payloadLength,
    options,
  };
}
