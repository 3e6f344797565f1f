// Messages between the page and the simulation worker. The worker runs a script with the
// real stack and sends back, for every Network the script made, its topology and the trace
// events it recorded (frame bytes included, packed into transferable buffers: pack.ts),
// plus what the script printed and wrote. One worker serves run after run (its JIT stays
// warm); the page ends it only to stop a run that is still going.

import type { TraceEvent } from '@netlayers/core';
import type { PackedEvents } from './pack.ts';

export interface RunOptions {
  readonly seed?: number;
  /** Loss probability laid over every link, 0..1. */
  readonly loss?: number;
  /** Probability that the medium duplicates a frame, laid over every link, 0..1. */
  readonly duplicate?: number;
  /** One-way delay laid over every link ("2ms"). */
  readonly delay?: string;
  /** Line rate laid over every link ("10Mbps"). */
  readonly bandwidth?: string;
  /** Extra command-line arguments for the script (its own flags: --cc cubic, --msl 30s). */
  readonly args?: readonly string[];
}

export interface RunRequest {
  readonly type: 'run';
  readonly runId: number;
  readonly files: Readonly<Record<string, string>>;
  /** Build-time transpiled code of the files sent unchanged from the shipped examples. */
  readonly transpiled: Readonly<Record<string, string>>;
  readonly entry: string;
  readonly options: RunOptions;
}

export interface TopologyNode {
  readonly name: string;
  readonly kind: 'host' | 'router' | 'switch' | 'segment';
  readonly interfaces: readonly { readonly name: string; readonly address?: string; readonly mac?: string }[];
}

export interface TopologyLink {
  readonly name: string;
  readonly a: string;
  readonly b: string;
  readonly label: string;
}

export interface RecordedNetwork {
  readonly seed: number | string;
  readonly nodes: readonly TopologyNode[];
  readonly links: readonly TopologyLink[];
  readonly events: readonly TraceEvent[];
  /** Virtual time when the script finished, in ns. */
  readonly endTime: number;
}

/** A network as posted by the worker: its events packed (unpackEvents gives them back). */
export interface PackedNetwork extends Omit<RecordedNetwork, 'events'> {
  readonly events: PackedEvents;
}

/** Where the worker's time went, for the page's record of Run → shown. Instants are epoch ms (performance.timeOrigin + now()), comparable across the page and the worker. */
export interface WorkerTimings {
  /** The worker began the run (after its start-up, for a new worker). */
  readonly startedAt: number;
  /** The script's run, from its start to its events recorded. */
  readonly runMs: number;
  /** Packing the events into buffers. */
  readonly packMs: number;
  /** Just before the results were posted. */
  readonly postedAt: number;
  /** Runs this worker has done, this one included (1: a new worker, its JIT cold). */
  readonly runsInWorker: number;
}

export type WorkerMessage =
  | { readonly type: 'output'; readonly runId: number; readonly text: string }
  | { readonly type: 'progress'; readonly runId: number; readonly virtualTime: number; readonly events: number }
  | {
      readonly type: 'done';
      readonly runId: number;
      readonly networks: readonly PackedNetwork[];
      readonly files: readonly { readonly path: string; readonly bytes: Uint8Array }[];
      readonly timings: WorkerTimings;
      readonly error?: { readonly message: string; readonly file?: string; readonly line?: number };
    };
