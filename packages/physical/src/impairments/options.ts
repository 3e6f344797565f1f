// Impairment options (in the spirit of Linux netem and tbf) and their validation: a bad
// probability, duration or rate throws a typed error naming the value, before any port exists.

import { InvalidArgumentError, assertIntegerInRange, parseBandwidth, parseDuration, parseSize } from '@netlayers/core';

export interface ReorderOptions {
  /** Probability that a frame is held back so later frames overtake it. */
  probability: number;
  /** How long a held frame waits (default 1 ms). */
  delay?: string | number;
}

export interface RateLimitOptions {
  /** Token rate: "10Mbps" or bits per second. */
  rate: string | number;
  /** Bucket size in bytes ("3000B" or a number); at least one frame (default: the port's maxFrameBytes). */
  burst?: string | number;
  /** Frames that may wait for tokens; beyond it they drop with RateLimited (default 100, 0 = police only). */
  queueLimit?: number;
}

export interface ImpairmentOptions {
  /** Probability that a frame is lost. */
  loss?: number;
  /** Probability that a frame is sent twice. */
  duplicate?: number;
  /** Probability that one random bit of a frame (a copy of it) is flipped. */
  corrupt?: number;
  /** Probability (or full options) that a frame is held back and overtaken. */
  reorder?: number | ReorderOptions;
  /** Largest extra delay, drawn uniformly from 0..max per frame ("2ms" or ns); it can reorder frames, as netem's jitter does. */
  jitter?: string | number;
  /** Token-bucket rate limit: a rate ("1Mbps") or full options. */
  rateLimit?: string | number | RateLimitOptions;
}

export const DEFAULT_REORDER_DELAY = '1ms';
export const DEFAULT_RATE_QUEUE_LIMIT = 100;

/** Throw InvalidArgumentError unless `value` is a probability in [0, 1]. */
export function assertProbability(argument: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new InvalidArgumentError(argument, value, 'must be a probability from 0 to 1');
  }
}

export interface ResolvedReorder {
  readonly probability: number;
  readonly delay: number;
}

export function resolveReorder(option: number | ReorderOptions): ResolvedReorder {
  const { probability, delay } = typeof option === 'number' ? { probability: option, delay: undefined } : option;
  assertProbability('reorder probability', probability);
  return { probability, delay: parseDuration(delay ?? DEFAULT_REORDER_DELAY) };
}

export interface ResolvedRateLimit {
  readonly bitsPerSecond: number;
  readonly burst: number | undefined;
  readonly queueLimit: number;
}

export function resolveRateLimit(option: string | number | RateLimitOptions): ResolvedRateLimit {
  const full = typeof option === 'object' && option !== null ? option : { rate: option };
  const bitsPerSecond = parseBandwidth(full.rate);
  const burst = full.burst === undefined ? undefined : parseSize(full.burst);
  if (burst !== undefined && burst < 1) throw new InvalidArgumentError('burst', full.burst, 'must be at least one byte');
  const queueLimit = full.queueLimit ?? DEFAULT_RATE_QUEUE_LIMIT;
  assertIntegerInRange('rateLimit queueLimit', queueLimit, 0, 2 ** 31 - 1);
  return { bitsPerSecond, burst, queueLimit };
}

/** Validate every field (throws on the first bad one). */
export function validateImpairments(options: ImpairmentOptions): void {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('impairments', options, 'must be an object');
  if (options.loss !== undefined) assertProbability('loss', options.loss);
  if (options.duplicate !== undefined) assertProbability('duplicate', options.duplicate);
  if (options.corrupt !== undefined) assertProbability('corrupt', options.corrupt);
  if (options.reorder !== undefined) resolveReorder(options.reorder);
  if (options.jitter !== undefined) parseDuration(options.jitter);
  if (options.rateLimit !== undefined) resolveRateLimit(options.rateLimit);
}
