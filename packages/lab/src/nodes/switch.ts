// A switch node: a learning bridge (IEEE 802.1D style, link layer only) with one port per
// connection. It never looks above the Ethernet header.

import { createNodeContext, type NodeContext, type PhyPort } from '@netlayers/core';
import { LearningSwitch } from '@netlayers/link';
import type { LabContext } from '../context.ts';

export interface SwitchOptions {
  /** MAC table aging time ('300s' by default). */
  agingTime?: string | number;
}

export class Switch {
  readonly kind = 'switch' as const;
  readonly context: NodeContext;
  readonly bridge: LearningSwitch;
  readonly ports: PhyPort[] = [];

  constructor(readonly network: LabContext, readonly name: string, options: SwitchOptions = {}) {
    this.context = createNodeContext(network, name);
    this.bridge = new LearningSwitch(this.context, options.agingTime === undefined ? {} : { agingTime: options.agingTime });
  }

  nextPortName(): string {
    return `port${this.ports.length + 1}`;
  }

  attachPort(port: PhyPort): void {
    this.ports.push(port);
    this.bridge.addPort(port);
  }
}
