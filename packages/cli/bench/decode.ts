// `npx tsx packages/cli/bench/decode.ts [file.pcap|pcapng] [--frames N] [--runs R]`: CPU cost
// of `netlayers decode` in-process, per frame. Without a file it builds an N-frame pcap
// (default 11,000) from the real captures in fixtures/captures, their records repeated in
// order with rising timestamps. Each run times, with process.cpuUsage (user + system):
// reading the file (readCapture), the decode lines (captureLines, what `netlayers decode`
// prints: trace's tcpdump -nn printer), and, for scale, trace's cached dissect() with its
// frame summary (frameBody, netlayers' own wording, not tcpdump's; its WeakMap cache keeps
// every dissection alive to the end: the path decode took first). The two line paths are
// interleaved run by run; medians are printed. Process start (tsx) is not included: measure
// that with /usr/bin/time -v node packages/cli/bin/netlayers.js decode <file> > /dev/null.

import { readFileSync, readdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { captureEvents, dissect, frameBody, isCaptureReadError, readCapture, type CaptureFile } from '@netlayers/trace';
import { captureLines } from '../src/decode-lines.ts';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { frames: { type: 'string' }, runs: { type: 'string' } } });
const frames = Number(values.frames ?? 11_000);
const runs = Number(values.runs ?? 5);

/** A classic pcap (µs, little-endian, Ethernet, no FCS) of `count` records taken in turn from the fixtures. */
function syntheticPcap(count: number): Uint8Array {
  const dir = new URL('../../../fixtures/captures/', import.meta.url);
  const records: { data: Uint8Array; original: number }[] = [];
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.pcap')).sort()) {
    const file = readCapture(new Uint8Array(readFileSync(new URL(name, dir))));
    if (isCaptureReadError(file)) throw new Error(`${name}: ${file.error}`);
    for (const p of file.packets) records.push({ data: p.data, original: p.originalLength });
  }
  const chosen = Array.from({ length: count }, (_, i) => records[i % records.length]!);
  const out = new Uint8Array(24 + chosen.reduce((n, r) => n + 16 + r.data.length, 0));
  const v = new DataView(out.buffer);
  v.setUint32(0, 0xa1b2c3d4, true);
  v.setUint16(4, 2, true);
  v.setUint16(6, 4, true);
  v.setUint32(16, 262_144, true);
  v.setUint32(20, 1, true);
  let at = 24;
  let us = 1_700_000_000_000_000;
  for (const r of chosen) {
    us += 137;
    v.setUint32(at, Math.floor(us / 1e6), true);
    v.setUint32(at + 4, us % 1e6, true);
    v.setUint32(at + 8, r.data.length, true);
    v.setUint32(at + 12, r.original, true);
    out.set(r.data, at + 16);
    at += 16 + r.data.length;
  }
  return out;
}

function cpuMs<T>(work: () => T): { ms: number; result: T } {
  const before = process.cpuUsage();
  const result = work();
  const used = process.cpuUsage(before);
  return { ms: (used.user + used.system) / 1000, result };
}

function read(bytes: Uint8Array): CaptureFile {
  const file = readCapture(bytes);
  if (isCaptureReadError(file)) throw new Error(file.error);
  return file;
}

/** The lines through trace's cached dissect(), as decode did before. */
function cachedLines(capture: CaptureFile): number {
  let chars = 0;
  for (const e of captureEvents(capture)) chars += frameBody(dissect(e)).length;
  return chars;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const bytes = positionals[0] !== undefined ? new Uint8Array(readFileSync(positionals[0])) : syntheticPcap(frames);
const source = positionals[0] ?? `synthetic pcap of ${frames} frames from fixtures/captures`;
const times = { read: [] as number[], lines: [] as number[], cached: [] as number[] };
let count = 0;
for (let run = 0; run < runs; run++) {
  // A fresh read each time, so no run reuses another's dissections.
  const order = run % 2 === 0 ? (['lines', 'cached'] as const) : (['cached', 'lines'] as const);
  for (const path of order) {
    const r = cpuMs(() => read(bytes));
    times.read.push(r.ms);
    count = r.result.packets.length;
    if (path === 'lines') times.lines.push(cpuMs(() => captureLines(r.result, { absoluteSequence: false, verbose: false, timeFormat: 'clock' })).ms);
    else times.cached.push(cpuMs(() => cachedLines(r.result)).ms);
  }
}
const perFrame = (ms: number): string => `${((ms * 1000) / count).toFixed(1)} µs/frame`;
console.log(`${source}: ${count} frames, ${(bytes.length / 1e6).toFixed(1)} MB; ${runs} runs; ${cpus()[0]?.model ?? 'CPU'}, load ${loadavg()[0]!.toFixed(1)}`);
console.log(`readCapture                     median ${median(times.read).toFixed(0)} ms CPU  (${perFrame(median(times.read))})`);
console.log(`captureLines (decode's lines)   median ${median(times.lines).toFixed(0)} ms CPU  (${perFrame(median(times.lines))})  runs: ${times.lines.map((t) => t.toFixed(0)).join(' ')}`);
console.log(`frameBody via cached dissect()  median ${median(times.cached).toFixed(0)} ms CPU  (${perFrame(median(times.cached))})  runs: ${times.cached.map((t) => t.toFixed(0)).join(' ')}`);
console.log(`ratio cached / captureLines     ${(median(times.cached) / median(times.lines)).toFixed(2)}`);
