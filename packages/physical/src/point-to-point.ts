// A full-duplex point-to-point link between exactly two ports (a cable): each direction has
// its own transmitter, queue and serializer, so traffic one way never delays the other.
// Timing per frame: (bytes + framing overhead) * 8 / rate of serialization, then the
// propagation delay (IEEE 802.3 full-duplex operation, clause 31 / annex 31A).

import { DropReason, InvalidArgumentError, type NodeContext, type PhyPort, type SimulationContext } from '@netlayers/core';
import { MediumBase } from './medium-base.ts';
import type { MediumPort } from './medium-port.ts';
import type { PointToPointOptions } from './options.ts';

export class PointToPointLink extends MediumBase {
  constructor(sim: SimulationContext, options: PointToPointOptions = {}) {
    super(sim, options);
  }

  /** Attach one end; a link has two, so a third call throws InvalidArgumentError. */
  override attach(node: NodeContext, portName: string): PhyPort {
    if (this.mediumPorts.length >= 2) {
      throw new InvalidArgumentError('portName', portName, `link ${this.name} already has two ends (${this.mediumPorts.map((p) => p.name).join(', ')})`);
    }
    return super.attach(node, portName);
  }

  protected describe(): string {
    return this.mediumPorts.length === 0 ? 'point-to-point link' : this.mediumPorts.map((p) => p.name).join('<->');
  }

  protected carry(from: MediumPort, frame: Uint8Array): void {
    const to = this.mediumPorts.find((port) => port !== from);
    if (to === undefined) {
      this.loseFrom(from, frame, DropReason.InterfaceDown, `no port attached at the far end of ${this.name}`);
      return;
    }
    to.deliver(frame);
  }
}
