// The swaps' codecs for pictures, registered the way a student registers one: the
// stop-and-wait and go-back-N segment (our own 16-byte header, transport/wire.ts) under IP
// protocols 253 and 254 (RFC 3692 experimental numbers), PPP in HDLC-like framing (RFC 1661
// §2, RFC 1662 §3) as link type 'ppp', and RIP version 2 (RFC 2453 §4) on UDP port 520.
// Each runs the swap's own parser (parseArqSegment, parsePppFrame, parseRipMessage).

import { Ipv4Address, byteField, hexValue, isWireError, type DissectContext, type Dissector, type DissectorTable, type LayerDissection } from '@netlayers/core';
import { PPP_FCS_LENGTH, PPP_HEADER_LENGTH, parsePppFrame, stuffPppFrame } from './access/ppp-frame.ts';
import { pppProtocolName } from './access/ppp-protocols.ts';
import { RIP_ENTRY_LENGTH, RIP_HEADER_LENGTH, RIP_PORT, RipCommand, parseRipMessage } from './network/rip-wire.ts';
import { ARQ_HEADER_LENGTH, GO_BACK_N_PROTOCOL, STOP_AND_WAIT_PROTOCOL, arqFlagNames, arqHeaderInfo, arqSummary, parseArqSegment } from './transport/wire.ts';

function ends(context: DissectContext): { source: Ipv4Address; destination: Ipv4Address } {
  const n = context.network;
  return n === undefined ? { source: Ipv4Address.ANY, destination: Ipv4Address.ANY } : { source: Ipv4Address.parse(n.source), destination: Ipv4Address.parse(n.destination) };
}

/** The stop-and-wait or go-back-N segment under IP protocol `protocolNumber`. */
export function arqDissector(variant: 'stop-and-wait' | 'go-back-n', protocolNumber: number): Dissector {
  return {
    protocol: variant,
    dissect(bytes, context): LayerDissection {
      const { source, destination } = ends(context);
      const seg = parseArqSegment(bytes, source, destination, protocolNumber, { verifyChecksum: false });
      const title = variant === 'go-back-n' ? 'Go-back-N' : 'Stop-and-wait';
      if (isWireError(seg)) {
        return { protocol: variant, title, role: 'transport', headerLength: Math.min(bytes.length, ARQ_HEADER_LENGTH), payloadLength: 0, fields: [], summary: `${title}, ${seg.detail}`, problems: [`${title}: ${seg.detail}`] };
      }
      const checksumValid = context.network === undefined || !isWireError(parseArqSegment(bytes, source, destination, protocolNumber));
      const flags = arqFlagNames(seg.flags);
      const length = seg.payload.length;
      return {
        protocol: variant,
        title,
        role: 'transport',
        headerLength: ARQ_HEADER_LENGTH,
        payloadLength: length,
        fields: [
          byteField('Source port', 0, 2, String(seg.sourcePort)),
          byteField('Destination port', 2, 2, String(seg.destinationPort)),
          byteField('Sequence number', 4, 4, String(seg.seq)),
          byteField('Acknowledgment number', 8, 4, String(seg.ack)),
          byteField('Flags', 12, 1, flags.join(', ') || 'none'),
          byteField('Version', 13, 1, String(bytes[13])),
          byteField('Checksum', 14, 2, `${hexValue((bytes[14]! << 8) | bytes[15]!, 4)} [${checksumValid ? 'correct' : 'WRONG'}]`),
        ],
        summary: `${arqSummary(seg, source, destination)} (${variant})`,
        header: arqHeaderInfo(seg, variant),
        endpoints: { source: `${source}:${seg.sourcePort}`, destination: `${destination}:${seg.destinationPort}` },
        conversation: true,
        identity: `${seg.sourcePort}>${seg.destinationPort} ${seg.seq} ${seg.ack} ${seg.flags} ${length}`,
        label: `${flags.join(',') || 'none'} seq=${seg.seq} ack=${seg.ack} len=${length}`,
        payloadRole: 'application',
        ...(checksumValid ? {} : { problems: [`${title} checksum is wrong`] }),
      };
    },
  };
}

