// Micro-measurements behind the bulk-transfer notes in BENCHMARKS.md (issue 14): the cost of
// one Internet checksum (RFC 1071) over a 1468-byte TCP segment, word-wise (core's
// `onesComplementSum`) against the byte-pair loop it replaced (kept here as the reference),
// and one CRC-32 (IEEE 802.3) over a 1514-byte frame, native `crc32` against the
// slicing-by-16 table version (at 1514 and 66 bytes; the table does frames under 256 bytes); plus the cost of a fresh ArrayBuffer by size.
//
//   npx tsx packages/bench/src/hotpath-micro.ts [rounds=7]
//
// Prints the median and the spread (min–max) of `rounds` timings, each over many calls.

import { crc32, crc32Portable, onesComplementSum } from '@netlayers/core';

const rounds = Number(process.argv[2] ?? 7);

/** The byte-pair sum core used before the word-wise one (eight bytes per step). */
function bytePairSum(bytes: Uint8Array, start: number, end: number, initial: number): number {
  let sum = initial;
  let i = start;
  const unrolledEnd = end - 7;
  while (i < unrolledEnd) {
    const stop = Math.min(unrolledEnd, i + 8 * 4096);
    for (; i < stop; i += 8) {
      sum += ((bytes[i]! << 8) | bytes[i + 1]!) + ((bytes[i + 2]! << 8) | bytes[i + 3]!) + ((bytes[i + 4]! << 8) | bytes[i + 5]!) + ((bytes[i + 6]! << 8) | bytes[i + 7]!);
    }
    sum = (sum & 0xffff) + (sum >>> 16);
  }
  const last = end - 1;
  for (; i < last; i += 2) sum += (bytes[i]! << 8) | bytes[i + 1]!;
  if (i === last) sum += bytes[i]! << 8;
  return sum;
}

function time(name: string, calls: number, body: (i: number) => number): void {
  let sink = 0;
  for (let i = 0; i < calls; i++) sink += body(i); // warm-up
  const ns: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) sink += body(i);
    ns.push(Number(process.hrtime.bigint() - t0) / calls);
  }
  ns.sort((a, b) => a - b);
  const median = ns[Math.floor(ns.length / 2)]!;
  console.log(`${name.padEnd(52)} median ${median.toFixed(0).padStart(7)} ns  (${ns[0]!.toFixed(0)}–${ns[ns.length - 1]!.toFixed(0)})${sink === 0.5 ? ' ' : ''}`);
}

// A frame in a 64 KiB slab at an 8-aligned offset, as the packet allocator carves them; the
// TCP segment starts 34 bytes in (after Ethernet and IPv4 headers) at headroom 128 - 66.
const slab = new ArrayBuffer(64 * 1024);
const frame = new Uint8Array(slab, 1024, 1514);
for (let i = 0; i < frame.length; i++) frame[i] = (i * 131 + 7) & 0xff;
const tcpStart = 34;
const tcpEnd = tcpStart + 1468;

time('Internet checksum, 1468 B, word-wise (core)', 100_000, () => onesComplementSum(frame, tcpStart, tcpEnd, 0));
time('Internet checksum, 1468 B, byte pairs (before)', 100_000, () => bytePairSum(frame, tcpStart, tcpEnd, 0));
time('CRC-32, 1514 B, crc32 (native when present)', 100_000, () => crc32(frame));
time('CRC-32, 1514 B, slicing-by-16 table', 20_000, () => crc32Portable(frame));
time('CRC-32, 66 B, crc32 (table below 256 B)', 200_000, () => crc32(frame, 0, 66));
for (const kib of [16, 64, 256]) {
  time(`fresh ArrayBuffer of ${kib} KiB (touched once)`, 2_000, () => {
    const u = new Uint8Array(new ArrayBuffer(kib * 1024));
    u[u.length - 1] = 1;
    return u[0]!;
  });
}
