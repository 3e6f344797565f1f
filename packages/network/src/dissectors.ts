// The network layer's codecs for pictures: IPv4 (RFC 791 §3.1) under EtherType 0x0800 and
// PPP protocol 0x0021, and ICMP (RFC 792) under IP protocol 1. Each runs this package's own
// parser (parseIpv4, parseIcmp) with checksum checking off, then checks the checksum
// itself, so a damaged header is still shown, with the problem named.

import {
  EtherType,
  IpProtocol,
  byteField,
  hexValue,
  internetChecksum,
  ipProtocolName,
  isWireError,
  type DissectContext,
  type DissectedField,
  type Dissector,
  type DissectorTable,
  type Ipv4Fields,
  type Ipv4HeaderInfo,
  type LayerDissection,
} from '@netlayers/core';
import { ICMP_HEADER_LENGTH, icmpSummary, icmpTypeOf, parseIcmp } from './icmp-wire.ts';
import { ipv4HeaderInfo, ipv4Summary, parseIpv4 } from './ipv4-wire.ts';
import { icmpTcpdumpText, ipv4TcpdumpText } from './tcpdump-line.ts';

/** PPP's protocol number for IPv4 (RFC 1332). */
const PPP_IPV4 = 0x0021;

export const ipv4Dissector: Dissector = {
  protocol: 'ipv4',
  dissect(bytes): LayerDissection {
    const parsed = parseIpv4(bytes, { verifyChecksum: false });
    if (isWireError(parsed)) {
      return {
        protocol: 'ipv4',
        title: 'IPv4',
        role: 'network',
        headerLength: Math.min(20, bytes.length),
        payloadLength: 0,
        fields: [],
        summary: `IP, ${parsed.detail}`,
        problems: [`IPv4: ${parsed.detail}`],
        line: (context) => ipv4TcpdumpText(bytes, context),
      };
    }
    const h = parsed.header;
    const checksumValid = internetChecksum(bytes, 0, h.headerLength) === 0;
    const flags = [h.dontFragment ? 'DF' : '', h.moreFragments ? 'MF' : ''].filter(Boolean).join(', ') || 'none';
    const fields: DissectedField[] = [
      { name: 'Version', bitOffset: 0, bitLength: 4, value: String(h.version) },
      { name: 'IHL', bitOffset: 4, bitLength: 4, value: `${h.headerLength / 4} (${h.headerLength} bytes)` },
      { name: 'DSCP', bitOffset: 8, bitLength: 6, value: String(h.tos >> 2) },
      { name: 'ECN', bitOffset: 14, bitLength: 2, value: String(h.tos & 3) },
      byteField('Total length', 2, 2, String(h.totalLength)),
      byteField('Identification', 4, 2, `${hexValue(h.identification, 4)} (${h.identification})`),
      { name: 'Flags', bitOffset: 48, bitLength: 3, value: flags },
      { name: 'Fragment offset', bitOffset: 51, bitLength: 13, value: String(h.fragmentOffset / 8) },
      byteField('TTL', 8, 1, String(h.ttl)),
      byteField('Protocol', 9, 1, `${h.protocol} (${ipProtocolName(h.protocol)})`),
      byteField('Header checksum', 10, 2, `${hexValue(h.checksum, 4)} [${checksumValid ? 'correct' : 'WRONG'}]`),
      byteField('Source', 12, 4, h.source.toString()),
      byteField('Destination', 16, 4, h.destination.toString()),
    ];
    if (h.headerLength > 20) fields.push(byteField('Options', 20, h.headerLength - 20, `${h.headerLength - 20} bytes`));
    // The first fragment carries the payload's header: its ports and type are shown, as tcpdump shows them.
    const first = h.fragmentOffset === 0;
    return {
      protocol: 'ipv4',
      title: 'IPv4',
      role: 'network',
      headerLength: h.headerLength,
      payloadLength: h.totalLength - h.headerLength,
      fields,
      summary: ipv4Summary(h),
      label: `${h.source} > ${h.destination}, TTL ${h.ttl}, id ${h.identification}`,
      header: ipv4HeaderInfo(h),
      endpoints: { source: h.source.toString(), destination: h.destination.toString() },
      // What a router does not change: no TTL, no checksum.
      identity: `${h.source}>${h.destination} p${h.protocol} id${h.identification} @${h.fragmentOffset}${h.moreFragments ? '+' : ''} ${h.totalLength}`,
      ...(first ? { next: { table: 'ip.proto', keys: [h.protocol] } } : {}),
      line: (context) => ipv4TcpdumpText(bytes, context),
      payloadRole: 'network',
      ...(checksumValid ? {} : { problems: ['IPv4 header checksum is wrong'] }),
    };
  },
};

