// The transport half of the dissector: TCP (RFC 9293 §3.1, options from RFC 7323 and
// RFC 2018), UDP (RFC 768) and ICMP (RFC 792), each checksum verified the way a receiver
// verifies it (TCP and UDP over the IPv4 pseudo-header). Never throws.

import { onesComplementSum, finishChecksum, pseudoHeaderSum, type Role } from '@netlayers/core';
import { hex } from './format.ts';
import {
  byteField,
  u16,
  u32,
  type DissectedField,
  type DissectionBuilder,
  type Ipv4Summary,
  type TcpOptionSummary,
} from './dissect-types.ts';

/** RFC 9293 §3.1 control bits, most significant first. */
export const TCP_FLAG_NAMES = ['CWR', 'ECE', 'URG', 'ACK', 'PSH', 'RST', 'SYN', 'FIN'] as const;

function transportChecksumValid(b: Uint8Array, start: number, end: number, ip: Ipv4Summary): boolean {
  const src = ipValue(ip.source);
  const dst = ipValue(ip.destination);
  const sum = onesComplementSum(b, start, end, pseudoHeaderSum(src, dst, ip.protocol, end - start));
  return finishChecksum(sum) === 0;
}

function ipValue(text: string): number {
  return text.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

export function dissectTransport(b: Uint8Array, o: number, end: number, ip: Ipv4Summary, out: DissectionBuilder): void {
  if (ip.protocol === 6) dissectTcp(b, o, end, ip, out);
  else if (ip.protocol === 17) dissectUdp(b, o, end, ip, out);
  else if (ip.protocol === 1) dissectIcmp(b, o, end, out);
}

function payloadAt(offset: number, length: number, role: Role): DissectionBuilder['payload'] {
  return { offset, length: Math.max(0, length), role };
}

function dissectTcp(b: Uint8Array, o: number, end: number, ip: Ipv4Summary, out: DissectionBuilder): void {
  if (end - o < 20) {
    out.problems.push(`TCP header truncated: ${end - o} of 20 bytes`);
    return;
  }
  const dataOffset = b[o + 12]! >> 4;
  const headerLength = dataOffset * 4;
  if (dataOffset < 5 || o + headerLength > end) {
    out.problems.push(`TCP data offset ${dataOffset} is invalid for ${end - o} bytes`);
    return;
  }
  const flagBits = b[o + 13]!;
  const flags = TCP_FLAG_NAMES.filter((_, i) => (flagBits & (0x80 >> i)) !== 0);
  const checksumValid = transportChecksumValid(b, o, end, ip);
  if (!checksumValid) out.problems.push('TCP checksum is wrong');
  const bit = o * 8;
  const fields: DissectedField[] = [
    byteField('Source port', o, 2, String(u16(b, o))),
    byteField('Destination port', o + 2, 2, String(u16(b, o + 2))),
    byteField('Sequence number', o + 4, 4, String(u32(b, o + 4))),
    byteField('Acknowledgment number', o + 8, 4, String(u32(b, o + 8))),
    { name: 'Data offset', bitOffset: bit + 96, bitLength: 4, value: `${dataOffset} (${headerLength} bytes)` },
    { name: 'Reserved', bitOffset: bit + 100, bitLength: 4, value: String(b[o + 12]! & 0x0f) },
    { name: 'Control bits', bitOffset: bit + 104, bitLength: 8, value: flags.length ? flags.join(', ') : 'none' },
    byteField('Window', o + 14, 2, String(u16(b, o + 14))),
    byteField('Checksum', o + 16, 2, `${hex(u16(b, o + 16), 4)} [${checksumValid ? 'correct' : 'WRONG'}]`),
    byteField('Urgent pointer', o + 18, 2, String(u16(b, o + 18))),
  ];
  const options = parseTcpOptions(b, o + 20, o + headerLength, out);
  if (headerLength > 20) fields.push(byteField('Options', o + 20, headerLength - 20, formatTcpOptions(options) || `${headerLength - 20} bytes`));
  out.headers.push({ protocol: 'tcp', title: 'TCP', role: 'transport', offset: o, length: headerLength, fields });
  out.tcp = {
    sourcePort: u16(b, o),
    destinationPort: u16(b, o + 2),
    seq: u32(b, o + 4),
    ack: u32(b, o + 8),
    flags,
    window: u16(b, o + 14),
    headerLength,
    payloadLength: end - o - headerLength,
    urgentPointer: u16(b, o + 18),
    options,
    checksumValid,
  };
  out.payload = payloadAt(o + headerLength, end - o - headerLength, 'application');
}

function parseTcpOptions(b: Uint8Array, start: number, end: number, out: DissectionBuilder): TcpOptionSummary[] {
  const options: TcpOptionSummary[] = [];
  let i = start;
  while (i < end) {
    const kind = b[i]!;
    if (kind === 0) {
      options.push({ kind: 'eol' });
      break;
    }
    if (kind === 1) {
      options.push({ kind: 'nop' });
      i++;
      continue;
    }
    const length = i + 1 < end ? b[i + 1]! : 0;
    if (length < 2 || i + length > end) {
      out.problems.push(`TCP option ${kind} has a bad length ${length}`);
      break;
    }
    if (kind === 2 && length === 4) options.push({ kind: 'mss', value: u16(b, i + 2) });
    else if (kind === 3 && length === 3) options.push({ kind: 'wscale', value: b[i + 2]! });
    else if (kind === 4 && length === 2) options.push({ kind: 'sackOK' });
    else if (kind === 8 && length === 10) options.push({ kind: 'timestamp', value: u32(b, i + 2), echo: u32(b, i + 6) });
    else if (kind === 5 && (length - 2) % 8 === 0) {
      const blocks: [number, number][] = [];
      for (let j = i + 2; j < i + length; j += 8) blocks.push([u32(b, j), u32(b, j + 4)]);
      options.push({ kind: 'sack', blocks });
    } else options.push({ kind: 'unknown', code: kind, length });
    i += length;
  }
  return options;
}

/** tcpdump's spelling of an option list: "mss 1460,nop,wscale 7,sackOK,TS val 1 ecr 0". */
export function formatTcpOptions(options: readonly TcpOptionSummary[]): string {
  return options
    .map((opt) => {
      switch (opt.kind) {
        case 'mss': return `mss ${opt.value}`;
        case 'wscale': return `wscale ${opt.value}`;
        case 'sackOK': return 'sackOK';
        case 'timestamp': return `TS val ${opt.value} ecr ${opt.echo}`;
        case 'sack': return `sack ${opt.blocks.length} ${opt.blocks.map(([l, r]) => `{${l}:${r}}`).join('')}`;
        case 'nop': return 'nop';
        case 'eol': return 'eol';
        case 'unknown': return `opt-${opt.code}:${opt.length}`;
      }
      return '';
    })
    .join(',');
}

function dissectUdp(b: Uint8Array, o: number, end: number, ip: Ipv4Summary, out: DissectionBuilder): void {
  if (end - o < 8) {
    out.problems.push(`UDP header truncated: ${end - o} of 8 bytes`);
    return;
  }
  const length = u16(b, o + 4);
  const checksum = u16(b, o + 6);
  const udpEnd = length >= 8 && o + length <= end ? o + length : end;
  if (length < 8 || o + length > end) out.problems.push(`UDP length ${length} does not fit the ${end - o} bytes carried`);
  const checksumValid = checksum === 0 || transportChecksumValid(b, o, udpEnd, ip);
  if (!checksumValid) out.problems.push('UDP checksum is wrong');
  out.headers.push({
    protocol: 'udp',
    title: 'UDP',
    role: 'transport',
    offset: o,
    length: 8,
    fields: [
      byteField('Source port', o, 2, String(u16(b, o))),
      byteField('Destination port', o + 2, 2, String(u16(b, o + 2))),
      byteField('Length', o + 4, 2, String(length)),
      byteField('Checksum', o + 6, 2, checksum === 0 ? '0x0000 [none]' : `${hex(checksum, 4)} [${checksumValid ? 'correct' : 'WRONG'}]`),
    ],
  });
  out.udp = { sourcePort: u16(b, o), destinationPort: u16(b, o + 2), length, payloadLength: udpEnd - o - 8, checksumValid };
  out.payload = payloadAt(o + 8, udpEnd - o - 8, 'application');
}

const ICMP_TYPE_NAMES: Record<number, string> = {
  0: 'echo reply',
  3: 'destination unreachable',
  4: 'source quench',
  5: 'redirect',
  8: 'echo request',
  11: 'time exceeded',
  12: 'parameter problem',
};

export function icmpTypeName(type: number): string {
  return ICMP_TYPE_NAMES[type] ?? `type ${type}`;
}

function dissectIcmp(b: Uint8Array, o: number, end: number, out: DissectionBuilder): void {
  if (end - o < 8) {
    out.problems.push(`ICMP message truncated: ${end - o} of 8 bytes`);
    return;
  }
  const type = b[o]!;
  const code = b[o + 1]!;
  const checksum = u16(b, o + 2);
  const checksumValid = finishChecksum(onesComplementSum(b, o, end)) === 0;
  if (!checksumValid) out.problems.push('ICMP checksum is wrong');
  const echo = type === 0 || type === 8;
  const fields: DissectedField[] = [
    byteField('Type', o, 1, `${type} (${icmpTypeName(type)})`),
    byteField('Code', o + 1, 1, String(code)),
    byteField('Checksum', o + 2, 2, `${hex(checksum, 4)} [${checksumValid ? 'correct' : 'WRONG'}]`),
  ];
  if (echo) {
    fields.push(byteField('Identifier', o + 4, 2, String(u16(b, o + 4))));
    fields.push(byteField('Sequence number', o + 6, 2, String(u16(b, o + 6))));
  } else {
    fields.push(byteField('Rest of header', o + 4, 4, hex(u32(b, o + 4), 8)));
  }
  out.headers.push({ protocol: 'icmp', title: 'ICMP', role: 'network', offset: o, length: 8, fields });
  out.icmp = {
    type,
    code,
    ...(echo ? { identifier: u16(b, o + 4), sequence: u16(b, o + 6) } : {}),
    length: end - o,
    checksumValid,
  };
  out.payload = payloadAt(o + 8, end - o - 8, echo ? 'network' : 'network');
}
