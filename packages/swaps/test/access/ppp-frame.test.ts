import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DropReason, isWireError } from '@netlayers/core';
import {
  PPP_GOOD_FCS16,
  PppProtocol,
  buildPppFrame,
  emitPppFrame,
  fcs16,
  fcs16Update,
  parsePppFrame,
  splitAtFlags,
  stuffPppFrame,
} from '../../src/access/index.ts';

const hex = (s: string): Uint8Array => new Uint8Array(s.match(/../g)!.map((b) => parseInt(b, 16)));

describe('FCS-16 (RFC 1662 §C.2)', () => {
  it('matches the CRC-16/X-25 check value of "123456789"', () => {
    expect(fcs16(new TextEncoder().encode('123456789'))).toBe(0x906e);
  });

  it('gives the good final value over a frame that carries its own FCS', () => {
    const frame = buildPppFrame(PppProtocol.IPv4, hex('4500001c'));
    expect(fcs16Update(0xffff, frame)).toBe(PPP_GOOD_FCS16);
  });
});

describe('PPP HDLC-like framing (RFC 1662 §3–4)', () => {
  it('emits a fixed vector: flag, ff 03, protocol, information, FCS low octet first, flag', () => {
    const wire = emitPppFrame(PppProtocol.IPv4, hex('45'));
    // ff 03 00 21 45 + FCS; 0x03 and 0x00 are below 0x20 so the default ACCM escapes them.
    const frame = buildPppFrame(PppProtocol.IPv4, hex('45'));
    const fcs = fcs16(frame, 0, 5);
    expect([frame[5], frame[6]]).toEqual([fcs & 0xff, fcs >>> 8]);
    expect(wire.subarray(0, 8)).toEqual(hex('7eff7d237d20' + '2145'));
    expect(wire[wire.length - 1]).toBe(0x7e);
  });

  it('escapes Flag and Control-Escape octets and round-trips any information', () => {
    const information = hex('7e7d20417e');
    const wire = emitPppFrame(PppProtocol.IPv6, information);
    expect(wire.subarray(1, -1).includes(0x7e)).toBe(false);
    const parsed = parsePppFrame(wire);
    expect(isWireError(parsed)).toBe(false);
    if (!isWireError(parsed)) {
      expect(parsed.protocol).toBe(PppProtocol.IPv6);
      expect(parsed.information).toEqual(information);
    }
  });

  it('stuffs only Flag and Control-Escape when the ACCM is zero', () => {
    const frame = buildPppFrame(PppProtocol.IPv4, hex('0001'));
    const wire = stuffPppFrame(frame, 0);
    expect(wire.subarray(1, 7)).toEqual(hex('ff0300210001'));
  });

  it('round-trips seeded random payloads of every size up to the MRU', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1500 }).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })), (information) => {
        const parsed = parsePppFrame(emitPppFrame(PppProtocol.IPv4, information));
        expect(isWireError(parsed) ? parsed.detail : parsed.information).toEqual(information);
      }),
      { numRuns: 60 },
    );
  });

  it('splits a stream at flags, sharing flags between frames', () => {
    const one = emitPppFrame(PppProtocol.IPv4, hex('01'));
    const two = emitPppFrame(PppProtocol.IPv4, hex('02'));
    const stream = new Uint8Array([...one.subarray(0, -1), ...two]);
    const bodies = splitAtFlags(stream);
    expect(bodies.length).toBe(2);
    expect(bodies.map((b) => { const p = parsePppFrame(b); return isWireError(p) ? -1 : p.information[0]; })).toEqual([1, 2]);
  });

  const good = buildPppFrame(PppProtocol.IPv4, hex('4500'));
  const withFcs = (bytes: Uint8Array): Uint8Array => {
    const fcs = fcs16(bytes, 0, bytes.length - 2);
    const out = bytes.slice();
    out[out.length - 2] = fcs & 0xff;
    out[out.length - 1] = fcs >>> 8;
    return out;
  };
  const mutate = (i: number, v: number): Uint8Array => { const b = good.slice(); b[i] = v; return withFcs(b); };
  // Frame bodies as they arrive between two flags (stuffed).
  const body = (frame: Uint8Array): Uint8Array => stuffPppFrame(frame, 0).subarray(1, -1);
  const invalid: [string, Uint8Array, number, DropReason][] = [
    ['empty', new Uint8Array(0), 1500, DropReason.Truncated],
    ['three octets', hex('ff0300'), 1500, DropReason.Truncated],
    ['bad FCS', body((() => { const b = good.slice(); b[4]! ^= 1; return b; })()), 1500, DropReason.BadFcs],
    ['address not all-stations', body(mutate(0, 0x01)), 1500, DropReason.Malformed],
    ['control not UI', body(mutate(1, 0x13)), 1500, DropReason.Malformed],
    ['even protocol number', body(mutate(3, 0x20)), 1500, DropReason.Malformed],
    ['aborted frame (ends in escape)', new Uint8Array([...body(good), 0x7d]), 1500, DropReason.Malformed],
    ['information longer than the MRU', body(buildPppFrame(PppProtocol.IPv4, new Uint8Array(101))), 100, DropReason.TooBig],
  ];
  it.each(invalid)('rejects %s', (_name, bytes, mru, reason) => {
    const parsed = parsePppFrame(bytes, mru);
    expect(isWireError(parsed) ? parsed.reason : 'parsed').toBe(reason);
  });

  it('never throws on 10,000 seeded random inputs', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 64 }).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })), (bytes) => void parsePppFrame(bytes)), { numRuns: 10_000 });
  });
});
