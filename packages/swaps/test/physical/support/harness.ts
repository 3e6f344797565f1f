// Test helpers for the CSMA/CD bus: a simulation with stations on one bus, numbered frames
// and per-station arrival records.

import { createNodeContext, createSimulationContext, type TraceEvent } from '@netlayers/core';
import { CsmaCdBus, type CsmaCdOptions } from '../../../src/physical/index.ts';

export function numberedFrame(station: number, seq: number, length = 64): Uint8Array {
  const f = new Uint8Array(length);
  f[0] = station;
  new DataView(f.buffer).setUint32(1, seq);
  for (let i = 5; i < length; i++) f[i] = (i + seq) & 0xff;
  return f;
}

export function frameId(frame: Uint8Array): string {
  return `${frame[0]}:${new DataView(frame.buffer, frame.byteOffset).getUint32(1)}`;
}

export interface Arrival {
  time: number;
  id: string;
}

export function busWith(count: number, options: CsmaCdOptions = {}, seed: number | string = 1) {
  const sim = createSimulationContext(seed);
  const bus = new CsmaCdBus(sim, options);
  const nodes = Array.from({ length: count }, (_, i) => createNodeContext(sim, `s${i + 1}`));
  const stations = nodes.map((n) => bus.attach(n, 'eth0'));
  const arrivals: Arrival[][] = stations.map((station) => {
    const list: Arrival[] = [];
    station.setReceiver((frame) => list.push({ time: sim.scheduler.now(), id: frameId(frame) }));
    return list;
  });
  const events: TraceEvent[] = [];
  return {
    sim,
    bus,
    nodes,
    stations,
    arrivals,
    events,
    trace() {
      sim.trace.on('event', (e) => events.push(e));
      return events;
    },
  };
}
