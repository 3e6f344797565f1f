// The simulation and node contexts every layer is constructed with: the shared scheduler,
// the trace bus, and a random stream forked per node and per component.

import { Scheduler } from '../time/scheduler.ts';
import { Random } from '../random.ts';
import { TraceBus, Tracer, Counters } from '../trace/bus.ts';

/** What one simulation shares: one clock, one trace bus, one root random seed. */
export interface SimulationContext {
  readonly scheduler: Scheduler;
  readonly trace: TraceBus;
  readonly random: Random;
}

/** What a layer on one node gets: the simulation's scheduler, a tracer stamped with the node's name, its own random stream and counters. */
export interface NodeContext {
  readonly name: string;
  readonly scheduler: Scheduler;
  readonly tracer: Tracer;
  readonly random: Random;
  readonly counters: Counters;
}

export function createSimulationContext(seed: number | string = 1): SimulationContext {
  return { scheduler: new Scheduler(), trace: new TraceBus(), random: new Random(seed) };
}

/** A node's context; its random stream is forked by name, so adding nodes changes no other node's stream. */
export function createNodeContext(sim: SimulationContext, name: string): NodeContext {
  const counters = new Counters();
  return {
    name,
    scheduler: sim.scheduler,
    tracer: new Tracer(sim.trace, sim.scheduler, name, counters),
    random: sim.random.fork(`node:${name}`),
    counters,
  };
}
