// Jitter: every frame waits an extra delay drawn uniformly from 0..max nanoseconds before it
// reaches the transmitter. As with netem's jitter, a frame that draws a long delay can be
// overtaken by a later one that draws a short delay: jitter reorders.

import { formatDuration, parseDuration, type NodeContext, type PhyPort, type Random } from '@netlayers/core';
import { ImpairmentPort } from './impairment-port.ts';

export class JitterImpairment extends ImpairmentPort {
  /** Largest extra delay in ns. */
  readonly max: number;
  private readonly random: Random;

  constructor(inner: PhyPort, node: NodeContext, max: string | number, random: Random = node.random.fork(`impair:jitter:${inner.name}`)) {
    super(inner, node);
    this.max = parseDuration(max);
    this.random = random;
  }

  transmit(frame: Uint8Array): boolean {
    if (this.max === 0) return this.inner.transmit(frame);
    const delay = this.random.int(0, this.max);
    if (delay > 0 && this.node.tracer.active) this.traceDid('delayed', frame, `jitter ${formatDuration(delay)}`);
    this.forwardAfter(delay, frame);
    return true;
  }
}
