// Parser cost on adversarial input: for every parser of untrusted bytes (Ethernet, ARP,
// IPv4 and its options, IPv4 reassembly, ICMP, UDP, TCP and its options, DNS, DHCP, HTTP requests and
// responses, SMTP/FTP replies, and the swaps' PPP, RIP and ARQ wire formats) a worst-case
// input of about 64 KB — pointer chains, option soups, many tiny header lines and chunks,
// long whitespace runs, byte-at-a-time delivery — parsed again and again. Reports the
// median and worst CPU time of one parse (over batches) against the 10 ms goal, and how the
// time grows from a 16 KB input to a 64 KB one (about 4x is linear; 16x would be quadratic).

import {
  createNodeContext,
  createSimulationContext,
  crc32,
  finishChecksum,
  IpProtocol,
  Ipv4Address,
  isWireError,
  onesComplementSum,
  pseudoHeaderSum,
  type WireError,
} from '@netlayers/core';
import { parseArpPacket, parseEthernetFrame } from '@netlayers/link';
import { fragmentDatagram, makeIpv4Header, parseIcmp, parseIpv4, parseQuotedDatagram, Reassembler } from '@netlayers/network';
import { parseTcpSegment, parseUdpDatagram } from '@netlayers/transport';
import { HttpRequestParser, HttpResponseParser, isHttpParseError, parseDhcpMessage, parseDnsMessage, ReplyParser, isReplyParseError } from '@netlayers/application';
import { emitArqSegment, emitPppFrame, parseArqSegment, parsePppFrame, parseRipMessage } from '@netlayers/swaps';
import type { BenchResult, BenchSuite } from './harness.ts';

const SRC = Ipv4Address.parse('10.0.0.1');
const DST = Ipv4Address.parse('10.0.0.2');
const GOAL_MS = 10;
const FULL = 64 * 1024;
const QUARTER = 16 * 1024;

/** One adversarial case: `build(size)` makes an input of about `size` bytes and returns the parse to time. */
interface ParserCase {
  readonly parser: string;
  readonly input: string;
  readonly build: (size: number) => { readonly bytes: number; readonly parse: () => string };
}

const latin1 = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));
const outcome = (result: unknown): string => (isWireError(result) ? `rejected (${(result as WireError).reason})` : 'parsed');

function setChecksum(bytes: Uint8Array, at: number, sum: number): void {
  const c = finishChecksum(sum);
  bytes[at] = c >> 8;
  bytes[at + 1] = c & 0xff;
}

/** An IPv4 header with `options` (padded to 4 bytes) in front of `payloadLength` bytes, checksum set. */
function ipv4(payloadLength: number, options: number[] = [], protocol = 6): Uint8Array {
  const headerLength = 20 + Math.ceil(options.length / 4) * 4;
  const total = Math.min(65535, headerLength + payloadLength);
  const b = new Uint8Array(total);
  b[0] = 0x40 | (headerLength / 4);
  b[2] = total >> 8;
  b[3] = total & 0xff;
  b[8] = 64;
  b[9] = protocol;
  SRC.writeTo(b, 12);
  DST.writeTo(b, 16);
  b.set(options, 20);
  setChecksum(b, 10, onesComplementSum(b, 0, headerLength));
  return b;
}

/** A TCP segment with an option soup of `options` and `payload` bytes, checksum set. */
function tcp(options: number[], payload: number): Uint8Array {
  const headerLength = 20 + options.length;
  const b = new Uint8Array(headerLength + payload);
  b[12] = (headerLength / 4) << 4;
  b[13] = 0x18;
  b.set(options, 20);
  for (let i = headerLength; i < b.length; i++) b[i] = i & 0xff;
  setChecksum(b, 16, onesComplementSum(b, 0, b.length, pseudoHeaderSum(SRC.value, DST.value, IpProtocol.TCP, b.length)));
  return b;
}

/** A DNS query: question 1 is "a"; question k points at question target(k)'s name. */
function dnsQuestionChain(count: number, target: (k: number) => number): Uint8Array {
  const start = (k: number): number => (k === 1 ? 12 : 19 + (k - 2) * 6);
  const out = [0, 1, 0, 0, count >> 8, count & 0xff, 0, 0, 0, 0, 0, 0, 1, 0x61, 0, 0, 1, 0, 1];
  for (let k = 2; k <= count; k++) {
    const to = start(target(k));
    out.push(0xc0 | (to >> 8), to & 0xff, 0, 1, 0, 1);
  }
  return Uint8Array.from(out);
}

