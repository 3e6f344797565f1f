// Compose impairments around a port in one fixed order, the order a transmitted frame meets
// them (after netem's enqueue path): loss -> duplicate -> corrupt -> reorder -> jitter ->
// rate limit -> the port. So a lost frame is never duplicated, each duplicate is corrupted
// independently, and the rate limiter shapes what jitter and reordering let through.

import type { NodeContext, PhyPort } from '@netlayers/core';
import { CorruptImpairment } from './corrupt.ts';
import { DuplicateImpairment } from './duplicate.ts';
import { JitterImpairment } from './jitter.ts';
import { LossImpairment } from './loss.ts';
import { validateImpairments, type ImpairmentOptions } from './options.ts';
import { RateLimitImpairment } from './rate-limit.ts';
import { ReorderImpairment } from './reorder.ts';

/** The order a frame meets the impairments, outermost first. */
export const IMPAIRMENT_ORDER = ['loss', 'duplicate', 'corrupt', 'reorder', 'jitter', 'rateLimit'] as const;

/**
 * Wrap `port` in the impairments `options` asks for (absent or zero ones are skipped), each
 * with its own random stream forked from `node.random` as "impair:<kind>:<port name>".
 * Returns `port` itself when nothing applies.
 */
export function impair(port: PhyPort, node: NodeContext, options: ImpairmentOptions): PhyPort {
  validateImpairments(options);
  let wrapped = port;
  // Built innermost first, so the frame meets them in IMPAIRMENT_ORDER.
  if (options.rateLimit !== undefined) wrapped = new RateLimitImpairment(wrapped, node, options.rateLimit);
  if (options.jitter !== undefined && options.jitter !== 0) wrapped = new JitterImpairment(wrapped, node, options.jitter);
  if (options.reorder !== undefined && options.reorder !== 0) wrapped = new ReorderImpairment(wrapped, node, options.reorder);
  if (options.corrupt) wrapped = new CorruptImpairment(wrapped, node, options.corrupt);
  if (options.duplicate) wrapped = new DuplicateImpairment(wrapped, node, options.duplicate);
  if (options.loss) wrapped = new LossImpairment(wrapped, node, options.loss);
  return wrapped;
}
