// Random frame duplication (netem "duplicate P"): with probability P a frame is sent twice,
// the original first and then an independent copy right behind it.

import type { NodeContext, PhyPort, Random } from '@netlayers/core';
import { ImpairmentPort } from './impairment-port.ts';
import { assertProbability } from './options.ts';

export class DuplicateImpairment extends ImpairmentPort {
  readonly probability: number;
  /** Extra copies sent. */
  duplicated = 0;
  private readonly random: Random;

  constructor(inner: PhyPort, node: NodeContext, probability: number, random: Random = node.random.fork(`impair:duplicate:${inner.name}`)) {
    super(inner, node);
    assertProbability('duplicate', probability);
    this.probability = probability;
    this.random = random;
  }

  transmit(frame: Uint8Array): boolean {
    if (!this.random.chance(this.probability)) return this.inner.transmit(frame);
    const copy = frame.slice();
    const accepted = this.inner.transmit(frame);
    this.duplicated++;
    if (this.node.tracer.active) this.traceDid('duplicated', copy, `duplicate (p=${this.probability})`);
    this.inner.transmit(copy);
    return accepted;
  }
}