/** A DHCP message: the fixed part, the cookie, `options`, end. */
function dhcp(options: number[]): Uint8Array {
  const b = new Uint8Array(240 + options.length + 1);
  b[0] = 1;
  b[1] = 1;
  b[2] = 6;
  b.set([99, 130, 83, 99], 236);
  b.set(options, 240);
  b[b.length - 1] = 255;
  return b;
}

function repeat(unit: number[], size: number): number[] {
  const out: number[] = [];
  while (out.length + unit.length <= size) out.push(...unit);
  return out;
}

/** Feed `bytes` to an HTTP parser in `chunk`-byte pieces; the outcome of the last item. */
function http(parser: HttpRequestParser | HttpResponseParser, bytes: Uint8Array, chunk = bytes.length): string {
  let last = 'incomplete';
  for (let at = 0; at < bytes.length; at += chunk) {
    for (const item of parser.push(bytes.subarray(at, at + chunk))) last = isHttpParseError(item) ? `rejected (${item.status})` : 'parsed';
  }
  return last;
}

const BIG = { maxLineLength: 1024 * 1024, maxHeaderBytes: 16 * 1024 * 1024, maxHeaderCount: 100_000, maxBodyBytes: 16 * 1024 * 1024 };

export const PARSER_CASES: readonly ParserCase[] = [
  {
    parser: 'Ethernet',
    input: 'one frame of the size, FCS verified',
    build: (size) => {
      const frame = new Uint8Array(size);
      frame[12] = 0x08;
      const fcs = crc32(frame, 0, size - 4);
      frame.set([fcs & 0xff, (fcs >>> 8) & 0xff, (fcs >>> 16) & 0xff, fcs >>> 24], size - 4);
      return { bytes: size, parse: () => outcome(parseEthernetFrame(frame)) };
    },
  },
  {
    parser: 'ARP',
    input: 'an ARP request followed by the size in trailing bytes',
    build: (size) => {
      const b = new Uint8Array(size);
      b.set([0, 1, 8, 0, 6, 4, 0, 1]);
      return { bytes: size, parse: () => outcome(parseArpPacket(b)) };
    },
  },
  {
    parser: 'IPv4 + options',
    input: '40 bytes of 1-byte NOP options, then data to the size',
    build: (size) => {
      const b = ipv4(size - 60, new Array<number>(40).fill(1));
      return { bytes: b.length, parse: () => outcome(parseIpv4(b)) };
    },
  },
  {
    parser: 'IPv4 + options',
    input: '20 two-byte unknown options (type 0x9e, length 2)',
    build: (size) => {
      const b = ipv4(size - 60, repeat([0x9e, 2], 40));
      return { bytes: b.length, parse: () => outcome(parseIpv4(b)) };
    },
  },
  {
    parser: 'IPv4 reassembly',
    input: 'a datagram of the size as 8-byte fragments, first and last first, then the rest in reverse',
    build: (size) => {
      const length = size - 20 - 5;
      const header = makeIpv4Header({ source: SRC, destination: DST, protocol: 17, payloadLength: length, identification: 7 });
      const fragments = fragmentDatagram(header, new Uint8Array(length), 28)!;
      const order = [fragments[0]!, fragments[fragments.length - 1]!, ...fragments.slice(1, -1).reverse()];
      const node = createNodeContext(createSimulationContext(1), 'bench');
      return {
        bytes: size,
        parse: () => {
          const reassembler = new Reassembler(node, { timeout: 30e9, memoryLimit: 1 << 20 }, () => undefined);
          let done = false;
          for (const f of order) done = reassembler.add(f.header, f.payload, f.payload, 'eth0') !== null || done;
          return done ? `reassembled from ${fragments.length} fragments` : 'incomplete';
        },
      };
    },
  },
  {
    parser: 'ICMP',
    input: 'an echo request of the size, checksum verified',
    build: (size) => {
      const b = new Uint8Array(size);
      b[0] = 8;
      setChecksum(b, 2, onesComplementSum(b));
      return { bytes: size, parse: () => outcome(parseIcmp(b)) };
    },
  },
  {
    parser: 'ICMP',
    input: 'a destination unreachable quoting a datagram of the size',
    build: (size) => {
      const quoted = ipv4(size - 28, [], 17);
      const b = new Uint8Array(8 + quoted.length);
      b[0] = 3;
      b[1] = 3;
      b.set(quoted, 8);
      setChecksum(b, 2, onesComplementSum(b));
      return { bytes: b.length, parse: () => { const m = parseIcmp(b); return isWireError(m) ? outcome(m) : outcome(parseQuotedDatagram(b.subarray(8))); } };
    },
  },
  {
    parser: 'UDP',
    input: 'a datagram of the size, checksum verified',
    build: (size) => {
      const n = Math.min(size, 65535);
      const b = new Uint8Array(n);
      b[4] = n >> 8;
      b[5] = n & 0xff;
      setChecksum(b, 6, onesComplementSum(b, 0, n, pseudoHeaderSum(SRC.value, DST.value, IpProtocol.UDP, n)));
      return { bytes: n, parse: () => outcome(parseUdpDatagram(b, SRC, DST)) };
    },
  },
  {
    parser: 'TCP + options',
    input: '40 bytes of unknown 2-byte options (kind 30), then data',
    build: (size) => {
      const b = tcp(repeat([30, 2], 40), size - 60);
      return { bytes: b.length, parse: () => outcome(parseTcpSegment(b, SRC, DST)) };
    },
  },
  {
    parser: 'TCP + options',
    input: 'SACK with 4 blocks and a NOP soup, then data',
    build: (size) => {
      const b = tcp([1, 1, 5, 34, ...new Array<number>(32).fill(7), 1, 1, 1, 1], size - 60);
      return { bytes: b.length, parse: () => outcome(parseTcpSegment(b, SRC, DST)) };
    },
  },
  {
    parser: 'DNS',
    input: 'questions chained pointer to pointer, 127 deep, then all at the deepest (the 1.29 s case)',
    build: (size) => {
      const count = Math.floor((size - 19) / 6) + 1;
      const b = dnsQuestionChain(count, (k) => (k <= 128 ? k - 1 : 128));
      return { bytes: b.length, parse: () => outcome(parseDnsMessage(b)) };
    },
  },
  {
    parser: 'DNS',
    input: 'each question a pointer to the one before: rejected at 128 jumps',
    build: (size) => {
      const count = Math.floor((size - 19) / 6) + 1;
      const b = dnsQuestionChain(count, (k) => k - 1);
      return { bytes: b.length, parse: () => outcome(parseDnsMessage(b)) };
    },
  },
  {
    parser: 'DNS',
    input: 'questions of 127 one-letter labels, each a new name',
    build: (size) => {
      const out = [0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
      let count = 0;
      while (out.length + 259 <= size) {
        for (let i = 0; i < 127; i++) out.push(1, 0x61 + ((count + i) % 26));
        out.push(0, 0, 1, 0, 1);
        count++;
      }
      out[4] = count >> 8;
      out[5] = count & 0xff;
      const b = Uint8Array.from(out);
      return { bytes: b.length, parse: () => outcome(parseDnsMessage(b)) };
    },
  },
  {
    parser: 'DNS',
    input: 'one TXT record of one-byte character-strings',
    build: (size) => {
      const rd = Math.min(65535, size - 30);
      const head = [0, 1, 0x80, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0x61, 0, 0, 16, 0, 1, 0, 0, 0, 0, rd >> 8, rd & 0xff];
      const b = new Uint8Array(head.length + rd);
      b.set(head);
      return { bytes: b.length, parse: () => outcome(parseDnsMessage(b)) };
    },
  },
  {
    parser: 'DHCP',
    input: 'options soup: zero-length options of every code, repeated',
    build: (size) => {
      const options: number[] = [];
      for (let i = 0; options.length + 2 <= size - 241; i++) options.push(100 + (i % 150), 0);
      const b = dhcp(options);
      return { bytes: b.length, parse: () => outcome(parseDhcpMessage(b)) };
    },
  },
  {
    parser: 'DHCP',
    input: 'a host name split over 255-byte instances (RFC 3396), the size in all',
    build: (size) => {
      const options: number[] = [];
      while (options.length + 257 <= size - 241) options.push(12, 255, ...new Array<number>(255).fill(0x68));
      const b = dhcp(options);
      return { bytes: b.length, parse: () => outcome(parseDhcpMessage(b)) };
    },
  },
  {
    parser: 'DHCP',
    input: 'pad soup (option 0) to the size',
    build: (size) => {
      const b = dhcp(new Array<number>(size - 241).fill(0));
      return { bytes: b.length, parse: () => outcome(parseDhcpMessage(b)) };
    },
  },
  {
    parser: 'HTTP request',
    input: 'many tiny header fields "a:b" (limits raised)',
    build: (size) => {
      const b = latin1(`GET / HTTP/1.1\r\nHost: h\r\n${'a:b\r\n'.repeat(Math.floor((size - 30) / 5))}\r\n`);
      return { bytes: b.length, parse: () => http(new HttpRequestParser(BIG), b) };
    },
  },
  {
    parser: 'HTTP request',
    input: 'many one-byte chunks with extensions',
    build: (size) => {
      const b = latin1(`POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n${'1;e=v\r\nx\r\n'.repeat(Math.floor((size - 70) / 10))}0\r\n\r\n`);
      return { bytes: b.length, parse: () => http(new HttpRequestParser(BIG), b) };
    },
  },
  {
    parser: 'HTTP request',
    input: 'a field value of spaces with a letter at each end (OWS trimming)',
    build: (size) => {
      const b = latin1(`GET / HTTP/1.1\r\nHost: h\r\nX: a${' '.repeat(size - 40)}b\r\n\r\n`);
      return { bytes: b.length, parse: () => http(new HttpRequestParser(BIG), b) };
    },
  },
  {
    parser: 'HTTP request',
    input: 'a chunk-size line of ";a" extensions ending in a bad octet',
    build: (size) => {
      const b = latin1(`POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n1${' ;a'.repeat(Math.floor((size - 80) / 3))}\x01\r\n`);
      return { bytes: b.length, parse: () => http(new HttpRequestParser(BIG), b) };
    },
  },
  {
    parser: 'HTTP request',
    input: 'one long header line delivered one byte at a time',
    build: (size) => {
      const b = latin1(`GET / HTTP/1.1\r\nHost: h\r\nX: ${'v'.repeat(size - 35)}\r\n\r\n`);
      return { bytes: b.length, parse: () => http(new HttpRequestParser(BIG), b, 1) };
    },
  },
  {
    parser: 'HTTP response',
    input: 'many obs-fold continuation lines on one field',
    build: (size) => {
      const b = latin1(`HTTP/1.1 200 OK\r\nX: a\r\n${' b\r\n'.repeat(Math.floor((size - 50) / 4))}Content-Length: 0\r\n\r\n`);
      return { bytes: b.length, parse: () => http(new HttpResponseParser(BIG), b) };
    },
  },
  {
    parser: 'HTTP response',
    input: 'many tiny header fields, default limits (rejected at 100 fields)',
    build: (size) => {
      const b = latin1(`HTTP/1.1 200 OK\r\n${'a:b\r\n'.repeat(Math.floor((size - 20) / 5))}\r\n`);
      return { bytes: b.length, parse: () => http(new HttpResponseParser(), b) };
    },
  },
  {
    parser: 'HTTP response',
    input: 'many one-byte chunks, delivered 7 bytes at a time',
    build: (size) => {
      const b = latin1(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${'1\r\nx\r\n'.repeat(Math.floor((size - 60) / 6))}0\r\n\r\n`);
      return { bytes: b.length, parse: () => http(new HttpResponseParser(BIG), b, 7) };
    },
  },
  {
    parser: 'SMTP/FTP reply',
    input: 'a multi-line reply of short lines',
    build: (size) => {
      const b = latin1(`${'250-x\r\n'.repeat(Math.floor((size - 10) / 7))}250 end\r\n`);
      return { bytes: b.length, parse: () => { const items = new ReplyParser().push(b); return items.length === 1 && !isReplyParseError(items[0]) ? 'parsed' : 'rejected'; } };
    },
  },
  {
    parser: 'SMTP/FTP reply',
    input: 'one over-long line delivered one byte at a time',
    build: (size) => {
      const b = latin1(`250 ${'x'.repeat(size - 6)}\r\n`);
      return {
        bytes: b.length,
        parse: () => {
          const p = new ReplyParser();
          let last = 'incomplete';
          for (let i = 0; i < b.length; i++) for (const item of p.push(b.subarray(i, i + 1))) last = isReplyParseError(item) ? 'rejected (too long)' : 'parsed';
          return last;
        },
      };
    },
  },
  {
    parser: 'PPP (swaps)',
    input: 'a frame whose every octet is escaped (0x7d 0x5e pairs), MRU raised',
    build: (size) => {
      const info = new Uint8Array(Math.floor((size - 16) / 2)).fill(0x7e);
      const wire = emitPppFrame(0x0021, info);
      const body = wire.subarray(1, wire.length - 1);
      return { bytes: wire.length, parse: () => outcome(parsePppFrame(body, 1 << 20)) };
    },
  },
  {
    parser: 'RIP (swaps)',
    input: 'a message of the size in 20-byte entries (rejected past 25)',
    build: (size) => {
      const b = new Uint8Array(4 + Math.floor((size - 4) / 20) * 20);
      b[0] = 2;
      b[1] = 2;
      return { bytes: b.length, parse: () => outcome(parseRipMessage(b)) };
    },
  },
  {
    parser: 'ARQ segment (swaps)',
    input: 'a segment of the size, checksum verified',
    build: (size) => {
      const b = new Uint8Array(Math.min(size, 65515));
      emitArqSegment({ sourcePort: 1, destinationPort: 2, seq: 0, ack: 0, flags: 0, payload: new Uint8Array(b.length - 16) }, b, SRC, DST, 253);
      return { bytes: b.length, parse: () => outcome(parseArqSegment(b, SRC, DST, 253)) };
    },
  },
];

interface Timing {
  readonly medianMs: number;
  readonly worstMs: number;
  readonly outcome: string;
  readonly bytes: number;
}

/** CPU time of this process in milliseconds (user + system): steadier than wall time on a shared machine. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * Time one parse as the CPU time of batches of parses (a batch lasts at least 5 ms, so the
 * microsecond clock and a garbage collection are spread over the batch): 15 batches, the
 * median and the slowest batch's time per parse.
 */
function time(c: ParserCase, size: number): Timing {
  const { bytes, parse } = c.build(size);
  const result = parse(); // warm-up, and the outcome shown
  let perBatch = 1;
  for (;;) {
    const start = cpuMs();
    for (let i = 0; i < perBatch; i++) parse();
    if (cpuMs() - start >= 5 || perBatch >= 1 << 16) break;
    perBatch *= 2;
  }
  const samples: number[] = [];
  for (let b = 0; b < 15; b++) {
    const start = cpuMs();
    for (let i = 0; i < perBatch; i++) parse();
    samples.push((cpuMs() - start) / perBatch);
  }
  samples.sort((a, b) => a - b);
  return { medianMs: samples[Math.floor(samples.length / 2)]!, worstMs: samples[samples.length - 1]!, outcome: result, bytes };
}

/** Rows for BENCHMARKS.md: parser, input, bytes, outcome, median and worst ms, growth 16 KB → 64 KB. */
export function parserTable(cases: readonly ParserCase[] = PARSER_CASES): { rows: string[]; results: BenchResult[] } {
  const rows = ['| parser | adversarial input | bytes | outcome | median | slowest batch | 16 KB → 64 KB | under 10 ms |', '|---|---|---|---|---|---|---|---|'];
  const results: BenchResult[] = [];
  for (const c of cases) {
    const small = time(c, QUARTER);
    const full = time(c, FULL);
    const growth = full.medianMs / Math.max(small.medianMs, 1e-6);
    rows.push(
      `| ${c.parser} | ${c.input} | ${full.bytes} | ${full.outcome} | ${full.medianMs.toFixed(3)} ms | ${full.worstMs.toFixed(3)} ms | ×${growth.toFixed(1)} | ${full.medianMs < GOAL_MS ? 'yes' : '**no**'} |`,
    );
    results.push({ name: `parse ${c.parser}: ${c.input}`, unit: 'parses/s', best: 1000 / full.medianMs, median: 1000 / full.medianMs, target: 1000 / GOAL_MS });
  }
  return { rows, results };
}

/** For `run.ts parsers`: the rates against 100 parses/s (10 ms each), with the table printed to stderr. */
export function parserBenchmarks(): BenchResult[] {
  const { rows, results } = parserTable();
  process.stderr.write(`${rows.join('\n')}\n\n`);
  return results;
}

export const suite: BenchSuite = { name: 'parsers', description: 'every parser of untrusted bytes on worst-case ~64 KB inputs: CPU time per parse against the 10 ms goal', run: parserBenchmarks };
