// A first-in first-out queue of items with O(1) push and shift: the transmit queue behind a
// serializer and the wait queue of a rate limiter (drop-tail bounds are the caller's job).
// A ring buffer of power-of-two capacity that doubles when full, so a queue that fills and
// drains at a steady depth reuses one array and allocates nothing per item.

export class FifoQueue<T> {
  private items: (T | undefined)[] = new Array<T | undefined>(16).fill(undefined);
  private mask = 15;
  private head = 0;
  private count = 0;

  get length(): number {
    return this.count;
  }

  push(item: T): void {
    if (this.count === this.items.length) this.grow();
    this.items[(this.head + this.count) & this.mask] = item;
    this.count++;
  }

  peek(): T | undefined {
    return this.count === 0 ? undefined : this.items[this.head];
  }

  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) & this.mask;
    this.count--;
    return item;
  }

  /** Remove and return everything, oldest first. */
  drain(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.count; i++) {
      const at = (this.head + i) & this.mask;
      out.push(this.items[at] as T);
      this.items[at] = undefined;
    }
    this.head = 0;
    this.count = 0;
    return out;
  }

  private grow(): void {
    const size = this.items.length;
    const next = new Array<T | undefined>(size * 2).fill(undefined);
    for (let i = 0; i < this.count; i++) next[i] = this.items[(this.head + i) & this.mask];
    this.items = next;
    this.mask = size * 2 - 1;
    this.head = 0;
  }
}
