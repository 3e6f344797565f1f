// Token-bucket rate limiting (as Linux tbf): tokens (bytes) fill at `rate` up to `burst`; a
// frame leaves when the bucket holds its length in tokens. Frames that find too few tokens
// wait in order in a bounded queue; beyond it (or larger than the bucket) they are dropped
// with RateLimited.

import { DropReason, type NodeContext, type PhyPort, type TimerHandle } from '@netlayers/core';
import { FifoQueue } from '../frame-queue.ts';
import { ImpairmentPort } from './impairment-port.ts';
import { resolveRateLimit, type RateLimitOptions } from './options.ts';

/** Token arithmetic is in floating point; within this many bytes counts as enough. */
const TOKEN_EPSILON = 1e-6;

export class RateLimitImpairment extends ImpairmentPort {
  readonly bitsPerSecond: number;
  /** Bucket size in bytes. */
  readonly burst: number;
  readonly queueLimit: number;
  /** Frames that had to wait for tokens. */
  delayed = 0;
  /** Frames dropped because the queue was full or they were larger than the bucket. */
  limited = 0;
  private tokens: number;
  private lastRefill: number;
  private readonly waiting = new FifoQueue<Uint8Array>();
  private wakeup: TimerHandle | null = null;

  constructor(inner: PhyPort, node: NodeContext, options: string | number | RateLimitOptions) {
    super(inner, node);
    const resolved = resolveRateLimit(options);
    this.bitsPerSecond = resolved.bitsPerSecond;
    this.burst = resolved.burst ?? inner.capabilities.maxFrameBytes;
    this.queueLimit = resolved.queueLimit;
    this.tokens = this.burst;
    this.lastRefill = node.scheduler.now();
  }

  /** Frames waiting for tokens. */
  get queueLength(): number {
    return this.waiting.length;
  }

  transmit(frame: Uint8Array): boolean {
    if (frame.length > this.burst) {
      return this.limit(frame, `${frame.length}-byte frame is larger than the ${this.burst}-byte bucket`);
    }
    this.refill();
    if (this.waiting.length === 0 && this.tokens + TOKEN_EPSILON >= frame.length) {
      this.take(frame.length);
      return this.inner.transmit(frame);
    }
    if (this.waiting.length >= this.queueLimit) {
      return this.limit(frame, `rate limit ${this.bitsPerSecond} bit/s: queue full (${this.waiting.length} frames)`);
    }
    this.delayed++;
    if (this.node.tracer.active) this.traceDid('delayed', frame, `waiting for tokens (rate limit ${this.bitsPerSecond} bit/s, ${this.waiting.length} ahead)`);
    this.waiting.push(frame);
    this.scheduleWakeup();
    return true;
  }

  private limit(frame: Uint8Array, detail: string): false {
    this.limited++;
    this.lose(frame, DropReason.RateLimited, detail);
    return false;
  }

  private refill(): void {
    const now = this.node.scheduler.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.lastRefill) * this.bitsPerSecond) / 8e9);
    this.lastRefill = now;
  }

  private take(bytes: number): void {
    this.tokens = Math.max(0, this.tokens - bytes);
  }

  private scheduleWakeup(): void {
    if (this.wakeup !== null) return;
    const head = this.waiting.peek();
    if (head === undefined) return;
    const missing = Math.max(0, head.length - this.tokens);
    const wait = Math.ceil((missing * 8e9) / this.bitsPerSecond);
    this.wakeup = this.node.scheduler.schedule(wait, () => {
      this.wakeup = null;
      this.release();
    });
  }

  private release(): void {
    this.refill();
    for (;;) {
      const head = this.waiting.peek();
      if (head === undefined || this.tokens + TOKEN_EPSILON < head.length) break;
      this.waiting.shift();
      this.take(head.length);
      this.inner.transmit(head);
    }
    this.scheduleWakeup();
  }
}
