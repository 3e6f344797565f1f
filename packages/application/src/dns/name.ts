// Domain names on the wire (RFC 1035 §3.1, §4.1.4): length-prefixed labels of at most 63
// octets, at most 255 octets in all, and message compression by 14-bit pointers. Parsing
// rejects pointer loops and forward pointers (a pointer must lead strictly before every
// byte of the name read so far, so following pointers always terminates), out-of-bounds
// pointers, the reserved label types 01/10, and over-long names — as WireErrors.
// Names are presentation text: labels joined by '.', with '.', '\' and bytes outside
// printable ASCII escaped as "\." "\\" "\DDD" (RFC 4343 §2.1), no trailing dot.

import { DropReason, InvalidArgumentError, wireError, type WireError } from '@netlayers/core';

export const MAX_LABEL_LENGTH = 63;
export const MAX_NAME_LENGTH = 255;

export interface ParsedName {
  readonly name: string;
  /** Offset just after the name's in-place bytes (after its first pointer, if any). */
  readonly end: number;
}

/** Read a possibly compressed name at `offset` of the whole message `bytes`. */
export function parseName(bytes: Uint8Array, offset: number, limit = bytes.length): ParsedName | WireError {
  const labels: string[] = [];
  let position = offset;
  let end = -1;
  let lowestVisited = offset;
  let wireLength = 1; // the root label's zero byte
  for (;;) {
    if (position >= limit) return wireError(DropReason.Truncated, `name at ${offset} runs past the end of its data`);
    const length = bytes[position]!;
    if (length === 0) {
      if (end < 0) end = position + 1;
      break;
    }
    const type = length & 0xc0;
    if (type === 0xc0) {
      if (position + 1 >= limit) return wireError(DropReason.Truncated, `compression pointer at ${position} is cut off`);
      const target = ((length & 0x3f) << 8) | bytes[position + 1]!;
      if (end < 0) end = position + 2;
      if (target >= bytes.length) return wireError(DropReason.Malformed, `compression pointer at ${position} points outside the message (${target})`);
      if (target >= lowestVisited) {
        return wireError(DropReason.Malformed, `compression pointer at ${position} points forward or loops (to ${target}; RFC 1035 §4.1.4 allows only prior occurrences)`);
      }
      lowestVisited = target;
      position = target;
      limit = bytes.length; // the pointed-to name may lie anywhere earlier in the message
      continue;
    }
    if (type !== 0) return wireError(DropReason.Malformed, `label length byte 0x${length.toString(16)} at ${position}: labels are at most 63 octets (types 01 and 10 are reserved)`);
    if (position + 1 + length > limit) return wireError(DropReason.Truncated, `label at ${position} runs past the end of its data`);
    wireLength += length + 1;
    if (wireLength > MAX_NAME_LENGTH) return wireError(DropReason.Malformed, `name at ${offset} is longer than ${MAX_NAME_LENGTH} octets`);
    labels.push(escapeLabel(bytes, position + 1, position + 1 + length));
    position += 1 + length;
  }
  return { name: labels.join('.'), end };
}

function escapeLabel(bytes: Uint8Array, start: number, end: number): string {
  let out = '';
  for (let i = start; i < end; i++) {
    const b = bytes[i]!;
    if (b === 0x2e || b === 0x5c) out += `\\${String.fromCharCode(b)}`;
    else if (b > 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += `\\${b.toString().padStart(3, '0')}`;
  }
  return out;
}

/** Split presentation text into label bytes; throws InvalidArgumentError for a bad name. */
export function nameToLabels(name: string): Uint8Array[] {
  if (typeof name !== 'string') throw new InvalidArgumentError('domain name', name, 'must be a string');
  const text = name.endsWith('.') && !name.endsWith('\\.') ? name.slice(0, -1) : name;
  if (text === '') return [];
  const labels: Uint8Array[] = [];
  let current: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2e) {
      labels.push(finishLabel(name, current));
      current = [];
    } else if (c === 0x5c) {
      const digits = /^\d{3}/.exec(text.slice(i + 1, i + 4));
      if (digits !== null && Number(digits[0]) <= 255) {
        current.push(Number(digits[0]));
        i += 3;
      } else if (i + 1 < text.length) {
        current.push(text.charCodeAt(++i));
      } else {
        throw new InvalidArgumentError('domain name', name, 'ends with a lone backslash');
      }
    } else if (c > 0xff) {
      throw new InvalidArgumentError('domain name', name, 'contains a character outside Latin-1');
    } else {
      current.push(c);
    }
  }
  labels.push(finishLabel(name, current));
  const wireLength = labels.reduce((n, l) => n + l.length + 1, 1);
  if (wireLength > MAX_NAME_LENGTH) throw new InvalidArgumentError('domain name', name, `is ${wireLength} octets on the wire; the limit is ${MAX_NAME_LENGTH}`);
  return labels;
}

function finishLabel(name: string, bytes: number[]): Uint8Array {
  if (bytes.length === 0) throw new InvalidArgumentError('domain name', name, 'has an empty label');
  if (bytes.length > MAX_LABEL_LENGTH) throw new InvalidArgumentError('domain name', name, `has a label of ${bytes.length} octets; the limit is ${MAX_LABEL_LENGTH}`);
  return Uint8Array.from(bytes);
}

/** Canonical form for comparisons: ASCII lower case, no trailing dot (RFC 4343). */
export function canonicalName(name: string): string {
  const text = name.endsWith('.') && !name.endsWith('\\.') ? name.slice(0, -1) : name;
  return text.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/**
 * Writes names with compression: every suffix written at an offset below 0x4000 is
 * remembered, and a later name ending in it becomes labels plus a pointer.
 */
export class NameCompressor {
  private readonly offsets = new Map<string, number>();

  /** Append `name` at `out.length` (out is a growable byte list). */
  write(out: number[], name: string, compress = true): void {
    const labels = nameToLabels(name);
    for (let i = 0; i < labels.length; i++) {
      const suffix = labels.slice(i).map((l) => canonicalName(String.fromCharCode(...l).replace(/\./g, '\\.'))).join('.');
      const known = compress ? this.offsets.get(suffix) : undefined;
      if (known !== undefined) {
        out.push(0xc0 | (known >> 8), known & 0xff);
        return;
      }
      if (out.length < 0x4000) this.offsets.set(suffix, out.length);
      const label = labels[i]!;
      out.push(label.length, ...label);
    }
    out.push(0);
  }
}
