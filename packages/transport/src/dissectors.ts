// The transport layer's codecs for pictures: TCP (RFC 9293 §3.1, options RFC 7323 and
// RFC 2018) and UDP (RFC 768) under IP protocols 6 and 17. Each runs this package's own
// parser (parseTcpSegment, parseUdpDatagram) without the checksum check, then verifies the
// pseudo-header checksum itself, so a damaged segment is still shown with its problem.
// The TCP dissector gives the ladder its label (flags, seq, ack, len) and the numbers it
// needs for relative sequence numbers; both hand their payload to 'tcp.port' / 'udp.port'.

import {
  IpProtocol,
  Ipv4Address,
  byteField,
  finishChecksum,
  hexValue,
  isWireError,
  onesComplementSum,
  pseudoHeaderSum,
  type DissectContext,
  type DissectedField,
  type Dissector,
  type DissectorTable,
  type LayerDissection,
  type LineContext,
} from '@netlayers/core';
import { tcpTcpdumpText, udpTcpdumpText, type ChecksumCheck } from './tcpdump-line.ts';
import type { TcpHeaderOptions } from './tcp/options.ts';
import { tcpFlagNames, tcpHeaderInfo, tcpSummary } from './tcp/summary.ts';
import { TcpFlag, parseTcpSegment, type TcpSegment } from './tcp/wire.ts';
import { UDP_HEADER_LENGTH, parseUdpDatagram, udpSummary } from './udp/wire.ts';

function addresses(context: DissectContext): { source: Ipv4Address; destination: Ipv4Address } | undefined {
  const n = context.network;
  if (n === undefined) return undefined;
  return { source: Ipv4Address.parse(n.source), destination: Ipv4Address.parse(n.destination) };
}

function optionText(o: TcpHeaderOptions): string {
  const parts: string[] = [];
  if (o.mss !== undefined) parts.push(`mss ${o.mss}`);
  if (o.windowScale !== undefined) parts.push(`wscale ${o.windowScale}`);
  if (o.sackPermitted === true) parts.push('sackOK');
  if (o.timestamps !== undefined) parts.push(`TS val ${o.timestamps.value} ecr ${o.timestamps.echo}`);
  if (o.sack !== undefined && o.sack.length > 0) parts.push(`sack ${o.sack.map(([l, r]) => `{${l}:${r}}`).join('')}`);
  return parts.join(',');
}

/** The checksum field at `at` and the pseudo-header checksum computed over the segment; undefined for a fragment (tcpdump does not check those). */
function checksumCheck(bytes: Uint8Array, context: DissectContext, at: number): ChecksumCheck | undefined {
  const n = context.network;
  if (n === undefined || bytes.length < at + 2) return undefined;
  const outer = context.outer[context.outer.length - 1]?.header;
  if (outer !== undefined && outer.protocol === 'ipv4' && (outer.moreFragments || outer.fragmentOffset > 0)) return undefined;
  const source = Ipv4Address.parse(n.source).value;
  const destination = Ipv4Address.parse(n.destination).value;
  const computed = finishChecksum(onesComplementSum(bytes, 0, bytes.length, pseudoHeaderSum(source, destination, n.protocol, bytes.length)));
  return { value: (bytes[at]! << 8) | bytes[at + 1]!, computed };
}

/** The tcpdump text of a segment or datagram, from its bytes (also when the parser rejected them). */
function lineOf(print: typeof tcpTcpdumpText, bytes: Uint8Array, context: DissectContext, at: number): ((line: LineContext) => string) | undefined {
  const n = context.network;
  if (n === undefined) return undefined;
  // Checked now: `context.outer` grows as the frame walk goes on.
  const checksum = checksumCheck(bytes, context, at);
  return (line) => print(bytes, n.source, n.destination, line, checksum);
}

/** Sequence arithmetic modulo 2^32 (RFC 9293 §3.4). */
function minus(a: number, b: number): number {
  return (a - b + 0x1_0000_0000) % 0x1_0000_0000;
}

/** The ladder label: "SYN,ACK seq=0 ack=1 len=0", numbers relative to `base` when given. */
export function tcpLadderLabel(seg: Pick<TcpSegment, 'flags' | 'seq' | 'ack'>, length: number, base?: { own: number; peer: number | undefined }): string {
  const seq = base ? minus(seg.seq, base.own) : seg.seq;
  const parts = [tcpFlagNames(seg.flags) || 'none', `seq=${seq}`];
  if (seg.flags & TcpFlag.ACK) parts.push(`ack=${base?.peer !== undefined ? minus(seg.ack, base.peer) : seg.ack}`);
  parts.push(`len=${length}`);
  return parts.join(' ');
}

