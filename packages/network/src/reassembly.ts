// Reassembly of IPv4 fragments (RFC 791 §3.2 "An Example Reassembly Procedure", with the
// hole bookkeeping of RFC 815 done as a sorted list of disjoint received ranges, so each
// fragment costs a binary search and the ranges it touches, and a datagram sent as
// thousands of 8-byte fragments is not quadratic to put together). Datagrams are keyed
// by (source, destination, protocol, identification). One timer per datagram from its first
// fragment (RFC 1122 §3.3.2: 60 to 120 s recommended; default here 30 s like Linux); on
// expiry the pieces are dropped and, if fragment 0 had arrived, the owner is told so it can
// send ICMP time exceeded code 1. Memory across all pending datagrams is bounded (oldest
// evicted first). Exact duplicates are ignored; an overlap with different bytes discards
// the whole datagram (the RFC 5722 policy, which defeats teardrop-style overlap attacks),
// and later fragments of it are discarded until its timer runs out.

import { DropReason, type NodeContext, type TimerHandle } from '@netlayers/core';
import { emitIpv4Header, type Ipv4Header } from './ipv4-wire.ts';

export interface ReassemblyOptions {
  /** Nanoseconds from the first fragment until the datagram is abandoned. */
  readonly timeout: number;
  /** Bytes of fragment data held across all pending datagrams. */
  readonly memoryLimit: number;
}

export interface ReassembledDatagram {
  /** The first fragment's header with MF clear, offset 0 and the full total length. */
  readonly header: Ipv4Header;
  readonly payload: Uint8Array;
  /** The whole datagram, header first (what an ICMP error about it quotes). */
  readonly datagram: Uint8Array;
  readonly fragments: number;
}

/** Called when a datagram whose first fragment had arrived times out: `firstFragment` is that fragment's bytes. */
export type ReassemblyExpired = (firstFragment: Uint8Array, header: Ipv4Header) => void;

interface Piece {
  readonly offset: number;
  readonly data: Uint8Array;
}

interface PendingDatagram {
  readonly key: string;
  /** "10.0.0.1 > 10.0.0.2 id 9": how traces name it. */
  readonly entity: string;
  /** Received data as disjoint ranges sorted by offset (overlapping fragments are trimmed). */
  readonly pieces: Piece[];
  /** Bytes held in `pieces` (the sum of their lengths). */
  covered: number;
  /** Fragments accepted (duplicates not counted). */
  fragments: number;
  /** Data length, known once the last fragment (MF clear) arrives; -1 until then. */
  total: number;
  /** Fragment 0: its header and its bytes (header and data), kept for the ICMP quote. */
  first: { header: Ipv4Header; bytes: Uint8Array } | null;
  bytes: number;
  /** Set after an invalid fragment: the datagram is discarded and later pieces are dropped. */
  discarded: boolean;
  readonly timer: TimerHandle;
  readonly iface: string;
}

export class Reassembler {
  private readonly pending = new Map<string, PendingDatagram>();
  private held = 0;

  constructor(
    private readonly node: NodeContext,
    private readonly options: ReassemblyOptions,
    private readonly onExpired: ReassemblyExpired,
  ) {}

  /** Datagrams waiting for fragments. */
  get pendingCount(): number {
    let n = 0;
    for (const p of this.pending.values()) if (!p.discarded) n++;
    return n;
  }

  /** Bytes of fragment data held. */
  get bytesHeld(): number {
    return this.held;
  }

