// A line splitter for the text protocols (SMTP RFC 5321 §2.3.8, FTP RFC 959 §4.1.3):
// lines end in CRLF (a bare LF is accepted too, as most servers do); a line longer than
// the limit is reported once and skipped up to its end, so the reader resynchronises.

import { ByteQueue, fromLatin1 } from './bytes.ts';

export type LineEvent = { readonly kind: 'line'; readonly line: string; readonly bytes: Uint8Array } | { readonly kind: 'too-long'; readonly length: number };

export class LineReader {
  private readonly queue = new ByteQueue();
  private discarding = false;
  private discarded = 0;
  /** Bytes at the front already searched for LF, so a line arriving in pieces is scanned once. */
  private scanned = 0;

  /** `maxLineLength` counts the line's bytes including its CRLF. */
  constructor(private maxLineLength: number) {}

  setMaxLineLength(max: number): void {
    this.maxLineLength = max;
  }

  /** Bytes buffered after the last complete line. */
  get pending(): number {
    return this.queue.length;
  }

  push(chunk: Uint8Array): void {
    this.queue.append(chunk);
  }

  /** The next complete line (without its line ending), an overflow report, or null. */
  next(): LineEvent | null {
    for (;;) {
      const lf = this.queue.indexOfLf(this.scanned);
      this.scanned = lf < 0 ? this.queue.length : 0;
      if (this.discarding) {
        if (lf < 0) {
          this.discarded += this.queue.length;
          this.queue.clear();
          this.scanned = 0;
          return null;
        }
        this.queue.consume(lf + 1);
        this.discarding = false;
        const length = this.discarded + lf + 1;
        this.discarded = 0;
        return { kind: 'too-long', length };
      }
      if (lf < 0) {
        if (this.queue.length > this.maxLineLength) {
          this.discarding = true;
          this.discarded = 0;
          continue;
        }
        return null;
      }
      if (lf + 1 > this.maxLineLength) {
        this.queue.consume(lf + 1);
        return { kind: 'too-long', length: lf + 1 };
      }
      const raw = this.queue.take(lf + 1);
      const contentEnd = lf > 0 && raw[lf - 1] === 0x0d ? lf - 1 : lf;
      const bytes = raw.subarray(0, contentEnd);
      return { kind: 'line', line: fromLatin1(bytes), bytes };
    }
  }
}
