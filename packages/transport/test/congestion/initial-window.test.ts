import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@netlayers/core';
import { initialWindow } from '../../src/tcp/congestion/index.ts';

describe('initialWindow', () => {
  it('follows RFC 5681 §3.1 equation 1 at each SMSS boundary', () => {
    expect(initialWindow(536)).toBe(4 * 536);
    expect(initialWindow(1095)).toBe(4 * 1095);
    expect(initialWindow(1096)).toBe(3 * 1096);
    expect(initialWindow(1460)).toBe(3 * 1460);
    expect(initialWindow(2190)).toBe(3 * 2190);
    expect(initialWindow(2191)).toBe(2 * 2191);
    expect(initialWindow(9000)).toBe(2 * 9000);
  });

  it('follows RFC 6928: min(10*MSS, max(2*MSS, 14600))', () => {
    expect(initialWindow(1460, 'rfc6928')).toBe(14600);
    expect(initialWindow(1000, 'rfc6928')).toBe(10000);
    expect(initialWindow(536, 'rfc6928')).toBe(5360);
    expect(initialWindow(9000, 'rfc6928')).toBe(18000);
  });

  it('accepts a segment count and rejects nonsense, naming the value', () => {
    expect(initialWindow(1000, 7)).toBe(7000);
    expect(() => initialWindow(1000, 0)).toThrow(InvalidArgumentError);
    expect(() => initialWindow(1000, 2.5)).toThrow(/2\.5/);
    expect(() => initialWindow(1000, 'iw10' as never)).toThrow(/"iw10"/);
  });
});