  /**
   * Add one fragment (`header`, its data `payload`, and `fragmentBytes`, the whole fragment
   * as received). Returns the datagram when this fragment completes it, else null. Invalid
   * fragments are traced as drops here.
   */
  add(header: Ipv4Header, payload: Uint8Array, fragmentBytes: Uint8Array, iface: string): ReassembledDatagram | null {
    const key = `${header.source.value}>${header.destination.value}/${header.protocol}#${header.identification}`;
    const offset = header.fragmentOffset;
    const end = offset + payload.length;
    let entry = this.pending.get(key);
    if (entry?.discarded) {
      this.drop(DropReason.FragmentInvalid, `fragment ${offset}-${end} of a discarded datagram (id ${header.identification})`, fragmentBytes.length, iface);
      return null;
    }
    if (header.moreFragments && (payload.length === 0 || payload.length % 8 !== 0)) {
      this.drop(DropReason.FragmentInvalid, `non-last fragment with ${payload.length} data bytes (must be a positive multiple of 8)`, fragmentBytes.length, iface);
      return null;
    }
    if (payload.length > this.options.memoryLimit) {
      this.drop(DropReason.ReassemblyOverflow, `fragment of ${payload.length} bytes exceeds the reassembly memory limit`, fragmentBytes.length, iface);
      return null;
    }
    if (entry === undefined) {
      entry = this.start(key, header, iface);
    }
    const plan = this.check(entry, header, offset, end, payload);
    if (plan === 'duplicate') {
      // No new bytes, but a last fragment or fragment 0 still tells what an overlapping
      // earlier fragment could not: the length, or the header to quote.
      const news = (!header.moreFragments && entry.total < 0) || (offset === 0 && entry.first === null);
      if (!news) {
        if (this.node.tracer.active) this.note(`duplicate fragment ${offset}-${end} of id ${header.identification} ignored`, entry.entity, iface);
        return null;
      }
      if (!header.moreFragments) entry.total = end;
      if (offset === 0) entry.first = { header, bytes: fragmentBytes.slice() };
      return this.tryComplete(entry);
    }
    if (typeof plan === 'string') {
      this.discard(entry, plan, iface);
      return null;
    }
    const adding = plan.gaps.reduce((n, [from, to]) => n + to - from, 0);
    while (this.held + adding > this.options.memoryLimit) {
      const oldest = this.oldestOther(entry);
      if (oldest === undefined) {
        this.evict(entry, iface);
        this.drop(DropReason.ReassemblyOverflow, `reassembly memory limit of ${this.options.memoryLimit} bytes reached`, fragmentBytes.length, iface);
        return null;
      }
      this.evict(oldest, iface);
    }
    // Store only the bytes not held yet, each gap between the pieces it falls among.
    const fresh = plan.gaps.map(([from, to]) => ({ offset: from, data: payload.slice(from - offset, to - offset) }));
    const touched = entry.pieces.slice(plan.index, plan.index + plan.count);
    const merged: Piece[] = [];
    for (let i = 0, j = 0; i < touched.length || j < fresh.length; ) {
      if (j >= fresh.length || (i < touched.length && touched[i]!.offset < fresh[j]!.offset)) merged.push(touched[i++]!);
      else merged.push(fresh[j++]!);
    }
    entry.pieces.splice(plan.index, plan.count, ...merged);
    entry.covered += adding;
    entry.fragments++;
    entry.bytes += adding;
    this.held += adding;
    if (!header.moreFragments) entry.total = end;
    if (offset === 0) entry.first = { header, bytes: fragmentBytes.slice() };
    return this.tryComplete(entry);
  }

  private start(key: string, header: Ipv4Header, iface: string): PendingDatagram {
    const timer = this.node.scheduler.schedule(this.options.timeout, () => this.expire(key));
    const entity = `${header.source} > ${header.destination} id ${header.identification}`;
    const entry: PendingDatagram = { key, entity, pieces: [], covered: 0, fragments: 0, total: -1, first: null, bytes: 0, discarded: false, timer, iface };
    this.pending.set(key, entry);
    if (this.node.tracer.active) {
      this.node.tracer.emit({ kind: 'timer', role: 'network', protocol: 'ipv4', iface, action: 'set', timer: 'reassembly', entity, duration: this.options.timeout });
    }
    return entry;
  }

