// Times of captured frames: the time of day (HH:MM:SS.ffffff, tcpdump -r's default; here
// always UTC, as tcpdump prints with TZ=UTC), seconds since the first frame (as Wireshark's
// relative time and the emulator's own traces print it: "0.135113"), or seconds since 1970
// (tcpdump -tt). Capture timestamps are bigint nanoseconds (a double cannot hold them
// exactly); microseconds are truncated, as tcpdump does.

import type { DecodeTimeFormat } from './decode-args.ts';

const NS_PER_US = 1000n;
const US_PER_S = 1_000_000n;

function micros(value: bigint): string {
  return String(value).padStart(6, '0');
}

/** "17:37:42.512372": the UTC time of day. */
export function formatClock(timestampNs: bigint): string {
  const us = timestampNs / NS_PER_US;
  const seconds = us / US_PER_S;
  const fraction = us % US_PER_S;
  const ofDay = Number(((seconds % 86_400n) + 86_400n) % 86_400n);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(Math.floor(ofDay / 3600))}:${two(Math.floor(ofDay / 60) % 60)}:${two(ofDay % 60)}.${micros(fraction < 0n ? -fraction : fraction)}`;
}

/** "1.000123": seconds with microseconds; negative for a frame written before the first. */
export function formatSecondsNs(ns: bigint): string {
  const sign = ns < 0n ? '-' : '';
  const us = (ns < 0n ? -ns : ns) / NS_PER_US;
  return `${sign}${us / US_PER_S}.${micros(us % US_PER_S)}`;
}

/** A frame's time in the chosen format; `startNs` is the first frame's timestamp. */
export function formatFrameTime(timestampNs: bigint, startNs: bigint, format: DecodeTimeFormat): string {
  switch (format) {
    case 'clock':
      return formatClock(timestampNs);
    case 'relative':
      return formatSecondsNs(timestampNs - startNs);
    case 'epoch':
      return formatSecondsNs(timestampNs);
  }
}
