// How the runner prints packets in failure messages: in packetdrill's own script syntax
// (sequence numbers relative as the script writes them) and as tcpdump prints them
// (absolute numbers, addresses and ports), plus times in seconds as packetdrill shows them.

import type { Ipv4Address } from '@netlayers/core';
import type { TcpOptionSpec } from './ast.ts';
import { lettersFromFlags, type ParsedTcp, type WireTcpOption } from './wire.ts';

/** Microseconds → "0.100000". */
export function formatUsecs(usecs: number): string {
  return (usecs / 1e6).toFixed(6);
}

/** Nanoseconds of virtual time → seconds as packetdrill prints them. */
export function formatNs(ns: number): string {
  return formatUsecs(Math.round(ns / 1000));
}

export function formatOption(o: WireTcpOption | TcpOptionSpec): string {
  switch (o.kind) {
    case 'nop':
    case 'eol':
    case 'sackOK':
      return o.kind;
    case 'mss':
      return `mss ${o.value}`;
    case 'wscale':
      return `wscale ${o.value}`;
    case 'TS':
      return `TS val ${o.val} ecr ${o.ecr}`;
    case 'sack':
      return `sack ${o.blocks.map(([l, r]) => `${l}:${r}`).join(' ')}`;
    case 'unknown':
      return `unknown-option-${o.type}(len ${o.length})`;
  }
}

export function formatOptions(options: readonly (WireTcpOption | TcpOptionSpec)[]): string {
  return options.length === 0 ? '' : ` <${options.map(formatOption).join(',')}>`;
}

/** The packet in script syntax, with `seqBase` subtracted from seq (and `ackBase` from ack). */
export function scriptSyntax(seg: ParsedTcp, seqBase: number, ackBase: number, sackBase: number, tsBase = 0): string {
  const seq = (seg.seq - seqBase) >>> 0;
  const end = (seq + seg.payload.length) >>> 0;
  const flags = lettersFromFlags(seg.flags) || '-';
  const ack = seg.flags & 0x10 ? ` ack ${(seg.ack - ackBase) >>> 0}` : '';
  const urg = seg.flags & 0x20 ? ` urg ${seg.urgent}` : '';
  const options = seg.options.map((o): WireTcpOption =>
    o.kind === 'sack'
      ? { kind: 'sack', blocks: o.blocks.map(([l, r]) => [(l - sackBase) >>> 0, (r - sackBase) >>> 0] as const) }
      : o.kind === 'TS'
        ? { kind: 'TS', val: (o.val - tsBase) >>> 0, ecr: o.ecr }
        : o,
  );
  return `${flags} ${seq}:${end}(${seg.payload.length})${ack} win ${seg.window}${urg}${formatOptions(options)}`;
}

/** tcpdump's line for the segment: `IP a.p > b.q: Flags [S.], seq 1:1, ack 1, win 65535, options [...], length 0`. */
export function tcpdumpLine(seg: ParsedTcp, source: Ipv4Address, destination: Ipv4Address): string {
  const len = seg.payload.length;
  const parts = [`Flags [${lettersFromFlags(seg.flags) || 'none'}]`];
  parts.push(len > 0 ? `seq ${seg.seq}:${(seg.seq + len) >>> 0}` : `seq ${seg.seq}`);
  if (seg.flags & 0x10) parts.push(`ack ${seg.ack}`);
  parts.push(`win ${seg.window}`);
  if (seg.flags & 0x20) parts.push(`urg ${seg.urgent}`);
  if (seg.options.length > 0) parts.push(`options [${seg.options.map(formatOption).join(',')}]`);
  parts.push(`length ${len}`);
  return `IP ${source}.${seg.sourcePort} > ${destination}.${seg.destinationPort}: ${parts.join(', ')}`;
}
