// Argument checks for the TcpSocket API (project rule: public-API misuse gets a typed error
// saying what was wrong, and leaves the object usable). Checks run before any state changes.

import { InvalidArgumentError } from '@netlayers/core';

const encoder = new TextEncoder();

/** Strings are encoded into this scratch array: write() copies them into the send buffer at once. */
const scratch = new Uint8Array(16 * 1024);

/**
 * The bytes to send for `data`, which must be a Uint8Array (a Buffer is one) or a string
 * (sent as UTF-8), as StreamSocket.write documents. Anything else throws InvalidArgumentError.
 */
export function sendBytes(argument: string, data: unknown): Uint8Array {
  if (typeof data === 'string') {
    if (data.length * 3 > scratch.length) return encoder.encode(data);
    return scratch.subarray(0, encoder.encodeInto(data, scratch).written);
  }
  if (data instanceof Uint8Array) return data;
  throw new InvalidArgumentError(argument, data, 'must be a Uint8Array (or Buffer) or a string');
}

export function assertBoolean(argument: string, value: unknown): asserts value is boolean {
  if (typeof value !== 'boolean') throw new InvalidArgumentError(argument, value, 'must be true or false');
}

/** A duration in nanoseconds: a finite number >= 0. */
export function assertDurationNs(argument: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidArgumentError(argument, value, 'must be a finite number of nanoseconds >= 0');
  }
}

/** Options of TcpSocket.write. */
export interface TcpWriteOptions {
  /** Send the bytes as urgent data (URG, RFC 9293 §3.8.5). */
  readonly urgent?: boolean;
}

/** Check write()'s options; returns whether the data is urgent. */
export function writeOptions(options: unknown): boolean {
  if (options === undefined) return false;
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options', options, 'must be an object such as { urgent: true }');
  const urgent = (options as { urgent?: unknown }).urgent;
  if (urgent === undefined) return false;
  assertBoolean('options.urgent', urgent);
  return urgent;
}