const ICMP_KIND_TEXT: Record<string, string> = {
  'echo-request': 'echo request',
  'echo-reply': 'echo reply',
  'destination-unreachable': 'destination unreachable',
  'time-exceeded': 'time exceeded',
  'parameter-problem': 'parameter problem',
  'source-quench': 'source quench',
  redirect: 'redirect',
};

export const icmpDissector: Dissector = {
  protocol: 'icmp',
  dissect(bytes, context): LayerDissection {
    const message = parseIcmp(bytes, { checksum: false });
    // Read now: `context.outer` grows as the frame walk goes on.
    const isFragment = fragmented(context);
    if (isWireError(message)) {
      return {
        protocol: 'icmp',
        title: 'ICMP',
        role: 'network',
        headerLength: Math.min(bytes.length, ICMP_HEADER_LENGTH),
        payloadLength: 0,
        fields: [],
        summary: `ICMP, ${message.detail}`,
        problems: [`ICMP: ${message.detail}`],
        line: (line) => icmpTcpdumpText(bytes, line, isFragment),
      };
    }
    // A first fragment holds only part of the message: its checksum cannot be checked.
    const checksumValid = isFragment || internetChecksum(bytes) === 0;
    const type = icmpTypeOf(message);
    const echo = message.kind === 'echo-request' || message.kind === 'echo-reply' ? message : undefined;
    const fields: DissectedField[] = [
      byteField('Type', 0, 1, `${type} (${ICMP_KIND_TEXT[message.kind] ?? `type ${type}`})`),
      byteField('Code', 1, 1, String(message.code)),
      byteField('Checksum', 2, 2, `${hexValue((bytes[2]! << 8) | bytes[3]!, 4)} [${checksumValid ? 'correct' : 'WRONG'}]`),
    ];
    if (echo) fields.push(byteField('Identifier', 4, 2, String(echo.identifier)), byteField('Sequence number', 6, 2, String(echo.sequence)));
    else fields.push(byteField('Rest of header', 4, 4, hexValue(((bytes[4]! << 24) | (bytes[5]! << 16) | (bytes[6]! << 8) | bytes[7]!) >>> 0, 8)));
    const text = icmpSummary(message, bytes.length);
    const network = context.network;
    const outer = context.outer[context.outer.length - 1]?.header;
    const ip = outer !== undefined && outer.protocol === 'ipv4' ? outer : undefined;
    return {
      protocol: 'icmp',
      title: 'ICMP',
      role: 'network',
      headerLength: ICMP_HEADER_LENGTH,
      payloadLength: bytes.length - ICMP_HEADER_LENGTH,
      fields,
      summary: network ? `${network.source} > ${network.destination}: ${text}` : text,
      ...(ip ? { header: { protocol: 'icmp' as const, ip: withoutDiscriminant(ip), type, code: message.code, ...(echo ? { identifier: echo.identifier, sequence: echo.sequence } : {}) } } : {}),
      identity: text,
      line: (line) => icmpTcpdumpText(bytes, line, isFragment),
      payloadRole: 'network',
      ...(checksumValid ? {} : { problems: ['ICMP checksum is wrong'] }),
    };
  },
};

/** The datagram around this message is a fragment (its first: later ones are not dissected further). */
function fragmented(context: DissectContext): boolean {
  const outer = context.outer[context.outer.length - 1]?.header;
  return outer !== undefined && outer.protocol === 'ipv4' && (outer.moreFragments || outer.fragmentOffset > 0);
}

function withoutDiscriminant(info: Ipv4HeaderInfo): Ipv4Fields {
  const { protocol: _protocol, ...fields } = info;
  return fields;
}

/** Register IPv4 (EtherType 0x0800, PPP protocol 0x0021) and ICMP (IP protocol 1). */
export function registerDissectors(table: DissectorTable): void {
  table.register('ethertype', EtherType.IPv4, ipv4Dissector);
  table.register('ppp.protocol', PPP_IPV4, ipv4Dissector);
  table.register('ip.proto', IpProtocol.ICMP, icmpDissector);
}