  /**
   * Where the fragment goes: the `count` pieces from `index` it overlaps (same bytes) and the
   * ranges of it not held yet, to merge in among them; 'duplicate' when every byte is held already with the same contents; else why the
   * datagram is invalid (different bytes for a range held, or disagreement on the length).
   */
  private check(entry: PendingDatagram, header: Ipv4Header, offset: number, end: number, payload: Uint8Array): { index: number; count: number; gaps: [number, number][] } | 'duplicate' | string {
    if (!header.moreFragments && entry.total >= 0 && entry.total !== end) {
      return `two last fragments disagree on the length (${entry.total} and ${end})`;
    }
    if (entry.total >= 0 && end > entry.total) return `fragment ${offset}-${end} extends past the datagram end ${entry.total}`;
    const pieces = entry.pieces;
    if (!header.moreFragments && pieces.length > 0) {
      const last = pieces[pieces.length - 1]!;
      const lastEnd = last.offset + last.data.length;
      if (lastEnd > end) return `last fragment ends at ${end} but data was received up to ${lastEnd}`;
    }
    // The first piece ending after `offset` (pieces are disjoint and sorted, so ends are too).
    let low = 0;
    let high = pieces.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const p = pieces[mid]!;
      if (p.offset + p.data.length <= offset) low = mid + 1;
      else high = mid;
    }
    const gaps: [number, number][] = [];
    let cursor = offset;
    let index = low;
    for (let i = low; i < pieces.length && pieces[i]!.offset < end; i++) {
      const piece = pieces[i]!;
      const pieceEnd = piece.offset + piece.data.length;
      const from = Math.max(offset, piece.offset);
      const to = Math.min(end, pieceEnd);
      if (!sameBytes(piece.data, from - piece.offset, payload, from - offset, to - from)) {
        return `fragment ${offset}-${end} overlaps ${piece.offset}-${pieceEnd} with different contents`;
      }
      if (piece.offset > cursor) gaps.push([cursor, piece.offset]);
      cursor = Math.max(cursor, pieceEnd);
      index = i + 1;
    }
    if (cursor < end) gaps.push([cursor, end]);
    if (gaps.length === 0) return 'duplicate';
    return { index: low, count: index - low, gaps };
  }

  private tryComplete(entry: PendingDatagram): ReassembledDatagram | null {
    if (entry.total < 0 || entry.first === null || entry.covered < entry.total) return null;
    const firstHeader = entry.first.header;
    const header: Ipv4Header = {
      ...firstHeader,
      totalLength: firstHeader.headerLength + entry.total,
      moreFragments: false,
      fragmentOffset: 0,
    };
    const datagram = new Uint8Array(header.totalLength);
    emitIpv4Header(header, datagram);
    for (const piece of entry.pieces) datagram.set(piece.data, header.headerLength + piece.offset);
    const fragments = entry.fragments;
    this.forget(entry);
    if (this.node.tracer.active) {
      this.node.tracer.emit({ kind: 'timer', role: 'network', protocol: 'ipv4', iface: entry.iface, action: 'cancelled', timer: 'reassembly', entity: entry.entity });
      this.note(`reassembled ${header.totalLength} bytes (id ${header.identification}) from ${fragments} fragments`, entry.entity, entry.iface);
    }
    const checksummed: Ipv4Header = { ...header, checksum: (datagram[10]! << 8) | datagram[11]! };
    return { header: checksummed, payload: datagram.subarray(header.headerLength), datagram, fragments };
  }

  private expire(key: string): void {
    const entry = this.pending.get(key);
    if (entry === undefined) return;
    this.forget(entry);
    if (entry.discarded) return;
    if (this.node.tracer.active) {
      this.node.tracer.emit({ kind: 'timer', role: 'network', protocol: 'ipv4', iface: entry.iface, action: 'fired', timer: 'reassembly', entity: entry.entity });
    }
    this.drop(DropReason.ReassemblyTimeout, `reassembly timed out with ${entry.fragments} fragments (${entry.bytes} bytes) held`, entry.bytes, entry.iface);
    if (entry.first !== null) this.onExpired(entry.first.bytes, entry.first.header);
  }

  private discard(entry: PendingDatagram, why: string, iface: string): void {
    this.drop(DropReason.FragmentInvalid, why, entry.bytes, iface);
    this.held -= entry.bytes;
    entry.bytes = 0;
    entry.pieces.length = 0;
    entry.first = null;
    entry.discarded = true;
  }

  private evict(entry: PendingDatagram, iface: string): void {
    this.forget(entry);
    this.drop(DropReason.ReassemblyOverflow, `evicted a pending datagram (${entry.bytes} bytes) to stay within ${this.options.memoryLimit} bytes`, entry.bytes, iface);
  }

  private oldestOther(current: PendingDatagram): PendingDatagram | undefined {
    for (const entry of this.pending.values()) if (entry !== current && entry.bytes > 0) return entry;
    return undefined;
  }

  private forget(entry: PendingDatagram): void {
    entry.timer.cancel();
    this.pending.delete(entry.key);
    this.held -= entry.bytes;
  }

  private drop(reason: DropReason, detail: string, length: number, iface: string): void {
    this.node.tracer.drop('network', 'ipv4', reason, detail, length, { iface });
  }

  private note(message: string, entity: string, iface: string): void {
    this.node.tracer.emit({ kind: 'note', role: 'network', protocol: 'ipv4', iface, message, entity });
  }
}

function sameBytes(a: Uint8Array, aStart: number, b: Uint8Array, bStart: number, length: number): boolean {
  for (let i = 0; i < length; i++) if (a[aStart + i] !== b[bStart + i]) return false;
  return true;
}
