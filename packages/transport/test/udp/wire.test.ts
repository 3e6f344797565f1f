import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DropReason, Ipv4Address, isWireError, type WireError } from '@netlayers/core';
import { emitUdpDatagram, parseUdpDatagram, udpSummary, type UdpDatagram } from '../../src/udp/index.ts';

const A = Ipv4Address.parse('10.0.0.1');
const B = Ipv4Address.parse('10.0.0.2');

// Hand-computed (RFC 768 / RFC 1071): pseudo-header 0a00+0001+0a00+0002+0011+000a = 141e;
// header and data 04d2+0035+000a+6869 = 6d7a; 141e+6d7a = 8198; ~8198 = 7e67.
const HI_VECTOR = Uint8Array.from([0x04, 0xd2, 0x00, 0x35, 0x00, 0x0a, 0x7e, 0x67, 0x68, 0x69]);

function parsed(result: UdpDatagram | WireError): UdpDatagram {
  if (isWireError(result)) throw new Error(`unexpected wire error: ${result.detail}`);
  return result;
}

describe('emitUdpDatagram / parseUdpDatagram', () => {
  it('emits the hand-computed vector and parses it back', () => {
    const into = new Uint8Array(10);
    const checksum = emitUdpDatagram({ sourcePort: 1234, destinationPort: 53, payload: new TextEncoder().encode('hi') }, into, A, B);
    expect(checksum).toBe(0x7e67);
    expect([...into]).toEqual([...HI_VECTOR]);
    const d = parsed(parseUdpDatagram(HI_VECTOR, A, B));
    expect(d.sourcePort).toBe(1234);
    expect(d.destinationPort).toBe(53);
    expect(d.length).toBe(10);
    expect(d.checksum).toBe(0x7e67);
    expect(new TextDecoder().decode(d.payload)).toBe('hi');
  });

  it('sends a computed checksum of zero as 0xFFFF, which verifies', () => {
    // Payload word e6d0 makes the one's complement sum 0xffff, so the checksum computes to 0.
    const into = new Uint8Array(10);
    const checksum = emitUdpDatagram({ sourcePort: 1234, destinationPort: 53, payload: Uint8Array.from([0xe6, 0xd0]) }, into, A, B);
    expect(checksum).toBe(0xffff);
    expect(into[6]).toBe(0xff);
    expect(into[7]).toBe(0xff);
    expect(parsed(parseUdpDatagram(into, A, B)).checksum).toBe(0xffff);
  });

  it('treats a zero checksum as "no checksum" and can emit one', () => {
    const into = new Uint8Array(10);
    expect(emitUdpDatagram({ sourcePort: 1, destinationPort: 2, payload: Uint8Array.from([9, 9]) }, into, A, B, { checksum: false })).toBe(0);
    // Any pseudo-header is accepted: nothing to verify.
    const d = parsed(parseUdpDatagram(into, B, Ipv4Address.parse('192.0.2.7')));
    expect([...d.payload]).toEqual([9, 9]);
  });

  it('ignores bytes beyond the length field (IP padding)', () => {
    const padded = new Uint8Array(14);
    padded.set(HI_VECTOR);
    padded.set([0xde, 0xad, 0xbe, 0xef], 10);
    const d = parsed(parseUdpDatagram(padded, A, B));
    expect(d.length).toBe(10);
    expect([...d.payload]).toEqual([0x68, 0x69]);
  });

  it('emits in place when the payload already sits behind the header', () => {
    const buffer = new Uint8Array(12);
    buffer.set([1, 2, 3, 4], 8);
    emitUdpDatagram({ sourcePort: 7, destinationPort: 7, payload: buffer.subarray(8) }, buffer, A, B);
    expect([...parsed(parseUdpDatagram(buffer, A, B)).payload]).toEqual([1, 2, 3, 4]);
  });

  it('round-trips arbitrary ports, payloads and addresses', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 65535 }),
        fc.integer({ min: 0, max: 65535 }),
        fc.uint8Array({ maxLength: 300 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (sp, dp, payload, s, d) => {
          const src = Ipv4Address.fromUint32(s);
          const dst = Ipv4Address.fromUint32(d);
          const into = new Uint8Array(8 + payload.length);
          emitUdpDatagram({ sourcePort: sp, destinationPort: dp, payload }, into, src, dst);
          const back = parsed(parseUdpDatagram(into, src, dst));
          expect(back.sourcePort).toBe(sp);
          expect(back.destinationPort).toBe(dp);
          expect(back.length).toBe(8 + payload.length);
          expect(back.checksum).not.toBe(0);
          expect([...back.payload]).toEqual([...payload]);
        },
      ),
      { seed: 768, numRuns: 500 },
    );
  });
});

