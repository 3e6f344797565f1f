// Small formatting helpers shared by the renderers: virtual time as seconds with
// microsecond precision (tcpdump's -ttttt style), byte counts, padding and truncation that
// keep text ladders inside a fixed terminal width.

import { NS_PER_S } from '@netlayers/core';

/** "0.002100": seconds with six decimals (µs precision), as tcpdump prints relative time. */
export function formatSeconds(ns: number): string {
  const micros = Math.round(ns / 1000);
  const sign = micros < 0 ? '-' : '';
  const abs = Math.abs(micros);
  return `${sign}${Math.floor(abs / 1_000_000)}.${String(abs % 1_000_000).padStart(6, '0')}`;
}

/** "2.100": milliseconds with three decimals. */
export function formatMilliseconds(ns: number): string {
  return (Math.round(ns / 1000) / 1000).toFixed(3);
}

/** "1 byte", "20 bytes". */
export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** Pad or cut `text` to exactly `width` characters (cut text ends in '…'). */
export function fit(text: string, width: number, align: 'left' | 'right' | 'center' = 'left'): string {
  if (width <= 0) return '';
  if (text.length > width) return width === 1 ? '…' : `${text.slice(0, width - 1)}…`;
  const room = width - text.length;
  if (align === 'right') return ' '.repeat(room) + text;
  if (align === 'center') {
    const left = Math.floor(room / 2);
    return ' '.repeat(left) + text + ' '.repeat(room - left);
  }
  return text + ' '.repeat(room);
}

/** Hex with a 0x prefix, zero-padded to `digits`. */
export function hex(value: number, digits: number): string {
  return `0x${value.toString(16).padStart(digits, '0')}`;
}

/** Printable ASCII preview of some bytes: "GET / HTTP/1.1\r\n..." with escapes, at most `max` characters. */
export function previewBytes(bytes: Uint8Array, max = 24): string {
  let out = '';
  for (const b of bytes) {
    let piece: string;
    if (b === 0x0d) piece = '\\r';
    else if (b === 0x0a) piece = '\\n';
    else if (b === 0x09) piece = '\\t';
    else if (b >= 0x20 && b < 0x7f) piece = String.fromCharCode(b);
    else piece = '.';
    if (out.length + piece.length > max) return `${out}…`;
    out += piece;
  }
  return out;
}

/** Whole seconds per nanosecond factor, re-exported for renderers that label axes. */
export const SECONDS = NS_PER_S;
