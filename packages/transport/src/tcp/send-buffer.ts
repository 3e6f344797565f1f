// The send buffer (RFC 9293 §3.8.6 "send sequence space"): bytes the user wrote that are
// not yet acknowledged, from SND.UNA onwards. Stored in fixed blocks so a write is one copy,
// an ACK drops bytes from the front in O(1), and any range can be copied into a segment.

const BLOCK = 16 * 1024;

export class SendBuffer {
  private blocks: Uint8Array[] = [];
  /** Offset of the first unacknowledged byte in blocks[0]. */
  private head = 0;
  /** Bytes used in the last block. */
  private tailFill = BLOCK;
  private size = 0;

  /** Bytes held (sent-but-unacknowledged plus not-yet-sent). */
  get length(): number {
    return this.size;
  }

  /** Append a copy of `data`. */
  push(data: Uint8Array): void {
    let offset = 0;
    while (offset < data.length) {
      if (this.tailFill === BLOCK) {
        this.blocks.push(new Uint8Array(Math.max(BLOCK, 0)));
        this.tailFill = 0;
      }
      const last = this.blocks[this.blocks.length - 1]!;
      const n = Math.min(BLOCK - this.tailFill, data.length - offset);
      last.set(data.subarray(offset, offset + n), this.tailFill);
      this.tailFill += n;
      offset += n;
    }
    this.size += data.length;
  }

  /** Drop `n` acknowledged bytes from the front. */
  consume(n: number): void {
    const take = Math.min(n, this.size);
    this.size -= take;
    this.head += take;
    while (this.blocks.length > 0 && (this.head >= BLOCK || (this.blocks.length === 1 && this.head >= this.tailFill))) {
      if (this.blocks.length === 1) {
        // Empty: reuse nothing, start afresh.
        this.blocks.length = 0;
        this.head = 0;
        this.tailFill = BLOCK;
        break;
      }
      this.blocks.shift();
      this.head -= BLOCK;
    }
  }

  /** Copy `length` bytes starting `offset` bytes after the front into `into` at `at`. */
  copyOut(offset: number, length: number, into: Uint8Array, at = 0): void {
    let index = this.head + offset;
    let written = 0;
    while (written < length) {
      const block = this.blocks[Math.floor(index / BLOCK)]!;
      const within = index % BLOCK;
      const n = Math.min(BLOCK - within, length - written);
      into.set(block.subarray(within, within + n), at + written);
      written += n;
      index += n;
    }
  }

  /** Discard everything (abort). */
  clear(): void {
    this.blocks = [];
    this.head = 0;
    this.tailFill = BLOCK;
    this.size = 0;
  }
}
