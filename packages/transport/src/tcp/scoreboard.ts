// The sender's SACK scoreboard (RFC 2018 §5, RFC 6675 §3-4): which bytes above SND.UNA the
// receiver has reported holding, so loss recovery retransmits the holes first and counts
// the "pipe" of bytes really in flight. IsLost uses RFC 6675's byte rule: a hole is lost
// once more than (DupThresh - 1) * SMSS bytes above it have been SACKed.

import { seqAdd, seqDiff, seqGeq, seqGt, seqLeq, seqLt, seqMax, seqMin } from './seq.ts';
import type { SackBlock } from './options.ts';

export const DUP_THRESH = 3;

export class SackScoreboard {
  /** Disjoint SACKed ranges [left, right), sorted. */
  private ranges: [number, number][] = [];
  private total = 0;

  get isEmpty(): boolean {
    return this.ranges.length === 0;
  }

  /** Bytes SACKed above SND.UNA. */
  get sackedBytes(): number {
    return this.total;
  }

  /** The highest SACKed sequence number (right edge), or undefined. */
  get highestSacked(): number | undefined {
    return this.ranges[this.ranges.length - 1]?.[1];
  }

  /** Merge received SACK blocks; blocks outside (sndUna, sndMax] are ignored (RFC 2883 D-SACKs among them). Returns bytes newly SACKed. */
  update(blocks: readonly SackBlock[], sndUna: number, sndMax: number): number {
    const before = this.total;
    for (const [left, right] of blocks) {
      if (!seqLt(left, right) || seqLeq(left, sndUna) || seqGt(right, sndMax)) continue;
      this.insert(left, right);
    }
    return this.total - before;
  }

  private insert(left: number, right: number): void {
    let l = left;
    let r = right;
    const out: [number, number][] = [];
    let placed = false;
    for (const range of this.ranges) {
      if (seqLt(range[1], l)) out.push(range);
      else if (seqLt(r, range[0])) {
        if (!placed) {
          out.push([l, r]);
          placed = true;
        }
        out.push(range);
      } else {
        l = seqMin(l, range[0]);
        r = seqMax(r, range[1]);
      }
    }
    if (!placed) out.push([l, r]);
    this.ranges = out;
    this.recount();
  }

  private recount(): void {
    let total = 0;
    for (const [l, r] of this.ranges) total += seqDiff(r, l);
    this.total = total;
  }

  /** SND.UNA advanced: forget what is now cumulatively acknowledged. */
  ackTo(sndUna: number): void {
    if (this.ranges.length === 0) return;
    const out: [number, number][] = [];
    for (const range of this.ranges) {
      if (seqLeq(range[1], sndUna)) continue;
      if (seqLt(range[0], sndUna)) range[0] = sndUna;
      out.push(range);
    }
    this.ranges = out;
    this.recount();
  }

  isSacked(seq: number): boolean {
    for (const [l, r] of this.ranges) {
      if (seqLt(seq, l)) return false;
      if (seqLt(seq, r)) return true;
    }
    return false;
  }

  /**
   * The first hole at or after `from` and below `limit`: [start, end), or undefined when
   * every byte in [from, limit) is SACKed.
   */
  nextHole(from: number, limit: number): [number, number] | undefined {
    let start = from;
    for (const [l, r] of this.ranges) {
      if (seqLeq(r, start)) continue;
      if (seqLt(start, l)) return [start, seqMin(l, limit)];
      start = r;
      if (seqGeq(start, limit)) return undefined;
    }
    return seqLt(start, limit) ? [start, limit] : undefined;
  }

  /**
   * RFC 6675 IsLost as a boundary: every un-SACKed byte below the returned sequence number
   * has more than (DupThresh - 1) * SMSS SACKed bytes above it. Undefined when none is lost.
   */
  lostBoundary(smss: number): number | undefined {
    const threshold = (DUP_THRESH - 1) * smss;
    let above = 0;
    for (let i = this.ranges.length - 1; i >= 0; i--) {
      const [l, r] = this.ranges[i]!;
      const size = seqDiff(r, l);
      if (above + size > threshold) return seqAdd(r, -(threshold - above + 1));
      above += size;
    }
    return undefined;
  }

  /** SACKed bytes in [from, to). */
  sackedBetween(from: number, to: number): number {
    let n = 0;
    for (const [l, r] of this.ranges) {
      const a = seqMax(l, from);
      const b = seqMin(r, to);
      if (seqLt(a, b)) n += seqDiff(b, a);
    }
    return n;
  }

  clear(): void {
    this.ranges = [];
    this.total = 0;
  }
}
