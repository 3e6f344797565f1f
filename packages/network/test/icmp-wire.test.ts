// ICMP wire format: a fixed echo request vector with its known checksum, error messages
// with quotes and the RFC 1191 MTU, invalid inputs, and seeded random bytes.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DropReason, Ipv4Address, internetChecksum, isWireError } from '@netlayers/core';
import {
  ICMP_ERROR_QUOTE_MAX,
  emitIcmp,
  emitIpv4Header,
  encodeIcmp,
  icmpLength,
  icmpSummary,
  isIcmpErrorType,
  makeIpv4Header,
  parseIcmp,
  parseQuotedDatagram,
  quoteForIcmpError,
  type IcmpMessage,
} from '../src/index.ts';

const hex = (text: string): Uint8Array => Uint8Array.from(text.replace(/\s+/g, '').match(/../g)!.map((b) => parseInt(b, 16)));
const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);

// A Windows ping: type 8, code 0, checksum 0x4d56, identifier 1, sequence 5, 32 data bytes "abcdefghijklmnopqrstuvwabcdefghi".
const ECHO_REQUEST = new Uint8Array([...hex('0800 4d56 0001 0005'), ...ascii('abcdefghijklmnopqrstuvwabcdefghi')]);

function message(bytes: Uint8Array): IcmpMessage {
  const m = parseIcmp(bytes);
  if (isWireError(m)) throw new Error(`${m.reason}: ${m.detail}`);
  return m;
}

/** A UDP datagram 10.0.0.1:5000 > 10.0.9.9:53 with `dataLength` bytes after the UDP header. */
function udpDatagram(dataLength: number): Uint8Array {
  const header = makeIpv4Header({ source: Ipv4Address.parse('10.0.0.1'), destination: Ipv4Address.parse('10.0.9.9'), protocol: 17, payloadLength: 8 + dataLength, identification: 0x1234 });
  const bytes = new Uint8Array(header.totalLength);
  emitIpv4Header(header, bytes);
  bytes.set([0x13, 0x88, 0x00, 0x35], 20);
  return bytes;
}

describe('echo', () => {
  it('parses the fixed echo request', () => {
    const m = message(ECHO_REQUEST);
    expect(m).toMatchObject({ kind: 'echo-request', code: 0, identifier: 1, sequence: 5 });
    if (m.kind === 'echo-request') expect(new TextDecoder().decode(m.data)).toBe('abcdefghijklmnopqrstuvwabcdefghi');
  });

  it('emits it back byte for byte, checksum 0x4d56 included', () => {
    const m = message(ECHO_REQUEST);
    const out = new Uint8Array(icmpLength(m));
    expect(emitIcmp(m, out)).toBe(40);
    expect([...out]).toEqual([...ECHO_REQUEST]);
  });

  it('a reply to it differs by type and by 0x0800 in the checksum', () => {
    const m = message(ECHO_REQUEST);
    if (m.kind !== 'echo-request') throw new Error('not echo');
    const reply = encodeIcmp({ ...m, kind: 'echo-reply' });
    expect(reply[0]).toBe(0);
    expect((reply[2]! << 8) | reply[3]!).toBe(0x4d56 + 0x0800);
    expect(message(reply)).toMatchObject({ kind: 'echo-reply', identifier: 1, sequence: 5 });
  });

  it('summarises like tcpdump', () => {
    expect(icmpSummary(message(ECHO_REQUEST), 40)).toBe('ICMP echo request, id 1, seq 5, length 40');
  });
});

describe('errors', () => {
  it('fragmentation needed carries the next-hop MTU in the second word (RFC 1191)', () => {
    const original = quoteForIcmpError(udpDatagram(100));
    const bytes = encodeIcmp({ kind: 'destination-unreachable', code: 4, nextHopMtu: 1400, original });
    expect([...bytes.subarray(0, 8)].slice(4)).toEqual([0, 0, 0x05, 0x78]);
    expect(internetChecksum(bytes)).toBe(0);
    const m = message(bytes);
    expect(m).toMatchObject({ kind: 'destination-unreachable', code: 4, nextHopMtu: 1400 });
    expect(icmpSummary(m, bytes.length)).toBe(`ICMP fragmentation needed (10.0.9.9) (mtu 1400), length ${bytes.length}`);
  });

  it('port unreachable quotes the header and the UDP ports; parseQuotedDatagram reads them back', () => {
    const datagram = udpDatagram(4);
    const bytes = encodeIcmp({ kind: 'destination-unreachable', code: 3, nextHopMtu: 0, original: quoteForIcmpError(datagram) });
    const m = message(bytes);
    if (m.kind !== 'destination-unreachable') throw new Error('kind');
    const quoted = parseQuotedDatagram(m.original);
    if (isWireError(quoted)) throw new Error(quoted.detail);
    expect(quoted.protocol).toBe(17);
    expect(quoted.source.toString()).toBe('10.0.0.1');
    expect(quoted.destination.toString()).toBe('10.0.9.9');
    expect(quoted.identification).toBe(0x1234);
    expect([...quoted.payload.subarray(0, 4)]).toEqual([0x13, 0x88, 0x00, 0x35]);
    expect(icmpSummary(m, bytes.length)).toContain('port unreachable (10.0.9.9)');
  });

  it('quotes at most 548 bytes so the error fits in 576 (RFC 1812 §4.3.2.3), and everything of a short datagram', () => {
    expect(quoteForIcmpError(udpDatagram(2000)).length).toBe(ICMP_ERROR_QUOTE_MAX);
    expect(ICMP_ERROR_QUOTE_MAX + 20 + 8).toBe(576);
    expect(quoteForIcmpError(udpDatagram(0)).length).toBe(28);
  });

  it('round-trips time exceeded, parameter problem, source quench and redirect', () => {
    const original = quoteForIcmpError(udpDatagram(8));
    const messages: IcmpMessage[] = [
      { kind: 'time-exceeded', code: 0, original },
      { kind: 'time-exceeded', code: 1, original },
      { kind: 'parameter-problem', code: 0, pointer: 20, original },
      { kind: 'source-quench', code: 0, original },
      { kind: 'redirect', code: 1, gateway: Ipv4Address.parse('10.0.0.254'), original },
      { kind: 'other', type: 13, code: 0, rest: new Uint8Array(16).fill(3) },
    ];
    for (const m of messages) {
      const bytes = encodeIcmp(m);
      expect(internetChecksum(bytes)).toBe(0);
      const back = message(bytes);
      expect({ ...back, gateway: String((back as { gateway?: unknown }).gateway) }).toEqual({ ...m, gateway: String((m as { gateway?: unknown }).gateway) });
    }
    expect(bytesOf({ kind: 'parameter-problem', code: 0, pointer: 20, original })[4]).toBe(20);
  });

  it('knows which types are errors', () => {
    expect([0, 3, 4, 5, 8, 11, 12, 13].map(isIcmpErrorType)).toEqual([false, true, true, true, false, true, true, false]);
  });
});

