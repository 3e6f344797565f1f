// The test TCP codec: what it writes parses back to the same fields, the checksum verifies
// over the pseudo-header (RFC 9293 §3.1), a flipped bit or a bad length is reported (never
// thrown), and options come out in Linux's layout.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Ipv4Address, IpProtocol, finishChecksum, onesComplementSum, pseudoHeaderSum } from '@netlayers/core';
import { TcpControl, controlBits, controlNames, emitTestTcpSegment, parseTestTcpSegment, sequenceLength, tcpdumpLine, type TestTcpFields, type TestTcpOptions } from '../src/index.ts';

const A = Ipv4Address.parse('10.0.0.1');
const B = Ipv4Address.parse('10.0.0.2');
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const options: fc.Arbitrary<TestTcpOptions> = fc.record(
  {
    mss: u16,
    windowScale: fc.integer({ min: 0, max: 14 }),
    sackPermitted: fc.constant(true),
    timestamps: fc.record({ value: u32, echo: u32 }),
    sack: fc.array(fc.tuple(u32, u32), { minLength: 1, maxLength: 2 }),
  },
  { requiredKeys: [] },
);
const fields: fc.Arbitrary<TestTcpFields> = fc.record({ sourcePort: u16, destinationPort: u16, seq: u32, ack: u32, flags: fc.integer({ min: 0, max: 255 }), window: u16, urgentPointer: u16, options });

describe('emitTestTcpSegment / parseTestTcpSegment', () => {
  it('round-trips every field, option and payload, with a checksum that verifies over the pseudo-header', () => {
    fc.assert(
      fc.property(fields, fc.uint8Array({ maxLength: 64 }), (f, payload) => {
        const bytes = emitTestTcpSegment(f, payload, A, B);
        expect(finishChecksum(onesComplementSum(bytes, 0, bytes.length, pseudoHeaderSum(A.value, B.value, IpProtocol.TCP, bytes.length)))).toBe(0);
        const seg = parseTestTcpSegment(bytes, A, B);
        if (typeof seg === 'string') throw new Error(seg);
        expect({ ...seg, payload: [...seg.payload] }).toEqual({ ...f, dataOffset: bytes.length - payload.length >>> 2, checksum: (bytes[16]! << 8) | bytes[17]!, payload: [...payload] });
        expect(bytes.length - payload.length).toBe(seg.dataOffset * 4);
      }),
      { numRuns: 500 },
    );
  });

  it('reports any single flipped bit as a checksum error, and a different destination address too', () => {
    fc.assert(
      fc.property(fields, fc.uint8Array({ maxLength: 32 }), fc.nat(), (f, payload, pick) => {
        const bytes = emitTestTcpSegment(f, payload, A, B);
        const bit = pick % (bytes.length * 8);
        bytes[bit >> 3]! ^= 1 << (bit & 7);
        const result = parseTestTcpSegment(bytes, A, B);
        // A flip in the data offset may be caught as a bad length first; either way an error string.
        expect(typeof result).toBe('string');
      }),
      { numRuns: 500 },
    );
    const bytes = emitTestTcpSegment({ sourcePort: 1, destinationPort: 2, seq: 3, ack: 4, flags: TcpControl.SYN, window: 5 }, new Uint8Array(0), A, B);
    expect(parseTestTcpSegment(bytes, A, Ipv4Address.parse('10.0.0.3'))).toMatch(/^checksum 0x[0-9a-f]{4} is wrong \(expected 0x[0-9a-f]{4}\)$/);
    expect(typeof parseTestTcpSegment(bytes, A, Ipv4Address.parse('10.0.0.3'), { verifyChecksum: false })).toBe('object');
  });

  it('never throws on random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => void parseTestTcpSegment(bytes, A, B, { verifyChecksum: false })), { numRuns: 2000 });
  });

  it('reports a short segment, a bad data offset and a malformed option', () => {
    expect(parseTestTcpSegment(new Uint8Array(19), A, B)).toBe('a TCP segment of 19 bytes is shorter than the 20-byte header');
    const bytes = emitTestTcpSegment({ sourcePort: 1, destinationPort: 2, seq: 0, ack: 0, flags: 0, window: 0, options: { mss: 1460 } }, new Uint8Array(0), A, B);
    bytes[12] = 0x40;
    expect(parseTestTcpSegment(bytes, A, B, { verifyChecksum: false })).toBe('data offset 4 does not fit a 24-byte segment');
    bytes[12] = 0x60;
    bytes[21] = 5;
    expect(parseTestTcpSegment(bytes, A, B, { verifyChecksum: false })).toBe('option kind 2 has length 5, which does not fit the header');
  });

  it('refuses options that do not fit in 40 bytes, with a typed error', () => {
    const sack: [number, number][] = [[1, 2], [3, 4], [5, 6], [7, 8]];
    expect(() => emitTestTcpSegment({ sourcePort: 1, destinationPort: 2, seq: 0, ack: 0, flags: 0, window: 0, options: { timestamps: { value: 1, echo: 2 }, sack } }, new Uint8Array(0), A, B)).toThrow(/take 48 bytes; a TCP header has room for 40/);
  });

  it("lays options out as Linux does: MSS, SACKOK and TS, NOP and WS", () => {
    const bytes = emitTestTcpSegment({ sourcePort: 1, destinationPort: 2, seq: 0, ack: 0, flags: TcpControl.SYN, window: 0, options: { mss: 1460, sackPermitted: true, timestamps: { value: 1, echo: 0 }, windowScale: 7 } }, new Uint8Array(0), A, B);
    expect([...bytes.subarray(20)]).toEqual([2, 4, 5, 180, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7]);
  });
});

describe('names and lines', () => {
  it('spells control bits as RFC 9293 does and reads them back', () => {
    expect(controlNames(TcpControl.SYN | TcpControl.ACK)).toBe('SYN,ACK');
    expect(controlBits('FIN, ACK')).toBe(TcpControl.FIN | TcpControl.ACK);
    expect(controlBits('')).toBe(0);
    expect(() => controlBits('SYNACK')).toThrow('unknown TCP control bit "SYNACK"');
  });

  it('writes tcpdump lines and counts SEG.LEN', () => {
    const seg = { sourcePort: 80, destinationPort: 49500, seq: 10, ack: 21, flags: TcpControl.SYN | TcpControl.ACK, window: 65535, options: { mss: 1460 }, payload: new Uint8Array(0) };
    expect(tcpdumpLine(seg, A, B)).toBe('10.0.0.1.80 > 10.0.0.2.49500: Flags [S.], seq 10, ack 21, win 65535, options [mss 1460], length 0');
    expect(tcpdumpLine({ ...seg, flags: TcpControl.PSH | TcpControl.ACK, options: {}, payload: new Uint8Array(5) }, A, B)).toBe('10.0.0.1.80 > 10.0.0.2.49500: Flags [P.], seq 10:15, ack 21, win 65535, length 5');
    expect(sequenceLength({ flags: TcpControl.SYN | TcpControl.FIN, payload: new Uint8Array(3) })).toBe(5);
  });
});
