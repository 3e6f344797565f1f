// Byte helpers shared by the application protocols: text <-> bytes (UTF-8 and Latin-1,
// the latter for HTTP field octets, RFC 9110 §5.5), concatenation, and a growable receive
// buffer that protocol parsers consume from the front.

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8');

export function utf8(text: string): Uint8Array {
  return utf8Encoder.encode(text);
}

export function fromUtf8(bytes: Uint8Array): string {
  return utf8Decoder.decode(bytes);
}

/** One character per byte (Latin-1 / ISO-8859-1), as HTTP treats obs-text octets. */
export function fromLatin1(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let out = '';
  if (end - start <= 24) {
    for (let i = start; i < end; i++) out += String.fromCharCode(bytes[i]!);
    return out;
  }
  // `apply` takes the typed array as it is (a spread would walk it through an iterator);
  // slices of 4096 keep the argument count far below any engine's limit.
  for (let i = start; i < end; i += 4096) {
    out += String.fromCharCode.apply(null, bytes.subarray(i, Math.min(end, i + 4096)) as unknown as number[]);
  }
  return out;
}

/** Latin-1 encode; code points above 255 become '?' (callers validate header text first). */
export function latin1(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[i] = c > 255 ? 0x3f : c;
  }
  return out;
}

export function toBytes(data: Uint8Array | string): Uint8Array {
  return typeof data === 'string' ? utf8(data) : data;
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/**
 * Bytes received but not yet consumed. `append` copies in; parsers look at `view()` and
 * `consume(n)` from the front. Storage is compacted lazily so a long stream stays O(n).
 */
export class ByteQueue {
  private buffer = new Uint8Array(256);
  private start = 0;
  private end = 0;

  get length(): number {
    return this.end - this.start;
  }

  append(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (this.end + chunk.length > this.buffer.length) {
      const live = this.end - this.start;
      // Slide the live bytes to the front only when that frees at least half the buffer:
      // sliding to gain a few bytes would copy the whole backlog again every few appends.
      if (live + chunk.length <= this.buffer.length / 2) {
        this.buffer.copyWithin(0, this.start, this.end);
      } else {
        const next = new Uint8Array(Math.max(this.buffer.length * 2, live + chunk.length));
        next.set(this.buffer.subarray(this.start, this.end));
        this.buffer = next;
      }
      this.start = 0;
      this.end = live;
    }
    this.buffer.set(chunk, this.end);
    this.end += chunk.length;
  }

  /** The unconsumed bytes (a view; valid until the next append). */
  view(): Uint8Array {
    return this.buffer.subarray(this.start, this.end);
  }

  /** Index of the first LF at or after `from` (relative to the front), or -1. */
  indexOfLf(from = 0): number {
    for (let i = this.start + from; i < this.end; i++) if (this.buffer[i] === 0x0a) return i - this.start;
    return -1;
  }

  /** Remove and return (a copy of) the first `n` bytes. */
  take(n: number): Uint8Array {
    const count = Math.min(n, this.length);
    const out = this.buffer.slice(this.start, this.start + count);
    this.consume(count);
    return out;
  }

  consume(n: number): void {
    this.start += Math.min(n, this.length);
    if (this.start === this.end) {
      this.start = 0;
      this.end = 0;
    }
  }

  clear(): void {
    this.start = 0;
    this.end = 0;
  }
}
