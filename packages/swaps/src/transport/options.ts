// Options of the ARQ swaps, checked once at construction (typed errors naming the value).

import { InvalidArgumentError, assertIntegerInRange, parseDuration } from '@netlayers/core';
import type { ArqConfig } from './arq-socket.ts';

export interface ArqOptions {
  /** Retransmission timeout: nanoseconds or a duration such as "200ms" (default 200 ms). It must exceed the longest round trip. */
  readonly timeout?: number | string;
  /** Consecutive timeouts before ETIMEDOUT (default 12). */
  readonly maxRetries?: number;
  /** Payload bytes per segment (default: path MTU - 20 - 16). */
  readonly segmentSize?: number;
  /** Unacknowledged bytes above which write() returns false (default 64 KiB). */
  readonly highWaterMark?: number;
  /** TIME-WAIT linger (default 4 * timeout). */
  readonly linger?: number | string;
  /** IP protocol number (default 253 for stop-and-wait, 254 for go-back-N; RFC 3692). */
  readonly protocolNumber?: number;
}

export function arqConfig(name: string, defaultProtocol: number, modulus: number, window: number, options: ArqOptions): ArqConfig {
  const timeout = parseDuration(options.timeout ?? '200ms');
  if (timeout <= 0) throw new InvalidArgumentError('timeout', options.timeout, 'must be greater than zero');
  const maxRetries = options.maxRetries ?? 12;
  assertIntegerInRange('maxRetries', maxRetries, 1, 1000);
  if (options.segmentSize !== undefined) assertIntegerInRange('segmentSize', options.segmentSize, 1, 65535 - 20 - 16);
  const highWaterMark = options.highWaterMark ?? 64 * 1024;
  assertIntegerInRange('highWaterMark', highWaterMark, 1, Number.MAX_SAFE_INTEGER);
  const protocolNumber = options.protocolNumber ?? defaultProtocol;
  assertIntegerInRange('protocolNumber', protocolNumber, 0, 255);
  return {
    name,
    protocolNumber,
    modulus,
    window,
    timeout,
    maxRetries,
    segmentSize: options.segmentSize,
    highWaterMark,
    linger: options.linger !== undefined ? parseDuration(options.linger) : 4 * timeout,
  };
}
