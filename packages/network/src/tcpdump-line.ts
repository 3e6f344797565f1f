// The IPv4 and ICMP parts of a tcpdump 4.99 `-nn` line, written from the datagram's bytes
// as tcpdump's print-ip.c and print-icmp.c write them: "IP " and, for protocols without
// ports, "src > dst: "; -v adds the RFC 791 §3.1 header fields ("(tos 0x0, ttl 64, id 1,
// offset 0, flags [DF], proto TCP (6), length 60)"); a fragment after the first prints
// "ip-proto-N"; a short capture prints "truncated-ip - N bytes missing!", a total length
// below the header "bad-len N". ICMP (RFC 792) is worded as print-icmp.c words it ("echo
// request, id 1, seq 1", "10.0.0.9 udp port 53 unreachable"), with "length N" the ICMP bytes.

import { internetChecksum, type LineContext } from '@netlayers/core';

/** tcpdump's ipproto_values, for -v. */
const PROTO_NAMES: Record<number, string> = {
  0: 'Options',
  1: 'ICMP',
  2: 'IGMP',
  4: 'IPIP',
  6: 'TCP',
  8: 'EGP',
  9: 'IGRP',
  17: 'UDP',
  41: 'IPv6',
  46: 'RSVP',
  47: 'GRE',
  50: 'ESP',
  51: 'AH',
  58: 'ICMPv6',
  88: 'EIGRP',
  89: 'OSPF',
  103: 'PIM',
  112: 'VRRP',
  132: 'SCTP',
};

function u16(b: Uint8Array, at: number): number {
  return (b[at]! << 8) | b[at + 1]!;
}

