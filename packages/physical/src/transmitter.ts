// One transmitter on a medium: a drop-tail FIFO in front of a serializer. A frame starts
// when the line is free, occupies it for (bytes + framing overhead) * 8 / rate, and reaches
// the far end when its last bit has propagated (end of serialization + propagation delay).

import type { Scheduler, TimerHandle } from '@netlayers/core';
import { FifoQueue } from './frame-queue.ts';
import { serializationTime, type PhysicalCapabilities } from './options.ts';

export interface TransmitterEvents {
  /** Serialization of `frame` starts now (trace 'tx' here). */
  started(frame: Uint8Array): void;
  /** The last bit of `frame` has reached the far end. */
  arrived(frame: Uint8Array): void;
}

interface InFlight {
  readonly frame: Uint8Array;
  readonly arrival: TimerHandle;
}

export class SerialTransmitter {
  private readonly waiting = new FifoQueue<Uint8Array>();
  private readonly inFlight = new FifoQueue<InFlight>();
  private lineFree: TimerHandle | null = null;

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
    return this.lineFree !== null;
  }

  /** Start `frame` now or queue it; false when the queue is full (drop-tail). */
  offer(frame: Uint8Array): boolean {
    if (this.lineFree === null) {
      this.start(frame);
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
    const inFlight = this.inFlight.drain().map((f) => {
      f.arrival.cancel();
      return f.frame;
    });
    return { inFlight, queued: this.waiting.drain() };
  }

  private start(frame: Uint8Array): void {
    const { framingOverhead, bitsPerSecond, propagationDelay } = this.capabilities;
    const duration = serializationTime(frame.length, framingOverhead, bitsPerSecond);
    this.events.started(frame);
    // The arrival is scheduled before the line frees, so with zero delay it still runs first.
    const arrival = this.scheduler.schedule(duration + propagationDelay, () => {
      this.inFlight.shift();
      this.events.arrived(frame);
    });
    this.inFlight.push({ frame, arrival });
    this.lineFree = this.scheduler.schedule(duration, () => {
      this.lineFree = null;
      const next = this.waiting.shift();
      if (next !== undefined) this.start(next);
    });
  }
}
