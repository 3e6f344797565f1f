// Packing a run's trace events for the trip from the simulation worker to the page: a few
// ArrayBuffers that postMessage transfers (moved, not copied) instead of ~100,000 objects
// structured-cloned one by one. Every value an event holds is written to a tagged binary
// stream; strings go to one table (short ones once each), sent as one string of them all
// end to end with their lengths (one string to clone, not ~100,000; a JSON text of the table,
// encoded and decoded, cost more still), and object key lists to another (each shape once);
// frame bytes go as copies of the few buffers they are views of (the trace's slabs) and come
// back as views at the same offsets.
// Objects come back as plain objects with their keys in the order they were written, as a
// structured clone would give them; Uint8Array, bigint, undefined and non-finite numbers
// survive, which JSON alone would not keep.

import type { TraceEvent } from '@netlayers/core';

/** A run's events as transferable buffers: post them with `transferablesOf(packed)`. */
export interface PackedEvents {
  readonly count: number;
  /** The strings the values refer to (each short one once), end to end... */
  readonly strings: string;
  /** ...and their lengths. */
  readonly stringLengths: Uint32Array;
  /** Each object's key list, once per distinct list. */
  readonly shapes: readonly (readonly string[])[];
  /** The tagged value stream: its first `valuesLength` bytes. */
  readonly values: ArrayBuffer;
  readonly valuesLength: number;
  /** A copy of each buffer a Uint8Array in the events was a view of. */
  readonly buffers: readonly ArrayBuffer[];
}

const enum Tag {
  Undefined = 0,
  Null = 1,
  False = 2,
  True = 3,
  Int32 = 4,
  Float64 = 5,
  String = 6,
  Array = 7,
  Object = 8,
  Bytes = 9,
  BigInt = 10,
}

/** A growable byte buffer written front to back. */
class ByteWriter {
  bytes: Uint8Array;
  view: DataView;
  length = 0;

  constructor(initial: number) {
    this.bytes = new Uint8Array(Math.max(64, initial));
    this.view = new DataView(this.bytes.buffer);
  }

  reserve(extra: number): void {
    if (this.length + extra > this.bytes.length) this.grow(this.length + extra);
  }

  private grow(needed: number): void {
    let size = this.bytes.length * 2;
    while (size < needed) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
    this.view = new DataView(grown.buffer);
  }
}

/** Strings longer than this are not looked up for repeats (a PDU's line is nearly always new). */
const INTERNED_LENGTH = 32;

class Packer {
  private readonly stream: ByteWriter;
  private readonly strings: string[] = [];
  private readonly stringIds = new Map<string, number>();
  private readonly shapes: string[][] = [];
  private readonly shapesByLength: number[][] = [];
  private readonly buffers: ArrayBuffer[] = [];
  private readonly bufferIds = new Map<ArrayBufferLike, number>();

  constructor(expectedValues: number) {
    this.stream = new ByteWriter(expectedValues * 128);
  }

  value(value: unknown): void {
    const out = this.stream;
    out.reserve(13);
    switch (typeof value) {
      case 'undefined':
        out.bytes[out.length++] = Tag.Undefined;
        return;
      case 'boolean':
        out.bytes[out.length++] = value ? Tag.True : Tag.False;
        return;
      case 'number':
        if ((value | 0) === value && (value !== 0 || 1 / value > 0)) {
          out.bytes[out.length++] = Tag.Int32;
          out.view.setInt32(out.length, value, true);
          out.length += 4;
        } else {
          out.bytes[out.length++] = Tag.Float64;
          out.view.setFloat64(out.length, value, true);
          out.length += 8;
        }
        return;
      case 'string':
        out.bytes[out.length++] = Tag.String;
        out.view.setUint32(out.length, this.stringId(value), true);
        out.length += 4;
        return;
      case 'bigint':
        out.bytes[out.length++] = Tag.BigInt;
        out.view.setUint32(out.length, this.stringId(value.toString()), true);
        out.length += 4;
        return;
      case 'object':
        if (value === null) {
          out.bytes[out.length++] = Tag.Null;
          return;
        }
        if (value instanceof Uint8Array) return this.byteArray(value);
        if (Array.isArray(value)) {
          out.bytes[out.length++] = Tag.Array;
          out.view.setUint32(out.length, value.length, true);
          out.length += 4;
          for (const item of value as unknown[]) this.value(item);
          return;
        }
        if (ArrayBuffer.isView(value) || value instanceof Map || value instanceof Set || value instanceof Date || value instanceof RegExp) {
          throw new TypeError(`cannot pack a ${value.constructor.name} in a trace event`);
        }
        return this.object(value as Record<string, unknown>);
      default:
        throw new TypeError(`cannot pack a ${typeof value} in a trace event`);
    }
  }

  private object(value: Record<string, unknown>): void {
    const keys = Object.keys(value);
    const id = this.shapeId(keys);
    const out = this.stream;
    out.bytes[out.length++] = Tag.Object;
    out.view.setUint32(out.length, id, true);
    out.length += 4;
    for (let i = 0; i < keys.length; i++) this.value(value[keys[i]!]);
  }