function address(b: Uint8Array, at: number): string {
  return `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
}

/** tcpdump's in_cksum_shouldbe. */
function shouldBe(value: number, computed: number): number {
  let s = value + computed;
  s = (s & 0xffff) + (s >>> 16);
  s = (s & 0xffff) + (s >>> 16);
  return s;
}

/** "(tos 0x0, ttl 64, id 1, offset 0, flags [DF], proto TCP (6), length 60)" of -v. */
function verboseHeader(b: Uint8Array, hlen: number): string {
  const tos = b[1]!;
  const ecn = ['', ',ECT(1)', ',ECT(0)', ',CE'][tos & 3]!;
  const ttl = b[8]!;
  const off = u16(b, 6);
  const flags = [off & 0x2000 ? '+' : '', off & 0x4000 ? 'DF' : '', off & 0x8000 ? 'rsvd' : ''].filter(Boolean).join(', ') || 'none';
  const proto = b[9]!;
  let out = `(tos 0x${tos.toString(16)}${ecn}${ttl >= 1 ? `, ttl ${ttl}` : ''}, id ${u16(b, 4)}, offset ${(off & 0x1fff) * 8}, flags [${flags}], proto ${PROTO_NAMES[proto] ?? 'unknown'} (${proto}), length ${u16(b, 2)}`;
  if (hlen > 20) out += `, options (${hlen - 20} bytes)`;
  const sum = internetChecksum(b, 0, hlen);
  if (sum !== 0) out += `, bad cksum ${u16(b, 10).toString(16)} (->${shouldBe(u16(b, 10), sum).toString(16)})!`;
  return `${out})\n    `;
}

/**
 * IPv4's part of a tcpdump line, `bytes` from the IP header to the end of what the link
 * carried. `context.inner` is the text of the payload's printer (TCP and UDP print the
 * addresses with their ports themselves).
 */
export function ipv4TcpdumpText(bytes: Uint8Array, context: LineContext): string {
  if (bytes.length < 20) return 'IP  [|ip]';
  const version = bytes[0]! >> 4;
  if (version !== 4) return `IP${version} (invalid)`;
  const hlen = (bytes[0]! & 0x0f) * 4;
  if (hlen < 20) return `IP bad-hlen ${hlen} (invalid)`;
  const len = u16(bytes, 2);
  let out = 'IP ';
  if (len > bytes.length) out += `truncated-ip - ${len - bytes.length} bytes missing! `;
  if (len < hlen) return `IP bad-len ${len}`;
  if (context.options.verbose) out += verboseHeader(bytes, hlen);
  const src = address(bytes, 12);
  const dst = address(bytes, 16);
  const proto = bytes[9]!;
  const offset = u16(bytes, 6) & 0x1fff;
  if (offset !== 0) return `${out}${src} > ${dst}: ip-proto-${proto}`;
  // TCP, UDP (and SCTP, DCCP) print the addresses with their ports; so does a transport
  // that names a conversation, and a protocol without a tcpdump printer gives its whole summary.
  const inner = context.innerLayer;
  const ported = proto === 6 || proto === 17 || proto === 132 || proto === 33 || inner?.conversation === true || (inner !== undefined && inner.line === undefined);
  if (context.inner !== undefined) return ported ? `${out}${context.inner}` : `${out}${src} > ${dst}: ${context.inner}`;
  if (len > bytes.length) {
    // A transport header cut short by the capture, worded as tcpdump's tcp_print and
    // udp_print word it: the ports once both are captured, then "[|tcp]" or "[|udp]".
    const cut = bytes.length - hlen;
    const ports = cut >= 4 ? `${src}.${u16(bytes, hlen)} > ${dst}.${u16(bytes, hlen + 2)}:` : `${src} > ${dst}:`;
    if (proto === 6 && cut < 20) return `${out}${cut >= 4 ? `${ports} ` : ports} [|tcp]`;
    if (proto === 17 && cut < 8) return `${out}${cut >= 4 ? ports : `${src} > ${dst}:`}  [|udp]`;
  }
  return `${out}${src} > ${dst}:  ip-proto-${proto} ${Math.min(len, bytes.length) - hlen}`;
}

const UNREACH: Record<number, string> = {
  0: 'net %s unreachable',
  1: 'host %s unreachable',
  5: '%s unreachable - source route failed',
  6: 'net %s unreachable - unknown',
  7: 'host %s unreachable - unknown',
  8: '%s unreachable - source host isolated',
  9: 'net %s unreachable - admin prohibited',
  10: 'host %s unreachable - admin prohibited',
  11: 'net %s unreachable - tos prohibited',
  12: 'host %s unreachable - tos prohibited',
  13: 'host %s unreachable - admin prohibited filter',
  14: 'host %s unreachable - host precedence violation',
  15: 'host %s unreachable - precedence cutoff',
};

const REDIRECT: Record<number, string> = {
  0: 'redirect %s to net %s',
  1: 'redirect %s to host %s',
  2: 'redirect-tos %s to net %s',
  3: 'redirect-tos %s to host %s',
};

const ICMP_NAMES: Record<number, string> = {
  0: 'echo reply',
  4: 'source quench',
  8: 'echo request',
  10: 'router solicitation',
  13: 'time stamp request',
  14: 'time stamp reply',
  15: 'information request',
  16: 'information reply',
  17: 'address mask request',
};

/** The words of print-icmp.c for one message; undefined when the bytes run out ("[|icmp]"). */
function icmpWords(b: Uint8Array): string | undefined {
  const type = b[0]!;
  const code = b[1]!;
  const quoted = 8;
  switch (type) {
    case 0:
    case 8:
      if (b.length < 8) return undefined;
      return `echo ${type === 8 ? 'request' : 'reply'}, id ${u16(b, 4)}, seq ${u16(b, 6)}`;
    case 3: {
      if (b.length < quoted + 20) return undefined;
      const dst = address(b, quoted + 16);
      if (code === 2) return `${dst} protocol ${b[quoted + 9]} unreachable`;
      if (code === 3) {
        const ohlen = (b[quoted]! & 0x0f) * 4;
        if (b.length < quoted + ohlen + 4) return undefined;
        const dport = u16(b, quoted + ohlen + 2);
        const p = b[quoted + 9]!;
        if (p === 6) return `${dst} tcp port ${dport} unreachable`;
        if (p === 17) return `${dst} udp port ${dport} unreachable`;
        return `${dst} protocol ${p} port ${dport} unreachable`;
      }
      if (code === 4) {
        const mtu = u16(b, 6);
        return mtu ? `${dst} unreachable - need to frag (mtu ${mtu})` : `${dst} unreachable - need to frag`;
      }
      return (UNREACH[code] ?? `#${code} %s unreachable`).replace('%s', dst);
    }
    case 5:
      if (b.length < quoted + 20) return undefined;
      return (REDIRECT[code] ?? `redirect-#${code} %s to net %s`).replace('%s', address(b, quoted + 16)).replace('%s', address(b, 4));
    case 11:
      if (b.length < quoted + 20) return undefined;
      if (code === 0) return 'time exceeded in-transit';
      if (code === 1) return 'ip reassembly time exceeded';
      return `time exceeded-#${code}`;
    case 12:
      return code ? `parameter problem - code ${code}` : `parameter problem - octet ${b[4]}`;
    default:
      return ICMP_NAMES[type] ?? `type-#${type}`;
  }
}

/**
 * ICMP's part: "ICMP echo request, id 1, seq 1, length 64". `fragmented`: the datagram is a
 * fragment, whose checksum tcpdump -v does not check.
 */
export function icmpTcpdumpText(bytes: Uint8Array, context: LineContext, fragmented: boolean): string {
  if (bytes.length < 4) return ' [|icmp]';
  const words = icmpWords(bytes);
  if (words === undefined) return ' [|icmp]';
  let out = `ICMP ${words}, length ${bytes.length}`;
  if (context.options.verbose && !fragmented) {
    const sum = internetChecksum(bytes);
    if (sum !== 0) out += ` (wrong icmp cksum ${u16(bytes, 2).toString(16)} (->${shouldBe(u16(bytes, 2), sum).toString(16)})!)`;
  }
  // -v: an error's quoted datagram, printed as IP on a row of its own (print-icmp.c).
  const type = bytes[0]!;
  if (context.options.verbose && (type === 3 || type === 4 || type === 5 || type === 11 || type === 12) && bytes.length > 8 && context.nested !== undefined) {
    const quoted = context.nested(bytes.subarray(8), 'ethertype', 0x0800);
    if (quoted !== undefined) out += `\n\t${quoted}`;
  }
  return out;
}
