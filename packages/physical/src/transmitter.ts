// One transmitter on a medium: a drop-tail FIFO in front of a serializer. A frame starts
// when the line is free, occupies it for (bytes + framing overhead) * 8 / rate, and reaches
// the far end when its last bit has propagated (end of serialization + propagation delay).
// Frames on one line arrive in the order they started, so the in-flight frames are a FIFO
// and the two scheduler callbacks are bound once per transmitter, not made per frame.
// The end of serialization is an event only while frames wait behind the one on the line:
// otherwise the transmitter just remembers when the line frees and the next offer compares
// it with the clock (one event per frame instead of two on an uncongested line).

import type { Scheduler, TimerHandle } from '@netlayers/core';
import { FifoQueue } from './frame-queue.ts';
import { serializationTime, type PhysicalCapabilities } from './options.ts';

export interface TransmitterEvents {
  /** Serialization of `frame` starts now (trace 'tx' here). */
  started(frame: Uint8Array): void;
  /** The last bit of `frame` has reached the far end. */
  arrived(frame: Uint8Array): void;
}

export class SerialTransmitter {
  private readonly waiting = new FifoQueue<Uint8Array>();
  /** Frames serialized (or being serialized) whose last bit has not arrived, oldest first, and their arrival events. */
  private readonly inFlight = new FifoQueue<Uint8Array>();
  private readonly arrivals = new FifoQueue<TimerHandle>();
  /** Armed only while frames wait: the end of the current serialization, which starts the next. */
  private lineFree: TimerHandle | null = null;
  /** Virtual time at which the frame on the line (if any) has been serialized. */
  private lineFreeAt = -1;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly capabilities: PhysicalCapabilities,
    private readonly queueLimit: number,
    private readonly events: TransmitterEvents,
  ) {}

  /** Frames waiting behind the one on the line. */
  get queueLength(): number {
    return this.waiting.length;
  }

  /** True while a frame is being serialized. */
  get busy(): boolean {
    return this.lineFree !== null || this.scheduler.now() < this.lineFreeAt;
  }

  /** Start `frame` now or queue it; false when the queue is full (drop-tail). */
  offer(frame: Uint8Array): boolean {
    if (this.lineFree === null) {
      if (this.scheduler.now() >= this.lineFreeAt) {
        this.start(frame);
        return true;
      }
      if (this.queueLimit <= 0) return false;
      this.waiting.push(frame);
      this.lineFree = this.scheduler.scheduleAt(this.lineFreeAt, this.onLineFree);
      return true;
    }
    if (this.waiting.length >= this.queueLimit) return false;
    this.waiting.push(frame);
    return true;
  }

  /** Stop everything: cancel the frame on the line and those in flight; return them and the queued ones, oldest first. */
  flush(): { inFlight: Uint8Array[]; queued: Uint8Array[] } {
    this.lineFree?.cancel();
    this.lineFree = null;
    this.lineFreeAt = -1;
    for (const arrival of this.arrivals.drain()) arrival.cancel();
    return { inFlight: this.inFlight.drain(), queued: this.waiting.drain() };
  }

  private start(frame: Uint8Array): void {
    const { framingOverhead, bitsPerSecond, propagationDelay } = this.capabilities;
    const duration = serializationTime(frame.length, framingOverhead, bitsPerSecond);
    this.events.started(frame);
    // The arrival is scheduled before the line frees, so with zero delay it still runs first.
    this.arrivals.push(this.scheduler.schedule(duration + propagationDelay, this.onArrival));
    this.inFlight.push(frame);
    this.lineFreeAt = this.scheduler.now() + duration;
  }

  private readonly onArrival = (): void => {
    this.arrivals.shift();
    const frame = this.inFlight.shift();
    if (frame !== undefined) this.events.arrived(frame);
  };

  private readonly onLineFree = (): void => {
    this.lineFree = null;
    const next = this.waiting.shift();
    if (next === undefined) return;
    this.start(next);
    if (this.waiting.length > 0) this.lineFree = this.scheduler.scheduleAt(this.lineFreeAt, this.onLineFree);
  };
}
