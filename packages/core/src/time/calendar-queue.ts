// A calendar queue: the priority queue behind the scheduler. R. Brown, "Calendar Queues: A
// Fast O(1) Priority Queue Implementation for the Simulation Event Set Problem", CACM 31(10),
// 1988. Time is cut into "days" (buckets) of `width` nanoseconds; a "year" is nbuckets days and
// wraps around, so an event goes to bucket floor(time / width) mod nbuckets. Each bucket is a
// doubly linked list sorted by (time, seq), so equal times leave in insertion order (FIFO),
// which keeps runs deterministic. Dequeue walks the days from the last one served; after a
// year of empty days it searches the bucket heads directly. The number of buckets doubles or
// halves with the population (Brown's resize at 2n and n/2) and the day width is re-sampled
// from the gaps between the earliest events (Brown's 3 × the mean gap, outliers > 2 × mean
// dropped). Unlike Brown's fixed width, the width is also re-sampled when the measured cost
// per operation (empty days walked, list nodes passed) grows, so a population whose spacing
// drifts keeps O(1) operations. Removal (cancellation) is O(1): the lists are doubly linked.

/** `CalendarEntry.slot` of an entry in no queue. */
export const NOT_QUEUED = -1;

/** What the queue orders: a time, a tie-breaking sequence number, and the list links it owns. */
export class CalendarEntry {
  /** @internal list links; owned by the queue while the entry is queued. */
  next: CalendarEntry | null = null;
  /** @internal */
  prev: CalendarEntry | null = null;
  /**
   * @internal The bucket holding the entry while it is queued here (>= 0); owners may use
   * negative values of their own while it is not (NOT_QUEUED: nowhere).
   */
  slot = NOT_QUEUED;
  constructor(
    readonly time: number,
    readonly seq: number,
  ) {}
}

function before(a: CalendarEntry, b: CalendarEntry): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

const MIN_BUCKETS = 16;
/** Events sampled from the front to set the day width (Brown uses up to 25). */
const SAMPLE = 25;
/** Operations between two cost checks, and the mean cost per operation that triggers a re-width. */
const CHECK_EVERY = 4096;
const MAX_COST = 2;

export class CalendarQueue<E extends CalendarEntry> {
  private heads: (E | null)[] = [];
  private tails: (E | null)[] = [];
  private mask = 0;
  private nbuckets = 0;
  private width = 1;
  private inverseWidth = 1;
  /** Absolute day number (floor(time / width)) of the earliest possible entry. */
  private cur = 0;
  private count = 0;
  private ops = 0;
  private cost = 0;
  private checkEvery = CHECK_EVERY;
  private resizes = 0;

  constructor() {
    this.setup(MIN_BUCKETS, 1024);
  }

  get size(): number {
    return this.count;
  }

  /** Bucket count, day width and rebuilds so far: for tests and benchmarks. */
  get shape(): { buckets: number; width: number; resizes: number } {
    return { buckets: this.nbuckets, width: this.width, resizes: this.resizes };
  }

  private setup(nbuckets: number, width: number): void {
    this.nbuckets = nbuckets;
    this.mask = nbuckets - 1;
    this.width = width;
    this.inverseWidth = 1 / width;
    this.heads = new Array<E | null>(nbuckets).fill(null);
    this.tails = new Array<E | null>(nbuckets).fill(null);
  }

  /** The absolute day of `time`; exact even where the division rounds. */
  private dayOf(time: number): number {
    const w = this.width;
    let d = Math.floor(time * this.inverseWidth);
    if (d * w > time) d--;
    else if ((d + 1) * w <= time) d++;
    return d;
  }

  insert(entry: E): void {
    const day = this.dayOf(entry.time);
    if (day < this.cur) this.cur = day;
    this.link(entry, day & this.mask);
    if (++this.count > 2 * this.nbuckets) this.resize(this.nbuckets * 2);
    else if (++this.ops >= this.checkEvery) this.checkCost();
  }

  /** Place `entry` in bucket `b`, after every entry that orders before it (scanning from the tail). */
  private link(entry: E, b: number): void {
    entry.slot = b;
    let p = this.tails[b] as E | null;
    let steps = 0;
    while (p !== null && before(entry, p)) {
      p = p.prev as E | null;
      steps++;
    }
    this.cost += steps;
    if (p === null) {
      const h = this.heads[b] as E | null;
      entry.prev = null;
      entry.next = h;
      if (h === null) this.tails[b] = entry;
      else h.prev = entry;
      this.heads[b] = entry;
    } else {
      const n = p.next as E | null;
      entry.prev = p;
      entry.next = n;
      p.next = entry;
      if (n === null) this.tails[b] = entry;
      else n.prev = entry;
    }
  }

