// Typed errors for public-API misuse. Layers never throw on bad *input bytes* (those
// become WireErrors and drops); these are for callers who pass a bad argument.

/** Base class: every error netlayers throws at a caller is one of these, with a stable code. */
export class NetlayersError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
    this.name = new.target.name;
  }
}

/** A string or number that should have been an address (MAC, IPv4, CIDR) and is not. */
export class InvalidAddressError extends NetlayersError {
  readonly value: string;
  constructor(value: string, why: string) {
    super('ERR_INVALID_ADDRESS', `invalid address ${JSON.stringify(value)}: ${why}`);
    this.value = value;
  }
}

/** A quantity with units ("100Mbps", "5ms", "1500B") that did not parse or is out of range. */
export class InvalidUnitError extends NetlayersError {
  readonly value: string;
  constructor(value: string, why: string) {
    super('ERR_INVALID_UNIT', `invalid quantity ${JSON.stringify(value)}: ${why}`);
    this.value = value;
  }
}

/** Any other argument out of its allowed range (a port of 70000, a negative delay). */
export class InvalidArgumentError extends NetlayersError {
  readonly argument: string;
  constructor(argument: string, value: unknown, why: string) {
    super('ERR_INVALID_ARGUMENT', `invalid ${argument} ${describeValue(value)}: ${why}`);
    this.argument = argument;
  }
}

/** An operation that is not allowed in the object's current state (write after close, ...). */
export class InvalidStateError extends NetlayersError {
  constructor(code: string, message: string) {
    super(code, message);
  }
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return String(value);
  return `(${typeof value})`;
}

/** Throw InvalidArgumentError unless `value` is an integer in [min, max]. */
export function assertIntegerInRange(argument: string, value: unknown, min: number, max: number): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidArgumentError(argument, value, `must be an integer from ${min} to ${max}`);
  }
}

/** Throw InvalidArgumentError unless `port` is a valid TCP/UDP port (0 allowed when `allowZero`). */
export function assertPort(value: unknown, argument = 'port', allowZero = false): asserts value is number {
  assertIntegerInRange(argument, value, allowZero ? 0 : 1, 65535);
}
