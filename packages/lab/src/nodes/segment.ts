// A shared segment: a medium that many nodes attach to directly (a hub, or a swapped-in
// shared medium such as the CSMA/CD bus). It is a node in the topology but has no stack.

import { createNodeContext, type Medium, type NodeContext } from '@netlayers/core';
import type { LabContext } from '../context.ts';

export class Segment {
  readonly kind = 'segment' as const;
  readonly context: NodeContext;

  constructor(readonly network: LabContext, readonly name: string, readonly medium: Medium, readonly label: string) {
    this.context = createNodeContext(network, name);
  }
}