/** A PPP frame as a frame event carries it: address, control, protocol, information, FCS-16 (no flags, not stuffed). */
export const pppDissector: Dissector = {
  protocol: 'ppp',
  dissect(bytes): LayerDissection {
    // The real parser reads a stuffed body between flags: stuff the frame back first.
    const parsed = parsePppFrame(stuffPppFrame(bytes), 65535);
    if (isWireError(parsed)) {
      return { protocol: 'ppp', title: 'PPP', role: 'network-access', headerLength: Math.min(bytes.length, PPP_HEADER_LENGTH), payloadLength: 0, fields: [], summary: `PPP, ${parsed.detail}`, problems: [`PPP: ${parsed.detail}`] };
    }
    const info = parsed.information.length;
    const fcs = (bytes[bytes.length - 1]! << 8) | bytes[bytes.length - 2]!;
    return {
      protocol: 'ppp',
      title: 'PPP',
      role: 'network-access',
      headerLength: PPP_HEADER_LENGTH,
      payloadLength: info,
      trailerLength: PPP_FCS_LENGTH,
      fields: [
        byteField('Address', 0, 1, '0xff (all stations)'),
        byteField('Control', 1, 1, '0x03 (UI)'),
        byteField('Protocol', 2, 2, `${hexValue(parsed.protocol, 4)} (${pppProtocolName(parsed.protocol)})`),
        byteField('FCS-16', PPP_HEADER_LENGTH + info, 2, `${hexValue(fcs, 4)} [correct]`),
      ],
      summary: `PPP ${pppProtocolName(parsed.protocol)}, length ${info}`,
      header: { protocol: 'ppp', address: 0xff, control: 0x03, pppProtocol: parsed.protocol, protocolName: pppProtocolName(parsed.protocol), informationLength: info },
      next: { table: 'ppp.protocol', keys: [parsed.protocol] },
    };
  },
};

/** "10.0.12.1.520 > 224.0.0.9.520: ", as tcpdump prefixes what UDP carries. */
function udpAddressing(context: DissectContext): string {
  const udp = context.outer[context.outer.length - 1]?.header;
  const n = context.network;
  if (udp === undefined || udp.protocol !== 'udp' || n === undefined) return '';
  return `${n.source}.${udp.sourcePort} > ${n.destination}.${udp.destinationPort}: `;
}

/** tcpdump's rip_cmd_values. */
const RIP_COMMANDS: Record<number, string> = { 1: 'Request', 2: 'Response', 3: 'Trace on', 4: 'Trace off', 5: 'Poll', 6: 'Poll Entry' };

/** RIP as tcpdump 4.99 -nn prints it (print-rip.c, not verbose): "RIPv2, Response, length: 44". */
function ripTcpdumpText(bytes: Uint8Array): string {
  if (bytes.length < 4) return ' [|rip]';
  return `RIPv${bytes[1]}, ${RIP_COMMANDS[bytes[0]!] ?? `unknown command (${bytes[0]})`}, length: ${bytes.length}`;
}

export const ripDissector: Dissector = {
  protocol: 'rip',
  dissect(bytes, context): LayerDissection {
    const m = parseRipMessage(bytes);
    if (isWireError(m)) return { protocol: 'rip', title: 'RIPv2', role: 'network', headerLength: bytes.length, payloadLength: 0, fields: [], summary: `RIP, ${m.detail}`, problems: [`RIP: ${m.detail}`], line: () => ripTcpdumpText(bytes) };
    const command = m.command === RipCommand.Request ? 'request' : 'response';
    const fields = [byteField('Command', 0, 1, `${m.command} (${command})`), byteField('Version', 1, 1, String(m.version))];
    m.entries.forEach((e, i) => fields.push(byteField(`Route ${i + 1}`, RIP_HEADER_LENGTH + i * RIP_ENTRY_LENGTH, RIP_ENTRY_LENGTH, `${e.address}/${e.prefixLength} via ${e.nextHop} metric ${e.metric}`)));
    return {
      protocol: 'rip',
      title: 'RIPv2',
      // RIP is the network layer's control plane, carried in UDP.
      role: 'network',
      headerLength: bytes.length,
      payloadLength: 0,
      fields,
      summary: `${udpAddressing(context)}RIPv${m.version}, ${command}, ${m.entries.length} route${m.entries.length === 1 ? '' : 's'}`,
      header: { protocol: 'rip', command, version: m.version, entries: m.entries.length },
      line: () => ripTcpdumpText(bytes),
    };
  },
};

/** Register the swaps' codecs: go-back-N (IP 254), stop-and-wait (IP 253), PPP (link type 'ppp'), RIP (UDP 520). */
export function registerDissectors(table: DissectorTable): void {
  table.register('ip.proto', STOP_AND_WAIT_PROTOCOL, arqDissector('stop-and-wait', STOP_AND_WAIT_PROTOCOL));
  table.register('ip.proto', GO_BACK_N_PROTOCOL, arqDissector('go-back-n', GO_BACK_N_PROTOCOL));
  table.register('link', 'ppp', pppDissector);
  table.register('udp.port', RIP_PORT, ripDissector);
}
