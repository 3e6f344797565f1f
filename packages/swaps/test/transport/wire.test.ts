import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DropReason, Ipv4Address, isWireError, type WireError } from '@netlayers/core';
import { ArqFlag, GO_BACK_N_PROTOCOL, STOP_AND_WAIT_PROTOCOL, arqSummary, emitArqSegment, parseArqSegment, type ArqSegment } from '../../src/transport/index.ts';

const A = Ipv4Address.parse('10.0.0.1');
const B = Ipv4Address.parse('10.0.0.2');
const P = STOP_AND_WAIT_PROTOCOL;

// sport 49152 (c000), dport 80 (0050), seq 1, ack 0, flags ACK|FIN (06), version 1, payload "ok".
// Pseudo-header: 0a00+0001+0a00+0002+00fd+0012 = 1512; header words c000+0050+0000+0001+0000+0000+0601
// = c652; payload 6f6b. 1512+c652+6f6b = 1_4acf -> 4ad0; ~4ad0 = b52f.
const VECTOR = Uint8Array.from([0xc0, 0x00, 0x00, 0x50, 0, 0, 0, 1, 0, 0, 0, 0, 0x06, 0x01, 0xb5, 0x2f, 0x6f, 0x6b]);
const REPR: ArqSegment = { sourcePort: 49152, destinationPort: 80, seq: 1, ack: 0, flags: ArqFlag.ACK | ArqFlag.FIN, payload: new TextEncoder().encode('ok') };

function ok(result: ArqSegment | WireError): ArqSegment {
  if (isWireError(result)) throw new Error(result.detail);
  return result;
}

describe('ARQ segment wire format', () => {
  it('emits the hand-computed vector and parses it back', () => {
    const into = new Uint8Array(18);
    emitArqSegment(REPR, into, A, B, P);
    expect([...into]).toEqual([...VECTOR]);
    const back = ok(parseArqSegment(VECTOR, A, B, P));
    expect({ ...back, payload: [...back.payload] }).toEqual({ ...REPR, payload: [...REPR.payload] });
    expect(arqSummary(back, A, B)).toBe('10.0.0.1.49152 > 10.0.0.2.80: Flags [F.], seq 1, ack 0, length 2');
  });

  it('round-trips random segments', () => {
    const u32 = fc.integer({ min: 0, max: 0xffffffff });
    const segment: fc.Arbitrary<ArqSegment> = fc.record({
      sourcePort: fc.integer({ min: 0, max: 65535 }),
      destinationPort: fc.integer({ min: 0, max: 65535 }),
      seq: u32,
      ack: u32,
      flags: fc.integer({ min: 0, max: 15 }),
      payload: fc.integer({ min: 0, max: 100 }).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })),
    });
    fc.assert(
      fc.property(segment, (seg) => {
        const into = new Uint8Array(16 + seg.payload.length);
        emitArqSegment(seg, into, A, B, GO_BACK_N_PROTOCOL);
        const back = ok(parseArqSegment(into, A, B, GO_BACK_N_PROTOCOL));
        expect([back.sourcePort, back.destinationPort, back.seq, back.ack, back.flags]).toEqual([seg.sourcePort, seg.destinationPort, seg.seq, seg.ack, seg.flags]);
        expect([...back.payload]).toEqual([...seg.payload]);
      }),
      { numRuns: 500 },
    );
  });

  const bad = (edit: (b: Uint8Array) => void) => {
    const b = VECTOR.slice();
    edit(b);
    return b;
  };
  const table: Array<[string, Uint8Array, number, DropReason]> = [
    ['an empty segment', new Uint8Array(0), P, DropReason.Truncated],
    ['15 bytes', VECTOR.subarray(0, 15), P, DropReason.Truncated],
    ['version 2', bad((b) => (b[13] = 2)), P, DropReason.BadVersion],
    ['unknown flag bits', bad((b) => (b[12] = 0x46)), P, DropReason.Malformed],
    ['a flipped payload bit', bad((b) => (b[17]! ^= 1)), P, DropReason.BadChecksum],
    ['a truncated payload', VECTOR.subarray(0, 17), P, DropReason.BadChecksum],
    ['the other protocol number in the pseudo-header', VECTOR, GO_BACK_N_PROTOCOL, DropReason.BadChecksum],
  ];
  for (const [name, bytes, protocol, reason] of table) {
    it(`rejects ${name} (${reason})`, () => {
      const result = parseArqSegment(bytes, A, B, protocol);
      expect(isWireError(result) && result.reason).toBe(reason);
    });
  }

  it('never throws on 10,000 random inputs', () => {
    const reasons = new Set<string>(Object.values(DropReason));
    const input = fc.tuple(fc.integer({ min: 0, max: 48 }).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })), fc.boolean()).map(([bytes, version]) => {
      if (bytes.length > 13 && version) bytes[13] = 1;
      return bytes;
    });
    fc.assert(
      fc.property(input, (bytes) => {
        const result = parseArqSegment(bytes, A, B, P);
        if (isWireError(result)) expect(reasons.has(result.reason)).toBe(true);
        else expect(result.payload.length).toBe(bytes.length - 16);
      }),
      { numRuns: 10_000 },
    );
  });
});
