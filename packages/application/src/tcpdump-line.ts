// The application protocols' part of a tcpdump 4.99 `-nn` line, from the message bytes as
// tcpdump's printers write them: DNS (RFC 1035 §4.1, EDNS RFC 6891; print-domain.c:
// "12345+ [1au] A? example.com. (29)", "12345* 1/0/1 A 10.0.0.80 (60)", mDNS's "(QM)"),
// BOOTP/DHCP (RFC 951, RFC 2131, options RFC 2132; print-bootp.c: "BOOTP/DHCP, Request from
// 02:00:00:00:0c:01, length 300", -v adds the fields and options). HTTP, FTP and SMTP are
// printed by TCP by port, as tcpdump's tcp_print does (transport's tcpdump-line.ts).

import type { LineContext } from '@netlayers/core';

function u16(b: Uint8Array, at: number): number {
  return (b[at]! << 8) | b[at + 1]!;
}

function u32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}

function ip(b: Uint8Array, at: number): string {
  return `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
}

function mac(b: Uint8Array, at: number): string {
  const parts: string[] = [];
  for (let i = 0; i < 6; i++) parts.push(b[at + i]!.toString(16).padStart(2, '0'));
  return parts.join(':');
}

/** tcpdump's nd_printjn: printable ASCII as is, others as M- and ^ escapes. */
function printable(b: Uint8Array, from: number, to: number): string {
  let out = '';
  for (let i = from; i < to; i++) {
    let c = b[i]!;
    if (c >= 0x80) {
      out += 'M-';
      c &= 0x7f;
    }
    if (c < 0x20 || c === 0x7f) out += `^${String.fromCharCode(c ^ 0x40)}`;
    else out += String.fromCharCode(c);
  }
  return out;
}

// ---------------------------------------------------------------- DNS (print-domain.c)

const DNS_TYPES: Record<number, string> = {
  1: 'A', 2: 'NS', 3: 'MD', 4: 'MF', 5: 'CNAME', 6: 'SOA', 7: 'MB', 8: 'MG', 9: 'MR', 10: 'NULL', 11: 'WKS', 12: 'PTR',
  13: 'HINFO', 14: 'MINFO', 15: 'MX', 16: 'TXT', 17: 'RP', 18: 'AFSDB', 19: 'X25', 20: 'ISDN', 21: 'RT', 22: 'NSAP',
  23: 'NSAP_PTR', 24: 'SIG', 25: 'KEY', 26: 'PX', 27: 'GPOS', 28: 'AAAA', 29: 'LOC', 30: 'NXT', 31: 'EID', 32: 'NIMLOC',
  33: 'SRV', 34: 'ATMA', 35: 'NAPTR', 36: 'KX', 37: 'CERT', 38: 'A6', 39: 'DNAME', 40: 'SINK', 41: 'OPT', 42: 'APL',
  43: 'DS', 44: 'SSHFP', 45: 'IPSECKEY', 46: 'RRSIG', 47: 'NSEC', 48: 'DNSKEY', 99: 'SPF', 100: 'UINFO', 101: 'UID',
  102: 'GID', 103: 'UNSPEC', 104: 'UNSPECA', 249: 'TKEY', 250: 'TSIG', 251: 'IXFR', 252: 'AXFR', 253: 'MAILB', 254: 'MAILA',
  255: 'ANY', 256: 'URI',
};
const DNS_CLASSES: Record<number, string> = { 1: 'IN', 3: 'CHAOS', 4: 'HS', 255: 'ANY' };
const DNS_OPS = ['', ' inv_q', ' stat', ' op3', ' notify', ' update', ' op6', ' op7', ' op8', ' updateA', ' updateD', ' updateDA', ' updateM', ' updateMA', ' zoneInit', ' zoneRef'];
const DNS_RCODES = [
  '', ' FormErr', ' ServFail', ' NXDomain', ' NotImp', ' Refused', ' YXDomain', ' YXRRSet', ' NXRRSet', ' NotAuth', ' NotZone',
  ' Resp11', ' Resp12', ' Resp13', ' Resp14', ' NoChange', ' BadVers',
];

const typeName = (t: number): string => DNS_TYPES[t] ?? `Type${t}`;
const className = (c: number): string => DNS_CLASSES[c] ?? `(Class ${c})`;

/** Past a (possibly compressed) name; -1 when it runs off the message. */
function skipName(b: Uint8Array, at: number): number {
  let p = at;
  while (p < b.length) {
    const l = b[p]!;
    if ((l & 0xc0) === 0xc0) return p + 2 <= b.length ? p + 2 : -1;
    if (l === 0) return p + 1;
    p += l + 1;
  }
  return -1;
}

/** The name at `at` as tcpdump prints it ("www.example.com.", "." for the root); undefined when it is bad. */
function nameAt(b: Uint8Array, at: number): string | undefined {
  let p = at;
  let out = '';
  let jumps = 0;
  while (p < b.length) {
    const l = b[p]!;
    if ((l & 0xc0) === 0xc0) {
      if (p + 1 >= b.length || ++jumps > 64) return undefined;
      p = ((l & 0x3f) << 8) | b[p + 1]!;
      continue;
    }
    if (l === 0) return out === '' ? '.' : out;
    if ((l & 0xc0) !== 0) return undefined;
    if (p + 1 + l > b.length) return undefined;
    out += `${printable(b, p + 1, p + 1 + l)}.`;
    p += l + 1;
  }
  return undefined;
}

/** One question, " A? name." (mDNS adds " (QM)" or " (QU)"); the offset after it, or undefined. */
function question(b: Uint8Array, at: number, mdns: boolean): [string, number] | undefined {
  const end = skipName(b, at);
  if (end < 0 || end + 4 > b.length) return undefined;
  const type = u16(b, end);
  const raw = u16(b, end + 2);
  const cls = mdns ? raw & 0x7fff : raw;
  let out = ` ${typeName(type)}`;
  if (cls !== 1) out += ` ${className(cls)}`;
  if (mdns) out += raw & 0x8000 ? ' (QU)' : ' (QM)';
  const name = nameAt(b, at);
  if (name === undefined) return undefined;
  return [`${out}? ${name}`, end + 4];
}

/** One resource record as ns_rprint prints it (non-verbose: no owner name). */
function record(b: Uint8Array, at: number, mdns: boolean, verbose: boolean): [string, number] | undefined {
  let out = '';
  if (verbose) {
    const owner = nameAt(b, at);
    if (owner === undefined) return undefined;
    out += ` ${owner}`;
  }
  const p = skipName(b, at);
  if (p < 0 || p + 10 > b.length) return undefined;
  const type = u16(b, p);
  const raw = u16(b, p + 2);
  const cls = mdns ? raw & 0x7fff : raw;
  if (cls !== 1 && type !== 41) out += ` ${className(cls)}`;
  if (mdns && raw & 0x8000) out += ' (Cache flush)';
  const optFlags = u16(b, p + 6);
  const len = u16(b, p + 8);
  const d = p + 10;
  const end = d + len;
  out += ` ${typeName(type)}`;
  if (end > b.length) return undefined;
  switch (type) {
    case 1:
      if (len < 4) return undefined;
      out += ` ${ip(b, d)}`;
      break;
    case 2:
    case 5:
    case 12:
    case 39: {
      const n = nameAt(b, d);
      if (n === undefined) return undefined;
      out += ` ${n}`;
      break;
    }
    case 6:
      if (verbose) {
        const mname = nameAt(b, d);
        const afterM = skipName(b, d);
        const rname = afterM < 0 ? undefined : nameAt(b, afterM);
        const afterR = afterM < 0 ? -1 : skipName(b, afterM);
        if (mname === undefined || rname === undefined || afterR < 0 || afterR + 20 > b.length) return undefined;
        out += ` ${mname} ${rname} ${u32(b, afterR)} ${u32(b, afterR + 4)} ${u32(b, afterR + 8)} ${u32(b, afterR + 12)} ${u32(b, afterR + 16)}`;
      }
      break;
    case 15: {
      const n = nameAt(b, d + 2);
      if (n === undefined) return undefined;
      out += ` ${n} ${u16(b, d)}`;
      break;
    }
    case 16: {
      let q = d;
      while (q < end) {
        const l = b[q]!;
        if (q + 1 + l > b.length) return undefined;
        out += ` "${printable(b, q + 1, q + 1 + l)}"`;
        q += 1 + l;
      }
      break;
    }
    case 33: {
      const n = nameAt(b, d + 6);
      if (n === undefined) return undefined;
      out += ` ${n}:${u16(b, d + 4)} ${u16(b, d)} ${u16(b, d + 2)}`;
      break;
    }
    case 28: {
      if (len < 16) return undefined;
      out += ` ${ipv6(b, d)}`;
      break;
    }
    case 41:
      out += ` UDPsize=${cls}`;
      if (optFlags & 0x8000) out += ' DO';
      break;
    default:
      break;
  }
  return [out, end];
}

/** RFC 5952 text of an IPv6 address (longest run of zero groups as "::"). */
function ipv6(b: Uint8Array, at: number): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(u16(b, at + 2 * i));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** A DNS message as tcpdump -nn prints it over UDP; `mdns` for port 5353. */
export function dnsTcpdumpText(b: Uint8Array, context: LineContext, mdns = false): string {
  const length = b.length;
  if (length < 12) return `domain [length ${length} < 12] (invalid)`;
  const verbose = context.options.verbose === true;
  const flags = u16(b, 2);
  const qd = u16(b, 4);
  const an = u16(b, 6);
  const ns = u16(b, 8);
  const ar = u16(b, 10);
  const opcode = (flags >> 11) & 0xf;
  let rcode = flags & 0xf;
  // The OPT record's extended RCODE, as domain_print finds it.
  let p = 12;
  find: {
    for (let i = 0; i < qd; i++) {
      p = skipName(b, p);
      if (p < 0) break find;
      p += 4;
      if (p >= b.length) break find;
    }
    for (let i = 0; i < an + ns; i++) {
      p = skipName(b, p);
      if (p < 0) break find;
      p += 8;
      if (p + 2 > b.length) break find;
      p += 2 + u16(b, p);
      if (p >= b.length) break find;
    }
    for (let i = 0; i < ar; i++) {
      p = skipName(b, p);
      if (p < 0 || p + 2 > b.length) break find;
      const type = u16(b, p);
      p += 4;
      if (p + 1 > b.length) break find;
      if (type === 41) {
        rcode |= b[p]! << 4;
        break find;
      }
      p += 4;
      if (p + 2 > b.length) break find;
      p += 2 + u16(b, p);
      if (p >= b.length) break find;
    }
  }
  const trunc = ' [|domain]';
  let out = '';
  if (flags & 0x8000) {
    out += `${u16(b, 0)}${DNS_OPS[opcode]}${DNS_RCODES[rcode] ?? ` Resp${rcode}`}${flags & 0x0400 ? '*' : ''}${flags & 0x0080 ? '' : '-'}${flags & 0x0200 ? '|' : ''}${flags & 0x0020 ? '$' : ''}`;
    if (qd !== 1) out += ` [${qd}q]`;
    let c = 12;
    for (let i = 0; i < qd; i++) {
      if (i !== 0) out += ',';
      c = skipName(b, c);
      if (c < 0) return out + trunc;
      c += 4;
    }
    out += ` ${an}/${ns}/${ar}`;
    for (let i = 0; i < an; i++) {
      if (i !== 0) out += ',';
      const r = record(b, c, mdns, verbose);
      if (r === undefined) return out + trunc;
      out += r[0];
      c = r[1];
    }
  } else {
    out += `${u16(b, 0)}${DNS_OPS[opcode]}${flags & 0x0100 ? '+' : ''}${flags & 0x0010 ? '%' : ''}`;
    if (flags & 0x6cf) out += ` [b2&3=0x${flags.toString(16)}]`;
    if (opcode === 1) {
      if (qd) out += ` [${qd}q]`;
      if (an !== 1) out += ` [${an}a]`;
    } else {
      if (an) out += ` [${an}a]`;
      if (qd !== 1) out += ` [${qd}q]`;
    }
    if (ns) out += ` [${ns}n]`;
    if (ar) out += ` [${ar}au]`;
    let c = 12;
    let left = qd;
    while (left > 0) {
      const q = question(b, c, mdns);
      if (q === undefined) return out + trunc;
      out += q[0];
      c = q[1];
      left--;
      if (c >= b.length) break;
    }
    if (left > 0) return out + trunc;
  }
  return `${out} (${length})`;
}

// ---------------------------------------------------------------- BOOTP/DHCP (print-bootp.c)

const DHCP_MESSAGES: Record<number, string> = {
  1: 'Discover', 2: 'Offer', 3: 'Request', 4: 'Decline', 5: 'ACK', 6: 'NACK', 7: 'Release', 8: 'Inform',
  9: 'Force Renew', 10: 'Lease Query', 11: 'Lease Unassigned', 12: 'Lease Unknown', 13: 'Lease Active',
};

/** print-bootp.c's tag table for the options a lab meets: name and how the value prints. */
type OptionKind = 'ip' | 'ips' | 'u32' | 'u16' | 'u8' | 'str' | 'bytes' | 'msg' | 'prl' | 'cid';
const DHCP_OPTIONS: Record<number, [string, OptionKind]> = {
  1: ['Subnet-Mask', 'ip'], 2: ['Time-Zone', 'u32'], 3: ['Default-Gateway', 'ips'], 4: ['Time-Server', 'ips'],
  6: ['Domain-Name-Server', 'ips'], 12: ['Hostname', 'str'], 15: ['Domain-Name', 'str'], 26: ['MTU', 'u16'],
  28: ['BR', 'ip'], 42: ['NTP', 'ips'], 50: ['Requested-IP', 'ip'], 51: ['Lease-Time', 'u32'], 53: ['DHCP-Message', 'msg'],
  54: ['Server-ID', 'ip'], 55: ['Parameter-Request', 'prl'], 56: ['MSG', 'str'], 57: ['MSZ', 'u16'], 58: ['RN', 'u32'],
  59: ['RB', 'u32'], 60: ['Vendor-Class', 'str'], 61: ['Client-ID', 'cid'], 44: ['Netbios-Name-Server', 'ips'],
  47: ['Netbios-Scope', 'str'], 81: ['Client-FQDN', 'bytes'], 121: ['Classless-Static-Route', 'bytes'],
};

/** A DHCP/BOOTP message as tcpdump -nn prints it (-v: fields on following lines, options named). */
export function bootpTcpdumpText(b: Uint8Array, context: LineContext): string {
  if (b.length < 1) return 'BOOTP/DHCP,  [|bootp]';
  const op = b[0]!;
  let out = `BOOTP/DHCP, ${op === 1 ? 'Request' : op === 2 ? 'Reply' : `unknown (0x${op.toString(16).padStart(2, '0')})`}`;
  if (b.length < 34) return `${out} [|bootp]`;
  const htype = b[1]!;
  const hlen = b[2]!;
  if (htype === 1 && hlen === 6 && op === 1) out += ` from ${mac(b, 28)}`;
  out += `, length ${b.length}`;
  if (!context.options.verbose) return out;
  if (b.length < 236) return `${out} [|bootp]`;
  if (htype !== 1) out += `, htype ${htype}`;
  if (htype !== 1 || hlen !== 6) out += `, hlen ${hlen}`;
  if (b[3]) out += `, hops ${b[3]}`;
  if (u32(b, 4)) out += `, xid 0x${u32(b, 4).toString(16)}`;
  if (u16(b, 8)) out += `, secs ${u16(b, 8)}`;
  out += `, Flags [${u16(b, 10) & 0x8000 ? 'Broadcast' : 'none'}]`;
  const addr = (at: number, label: string): void => {
    if (u32(b, at)) out += `\n\t  ${label} ${ip(b, at)}`;
  };
  addr(12, 'Client-IP');
  addr(16, 'Your-IP');
  addr(20, 'Server-IP');
  addr(24, 'Gateway-IP');
  if (htype === 1 && hlen === 6) out += `\n\t  Client-Ethernet-Address ${mac(b, 28)}`;
  const cstring = (from: number, size: number): string => {
    let end = from;
    while (end < from + size && b[end] !== 0) end++;
    return printable(b, from, end);
  };
  if (b[44]) out += `\n\t  sname "${cstring(44, 64)}"`;
  if (b[108]) out += `\n\t  file "${cstring(108, 128)}"`;
  if (b.length >= 240 && u32(b, 236) === 0x63825363) {
    out += '\n\t  Vendor-rfc1048 Extensions';
    out += '\n\t    Magic Cookie 0x63825363';
    let p = 240;
    while (p < b.length) {
      const tag = b[p++]!;
      if (tag === 0) continue;
      if (tag === 255) break;
      if (p >= b.length) break;
      const len = b[p++]!;
      const known = DHCP_OPTIONS[tag];
      out += `\n\t    ${known?.[0] ?? 'Unknown'} (${tag}), length ${len}${len > 0 ? ': ' : ''}`;
      const d = b.subarray(p, Math.min(b.length, p + len));
      p += len;
      const kind: OptionKind = known?.[1] ?? 'bytes';
      switch (kind) {
        case 'ip':
        case 'ips': {
          const list: string[] = [];
          for (let i = 0; i + 4 <= d.length; i += 4) list.push(ip(d, i));
          out += list.join(',');
          break;
        }
        case 'u32':
          out += d.length >= 4 ? String(u32(d, 0)) : '';
          break;
        case 'u16':
          out += d.length >= 2 ? String(u16(d, 0)) : '';
          break;
        case 'u8':
          out += String(d[0] ?? '');
          break;
        case 'str':
          out += `"${printable(d, 0, d.length)}"`;
          break;
        case 'msg':
          out += DHCP_MESSAGES[d[0] ?? 0] ?? `Unknown (${d[0]})`;
          break;
        case 'prl': {
          // tcpdump: four "Name (tag)" a line, each line on its own.
          d.forEach((t, i) => {
            out += i % 4 === 0 ? '\n\t      ' : ', ';
            out += `${DHCP_OPTIONS[t]?.[0] ?? 'Unknown'} (${t})`;
          });
          break;
        }
        case 'cid':
          if (d[0] === 1 && d.length === 7) out += `hardware-type 1, ${mac(d, 1)}`;
          else out += Array.from(d, (x) => x.toString(16).padStart(2, '0')).join('');
          break;
        default:
          out += Array.from(d, (x) => x.toString(16).padStart(2, '0')).join('');
      }
    }
  }
  return out;
}
