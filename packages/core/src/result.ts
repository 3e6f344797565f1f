// Parse results. Untrusted bytes enter only through `parse` functions that return a value
// or a WireError and never throw (in the manner of smoltcp's `wire` module).

import type { DropReason } from './trace/drop-reasons.ts';

/** Why some bytes are not a valid PDU: a drop reason for the trace plus a human detail. */
export interface WireError {
  readonly wireError: true;
  readonly reason: DropReason;
  readonly detail: string;
}

export function wireError(reason: DropReason, detail: string): WireError {
  return { wireError: true, reason, detail };
}

export function isWireError(value: unknown): value is WireError {
  return typeof value === 'object' && value !== null && (value as { wireError?: unknown }).wireError === true;
}
