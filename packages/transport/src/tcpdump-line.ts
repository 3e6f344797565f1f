// The TCP and UDP parts of a tcpdump 4.99 `-nn` line, written from the segment's bytes as
// tcpdump's print-tcp.c and print-udp.c write them: flags as letters (RFC 9293 §3.1 control
// bits), sequence numbers relative to each connection's first ones unless -S (tcpdump's
// tcp_seq_hash: the first segment with ACK set, or any SYN-ACK, gives the base; a pure ACK
// omits seq), options in wire order under tcpdump's names (RFC 9293 §3.2 mss, RFC 7323
// wscale and TS, RFC 2018 sackOK and sack, RFC 8684 mptcp, RFC 7413 tfo, unknown-N), and
// "length N". Text protocols are printed the way tcp_print dispatches by port to
// txtproto_print (FTP 21, SMTP 25, HTTP 80 and 8080: "HTTP: GET / HTTP/1.1", RFC 9112 §3);
// UDP hands its whole body to the application's text (DNS, BOOTP/DHCP).

import type { LineContext } from '@netlayers/core';

const FLAG_LETTERS: readonly [number, string][] = [
  [0x01, 'F'],
  [0x02, 'S'],
  [0x04, 'R'],
  [0x08, 'P'],
  [0x10, '.'],
  [0x20, 'U'],
  [0x40, 'E'],
  [0x80, 'W'],
];

const SYN = 0x02;
const FIN = 0x01;
const RST = 0x04;
const ACK = 0x10;
const URG = 0x20;

/** tcpdump's tcp_option_values. */
const OPTION_NAMES: Record<number, string> = {
  0: 'eol',
  1: 'nop',
  2: 'mss',
  3: 'wscale',
  4: 'sackOK',
  5: 'sack',
  6: 'echo',
  7: 'echoreply',
  8: 'TS',
  11: 'cc',
  12: 'ccnew',
  13: '',
  19: 'md5',
  20: 'scps',
  28: 'uto',
  29: 'tcp-ao',
  30: 'mptcp',
  34: 'tfo',
  254: 'exp',
};

/**
 * TCP ports whose payload tcpdump prints as a text protocol (print-tcp.c dispatches by port
 * to txtproto_print): the name it prints, the request words that mark a first line (none:
 * every segment's first line is printed), and whether a response code is the second token.
 */
const HTTP_COMMANDS = ['OPTIONS', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'TRACE', 'CONNECT', 'PROPFIND', 'PROPPATCH', 'MKCOL', 'COPY', 'MOVE', 'LOCK', 'UNLOCK', 'ORDERPATCH', 'ACL'];
const TEXT_PORTS = new Map<number, { name: string; commands?: readonly string[]; responseSecond: boolean }>([
  [21, { name: 'FTP', responseSecond: false }],
  [25, { name: 'SMTP', responseSecond: false }],
  [80, { name: 'HTTP', commands: HTTP_COMMANDS, responseSecond: true }],
  [8080, { name: 'HTTP', commands: HTTP_COMMANDS, responseSecond: true }],
]);

/** What TCP keeps per connection in the line state: tcpdump's tcp_seq_hash entry. */
interface SeqBase {
  seq: number;
  ack: number;
}

const STATE_KEY = 'tcp.seq';

function u16(b: Uint8Array, at: number): number {
  return (b[at]! << 8) | b[at + 1]!;
}

function u32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}

function u64(b: Uint8Array, at: number): bigint {
  return (BigInt(u32(b, at)) << 32n) | BigInt(u32(b, at + 4));
}

function hex(b: Uint8Array, from: number, to: number): string {
  let out = '';
  for (let i = from; i < to; i++) out += b[i]!.toString(16).padStart(2, '0');
  return out;
}

function ipKey(address: string): number[] {
  return address.split('.').map(Number);
}

