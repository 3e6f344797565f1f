// The link layer's part of a tcpdump 4.99 `-nn` line (print-ether.c, print-arp.c): an
// Ethernet frame (IEEE 802.3 §3.2) prints nothing of its own when its EtherType is decoded,
// and "src > dst, ethertype Unknown (0x88b5), length N: " and a hex dump when it is not;
// ARP (RFC 826) prints "ARP, Request who-has 10.0.0.2 tell 10.0.0.1, length 28", where the
// length is everything the frame carried after its header (padding included), and -v names
// the hardware and protocol types.

import type { LineContext } from '@netlayers/core';

/** tcpdump's ethertype_values (the ones a lab meets). */
const ETHERTYPE_NAMES: Record<number, string> = {
  0x0800: 'IPv4',
  0x0806: 'ARP',
  0x8035: 'Reverse ARP',
  0x86dd: 'IPv6',
  0x8100: '802.1Q',
  0x88a8: '802.1Q-QinQ',
  0x8847: 'MPLS unicast',
  0x8848: 'MPLS multicast',
  0x8863: 'PPPoE D',
  0x8864: 'PPPoE S',
  0x888e: 'EAPOL',
  0x88cc: 'LLDP',
  0x8809: 'Slow Protocols',
  0x9000: 'Loopback',
};

const ARP_OPS: Record<number, string> = {
  1: 'Request',
  2: 'Reply',
  3: 'Reverse Request',
  4: 'Reverse Reply',
  8: 'InArp Request',
  9: 'InArp Reply',
  10: 'NACK Reply',
};

function mac(b: Uint8Array, at: number): string {
  const parts: string[] = [];
  for (let i = 0; i < 6; i++) parts.push(b[at + i]!.toString(16).padStart(2, '0'));
  return parts.join(':');
}

function ip(b: Uint8Array, at: number): string {
  return `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
}

/** tcpdump's hex_and_ascii_print with "\n\t": 16 bytes a line, offset, hex in 16-bit groups, printable ASCII. */
export function tcpdumpHexDump(bytes: Uint8Array): string {
  let out = '';
  for (let offset = 0; offset < bytes.length; offset += 16) {
    const row = bytes.subarray(offset, Math.min(bytes.length, offset + 16));
    let hex = '';
    let ascii = '';
    for (let i = 0; i < row.length; i += 2) {
      hex += i + 1 < row.length ? ` ${row[i]!.toString(16).padStart(2, '0')}${row[i + 1]!.toString(16).padStart(2, '0')}` : ` ${row[i]!.toString(16).padStart(2, '0')}`;
    }
    for (const c of row) ascii += c > 0x20 && c < 0x7f ? String.fromCharCode(c) : '.';
    out += `\n\t0x${offset.toString(16).padStart(4, '0')}: ${hex.padEnd(40)}  ${ascii}`;
  }
  return out;
}

/**
 * Ethernet's part: the inner text when a dissector printed one; otherwise the addresses,
 * the EtherType and a hex dump of the payload, as tcpdump prints a type it does not decode.
 * `frame` is the frame without its FCS.
 */
export function ethernetTcpdumpText(frame: Uint8Array, headerLength: number, etherType: number, context: LineContext): string {
  if (context.inner !== undefined) return context.inner;
  if (frame.length < 14) return ' [|ether]';
  const name = ETHERTYPE_NAMES[etherType] ?? 'Unknown';
  const head = `${mac(frame, 6)} > ${mac(frame, 0)}, ethertype ${name} (0x${etherType.toString(16).padStart(4, '0')}), length ${frame.length}: `;
  return head + tcpdumpHexDump(frame.subarray(headerLength));
}

/** ARP's text, `bytes` from the ARP header to the end of the frame's payload. */
export function arpTcpdumpText(bytes: Uint8Array, context: LineContext): string {
  if (bytes.length < 8) return 'ARP,  [|arp]';
  const hrd = (bytes[0]! << 8) | bytes[1]!;
  const pro = (bytes[2]! << 8) | bytes[3]!;
  const hln = bytes[4]!;
  const pln = bytes[5]!;
  const op = (bytes[6]! << 8) | bytes[7]!;
  if (hrd !== 1 || pro !== 0x0800 || hln !== 6 || pln !== 4 || bytes.length < 28) {
    return `ARP, ${hrd === 1 ? 'Ethernet' : `Unknown Hardware (${hrd})`} (len ${hln}), ${pro === 0x0800 ? 'IPv4' : `Unknown Protocol (0x${pro.toString(16).padStart(4, '0')})`} (len ${pln}), ${ARP_OPS[op] ?? `Unknown (${op})`}, length ${bytes.length}`;
  }
  let out = context.options.verbose ? 'ARP, Ethernet (len 6), IPv4 (len 4), ' : 'ARP, ';
  out += `${ARP_OPS[op] ?? `Unknown (${op})`} `;
  const sha = mac(bytes, 8);
  const spa = ip(bytes, 14);
  const tha = bytes.subarray(18, 24);
  const tpa = ip(bytes, 24);
  switch (op) {
    case 1:
      out += `who-has ${tpa}${tha.some((b) => b !== 0) ? ` (${mac(bytes, 18)})` : ''} tell ${spa}`;
      break;
    case 2:
      out += `${spa} is-at ${sha}`;
      break;
    case 3:
      out += `who-is ${mac(bytes, 18)} tell ${sha}`;
      break;
    case 4:
      out += `${mac(bytes, 18)} at ${tpa}`;
      break;
    default:
      out = out.trimEnd();
  }
  return `${out}, length ${bytes.length}`;
}