  /** The id of this key list: a run has a few dozen shapes, so compare against those of its length. */
  private shapeId(keys: readonly string[]): number {
    let candidates = this.shapesByLength[keys.length];
    if (candidates === undefined) candidates = this.shapesByLength[keys.length] = [];
    next: for (const id of candidates) {
      const shape = this.shapes[id]!;
      for (let i = 0; i < keys.length; i++) if (shape[i] !== keys[i]) continue next;
      return id;
    }
    const id = this.shapes.length;
    this.shapes.push([...keys]);
    candidates.push(id);
    return id;
  }

  /**
   * Bytes are sent as the buffer they are a view of (copied once per buffer, not once per
   * view): the trace's frame snapshots share 256 KiB slabs, so a run's frames are a few dozen
   * buffers. The views come back at the same offsets.
   */
  private byteArray(value: Uint8Array): void {
    let id = this.bufferIds.get(value.buffer);
    if (id === undefined) {
      id = this.buffers.length;
      this.buffers.push(value.buffer.slice(0) as ArrayBuffer);
      this.bufferIds.set(value.buffer, id);
    }
    const out = this.stream;
    out.bytes[out.length++] = Tag.Bytes;
    out.view.setUint32(out.length, id, true);
    out.view.setUint32(out.length + 4, value.byteOffset, true);
    out.view.setUint32(out.length + 8, value.length, true);
    out.length += 12;
  }

  private stringId(value: string): number {
    if (value.length > INTERNED_LENGTH) return this.strings.push(value) - 1;
    let id = this.stringIds.get(value);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(value);
      this.stringIds.set(value, id);
    }
    return id;
  }

  finish(count: number): PackedEvents {
    const stringLengths = new Uint32Array(this.strings.length);
    for (let i = 0; i < this.strings.length; i++) stringLengths[i] = this.strings[i]!.length;
    return { count, strings: this.strings.join(''), stringLengths, shapes: this.shapes, values: this.stream.bytes.buffer as ArrayBuffer, valuesLength: this.stream.length, buffers: this.buffers };
  }
}

/** Pack events (or any list of plain values) into transferable buffers. */
export function packEvents(events: readonly TraceEvent[]): PackedEvents {
  const packer = new Packer(events.length);
  for (const event of events) packer.value(event);
  return packer.finish(events.length);
}

/** The buffers to list as transferables when posting `packed`. */
export function transferablesOf(packed: PackedEvents): ArrayBuffer[] {
  return [packed.values, packed.stringLengths.buffer as ArrayBuffer, ...packed.buffers];
}

class Unpacker {
  private readonly view: DataView;
  private readonly stream: Uint8Array;
  private at = 0;

  constructor(
    values: ArrayBuffer,
    private readonly buffers: readonly ArrayBuffer[],
    private readonly strings: readonly string[],
    private readonly shapes: readonly (readonly string[])[],
  ) {
    this.view = new DataView(values);
    this.stream = new Uint8Array(values);
  }

  value(): unknown {
    const tag = this.stream[this.at++] as Tag;
    const view = this.view;
    switch (tag) {
      case Tag.Undefined:
        return undefined;
      case Tag.Null:
        return null;
      case Tag.False:
        return false;
      case Tag.True:
        return true;
      case Tag.Int32: {
        const n = view.getInt32(this.at, true);
        this.at += 4;
        return n;
      }
      case Tag.Float64: {
        const n = view.getFloat64(this.at, true);
        this.at += 8;
        return n;
      }
      case Tag.String: {
        const s = this.strings[view.getUint32(this.at, true)];
        this.at += 4;
        return s;
      }
      case Tag.BigInt: {
        const s = this.strings[view.getUint32(this.at, true)]!;
        this.at += 4;
        return BigInt(s);
      }
      case Tag.Array: {
        const length = view.getUint32(this.at, true);
        this.at += 4;
        const items: unknown[] = new Array<unknown>(length);
        for (let i = 0; i < length; i++) items[i] = this.value();
        return items;
      }
      case Tag.Object: {
        const keys = this.shapes[view.getUint32(this.at, true)]!;
        this.at += 4;
        const object: Record<string, unknown> = {};
        for (let i = 0; i < keys.length; i++) object[keys[i]!] = this.value();
        return object;
      }
      case Tag.Bytes: {
        const buffer = this.buffers[view.getUint32(this.at, true)];
        const offset = view.getUint32(this.at + 4, true);
        const length = view.getUint32(this.at + 8, true);
        this.at += 12;
        return new Uint8Array(buffer!, offset, length);
      }
      default:
        throw new RangeError(`corrupt packed events: tag ${String(tag)} at ${this.at - 1}`);
    }
  }
}

/** The events `packEvents` packed; frame bytes are views of `packed.buffers`, as they were of the trace's slabs. */
export function unpackEvents(packed: PackedEvents): TraceEvent[] {
  const strings: string[] = new Array<string>(packed.stringLengths.length);
  let at = 0;
  for (let i = 0; i < strings.length; i++) {
    const end = at + packed.stringLengths[i]!;
    strings[i] = packed.strings.slice(at, end);
    at = end;
  }
  const reader = new Unpacker(packed.values, packed.buffers, strings, packed.shapes);
  const events: TraceEvent[] = new Array<TraceEvent>(packed.count);
  for (let i = 0; i < packed.count; i++) events[i] = reader.value() as TraceEvent;
  return events;
}