export const tcpDissector: Dissector = {
  protocol: 'tcp',
  dissect(bytes, context): LayerDissection {
    const ends = addresses(context) ?? { source: Ipv4Address.ANY, destination: Ipv4Address.ANY };
    const seg = parseTcpSegment(bytes, ends.source, ends.destination, { verifyChecksum: false });
    if (isWireError(seg)) {
      const line = lineOf(tcpTcpdumpText, bytes, context, 16);
      return { protocol: 'tcp', title: 'TCP', role: 'transport', headerLength: Math.min(20, bytes.length), payloadLength: 0, fields: [], summary: `TCP, ${seg.detail}`, problems: [`TCP: ${seg.detail}`], ...(line ? { line } : {}) };
    }
    const checksumValid = context.network === undefined || !isWireError(parseTcpSegment(bytes, ends.source, ends.destination));
    const headerLength = seg.dataOffset * 4;
    const length = seg.payload.length;
    const options = optionText(seg.options);
    const fields: DissectedField[] = [
      byteField('Source port', 0, 2, String(seg.sourcePort)),
      byteField('Destination port', 2, 2, String(seg.destinationPort)),
      byteField('Sequence number', 4, 4, String(seg.seq)),
      byteField('Acknowledgment number', 8, 4, String(seg.ack)),
      { name: 'Data offset', bitOffset: 96, bitLength: 4, value: `${seg.dataOffset} (${headerLength} bytes)` },
      { name: 'Reserved', bitOffset: 100, bitLength: 4, value: String(bytes[12]! & 0x0f) },
      { name: 'Control bits', bitOffset: 104, bitLength: 8, value: tcpFlagNames(seg.flags).replace(/,/g, ', ') || 'none' },
      byteField('Window', 14, 2, String(seg.window)),
      byteField('Checksum', 16, 2, `${hexValue(seg.checksum, 4)} [${checksumValid ? 'correct' : 'WRONG'}]`),
      byteField('Urgent pointer', 18, 2, String(seg.urgentPointer)),
    ];
    if (headerLength > 20) fields.push(byteField('Options', 20, headerLength - 20, options || `${headerLength - 20} bytes`));
    const details = [`win=${seg.window}`];
    if (seg.options.mss !== undefined) details.push(`mss=${seg.options.mss}`);
    if (seg.options.windowScale !== undefined) details.push(`wscale=${seg.options.windowScale}`);
    if (seg.options.sackPermitted === true) details.push('sackOK');
    const syn = (seg.flags & TcpFlag.SYN) !== 0;
    const line = lineOf(tcpTcpdumpText, bytes, context, 16);
    return {
      ...(line ? { line } : {}),
      protocol: 'tcp',
      title: 'TCP',
      role: 'transport',
      headerLength,
      payloadLength: length,
      fields,
      summary: tcpSummary(seg, ends.source, ends.destination),
      brief: tcpSummary({ ...seg, options: {} }, ends.source, ends.destination),
      header: tcpHeaderInfo(seg, length),
      endpoints: { source: `${ends.source}:${seg.sourcePort}`, destination: `${ends.destination}:${seg.destinationPort}` },
      conversation: true,
      identity: `${seg.sourcePort}>${seg.destinationPort} ${seg.seq} ${seg.ack} ${seg.flags} ${length}`,
      label: tcpLadderLabel(seg, length),
      detail: details.join(' '),
      sequence: { seq: seg.seq, ...(seg.flags & TcpFlag.ACK ? { ack: seg.ack } : {}), initial: syn },
      labelWith: (base) => tcpLadderLabel(seg, length, base),
      next: { table: 'tcp.port', keys: [Math.min(seg.sourcePort, seg.destinationPort), Math.max(seg.sourcePort, seg.destinationPort)] },
      payloadRole: 'application',
      ...(checksumValid ? {} : { problems: ['TCP checksum is wrong'] }),
    };
  },
};

export const udpDissector: Dissector = {
  protocol: 'udp',
  dissect(bytes, context): LayerDissection {
    const ends = addresses(context) ?? { source: Ipv4Address.ANY, destination: Ipv4Address.ANY };
    const d = parseUdpDatagram(bytes, ends.source, ends.destination, { verifyChecksum: false });
    if (isWireError(d)) {
      const line = lineOf(udpTcpdumpText, bytes, context, 6);
      return { protocol: 'udp', title: 'UDP', role: 'transport', headerLength: Math.min(UDP_HEADER_LENGTH, bytes.length), payloadLength: 0, fields: [], summary: `UDP, ${d.detail}`, problems: [`UDP: ${d.detail}`], ...(line ? { line } : {}) };
    }
    const checksumValid = d.checksum === 0 || context.network === undefined || !isWireError(parseUdpDatagram(bytes, ends.source, ends.destination));
    const summary = udpSummary(d, ends.source, ends.destination);
    const line = lineOf(udpTcpdumpText, bytes, context, 6);
    return {
      ...(line ? { line } : {}),
      protocol: 'udp',
      title: 'UDP',
      role: 'transport',
      headerLength: UDP_HEADER_LENGTH,
      payloadLength: d.payload.length,
      fields: [
        byteField('Source port', 0, 2, String(d.sourcePort)),
        byteField('Destination port', 2, 2, String(d.destinationPort)),
        byteField('Length', 4, 2, String(d.length)),
        byteField('Checksum', 6, 2, d.checksum === 0 ? '0x0000 [none]' : `${hexValue(d.checksum, 4)} [${checksumValid ? 'correct' : 'WRONG'}]`),
      ],
      summary,
      header: { protocol: 'udp', sourcePort: d.sourcePort, destinationPort: d.destinationPort, payloadLength: d.payload.length },
      endpoints: { source: `${ends.source}:${d.sourcePort}`, destination: `${ends.destination}:${d.destinationPort}` },
      conversation: true,
      identity: `${d.sourcePort}>${d.destinationPort} ${d.length}`,
      label: `UDP ${d.sourcePort} > ${d.destinationPort} len=${d.payload.length}`,
      next: { table: 'udp.port', keys: [Math.min(d.sourcePort, d.destinationPort), Math.max(d.sourcePort, d.destinationPort)] },
      payloadRole: 'application',
      ...(checksumValid ? {} : { problems: ['UDP checksum is wrong'] }),
    };
  },
};

/** Register TCP (IP protocol 6) and UDP (IP protocol 17). */
export function registerDissectors(table: DissectorTable): void {
  table.register('ip.proto', IpProtocol.TCP, tcpDissector);
  table.register('ip.proto', IpProtocol.UDP, udpDissector);
}
