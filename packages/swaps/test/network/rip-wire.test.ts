import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DropReason, Ipv4Address, isWireError } from '@netlayers/core';
import { RipCommand, emitRipMessage, isWholeTableRequest, maskToPrefixLength, parseRipMessage, type RipMessage } from '../../src/network/index.ts';

const hex = (s: string): Uint8Array => new Uint8Array(s.replace(/\s/g, '').match(/../g)!.map((b) => parseInt(b, 16)));

describe('RIPv2 messages (RFC 2453 §4)', () => {
  const message: RipMessage = {
    command: RipCommand.Response,
    version: 2,
    entries: [{ addressFamily: 2, routeTag: 7, address: Ipv4Address.parse('192.168.3.0'), prefixLength: 24, nextHop: Ipv4Address.ANY, metric: 2 }],
  };
  const bytes = hex('02 02 0000  0002 0007 c0a80300 ffffff00 00000000 00000002');

  it('emits and parses a fixed vector', () => {
    expect(emitRipMessage(message)).toEqual(bytes);
    expect(parseRipMessage(bytes)).toEqual(message);
  });

  it('recognises a request for the whole table', () => {
    const request = parseRipMessage(hex('01 02 0000  0000 0000 00000000 00000000 00000000 00000010'));
    expect(!isWireError(request) && isWholeTableRequest(request)).toBe(true);
  });

  it('reads masks as prefix lengths and refuses holes', () => {
    expect([0, 0x80000000, 0xffffff00, 0xffffffff].map(maskToPrefixLength)).toEqual([0, 1, 24, 32]);
    expect(maskToPrefixLength(0xff00ff00)).toBe(-1);
  });

  const invalid: [string, Uint8Array, DropReason][] = [
    ['too short for a header', hex('0202'), DropReason.Truncated],
    ['unknown command', hex('05020000'), DropReason.Malformed],
    ['version 1', hex('02010000'), DropReason.BadVersion],
    ['a partial entry', hex('02020000 0002 0000'), DropReason.BadLength],
    ['metric 0', hex('02 02 0000  0002 0000 c0a80300 ffffff00 00000000 00000000'), DropReason.Malformed],
    ['metric 17', hex('02 02 0000  0002 0000 c0a80300 ffffff00 00000000 00000011'), DropReason.Malformed],
    ['a mask with holes', hex('02 02 0000  0002 0000 c0a80300 ff00ff00 00000000 00000001'), DropReason.Malformed],
    ['an authentication entry', hex('02 02 0000  ffff 0002 00000000 00000000 00000000 00000001'), DropReason.Malformed],
    ['26 entries', new Uint8Array([2, 2, 0, 0, ...new Array(26).fill([0, 2, 0, 0, 10, 0, 0, 0, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]).flat()]), DropReason.BadLength],
  ];
  it.each(invalid)('rejects %s', (_name, input, reason) => {
    const parsed = parseRipMessage(input);
    expect(isWireError(parsed) ? parsed.reason : 'parsed').toBe(reason);
  });

  it('never throws on 10,000 seeded random inputs', () => {
    // fast-check: random messages up to 90 bytes, half of them with a RIPv2 response's first
    // two bytes; a throw fails with the smallest input that throws.
    const input = fc.tuple(fc.integer({ min: 0, max: 90 }).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })), fc.boolean()).map(([bytes, plausible]) => {
      if (plausible && bytes.length >= 2) {
        bytes[0] = 2;
        bytes[1] = 2;
      }
      return bytes;
    });
    fc.assert(fc.property(input, (bytes) => void parseRipMessage(bytes)), { numRuns: 10_000 });
  });
});
