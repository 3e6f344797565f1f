// The remote side's wire code: what emitTcp writes, parseTcp reads back exactly (options in
// order), with a checksum that verifies; a flipped bit is caught; UDP likewise.
import { Ipv4Address } from '@netlayers/core';
import { parseTcpSegment } from '@netlayers/transport';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TcpOptionSpec } from '../src/ast.ts';
import { emitTcp, emitUdp, parseTcp, parseUdp } from '../src/wire.ts';

const A = Ipv4Address.parse('192.0.2.1');
const B = Ipv4Address.parse('192.168.0.1');
const u32 = fc.nat({ max: 0xffffffff });
const u16 = fc.nat({ max: 0xffff });
const option: fc.Arbitrary<TcpOptionSpec> = fc.oneof(
  fc.constant({ kind: 'nop' } as const),
  fc.constant({ kind: 'sackOK' } as const),
  u16.map((value) => ({ kind: 'mss', value }) as const),
  fc.nat({ max: 14 }).map((value) => ({ kind: 'wscale', value }) as const),
  fc.tuple(u32, u32).map(([val, ecr]) => ({ kind: 'TS', val, ecr }) as const),
  fc.array(fc.tuple(u32, u32), { minLength: 1, maxLength: 2 }).map((blocks) => ({ kind: 'sack', blocks }) as const),
);

describe('emitTcp / parseTcp', () => {
  it('round-trip every field and the option list, with a valid checksum', () => {
    fc.assert(
      fc.property(u16, u16, u32, u32, fc.nat({ max: 0xff }), u16, u16, fc.array(option, { maxLength: 3 }), fc.nat({ max: 100 }), (sp, dp, seq, ack, flags, window, urgent, options, len) => {
        const fields = { sourcePort: sp, destinationPort: dp, seq, ack, flags, window, urgent, options };
        const bytes = emitTcp(fields, new Uint8Array(len).fill(7), A, B);
        if (typeof bytes === 'string') return; // options over 40 bytes: refused, as they must be
        const parsed = parseTcp(bytes, A, B);
        if (typeof parsed === 'string') throw new Error(parsed);
        expect({ ...parsed, payload: [...parsed.payload] }).toEqual({ ...fields, options: parsed.options.length > options.length ? [...options, { kind: 'eol' }] : options, payload: [...new Uint8Array(len).fill(7)] });
        // netlayers' own TCP parser (checksum included) accepts the same bytes.
        const ours = parseTcpSegment(bytes, A, B);
        expect('seq' in ours ? ours.seq : ours).toBe(seq);
      }),
      { numRuns: 300 },
    );
  });

  it('catches a flipped bit with the checksum', () => {
    const bytes = emitTcp({ sourcePort: 1, destinationPort: 2, seq: 3, ack: 4, flags: 0x18, window: 5, urgent: 0, options: [{ kind: 'mss', value: 1460 }] }, new Uint8Array(10), A, B) as Uint8Array;
    bytes[25] = bytes[25]! ^ 0x01;
    expect(parseTcp(bytes, A, B)).toMatch(/^bad TCP checksum 0x[0-9a-f]+$/);
    // The pseudo-header counts: the right bytes from another address fail too.
    bytes[25] = bytes[25]! ^ 0x01;
    expect(parseTcp(bytes, Ipv4Address.parse('192.0.2.9'), B)).toMatch(/^bad TCP checksum/);
    expect(parseTcp(bytes.subarray(0, 10), A, B)).toBe('truncated TCP header (10 bytes)');
  });

  it('refuses options that do not fit in a header', () => {
    const sack = { kind: 'sack', blocks: [[1, 2], [3, 4], [5, 6], [7, 8]] } as const;
    expect(emitTcp({ sourcePort: 1, destinationPort: 2, seq: 0, ack: 0, flags: 0x10, window: 0, urgent: 0, options: [{ kind: 'TS', val: 1, ecr: 2 }, sack] }, new Uint8Array(0), A, B)).toBe(
      'TCP options take 44 bytes; at most 40 fit in a header',
    );
  });
});

describe('emitUdp / parseUdp', () => {
  it('round-trip and check the checksum', () => {
    const bytes = emitUdp(40000, 8080, new Uint8Array([1, 2, 3]), A, B);
    expect(parseUdp(bytes, A, B)).toEqual({ sourcePort: 40000, destinationPort: 8080, payload: new Uint8Array([1, 2, 3]) });
    bytes[9] = bytes[9]! ^ 0xff;
    expect(parseUdp(bytes, A, B)).toMatch(/^bad UDP checksum/);
  });
});
