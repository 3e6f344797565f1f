import { describe, it, expect } from 'vitest';
import { parseBandwidth, parseDuration, parseSize, formatDuration, formatBandwidth, InvalidUnitError } from '../src/index.ts';

describe('units', () => {
  it.each([
    ['100Mbps', 100e6], ['1 Gbit/s', 1e9], ['56kbps', 56e3], ['9600', 9600], [1e6, 1e6], ['2.5Gbps', 2.5e9],
  ] as const)('parseBandwidth(%s) = %d bit/s', (input, expected) => {
    expect(parseBandwidth(input)).toBe(expected);
  });

  it.each([
    ['5ms', 5e6], ['150us', 150e3], ['150µs', 150e3], ['2min', 120e9], ['1.5s', 1.5e9], ['10ns', 10], [42, 42], ['0', 0],
  ] as const)('parseDuration(%s) = %d ns', (input, expected) => {
    expect(parseDuration(input)).toBe(expected);
  });

  it.each([
    ['1500B', 1500], ['64KiB', 65536], ['1MB', 1e6], ['1 MiB', 1048576], [60, 60],
  ] as const)('parseSize(%s) = %d bytes', (input, expected) => {
    expect(parseSize(input)).toBe(expected);
  });

  it.each([
    () => parseDuration('-5ms'), () => parseDuration('5 parsecs'), () => parseDuration(-1), () => parseBandwidth('0bps'),
    () => parseBandwidth('fast'), () => parseSize('1.5B'), () => parseSize('12 furlongs'), () => parseDuration(Number.POSITIVE_INFINITY),
  ])('rejects bad input with InvalidUnitError (%#)', (fn) => {
    expect(fn).toThrow(InvalidUnitError);
  });

  it('names the bad value in the message', () => {
    expect(() => parseDuration('-5ms')).toThrow(/"-5ms"/);
    expect(() => parseBandwidth('10 Mbananas')).toThrow(/mbananas/i);
  });

  it('formats for traces', () => {
    expect(formatDuration(240e9)).toBe('4 min');
    expect(formatDuration(1.5e6)).toBe('1.5 ms');
    expect(formatDuration(999)).toBe('999 ns');
    expect(formatBandwidth(100e6)).toBe('100 Mbit/s');
  });
});
