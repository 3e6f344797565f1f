// Messages between the page and the simulation worker. The worker runs a script with the
// real stack and sends back, for every Network the script made, its topology and the trace
// events it recorded (frame bytes included), plus what the script printed and wrote.

import type { TraceEvent } from '@netlayers/core';

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

export type WorkerMessage =
  | { readonly type: 'output'; readonly runId: number; readonly text: string }
  | { readonly type: 'progress'; readonly runId: number; readonly virtualTime: number; readonly events: number }
  | {
      readonly type: 'done';
      readonly runId: number;
      readonly networks: readonly RecordedNetwork[];
      readonly files: readonly { readonly path: string; readonly bytes: Uint8Array }[];
      readonly wallMs: number;
      readonly error?: { readonly message: string; readonly file?: string; readonly line?: number };
    };
