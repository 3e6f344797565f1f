// Human units for configuration: "100Mbps", "5ms", "1500B". Each parser accepts a plain
// number in the base unit too and throws InvalidUnitError naming the bad value.

import { InvalidUnitError } from './errors.ts';

const BANDWIDTH: Record<string, number> = {
  bps: 1, kbps: 1e3, mbps: 1e6, gbps: 1e9, tbps: 1e12,
  'bit/s': 1, 'kbit/s': 1e3, 'mbit/s': 1e6, 'gbit/s': 1e9,
};
const DURATION: Record<string, number> = {
  ns: 1, us: 1e3, 'µs': 1e3, ms: 1e6, s: 1e9, min: 60e9, m: 60e9, h: 3600e9,
};
const SIZE: Record<string, number> = {
  b: 1, byte: 1, bytes: 1, kb: 1e3, mb: 1e6, gb: 1e9, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3,
};

const QUANTITY = /^\s*([0-9]+(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?)\s*([a-zµ/]*)\s*$/i;

function parseQuantity(input: string | number, table: Record<string, number>, what: string, defaultUnit: string): number {
  if (typeof input === 'number') {
    if (!Number.isFinite(input) || input < 0) throw new InvalidUnitError(String(input), `${what} must be a finite number >= 0`);
    return input;
  }
  if (typeof input !== 'string') throw new InvalidUnitError(String(input), `${what} must be a string or a number`);
  const m = QUANTITY.exec(input);
  if (m === null) {
    throw new InvalidUnitError(input, `expected a non-negative number and a unit (${Object.keys(table).join(', ')})`);
  }
  const unit = (m[2] ?? '').toLowerCase() || defaultUnit;
  const factor = table[unit] ?? table[unit.replace('µ', 'u')];
  if (factor === undefined) {
    throw new InvalidUnitError(input, `unknown ${what} unit "${m[2]}" (use ${Object.keys(table).join(', ')})`);
  }
  return Number(m[1]) * factor;
}

/** Bits per second from "100Mbps", "1 Gbit/s", or a number of bit/s. */
export function parseBandwidth(input: string | number): number {
  const v = parseQuantity(input, BANDWIDTH, 'bandwidth', 'bps');
  if (v <= 0) throw new InvalidUnitError(String(input), 'bandwidth must be greater than zero');
  return v;
}

/** Integer nanoseconds from "5ms", "2min", "150us", or a number of nanoseconds. */
export function parseDuration(input: string | number): number {
  return Math.round(parseQuantity(input, DURATION, 'duration', 'ns'));
}

/** Integer bytes from "1500B", "64KiB", "1MB", or a number of bytes. */
export function parseSize(input: string | number): number {
  const v = parseQuantity(input, SIZE, 'size', 'b');
  if (!Number.isInteger(v)) throw new InvalidUnitError(String(input), 'size must be a whole number of bytes');
  return v;
}

/** "1.5 ms", "2 s", "120 ns": a readable duration for traces. */
export function formatDuration(ns: number): string {
  const abs = Math.abs(ns);
  if (abs >= 60e9 && abs % 60e9 === 0) return `${ns / 60e9} min`;
  if (abs >= 1e9) return `${trim(ns / 1e9)} s`;
  if (abs >= 1e6) return `${trim(ns / 1e6)} ms`;
  if (abs >= 1e3) return `${trim(ns / 1e3)} µs`;
  return `${ns} ns`;
}

/** "100 Mbit/s", "1.5 Gbit/s". */
export function formatBandwidth(bps: number): string {
  if (bps >= 1e9) return `${trim(bps / 1e9)} Gbit/s`;
  if (bps >= 1e6) return `${trim(bps / 1e6)} Mbit/s`;
  if (bps >= 1e3) return `${trim(bps / 1e3)} kbit/s`;
  return `${bps} bit/s`;
}

function trim(v: number): string {
  return Number(v.toFixed(3)).toString();
}