function compareAddresses(a: string, b: string): number {
  const x = ipKey(a);
  const y = ipKey(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** tcpdump's flag letters ("S.", "P.", "none"). */
export function tcpdumpFlagLetters(flags: number): string {
  let text = '';
  for (const [bit, letter] of FLAG_LETTERS) if (flags & bit) text += letter;
  return text === '' ? 'none' : text;
}

/** RFC 8684 MPTCP option text after "mptcp": " 12 capable v1 {0x..}"; undefined where tcpdump says "[bad opt]". */
function mptcpText(b: Uint8Array, at: number, len: number, flags: number): string | undefined {
  if (len < 3) return undefined;
  const names = ['capable', 'join', 'dss', 'add-addr', 'rem-addr', 'prio', 'fail', 'fast-close', 'tcprst', 'unknown'];
  const subtype = Math.min(b[at + 2]! >> 4, 9);
  let out = ` ${len} ${names[subtype]}`;
  if (subtype === 0) {
    if (!(((len === 12 || len === 4) && flags & SYN) || ((len === 20 || len === 22) && (flags & (SYN | ACK)) === ACK))) return undefined;
    const version = b[at + 2]! & 0x0f;
    if (version > 1) return `${out} Unknown Version (${version})`;
    out += ` v${version}`;
    if (b[at + 3]! & 0x80) out += ' csum';
    if (len === 12 || len >= 20) {
      out += ` {0x${u64(b, at + 4).toString(16)}`;
      if (len >= 20) out += `,0x${u64(b, at + 12).toString(16)}`;
      out += '}';
    }
    return out;
  }
  if (subtype === 2) {
    if (len < 4 || flags & SYN) return undefined;
    const f = b[at + 3]!;
    let p = at + 4;
    let rest = len - 4;
    if (f & 0x10) out += ' fin';
    if (f & 0x01) {
      const wide = (f & 0x02) !== 0;
      if (rest < (wide ? 8 : 4)) return undefined;
      out += ` ack ${wide ? u64(b, p).toString() : u32(b, p)}`;
      p += wide ? 8 : 4;
      rest -= wide ? 8 : 4;
    }
    if (f & 0x04) {
      const wide = (f & 0x08) !== 0;
      if (rest < (wide ? 8 : 4)) return undefined;
      out += ` seq ${wide ? u64(b, p).toString() : u32(b, p)}`;
      p += wide ? 8 : 4;
      rest -= wide ? 8 : 4;
      if (rest < 4) return undefined;
      out += ` subseq ${u32(b, p)}`;
      p += 4;
      rest -= 4;
      if (rest < 2) return undefined;
      out += ` len ${u16(b, p)}`;
      p += 2;
      rest -= 2;
      if (rest >= 2) {
        out += ` csum 0x${u16(b, p).toString(16)}`;
        rest -= 2;
      }
    }
    return rest === 0 ? out : undefined;
  }
  // Other subtypes: tcpdump decodes their fields; netlayers names the subtype only.
  return out;
}

/** RFC 7413 Fast Open option text (tcpdump's print_tcp_fastopen_option). */
function fastOpenText(b: Uint8Array, at: number, datalen: number): string {
  if (datalen === 0) return ' cookiereq';
  if (datalen % 2 !== 0 || datalen < 4 || datalen > 16) return ' (invalid)';
  return ` cookie ${hex(b, at, at + datalen)}`;
}

/** ", options [...]" of a TCP header, or "" when it has none. `rev`/bases for SACK blocks as tcpdump relativizes them. */
function optionsText(b: Uint8Array, headerLength: number, flags: number, sackBase: number): string {
  if (headerLength <= 20) return '';
  let out = ', options [';
  let p = 20;
  let hlen = headerLength - 20;
  let ch = '';
  // tcpdump's "bad:" label: the closing bracket only once an option was printed whole.
  const bad = (): string => `${out}[bad opt]${ch === '' ? '' : ']'}`;
  while (hlen > 0) {
    out += ch;
    const opt = b[p]!;
    p++;
    let len: number;
    if (opt === 0 || opt === 1) {
      len = 1;
    } else {
      if (hlen < 2) return bad();
      len = b[p]!;
      p++;
      if (len < 2 || len > hlen) return bad();
      hlen--;
    }
    hlen--;
    let datalen = 0;
    out += OPTION_NAMES[opt] ?? `unknown-${opt}`;
    const check = (n: number): boolean => n <= hlen;
    switch (opt) {
      case 2:
        datalen = 2;
        if (!check(datalen)) return bad();
        out += ` ${u16(b, p)}`;
        break;
      case 3:
        datalen = 1;
        if (!check(datalen)) return bad();
        out += ` ${b[p]}`;
        break;
      case 5:
        datalen = len - 2;
        if (datalen % 8 !== 0) out += ' invalid sack';
        else {
          out += ` ${datalen / 8} `;
          for (let i = 0; i < datalen; i += 8) {
            const s = (u32(b, p + i) - sackBase) >>> 0;
            const e = (u32(b, p + i + 4) - sackBase) >>> 0;
            out += `{${s}:${e}}`;
          }
        }
        break;
      case 11:
      case 12:
      case 13:
        datalen = 4;
        if (!check(datalen)) return bad();
        out += ` ${u32(b, p)}`;
        break;
      case 8:
        datalen = 8;
        if (!check(datalen)) return bad();
        out += ` val ${u32(b, p)} ecr ${u32(b, p + 4)}`;
        break;
      case 28: {
        datalen = 2;
        if (!check(datalen)) return bad();
        let uto = u16(b, p);
        out += ` 0x${uto.toString(16)}`;
        uto = uto & 1 ? (uto >> 1) * 60 : uto >> 1;
        out += ` ${uto}`;
        break;
      }
      case 30: {
        datalen = len - 2;
        const text = mptcpText(b, p - 2, len, flags);
        if (text === undefined) return bad();
        out += text;
        break;
      }
      case 34:
        datalen = len - 2;
        out += ` ${fastOpenText(b, p, datalen)}`;
        break;
      case 254: {
        datalen = len - 2;
        if (datalen < 2) return bad();
        const magic = u16(b, p);
        out += '-';
        out += magic === 0xf989 ? `tfo${fastOpenText(b, p + 2, datalen - 2)}` : magic.toString(16).padStart(4, '0');
        break;
      }
      default:
        datalen = opt === 0 || opt === 1 ? 0 : len - 2;
        if (datalen > 0) out += ` 0x${hex(b, p, p + datalen)}`;
    }
    p += datalen;
    hlen -= datalen;
    const seen = datalen + (opt === 0 || opt === 1 ? 1 : 2);
    if (seen !== len) out += `[len ${len}]`;
    ch = ',';
    if (opt === 0) break;
  }
  return `${out}]`;
}

/** A checksum as found (`value`) and the Internet checksum computed over it (0 when it is right); absent for a fragment. */
export interface ChecksumCheck {
  readonly value: number;
  readonly computed: number;
}

/** tcpdump's in_cksum_shouldbe: the value the field should hold. */
function shouldBe(c: ChecksumCheck): number {
  let s = c.value + c.computed;
  s = (s & 0xffff) + (s >>> 16);
  s = (s & 0xffff) + (s >>> 16);
  return s;
}

/** The number relative to a base, modulo 2^32. */
function rel(value: number, base: number): number {
  return (value - base) >>> 0;
}

/**
 * TCP's part of a tcpdump line: "10.0.0.1.49152 > 10.0.0.2.80: Flags [S], seq 1, win 65535,
 * options [mss 1460], length 0" (and ": HTTP: GET / HTTP/1.1" on ports 80 and 8080).
 * `bytes` runs from the TCP header to the end of the IP payload.
 */
export function tcpTcpdumpText(bytes: Uint8Array, source: string, destination: string, context: LineContext, checksum?: ChecksumCheck): string {
  if (bytes.length < 4) return `${source} > ${destination}:  [|tcp]`;
  const sport = u16(bytes, 0);
  const dport = u16(bytes, 2);
  const head = `${source}.${sport} > ${destination}.${dport}: `;
  if (bytes.length < 20) return `${head} [|tcp]`;
  const hlen = (bytes[12]! >> 4) * 4;
  if (hlen < 20) return `${head} tcp ${bytes.length} [bad hdr length ${hlen} - too short, < 20]`;
  let seq = u32(bytes, 4);
  let ack = u32(bytes, 8);
  const flags = bytes[13]!;
  const win = u16(bytes, 14);
  const urp = u16(bytes, 18);
  let sackBase = 0;
  if (!context.options.absoluteSequence && flags & ACK) {
    let table = context.state.get(STATE_KEY) as Map<string, SeqBase> | undefined;
    if (table === undefined) context.state.set(STATE_KEY, (table = new Map()));
    let rev = false;
    if (sport > dport) rev = true;
    else if (sport === dport && compareAddresses(source, destination) > 0) rev = true;
    const key = rev ? `${destination}.${dport}-${source}.${sport}` : `${source}.${sport}-${destination}.${dport}`;
    const found = table.get(key);
    let base: SeqBase;
    if (found === undefined || flags & SYN) {
      base = rev ? { ack: seq, seq: (ack - 1) >>> 0 } : { seq, ack: (ack - 1) >>> 0 };
      table.set(key, base);
    } else {
      base = found;
      if (rev) {
        seq = rel(seq, base.ack);
        ack = rel(ack, base.seq);
      } else {
        seq = rel(seq, base.seq);
        ack = rel(ack, base.ack);
      }
    }
    sackBase = rev ? base.seq : base.ack;
  }
  let out = `${head}Flags [${tcpdumpFlagLetters(flags)}]`;
  if (hlen > bytes.length) return `${out} [bad hdr length ${hlen} - too long, > ${bytes.length}]`;
  const length = bytes.length - hlen;
  if (context.options.verbose && checksum !== undefined) {
    out += `, cksum 0x${checksum.value.toString(16).padStart(4, '0')} (${checksum.computed === 0 ? 'correct' : `incorrect -> 0x${shouldBe(checksum).toString(16).padStart(4, '0')}`})`;
  }
  if (length > 0 || flags & (SYN | FIN | RST)) {
    out += `, seq ${seq}`;
    if (length > 0) out += `:${(seq + length) >>> 0}`;
  }
  if (flags & ACK) out += `, ack ${ack}`;
  out += `, win ${win}`;
  if (flags & URG) out += `, urg ${urp}`;
  out += optionsText(bytes, hlen, flags, sackBase);
  out += `, length ${length}`;
  const text = length > 0 ? (TEXT_PORTS.get(sport) ?? TEXT_PORTS.get(dport)) : undefined;
  if (text !== undefined) out += `: ${txtproto(bytes.subarray(hlen), text.name, text.commands, text.responseSecond, context.options.verbose === true)}`;
  return out;
}

/**
 * UDP's part: "10.0.0.1.53 > 10.0.0.2.49152: " and the application's text when one printed
 * (DNS, BOOTP/DHCP), else "UDP, length N" with N the length field less the header.
 */
export function udpTcpdumpText(bytes: Uint8Array, source: string, destination: string, context: LineContext, checksum?: ChecksumCheck): string {
  if (bytes.length < 8) return `${source} > ${destination}:  truncated-udp ${bytes.length}`;
  const sport = u16(bytes, 0);
  const dport = u16(bytes, 2);
  const ulen = u16(bytes, 4);
  const head = `${source}.${sport} > ${destination}.${dport}: `;
  if (ulen < 8) return `${head} truncated-udplength ${ulen}`;
  // tcpdump 4.99 checks the UDP checksum only at -vv, which this printer does not offer.
  void checksum;
  const sum = '';
  // A protocol without a tcpdump printer (a lab's own) gives its summary, addresses and all.
  if (context.inner !== undefined) return context.innerLayer !== undefined && context.innerLayer.line === undefined ? context.inner : `${head}${sum}${context.inner}`;
  return `${head}${sum}UDP, length ${ulen - 8}`;
}

/** tcpdump's nd_printjn of a text line: printable ASCII as is (a line holds nothing else). */
function latin1(b: Uint8Array, from: number, to: number): string {
  let out = '';
  for (let i = from; i < to; i++) out += String.fromCharCode(b[i]!);
  return out;
}

/** fetch_token: the token at `at` and where the next begins; undefined when there is none. */
function fetchToken(b: Uint8Array, at: number): [string, number] | undefined {
  let p = at;
  let token = '';
  for (; p < b.length; p++) {
    const c = b[p]!;
    if (c > 0x7f) return undefined;
    if (c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a) break;
    if (c < 0x20 || c === 0x7f) return undefined;
    if (token.length + 2 > 129) return undefined;
    token += String.fromCharCode(c);
  }
  if (token === '') return undefined;
  for (; p < b.length; p++) {
    const c = b[p]!;
    if (c === 0x0d || c === 0x0a) break;
    if (c < 0x20 || c > 0x7e) break;
    if (c !== 0x20 && c !== 0x09) break;
  }
  return [token, p];
}

/** print_txt_line: the line at `at` and the index after it; `truncated` without a line end; undefined for binary. */
function txtLine(b: Uint8Array, at: number): { text: string; next: number; truncated: boolean } | undefined {
  for (let p = at; p < b.length; p++) {
    const c = b[p]!;
    if (c === 0x0a) return { text: latin1(b, at, p), next: p + 1, truncated: false };
    if (c === 0x0d) {
      if (p + 1 >= b.length || b[p + 1] !== 0x0a) return undefined;
      return { text: latin1(b, at, p), next: p + 2, truncated: false };
    }
    if ((c < 0x20 || c > 0x7e) && c !== 0x09) return undefined;
  }
  return { text: latin1(b, at, b.length), next: b.length, truncated: true };
}

/**
 * txtproto_print (util-print.c): "HTTP: GET / HTTP/1.1" for a request or response, the bare
 * name for a segment in between; -v prints ", length: N" and every text line.
 */
function txtproto(b: Uint8Array, name: string, commands: readonly string[] | undefined, responseSecond: boolean, verbose: boolean): string {
  let show = commands === undefined;
  if (commands !== undefined) {
    let token = fetchToken(b, 0);
    if (token !== undefined) {
      if (commands.includes(token[0].toUpperCase())) show = true;
      if (responseSecond) token = fetchToken(b, token[1]);
      if (token !== undefined && /^\d{3}$/.test(token[0])) show = true;
    }
  }
  let out = name;
  if (!show) return out;
  const trunc = ` [|${name.toLowerCase()}]`;
  if (verbose) {
    out += `, length: ${b.length}`;
    for (let at = 0; at < b.length; ) {
      const line = txtLine(b, at);
      if (line === undefined) break;
      out += `\n\t${line.text}${line.truncated ? trunc : ''}`;
      if (line.truncated) break;
      at = line.next;
    }
    return out;
  }
  const line = txtLine(b, 0);
  if (line !== undefined) out += `: ${line.text}${line.truncated ? trunc : ''}`;
  return out;
}
