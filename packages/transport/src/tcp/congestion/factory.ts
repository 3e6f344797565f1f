// Choosing a congestion-control algorithm by name: Reno (RFC 5681), NewReno (RFC 6582),
// CUBIC (RFC 9438). Unknown names are caller misuse (InvalidArgumentError).

import { InvalidArgumentError } from '@netlayers/core';
import type { CongestionControl, CongestionControlName } from './types.ts';
import { RenoCongestionControl, type CongestionControlOptions } from './reno.ts';
import { NewRenoCongestionControl } from './newreno.ts';
import { CubicCongestionControl, type CubicOptions } from './cubic.ts';

/** Every algorithm `createCongestionControl` knows, in a stable order. */
export const congestionControlNames: readonly CongestionControlName[] = Object.freeze(['reno', 'newreno', 'cubic'] as const);

export function createCongestionControl(name: CongestionControlName, options: CongestionControlOptions & CubicOptions = {}): CongestionControl {
  switch (name) {
    case 'reno':
      return new RenoCongestionControl(options);
    case 'newreno':
      return new NewRenoCongestionControl(options);
    case 'cubic':
      return new CubicCongestionControl(options);
    default:
      throw new InvalidArgumentError('congestion control', name, `must be one of ${congestionControlNames.join(', ')}`);
  }
}