  /** Remove a queued entry (O(1)). Returns false if it was not queued. */
  remove(entry: E): boolean {
    const b = entry.slot;
    if (b < 0) return false;
    const p = entry.prev as E | null;
    const n = entry.next as E | null;
    if (p === null) this.heads[b] = n;
    else p.next = n;
    if (n === null) this.tails[b] = p;
    else n.prev = p;
    entry.prev = entry.next = null;
    entry.slot = NOT_QUEUED;
    this.count--;
    return true;
  }

  /** The earliest entry (by time, then seq), left in the queue. */
  peek(): E | undefined {
    if (this.count === 0) return undefined;
    const heads = this.heads;
    const mask = this.mask;
    const w = this.width;
    let day = this.cur;
    for (let k = 0; k < this.nbuckets; k++, day++) {
      const e = heads[day & mask] as E | null;
      // A bucket's head is its earliest entry; it belongs to this day if it is before the day's end.
      if (e !== null && e.time < (day + 1) * w) {
        this.cost += k;
        this.cur = day;
        return e;
      }
    }
    this.cost += this.nbuckets;
    // A year of empty days: the next entry is more than a year away. Search the heads.
    let best: E | null = null;
    for (let i = 0; i < this.nbuckets; i++) {
      const e = heads[i] as E | null;
      if (e !== null && (best === null || before(e, best))) best = e;
    }
    this.cur = this.dayOf(best!.time);
    return best!;
  }

  /** Remove and return the earliest entry. */
  pop(): E | undefined {
    const e = this.peek();
    if (e !== undefined) this.take(e);
    return e;
  }

  /** Remove the entry `peek()` just returned (cheaper than `pop()` after a `peek()`). */
  take(head: E): void {
    // The head of its bucket: unlink without searching.
    const b = this.cur & this.mask;
    if (this.heads[b] !== head) {
      this.remove(head);
    } else {
      const n = head.next as E | null;
      this.heads[b] = n;
      if (n === null) this.tails[b] = null;
      else n.prev = null;
      head.next = null;
      head.slot = NOT_QUEUED;
      this.count--;
    }
    if (this.count < this.nbuckets >> 1 && this.nbuckets > MIN_BUCKETS) this.resize(this.nbuckets >> 1);
    else if (++this.ops >= this.checkEvery) this.checkCost();
  }

  private checkCost(): void {
    const mean = this.cost / this.ops;
    this.ops = 0;
    this.cost = 0;
    if (mean > MAX_COST) {
      this.resize(this.nbuckets);
      // A rebuild costs O(size log size): never more often than once per `size` operations.
      this.checkEvery = Math.max(CHECK_EVERY, this.count);
    }
  }

  /** Every queued entry in order, the queue left empty. */
  private drain(): E[] {
    const all: E[] = [];
    for (let i = 0; i < this.nbuckets; i++) {
      for (let e = this.heads[i] as E | null; e !== null; e = e.next as E | null) all.push(e);
    }
    // Each bucket is sorted already; the sort merges the runs.
    all.sort((a, b) => (a.time - b.time) || (a.seq - b.seq));
    return all;
  }

  /** Rebuild with `nbuckets` buckets and a day width sampled from the earliest entries. */
  private resize(nbuckets: number): void {
    this.resizes++;
    this.ops = 0;
    this.cost = 0;
    const all = this.drain();
    const width = sampleWidth(all, this.width);
    this.setup(nbuckets, width);
    this.count = all.length;
    // In order, so each entry goes to its bucket's tail.
    for (const e of all) this.link(e, this.dayOf(e.time) & this.mask);
    this.cost = 0;
    this.cur = all.length > 0 ? this.dayOf(all[0]!.time) : this.cur;
  }
}

/** Brown's width: 3 × the mean gap between the earliest entries, gaps over twice the mean left out. */
function sampleWidth(sorted: readonly CalendarEntry[], fallback: number): number {
  const n = Math.min(sorted.length, SAMPLE + 1);
  if (n < 2) return fallback;
  const span = sorted[n - 1]!.time - sorted[0]!.time;
  let mean = span / (n - 1);
  if (mean > 0) {
    let sum = 0;
    let kept = 0;
    for (let i = 1; i < n; i++) {
      const gap = sorted[i]!.time - sorted[i - 1]!.time;
      if (gap <= 2 * mean) {
        sum += gap;
        kept++;
      }
    }
    if (kept > 0 && sum > 0) mean = sum / kept;
  } else {
    // The earliest entries share one instant: use the spread of the whole population.
    const all = sorted[sorted.length - 1]!.time - sorted[0]!.time;
    if (all === 0) return fallback;
    mean = all / sorted.length;
  }
  return Math.max(1, Math.round(3 * mean));
}
