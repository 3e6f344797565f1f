// Run overrides: what a runner (the CLI, the browser page) imposes on every Network a script
// creates, without editing the script: the seed, and options applied over every
// point-to-point link's own (bandwidth, delay, impairments). A teacher re-runs an example
// with 5 % loss or another seed; the script stays as shipped.

import { InvalidArgumentError } from '@netlayers/core';
import type { ImpairmentOptions, PointToPointOptions } from '@netlayers/physical';

export interface RunOverrides {
  /** Replaces the seed the script passes to `new Network({ seed })`. */
  readonly seed?: number | string;
  /** Laid over every point-to-point connection's options; impairments merge field by field. */
  readonly link?: Readonly<Pick<PointToPointOptions, 'bandwidth' | 'delay' | 'mtu' | 'queueLimit'>> & { readonly impairments?: Readonly<ImpairmentOptions> };
}

let active: RunOverrides = {};

/** Impose overrides on every Network created until the returned function is called. */
export function setRunOverrides(overrides: RunOverrides): () => void {
  if (overrides.seed !== undefined && typeof overrides.seed !== 'string' && !Number.isSafeInteger(overrides.seed)) {
    throw new InvalidArgumentError('seed', overrides.seed, 'must be an integer or a string');
  }
  const previous = active;
  active = overrides;
  return () => {
    active = previous;
  };
}

export function currentRunOverrides(): RunOverrides {
  return active;
}

/** A link's own options with the run's link overrides laid over them. */
export function applyLinkOverrides<T extends PointToPointOptions>(options: T): T {
  const link = active.link;
  if (link === undefined) return options;
  const { impairments, ...rest } = link;
  const merged = { ...options, ...rest } as T;
  if (impairments !== undefined) merged.impairments = { ...options.impairments, ...impairments };
  return merged;
}
