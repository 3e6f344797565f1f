// The receive side's storage (RFC 9293 §3.8.6 "receive sequence space", §3.10.7.4 step 7):
// in-order bytes waiting for the application, and an out-of-order queue of segments that
// arrived beyond RCV.NXT (bounded by the window, since only in-window data is accepted).
// It also produces the SACK blocks of RFC 2018 §4: the block holding the most recently
// received segment first, then the others by recency.

import { copyBytes } from '@netlayers/core';
import { seqAdd, seqDiff, seqGt, seqLeq, seqLt } from './seq.ts';
import type { SackBlock } from './options.ts';

interface OutOfOrderSegment {
  seq: number;
  data: Uint8Array;
}

interface RecentBlock {
  left: number;
  right: number;
  stamp: number;
}

/** Shared empty lists (never mutated): an idle connection's buffer allocates no array of its own. */
const NO_SEGMENTS: OutOfOrderSegment[] = [];
const NO_BLOCKS: RecentBlock[] = [];

export class ReceiveBuffer {
  /** In-order bytes not yet read by the application (while paused). */
  readonly ready: Uint8Array[] = [];
  readyBytes = 0;
  private ooo: OutOfOrderSegment[] = NO_SEGMENTS;
  /** Sequence number of a FIN that arrived ahead of RCV.NXT. */
  private finSeq: number | undefined = undefined;
  private oooBytes = 0;
  private recent: RecentBlock[] = NO_BLOCKS;
  private stamp = 0;

  get outOfOrderBytes(): number {
    return this.oooBytes;
  }

  get hasOutOfOrder(): boolean {
    return this.ooo.length > 0 || this.finSeq !== undefined;
  }

  /** Queue an in-window segment that starts beyond RCV.NXT. The caller trimmed it to the window. */
  addOutOfOrder(seq: number, data: Uint8Array, fin: boolean): void {
    if (fin) this.finSeq = seqAdd(seq, data.length);
    if (this.ooo === NO_SEGMENTS) this.ooo = [];
    // Trim against what is already queued so the queue never holds a byte twice.
    let start = seq;
    let bytes = data;
    let i = 0;
    while (i < this.ooo.length && seqLeq(seqAdd(this.ooo[i]!.seq, this.ooo[i]!.data.length), start)) i++;
    while (bytes.length > 0) {
      const next = this.ooo[i];
      if (next === undefined || seqLeq(seqAdd(start, bytes.length), next.seq)) {
        this.ooo.splice(i, 0, { seq: start, data: copyBytes(bytes) });
        this.oooBytes += bytes.length;
        break;
      }
      if (seqLt(start, next.seq)) {
        const n = seqDiff(next.seq, start);
        this.ooo.splice(i, 0, { seq: start, data: copyBytes(bytes.subarray(0, n)) });
        this.oooBytes += n;
        i++;
        bytes = bytes.subarray(n);
        start = next.seq;
      }
      const skip = Math.min(bytes.length, Math.max(0, seqDiff(seqAdd(next.seq, next.data.length), start)));
      bytes = bytes.subarray(skip);
      start = seqAdd(start, skip);
      i++;
    }
    if (data.length > 0) this.noteRecent(seq, seqAdd(seq, data.length));
  }

  /**
   * Pull queued segments that are now contiguous with `rcvNxt`. Returns the chunks in order,
   * the new RCV.NXT (not counting a FIN) and whether a FIN follows them.
   */
  takeContiguous(rcvNxt: number): { chunks: Uint8Array[]; next: number; fin: boolean } {
    const chunks: Uint8Array[] = [];
    let next = rcvNxt;
    let fin = false;
    while (this.ooo.length > 0) {
      const head = this.ooo[0]!;
      if (seqGt(head.seq, next)) break;
      this.ooo.shift();
      this.oooBytes -= head.data.length;
      const end = seqAdd(head.seq, head.data.length);
      if (seqGt(end, next)) {
        chunks.push(head.data.subarray(seqDiff(next, head.seq)));
        next = end;
      }
    }
    if (this.finSeq !== undefined && this.finSeq === next) {
      fin = true;
      this.clearOutOfOrder();
    }
    if (this.recent.length > 0) {
      const kept = this.recent.filter((b) => seqGt(b.right, next));
      for (const b of kept) if (seqLt(b.left, next)) b.left = next;
      this.recent = kept.length > 0 ? kept : NO_BLOCKS;
    }
    return { chunks, next, fin };
  }

  private clearOutOfOrder(): void {
    this.ooo = NO_SEGMENTS;
    this.oooBytes = 0;
    this.recent = NO_BLOCKS;
    this.finSeq = undefined;
  }

  private noteRecent(left: number, right: number): void {
    // Merge with any recent block it touches; the merged block becomes the newest.
    let l = left;
    let r = right;
    const kept: RecentBlock[] = [];
    for (const b of this.recent) {
      if (seqLeq(b.left, r) && seqLeq(l, b.right)) {
        if (seqLt(b.left, l)) l = b.left;
        if (seqGt(b.right, r)) r = b.right;
      } else kept.push(b);
    }
    kept.push({ left: l, right: r, stamp: ++this.stamp });
    this.recent = kept;
  }

  /**
   * SACK blocks for the out-of-order queue, most recently changed first (RFC 2018 §4),
   * at most `max`. Each block is extended to the whole contiguous queued range it lies in.
   */
  sackBlocks(max: number): SackBlock[] {
    if (this.ooo.length === 0 || max <= 0) return [];
    // Contiguous ranges actually queued.
    const ranges: [number, number][] = [];
    for (const s of this.ooo) {
      const end = seqAdd(s.seq, s.data.length);
      const last = ranges[ranges.length - 1];
      if (last !== undefined && seqLeq(s.seq, last[1])) {
        if (seqGt(end, last[1])) last[1] = end;
      } else ranges.push([s.seq, end]);
    }
    const byRecency = [...this.recent].sort((a, b) => b.stamp - a.stamp);
    const out: SackBlock[] = [];
    const used = new Set<number>();
    for (const b of byRecency) {
      const index = ranges.findIndex(([l, r]) => seqLeq(l, b.left) && seqLt(b.left, r));
      if (index < 0 || used.has(index)) continue;
      used.add(index);
      const range = ranges[index]!;
      if (range[0] !== range[1]) out.push([range[0], range[1]]);
      if (out.length >= max) return out;
    }
    for (let i = 0; i < ranges.length && out.length < max; i++) {
      const range = ranges[i]!;
      if (!used.has(i) && range[0] !== range[1]) out.push([range[0], range[1]]);
    }
    return out;
  }

  /** Drop everything (abort). */
  clear(): void {
    this.ready.length = 0;
    this.readyBytes = 0;
    this.clearOutOfOrder();
  }
}
