// A hub (a multiport repeater, IEEE 802.3 clause 9 in spirit): a frame sent on one port is
// repeated to every other port once its last bit has propagated. Each port has its own
// transmitter and queue; frames never collide here (a shared half-duplex medium with
// collisions is the CSMA/CD swap in @netlayers/swaps).

import type { SimulationContext } from '@netlayers/core';
import { MediumBase } from './medium-base.ts';
import type { MediumPort } from './medium-port.ts';
import type { HubOptions } from './options.ts';

export class Hub extends MediumBase {
  constructor(sim: SimulationContext, options: HubOptions = {}) {
    super(sim, options);
  }

  protected describe(): string {
    return `hub[${this.mediumPorts.map((p) => p.name).join(', ')}]`;
  }

  protected carry(from: MediumPort, frame: Uint8Array): void {
    // The first receiver gets the sender's buffer; every other receiver its own copy.
    let first = true;
    for (const port of this.mediumPorts) {
      if (port === from || !port.isUp) continue;
      port.deliver(first ? frame : frame.slice());
      first = false;
    }
  }
}
