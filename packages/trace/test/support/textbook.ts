// Test support: record one textbook run of the fake world.

import type { TraceEvent } from '@netlayers/core';
import { TraceRecorder } from '../../src/recorder.ts';
import { FakeTcpWorld, playTextbook } from './fake-tcp-world.ts';

export function textbookEvents(options: { loseRequest?: boolean; isn?: { client: number; server: number } } = {}): { world: FakeTcpWorld; recorder: TraceRecorder; events: readonly TraceEvent[] } {
  const world = new FakeTcpWorld(options.isn ? { isn: options.isn } : {});
  const recorder = new TraceRecorder().record(world.sim.trace);
  playTextbook(world, options);
  world.sim.scheduler.runUntilIdle();
  return { world, recorder, events: recorder.events };
}
