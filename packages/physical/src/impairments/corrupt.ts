// Random bit corruption (netem "corrupt P"): with probability P exactly one bit, chosen
// uniformly over the whole frame, is flipped in a *copy* of the frame, so the Ethernet FCS
// (IEEE 802.3 CRC-32) and the IPv4/TCP/UDP checksums above catch it.

import type { NodeContext, PhyPort, Random } from '@netlayers/core';
import { ImpairmentPort } from './impairment-port.ts';
import { assertProbability } from './options.ts';

export class CorruptImpairment extends ImpairmentPort {
  readonly probability: number;
  /** Frames corrupted. */
  corrupted = 0;
  private readonly random: Random;

  constructor(inner: PhyPort, node: NodeContext, probability: number, random: Random = node.random.fork(`impair:corrupt:${inner.name}`)) {
    super(inner, node);
    assertProbability('corrupt', probability);
    this.probability = probability;
    this.random = random;
  }

  transmit(frame: Uint8Array): boolean {
    if (frame.length === 0 || !this.random.chance(this.probability)) return this.inner.transmit(frame);
    const copy = frame.slice();
    const bit = this.random.int(0, frame.length * 8 - 1);
    copy[bit >>> 3]! ^= 0x80 >>> (bit & 7);
    this.corrupted++;
    if (this.node.tracer.active) this.traceDid('corrupted', copy, `flipped bit ${bit & 7} of byte ${bit >>> 3} (of ${frame.length})`);
    return this.inner.transmit(copy);
  }
}
