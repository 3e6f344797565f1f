// Reordering: with probability P a frame is held back for a fixed delay while the frames
// behind it go straight on, so they overtake it (netem's "reorder" needs a base delay and
// holds the other frames; here the chosen frame is the delayed one, which reads simpler).

import { formatDuration, type NodeContext, type PhyPort, type Random } from '@netlayers/core';
import { ImpairmentPort } from './impairment-port.ts';
import { resolveReorder, type ReorderOptions } from './options.ts';

export class ReorderImpairment extends ImpairmentPort {
  readonly probability: number;
  /** How long a held frame waits, in ns. */
  readonly delay: number;
  /** Frames held back. */
  held = 0;
  private readonly random: Random;

  constructor(inner: PhyPort, node: NodeContext, options: number | ReorderOptions, random: Random = node.random.fork(`impair:reorder:${inner.name}`)) {
    super(inner, node);
    const { probability, delay } = resolveReorder(options);
    this.probability = probability;
    this.delay = delay;
    this.random = random;
  }

  transmit(frame: Uint8Array): boolean {
    if (!this.random.chance(this.probability)) return this.inner.transmit(frame);
    this.held++;
    if (this.node.tracer.active) this.traceDid('delayed', frame, `held ${formatDuration(this.delay)} (reorder, p=${this.probability})`);
    this.forwardAfter(this.delay, frame);
    return true;
  }
}