describe('parseUdpDatagram rejects', () => {
  const withLength = (n: number) => {
    const b = HI_VECTOR.slice();
    b[4] = n >>> 8;
    b[5] = n & 0xff;
    return b;
  };
  const flipped = HI_VECTOR.slice();
  flipped[9]! ^= 0x01;
  const cases: Array<[string, Uint8Array, Ipv4Address, DropReason]> = [
    ['no bytes', new Uint8Array(0), B, DropReason.Truncated],
    ['seven bytes', HI_VECTOR.subarray(0, 7), B, DropReason.Truncated],
    ['length field 0', withLength(0), B, DropReason.BadLength],
    ['length field 7', withLength(7), B, DropReason.BadLength],
    ['length field beyond the bytes', withLength(11), B, DropReason.Truncated],
    ['a flipped payload bit', flipped, B, DropReason.BadChecksum],
    ['a different destination in the pseudo-header', HI_VECTOR, Ipv4Address.parse('10.0.0.3'), DropReason.BadChecksum],
  ];
  for (const [name, bytes, destination, reason] of cases) {
    it(name, () => {
      const result = parseUdpDatagram(bytes, A, destination);
      expect(isWireError(result)).toBe(true);
      expect((result as WireError).reason).toBe(reason);
      expect((result as WireError).detail.length).toBeGreaterThan(10);
    });
  }

  it('accepts a bad checksum only when asked not to verify', () => {
    expect(isWireError(parseUdpDatagram(flipped, A, B, { verifyChecksum: false }))).toBe(false);
  });
});

describe('parseUdpDatagram on random bytes', () => {
  it('never throws on 10,000 random inputs and returns consistent results', () => {
    const reasons = new Set<string>(Object.values(DropReason));
    // fast-check: random datagrams up to 40 bytes; half (8 bytes or longer) get a plausible
    // length, 30% a zero checksum, so the checksum path is exercised too.
    const input = fc
      .tuple(fc.integer({ min: 0, max: 40 }).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })), fc.boolean(), fc.nat(), fc.integer({ min: 0, max: 9 }))
      .map(([bytes, plausibleLength, length, zeroChance]) => {
        if (bytes.length >= 8 && plausibleLength) {
          bytes[4] = 0;
          bytes[5] = length % (bytes.length + 1);
        }
        if (bytes.length >= 8 && zeroChance < 3) {
          bytes[6] = 0;
          bytes[7] = 0;
        }
        return bytes;
      });
    let valid = 0;
    fc.assert(
      fc.property(input, (bytes) => {
        const result = parseUdpDatagram(bytes, A, B);
        if (isWireError(result)) {
          expect(reasons.has(result.reason)).toBe(true);
        } else {
          valid++;
          expect(result.length).toBeGreaterThanOrEqual(8);
          expect(result.length).toBeLessThanOrEqual(bytes.length);
          expect(result.payload.length).toBe(result.length - 8);
        }
      }),
      { numRuns: 10_000 },
    );
    expect(valid).toBeGreaterThan(100);
  });
});

describe('udpSummary', () => {
  it('prints a tcpdump line with the payload length', () => {
    const d = parsed(parseUdpDatagram(HI_VECTOR, A, B));
    expect(udpSummary(d, A, B)).toBe('10.0.0.1.1234 > 10.0.0.2.53: UDP, length 2');
  });
});
