// Domain names on the wire (RFC 1035 §3.1, §4.1.4): length-prefixed labels of at most 63
// octets, at most 255 octets in all, and message compression by 14-bit pointers. Parsing
// rejects pointer loops and forward pointers (a pointer must lead strictly before every
// byte of the name read so far, so following pointers always terminates), out-of-bounds
// pointers, the reserved label types 01/10, more than 127 pointer jumps and over-long
// names — as WireErrors. Names decoded once are remembered by offset, so parsing is linear.
// Names are presentation text: labels joined by '.', with '.', '\' and bytes outside
// printable ASCII escaped as "\." "\\" "\DDD" (RFC 4343 §2.1), no trailing dot.

import { DropReason, InvalidArgumentError, wireError, type WireError } from '@netlayers/core';

export const MAX_LABEL_LENGTH = 63;
export const MAX_NAME_LENGTH = 255;

/** Most compression pointers one name may follow (see `parseName`). */
export const MAX_COMPRESSION_POINTERS = 127;

export interface ParsedName {
  readonly name: string;
  /** Offset just after the name's in-place bytes (after its first pointer, if any). */
  readonly end: number;
}

/** A name already read from some offset of one message: its text, octets on the wire and pointer jumps. */
interface DecodedSuffix {
  readonly name: string;
  readonly wireLength: number;
  readonly jumps: number;
}

/**
 * Names already decoded in one message, by the offset a pointer led to (and where each
 * name started). `parseDnsMessage` keeps one per message, so following a pointer to a name
 * read before costs one lookup instead of a second walk down its chain.
 */
export type NameCache = Map<number, DecodedSuffix>;

/**
 * Read a possibly compressed name at `offset` of the whole message `bytes`. Pointers must
 * lead strictly before every byte read so far, and at most MAX_COMPRESSION_POINTERS of them
 * are followed: a 255-octet name has at most 127 labels, and a pointer is only ever needed
 * in front of one. So one name costs at most 255 octets and 127 jumps to read, and a
 * message's names cost time linear in its length; with a shared `cache`, a pointer to an
 * offset decoded before is resolved by one lookup.
 */
export function parseName(bytes: Uint8Array, offset: number, limit = bytes.length, cache: NameCache = new Map()): ParsedName | WireError {
  const labels: string[] = [];
  // Where each jump landed, and how many labels and octets had been read before it.
  const targets: number[] = [];
  const labelsBefore: number[] = [];
  const wireBefore: number[] = [];
  let position = offset;
  let end = -1;
  let lowestVisited = offset;
  let wireLength = 1; // the root label's zero byte
  let jumps = 0;
  let tail: DecodedSuffix | undefined;
  for (;;) {
    if (end >= 0 && position === lowestVisited) {
      // Just jumped here. A name read from this offset before needs no second walk; it was
      // checked with the same rule (pointers below this offset), so the result is the same.
      const known = cache.get(position);
      if (known !== undefined) {
        if (jumps + known.jumps > MAX_COMPRESSION_POINTERS) return tooManyPointers(offset);
        if (wireLength - 1 + known.wireLength > MAX_NAME_LENGTH) return tooLong(offset);
        tail = known;
        break;
      }
    }
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
      if (++jumps > MAX_COMPRESSION_POINTERS) return tooManyPointers(offset);
      targets.push(target);
      labelsBefore.push(labels.length);
      wireBefore.push(wireLength);
      lowestVisited = target;
      position = target;
      limit = bytes.length; // the pointed-to name may lie anywhere earlier in the message
      continue;
    }
    if (type !== 0) return wireError(DropReason.Malformed, `label length byte 0x${length.toString(16)} at ${position}: labels are at most 63 octets (types 01 and 10 are reserved)`);
    if (position + 1 + length > limit) return wireError(DropReason.Truncated, `label at ${position} runs past the end of its data`);
    wireLength += length + 1;
    if (wireLength > MAX_NAME_LENGTH) return tooLong(offset);
    labels.push(escapeLabel(bytes, position + 1, position + 1 + length));
    position += 1 + length;
  }
  const own = labels.join('.');
  const name = tail === undefined || tail.name === '' ? own : own === '' ? tail.name : `${own}.${tail.name}`;
  const totalWire = tail === undefined ? wireLength : wireLength - 1 + tail.wireLength;
  const totalJumps = jumps + (tail?.jumps ?? 0);
  // Remember what each jump target (the offsets later pointers lead to) holds, building the
  // suffixes from the last target back so each label is joined once.
  let after = tail?.name ?? '';
  let upTo = labels.length;
  for (let j = targets.length - 1; j >= 0; j--) {
    const from = labelsBefore[j]!;
    if (from < upTo) {
      const segment = labels.slice(from, upTo).join('.');
      after = after === '' ? segment : `${segment}.${after}`;
      upTo = from;
    }
    if (!cache.has(targets[j]!)) cache.set(targets[j]!, { name: after, wireLength: totalWire - wireBefore[j]! + 1, jumps: totalJumps - j - 1 });
  }
  if (!cache.has(offset)) cache.set(offset, { name, wireLength: totalWire, jumps: totalJumps });
  return { name, end };
}

function tooManyPointers(offset: number): WireError {
  return wireError(DropReason.Malformed, `name at ${offset} follows more than ${MAX_COMPRESSION_POINTERS} compression pointers`);
}

function tooLong(offset: number): WireError {
  return wireError(DropReason.Malformed, `name at ${offset} is longer than ${MAX_NAME_LENGTH} octets`);
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
 * remembered, and a later name ending in the same labels becomes labels plus a pointer.
 * Labels are matched octet for octet, case included: a pointer stands for the exact bytes
 * it points at, so "X.lab" after "x.lab" is written out rather than read back as "x.lab"
 * (RFC 4343 §4: case is preserved where it can be).
 */
export class NameCompressor {
  private readonly offsets = new Map<string, number>();

  /** Append `name` at `out.length` (out is a growable byte list). */
  write(out: number[], name: string, compress = true): void {
    const labels = nameToLabels(name);
    // Suffix keys, last label first: each label as its length then its octets, so no two
    // different label sequences share a key.
    const keys: string[] = new Array<string>(labels.length);
    let key = '';
    for (let i = labels.length - 1; i >= 0; i--) {
      key = String.fromCharCode(labels[i]!.length, ...labels[i]!) + key;
      keys[i] = key;
    }
    for (let i = 0; i < labels.length; i++) {
      const known = compress ? this.offsets.get(keys[i]!) : undefined;
      if (known !== undefined) {
        out.push(0xc0 | (known >> 8), known & 0xff);
        return;
      }
      if (out.length < 0x4000) this.offsets.set(keys[i]!, out.length);
      const label = labels[i]!;
      out.push(label.length, ...label);
    }
    out.push(0);
  }
}
