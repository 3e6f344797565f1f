// The send buffer (RFC 9293 §3.8.6 "send sequence space"): bytes the user wrote that are
// not yet acknowledged, from SND.UNA onwards. Stored in blocks so a write is one copy and an
// ACK drops bytes from the front cheaply; the first block is sized to the first write, so a
// short connection that sends a few bytes does not pay for a large block. Later blocks are
// large: each ArrayBuffer costs microseconds to allocate whatever its size, and a block the
// ACKs have emptied is kept for the next one (the buffer never lends its blocks out:
// copyOut copies), so a bulk transfer cycles through the same memory. Once everything is
// acknowledged the buffer holds nothing.

import { allocBytes } from '@netlayers/core';

const FIRST_BLOCK_MAX = 16 * 1024;
const BLOCK = 64 * 1024;
const MIN_FIRST_BLOCK = 512;

/** The shared empty block list (never mutated): an idle connection's buffer allocates no array. */
const NO_BLOCKS: Uint8Array[] = [];

export class SendBuffer {
  private blocks: Uint8Array[] = NO_BLOCKS;
  /** Offset of the first unacknowledged byte in blocks[0]. */
  private head = 0;
  /** Bytes used in the last block. */
  private tailFill = 0;
  private size = 0;
  /** An emptied full-size block, reused by the next push that needs one. */
  private spare: Uint8Array | null = null;

  /** Bytes held (sent-but-unacknowledged plus not-yet-sent). */
  get length(): number {
    return this.size;
  }

  /** Append a copy of `data`. */
  push(data: Uint8Array): void {
    let offset = 0;
    while (offset < data.length) {
      let last = this.blocks[this.blocks.length - 1];
      if (last === undefined || this.tailFill === last.length) {
        const remaining = data.length - offset;
        if (this.blocks.length > 0 && this.spare !== null) {
          last = this.spare;
          this.spare = null;
        } else {
          last = allocBytes(this.blocks.length === 0 ? Math.min(FIRST_BLOCK_MAX, Math.max(MIN_FIRST_BLOCK, remaining)) : BLOCK);
        }
        if (this.blocks === NO_BLOCKS) this.blocks = [];
        this.blocks.push(last);
        this.tailFill = 0;
      }
      const n = Math.min(last.length - this.tailFill, data.length - offset);
      last.set(offset === 0 && n === data.length ? data : data.subarray(offset, offset + n), this.tailFill);
      this.tailFill += n;
      offset += n;
    }
    this.size += data.length;
  }

  /** Drop `n` acknowledged bytes from the front. */
  consume(n: number): void {
    const take = Math.min(n, this.size);
    if (take === 0) return;
    this.size -= take;
    if (this.size === 0) {
      this.clear();
      return;
    }
    this.head += take;
    let drop = 0;
    while (drop < this.blocks.length - 1 && this.head >= this.blocks[drop]!.length) {
      this.head -= this.blocks[drop]!.length;
      drop++;
    }
    if (drop > 0) {
      const last = this.blocks[drop - 1]!;
      if (last.length === BLOCK) this.spare = last;
      this.blocks.splice(0, drop);
    }
  }

  /** Copy `length` bytes starting `offset` bytes after the front into `into` at `at`. */
  copyOut(offset: number, length: number, into: Uint8Array, at = 0): void {
    if (length <= 0) return;
    let index = this.head + offset;
    let b = 0;
    while (index >= this.blocks[b]!.length) {
      index -= this.blocks[b]!.length;
      b++;
    }
    let written = 0;
    while (written < length) {
      const block = this.blocks[b]!;
      const n = Math.min(block.length - index, length - written);
      into.set(block.subarray(index, index + n), at + written);
      written += n;
      index = 0;
      b++;
    }
  }

  /** Discard everything (abort, or all acknowledged: an idle connection holds no block). */
  clear(): void {
    this.spare = null;
    this.blocks = NO_BLOCKS;
    this.head = 0;
    this.tailFill = 0;
    this.size = 0;
  }
}
