// What a node needs from the network that made it: the simulation (scheduler, trace bus,
// seed) and a way to drive virtual time for async helpers such as ping. Nodes depend on
// this, not on the Network class, so the composition has no import cycle.

import type { SimulationContext } from '@netlayers/core';

export interface LabContext extends SimulationContext {
  /** Drive virtual time (with Node's event loop running between events) until `promise` settles. */
  drive<T>(promise: Promise<T>): Promise<T>;
}
