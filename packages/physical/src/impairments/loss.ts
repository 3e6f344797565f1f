// Random frame loss (netem "loss random P"): each frame is lost independently with
// probability P. A lost frame is traced as a 'lost' frame event and counted as an
// Impairment drop; the sender is told the frame was accepted, as on a real wire.

import { DropReason, type NodeContext, type PhyPort, type Random } from '@netlayers/core';
import { ImpairmentPort } from './impairment-port.ts';
import { assertProbability } from './options.ts';

export class LossImpairment extends ImpairmentPort {
  readonly probability: number;
  /** Frames this wrapper lost. */
  lost = 0;
  private readonly random: Random;

  constructor(inner: PhyPort, node: NodeContext, probability: number, random: Random = node.random.fork(`impair:loss:${inner.name}`)) {
    super(inner, node);
    assertProbability('loss', probability);
    this.probability = probability;
    this.random = random;
  }

  transmit(frame: Uint8Array): boolean {
    if (this.random.chance(this.probability)) {
      this.lost++;
      this.lose(frame, DropReason.Impairment, `loss (p=${this.probability})`);
      return true;
    }
    return this.inner.transmit(frame);
  }
}