function bytesOf(m: IcmpMessage): Uint8Array {
  return encodeIcmp(m);
}

describe('invalid messages', () => {
  const badChecksum = ECHO_REQUEST.slice();
  badChecksum[3] = badChecksum[3]! ^ 0x40;
  const flippedData = ECHO_REQUEST.slice();
  flippedData[20] = 0;
  const cases: [string, Uint8Array, string][] = [
    ['empty', new Uint8Array(0), DropReason.Truncated],
    ['7 bytes', ECHO_REQUEST.subarray(0, 7), DropReason.Truncated],
    ['bad checksum', badChecksum, DropReason.BadChecksum],
    ['data changed after checksumming', flippedData, DropReason.BadChecksum],
    ['odd length, truncated by one byte', ECHO_REQUEST.subarray(0, 39), DropReason.BadChecksum],
  ];
  it.each(cases)('%s → %s', (_name, bytes, reason) => {
    const result = parseIcmp(bytes);
    expect(isWireError(result) && result.reason).toBe(reason);
  });

  it('skips the checksum only when asked (tracing a first fragment)', () => {
    expect(isWireError(parseIcmp(badChecksum, { checksum: false }))).toBe(false);
  });

  const quoteCases: [string, Uint8Array, string][] = [
    ['short quote', udpDatagram(0).subarray(0, 19), DropReason.Truncated],
    ['quoted IPv6', Uint8Array.from([0x60, ...new Uint8Array(27)]), DropReason.BadVersion],
    ['quoted IHL 4', Uint8Array.from([0x44, ...new Uint8Array(27)]), DropReason.BadHeaderLength],
    ['quoted IHL 15 in 28 bytes', Uint8Array.from([0x4f, ...new Uint8Array(27)]), DropReason.BadHeaderLength],
  ];
  it.each(quoteCases)('parseQuotedDatagram: %s → %s', (_name, bytes, reason) => {
    const result = parseQuotedDatagram(bytes);
    expect(isWireError(result) && result.reason).toBe(reason);
  });
});

describe('robustness', () => {
  it('parseIcmp and parseQuotedDatagram never throw on 10,000 seeded random inputs; valid parses re-emit identically', () => {
    // fast-check: random messages up to 64 bytes, half of them (4 bytes or longer) given a
    // known type and a correct checksum so the type-specific parsing is exercised.
    const input = fc
      .tuple(fc.integer({ min: 0, max: 64 }).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })), fc.boolean(), fc.constantFrom(0, 3, 4, 5, 8, 11, 12, 13))
      .map(([bytes, fix, type]) => {
        if (bytes.length >= 4 && fix) {
          bytes[0] = type;
          bytes[2] = 0;
          bytes[3] = 0;
          const c = internetChecksum(bytes);
          bytes[2] = c >>> 8;
          bytes[3] = c & 0xff;
        }
        return bytes;
      });
    let valid = 0;
    fc.assert(
      fc.property(input, (bytes) => {
        const result = parseIcmp(bytes);
        parseQuotedDatagram(bytes);
        if (!isWireError(result)) {
          valid++;
          const out = encodeIcmp(result);
          // The only lossy field is the unused word of errors, which emit writes as zero.
          if (result.kind === 'echo-request' || result.kind === 'echo-reply' || result.kind === 'other' || result.kind === 'redirect') {
            expect([...out]).toEqual([...bytes]);
          } else {
            expect(internetChecksum(out)).toBe(0);
            expect(out.length).toBe(bytes.length);
          }
        }
      }),
      { numRuns: 10_000 },
    );
    expect(valid).toBeGreaterThan(3000);
  });
});
