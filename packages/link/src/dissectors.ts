// The link layer's codecs for pictures: Ethernet II with its FCS (IEEE 802.3 §3.2, CRC-32
// residue check) and the 802.1Q tag (802.1Q §9.6), registered as link type 'ethernet' (and
// 'ethernet-nofcs' for captures without the FCS), and ARP (RFC 826) under EtherType 0x0806.
// Each dissector runs this package's own parser (parseEthernetFrame, parseArpPacket) and
// adds what a picture needs: fields with bit offsets, the tcpdump -e line, the next table.

import { EtherType, byteField, crc32, etherTypeName, hexValue, isWireError, type DissectedField, type Dissector, type DissectorTable, type LayerDissection } from '@netlayers/core';
import { ARP_PACKET_LENGTH, ArpOperation, arpHeaderInfo, arpSummary, parseArpPacket } from './arp-packet.ts';
import { arpTcpdumpText, ethernetTcpdumpText } from './tcpdump-line.ts';
import { FCS_LENGTH, ethernetHeaderInfo, ethernetSummary, hasValidFcs, parseEthernetFrame, type EthernetFrame } from './ethernet.ts';

function readFcs(bytes: Uint8Array, at: number): number {
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
}

function ethernetFields(frame: EthernetFrame): DissectedField[] {
  const type = `${hexValue(frame.etherType, 4)} (${etherTypeName(frame.etherType)})`;
  const fields: DissectedField[] = [byteField('Destination', 0, 6, frame.destination.toString()), byteField('Source', 6, 6, frame.source.toString())];
  if (frame.vlan === undefined) return [...fields, byteField('EtherType', 12, 2, type)];
  return [
    ...fields,
    byteField('TPID', 12, 2, '0x8100 (802.1Q)'),
    { name: 'PCP', bitOffset: 14 * 8, bitLength: 3, value: String(frame.vlan.pcp) },
    { name: 'DEI', bitOffset: 14 * 8 + 3, bitLength: 1, value: frame.vlan.dei ? '1' : '0' },
    { name: 'VLAN ID', bitOffset: 14 * 8 + 4, bitLength: 12, value: String(frame.vlan.vid) },
    byteField('EtherType', 16, 2, type),
  ];
}

function ethernetDissector(hasFcs: boolean): Dissector {
  return {
    protocol: 'ethernet',
    dissect(bytes): LayerDissection {
      const problems: string[] = [];
      let parsed = parseEthernetFrame(bytes, { hasFcs });
      let fcsValid = true;
      if (isWireError(parsed) && hasFcs && bytes.length >= FCS_LENGTH) {
        // Read what the frame says even when the FCS is wrong or the frame is a runt.
        fcsValid = hasValidFcs(bytes);
        const body = parseEthernetFrame(bytes.subarray(0, bytes.length - FCS_LENGTH), { hasFcs: false });
        if (!isWireError(body)) parsed = { ...body, fcs: readFcs(bytes, bytes.length - FCS_LENGTH), length: bytes.length };
        else problems.push(`Ethernet: ${parsed.detail}`);
      }
      if (!fcsValid) problems.push('Ethernet FCS does not match the CRC-32 of the frame');
      if (isWireError(parsed)) {
        return { protocol: 'ethernet', title: 'Ethernet II', role: 'link', headerLength: Math.min(14, bytes.length), payloadLength: 0, fields: [], summary: `Ethernet, ${parsed.detail}`, problems: [...problems, `Ethernet: ${parsed.detail}`] };
      }
      const frame = parsed;
      const fields = ethernetFields(frame);
      const trailer = hasFcs ? FCS_LENGTH : 0;
      if (hasFcs) {
        const at = bytes.length - FCS_LENGTH;
        const value = readFcs(bytes, at);
        const ok = fcsValid && crc32(bytes, 0, at) === value;
        fields.push(byteField('FCS', at, 4, `${hexValue(value, 8)} [${ok ? 'correct' : 'WRONG'}]`));
      }
      return {
        protocol: 'ethernet',
        title: frame.vlan === undefined ? 'Ethernet II' : 'Ethernet II + 802.1Q',
        role: 'link',
        headerLength: frame.headerLength,
        payloadLength: frame.payload.length,
        trailerLength: trailer,
        fields,
        summary: ethernetSummary(frame),
        label: `${frame.source} > ${frame.destination}`,
        header: ethernetHeaderInfo(frame),
        endpoints: { source: frame.source.toString(), destination: frame.destination.toString() },
        next: { table: 'ethertype', keys: [frame.etherType] },
        line: (context) => ethernetTcpdumpText(bytes.subarray(0, bytes.length - trailer), frame.headerLength, frame.etherType, context),
        ...(problems.length ? { problems } : {}),
      };
    },
  };
}

export const ethernetDissectorWithFcs: Dissector = ethernetDissector(true);
export const ethernetDissectorWithoutFcs: Dissector = ethernetDissector(false);

export const arpDissector: Dissector = {
  protocol: 'arp',
  dissect(bytes): LayerDissection {
    const parsed = parseArpPacket(bytes);
    if (isWireError(parsed)) {
      return {
        protocol: 'arp',
        title: 'ARP',
        role: 'link',
        headerLength: Math.min(bytes.length, ARP_PACKET_LENGTH),
        payloadLength: 0,
        fields: [],
        summary: `ARP, ${parsed.detail}`,
        problems: [`ARP: ${parsed.detail}`],
        line: (context) => arpTcpdumpText(bytes, context),
      };
    }
    const op = parsed.operation === ArpOperation.Request ? 'request' : 'reply';
    const hw = (bytes[0]! << 8) | bytes[1]!;
    const pro = (bytes[2]! << 8) | bytes[3]!;
    const summary = arpSummary(parsed);
    return {
      protocol: 'arp',
      title: 'ARP',
      role: 'link',
      headerLength: ARP_PACKET_LENGTH,
      payloadLength: 0,
      fields: [
        byteField('Hardware type', 0, 2, `${hw} (Ethernet)`),
        byteField('Protocol type', 2, 2, `${hexValue(pro, 4)} (${etherTypeName(pro)})`),
        byteField('Hardware size', 4, 1, String(bytes[4])),
        byteField('Protocol size', 5, 1, String(bytes[5])),
        byteField('Operation', 6, 2, `${parsed.operation} (${op})`),
        byteField('Sender MAC', 8, 6, parsed.senderHardware.toString()),
        byteField('Sender IP', 14, 4, parsed.senderProtocol.toString()),
        byteField('Target MAC', 18, 6, parsed.targetHardware.toString()),
        byteField('Target IP', 24, 4, parsed.targetProtocol.toString()),
      ],
      summary: `${summary}, length ${ARP_PACKET_LENGTH}`,
      label: summary,
      header: arpHeaderInfo(parsed),
      endpoints: { source: parsed.senderProtocol.toString(), destination: parsed.targetProtocol.toString() },
      identity: summary,
      line: (context) => arpTcpdumpText(bytes, context),
    };
  },
};

/** Register Ethernet II (link types 'ethernet' and 'ethernet-nofcs') and ARP (EtherType 0x0806). */
export function registerDissectors(table: DissectorTable): void {
  table.register('link', 'ethernet', ethernetDissectorWithFcs);
  table.register('link', 'ethernet-nofcs', ethernetDissectorWithoutFcs);
  table.register('ethertype', EtherType.ARP, arpDissector);
}
