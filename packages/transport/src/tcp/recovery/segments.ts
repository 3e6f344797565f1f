// The transmission log: one entry per segment in flight, [start, end) in sequence space with
// the time it was last sent and whether it was retransmitted, SACKed or marked lost. RACK
// (RFC 8985 §6.1) needs each segment's most recent transmit time; TLP (§7) needs the last
// segment sent. Entries are kept in sequence order; the log covers [SND.UNA, SND.MAX).

import { seqGeq, seqGt, seqLeq, seqLt } from '../seq.ts';

export interface LoggedSegment {
  start: number;
  end: number;
  /** Virtual time of the most recent transmission. */
  xmit: number;
  /** TSval the most recent transmission carried (0 without timestamps). */
  tsval: number;
  retransmitted: boolean;
  sacked: boolean;
  lost: boolean;
}

export class TransmissionLog {
  private entries: LoggedSegment[] = [];
  private head = 0;

  get size(): number {
    return this.entries.length - this.head;
  }

  /** Entries in sequence order (a live view: do not keep it across calls). */
  *[Symbol.iterator](): IterableIterator<LoggedSegment> {
    for (let i = this.head; i < this.entries.length; i++) yield this.entries[i]!;
  }

  /** The oldest segment in flight (at SND.UNA). */
  get first(): LoggedSegment | undefined {
    return this.size > 0 ? this.entries[this.head] : undefined;
  }

  get last(): LoggedSegment | undefined {
    return this.size > 0 ? this.entries[this.entries.length - 1] : undefined;
  }

  /** A segment [start, end) left at `now`. New data is appended; a retransmission updates the entries it covers. */
  sent(start: number, end: number, now: number, tsval: number, retransmission: boolean): void {
    const last = this.last;
    if (last === undefined || seqGeq(start, last.end)) {
      this.entries.push({ start, end, xmit: now, tsval, retransmitted: retransmission, sacked: false, lost: false });
      return;
    }
    for (let i = this.head; i < this.entries.length; i++) {
      const e = this.entries[i]!;
      if (seqLeq(e.end, start)) continue;
      if (seqGeq(e.start, end)) break;
      e.xmit = now;
      e.tsval = tsval;
      e.retransmitted = true;
      e.lost = false;
    }
    if (seqGt(end, last.end)) this.entries.push({ start: last.end, end, xmit: now, tsval, retransmitted: false, sacked: false, lost: false });
  }

  /** SND.UNA moved to `una`: forget what it covers. Calls `delivered` for each entry that leaves. */
  ackTo(una: number, delivered?: (e: LoggedSegment) => void): void {
    while (this.head < this.entries.length) {
      const e = this.entries[this.head]!;
      if (seqLeq(e.end, una)) {
        if (delivered !== undefined && !e.sacked) delivered(e);
        this.head++;
        continue;
      }
      if (seqLt(e.start, una)) {
        if (delivered !== undefined && !e.sacked) delivered(e);
        e.start = una;
      }
      break;
    }
    if (this.head > 64 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }

  /** Mark entries wholly inside [left, right) SACKed. Calls `delivered` for each newly SACKed one. */
  sack(left: number, right: number, delivered?: (e: LoggedSegment) => void): void {
    for (let i = this.head; i < this.entries.length; i++) {
      const e = this.entries[i]!;
      if (seqLeq(e.end, left)) continue;
      if (seqGeq(e.start, right)) break;
      if (!e.sacked && seqGeq(e.start, left) && seqLeq(e.end, right)) {
        e.sacked = true;
        e.lost = false;
        delivered?.(e);
      }
    }
  }

  /** Forget SACK marks (a retransmission timeout: the receiver may have reneged, RFC 2018 §8) and loss marks. */
  resetMarks(): void {
    for (let i = this.head; i < this.entries.length; i++) {
      const e = this.entries[i]!;
      e.sacked = false;
      e.lost = false;
    }
  }

  clear(): void {
    this.entries = [];
    this.head = 0;
  }
}
