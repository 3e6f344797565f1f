// IPv4 wire format: a textbook header with a known checksum, options, a table of invalid
// inputs with their drop reasons, and seeded random bytes that must never make parse throw.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DropReason, Ipv4Address, internetChecksum, isWireError } from '@netlayers/core';
import {
  Ipv4OptionType,
  emitIpv4Header,
  ipv4HeaderLengthFor,
  ipv4Summary,
  ipv4HeaderInfo,
  makeIpv4Header,
  parseIpv4,
  type Ipv4Header,
  type ParsedIpv4,
} from '../src/index.ts';

const hex = (text: string): Uint8Array => Uint8Array.from(text.replace(/\s+/g, '').match(/../g)!.map((b) => parseInt(b, 16)));

// The worked example of the IPv4 header checksum (Wikipedia, "Internet checksum"): UDP from
// 192.168.0.1 to 192.168.0.199, total length 115, DF, TTL 64, checksum 0xb861.
const TEXTBOOK_HEADER = hex('4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7');

function datagram(header: Uint8Array, payloadLength: number): Uint8Array {
  const bytes = new Uint8Array(header.length + payloadLength);
  bytes.set(header);
  for (let i = 0; i < payloadLength; i++) bytes[header.length + i] = (i * 7) & 0xff;
  return bytes;
}

function parsed(bytes: Uint8Array): ParsedIpv4 {
  const result = parseIpv4(bytes);
  if (isWireError(result)) throw new Error(`expected a valid datagram, got ${result.reason}: ${result.detail}`);
  return result;
}

/** A valid 20-byte header with `patch` applied and the checksum recomputed (so only the patched field is wrong). */
function patched(patch: (b: Uint8Array) => void, length = 40, fixChecksum = true): Uint8Array {
  const bytes = datagram(TEXTBOOK_HEADER, 95);
  bytes[2] = 0;
  bytes[3] = length;
  const out = bytes.subarray(0, length).slice();
  patch(out);
  if (fixChecksum) {
    const ihl = Math.max(5, out[0]! & 0x0f) * 4;
    out[10] = 0;
    out[11] = 0;
    const c = internetChecksum(out, 0, Math.min(ihl, out.length));
    out[10] = c >>> 8;
    out[11] = c & 0xff;
  }
  return out;
}

describe('parseIpv4 on the textbook header', () => {
  const bytes = datagram(TEXTBOOK_HEADER, 115 - 20);

  it('reads every field', () => {
    const { header, payload } = parsed(bytes);
    expect(header).toMatchObject({
      version: 4,
      headerLength: 20,
      tos: 0,
      totalLength: 115,
      identification: 0,
      dontFragment: true,
      moreFragments: false,
      fragmentOffset: 0,
      ttl: 64,
      protocol: 17,
      checksum: 0xb861,
    });
    expect(header.source.toString()).toBe('192.168.0.1');
    expect(header.destination.toString()).toBe('192.168.0.199');
    expect(header.options).toEqual([]);
    expect(payload.length).toBe(95);
    expect(payload[1]).toBe(7);
  });

  it('emits the same 20 bytes, checksum included', () => {
    const { header } = parsed(bytes);
    const out = new Uint8Array(20);
    expect(emitIpv4Header(header, out)).toBe(20);
    expect([...out]).toEqual([...TEXTBOOK_HEADER]);
  });

  it('computes the checksum itself rather than copying the repr field', () => {
    const { header } = parsed(bytes);
    const out = new Uint8Array(20);
    emitIpv4Header({ ...header, checksum: 0x1234, ttl: 63 }, out);
    expect(internetChecksum(out)).toBe(0);
    expect((out[10]! << 8) | out[11]!).toBe(0xb961);
  });

  it('trims link-layer padding after the total length', () => {
    const padded = new Uint8Array(bytes.length + 11);
    padded.set(bytes);
    padded.fill(0xee, bytes.length);
    const { payload } = parsed(padded);
    expect(payload.length).toBe(95);
    expect([...payload]).toEqual([...bytes.subarray(20)]);
  });

  it('summarises like tcpdump -v and flattens the trace fields', () => {
    const { header } = parsed(bytes);
    expect(ipv4Summary(header)).toBe('192.168.0.1 > 192.168.0.199: UDP (17), ttl 64, id 0, flags [DF], length 115');
    expect(ipv4HeaderInfo(header)).toEqual({ protocol: 'ipv4', source: '192.168.0.1', destination: '192.168.0.199', ipProtocol: 17, ttl: 64, identification: 0, totalLength: 115, headerLength: 20, dontFragment: true, moreFragments: false, fragmentOffset: 0 });
    expect(ipv4Summary({ ...header, dontFragment: false, moreFragments: true, fragmentOffset: 1480 })).toBe(
      '192.168.0.1 > 192.168.0.199: UDP (17), ttl 64, id 0, frag 95@1480+, length 115',
    );
  });
});

describe('options', () => {
  const src = Ipv4Address.parse('10.0.0.1');
  const dst = Ipv4Address.parse('10.0.0.2');

  it('round-trips NOP, record route and loose source route, padded with EOL to a 32-bit boundary', () => {
    const recordRoute = { type: Ipv4OptionType.RecordRoute, data: Uint8Array.from([4, 0, 0, 0, 0]) };
    const lsrr = { type: Ipv4OptionType.LooseSourceRoute, data: Uint8Array.from([4, 10, 9, 9, 9]) };
    const header = makeIpv4Header({ source: src, destination: dst, protocol: 6, payloadLength: 4, identification: 77, options: [{ type: 1, data: new Uint8Array(0) }, recordRoute, lsrr] });
    expect(header.headerLength).toBe(20 + 16); // 1 + 7 + 7 = 15, padded to 16
    const bytes = new Uint8Array(header.totalLength);
    emitIpv4Header(header, bytes);
    expect(bytes[0]).toBe(0x49);
    expect(bytes[35]).toBe(0); // EOL padding
    const { header: back } = parsed(bytes);
    expect(back.headerLength).toBe(36);
    expect(back.options.map((o) => o.type)).toEqual([1, 7, 131]);
    expect([...back.options[1]!.data]).toEqual([4, 0, 0, 0, 0]);
    expect([...back.options[2]!.data]).toEqual([4, 10, 9, 9, 9]);
  });

  it('parses a timestamp and a security option as TLVs and stops at EOL', () => {
    const header = makeIpv4Header({
      source: src,
      destination: dst,
      protocol: 1,
      payloadLength: 0,
      options: [
        { type: Ipv4OptionType.InternetTimestamp, data: Uint8Array.from([5, 0, 0, 0, 0, 0]) },
        { type: Ipv4OptionType.Security, data: new Uint8Array(9) },
      ],
    });
    const bytes = new Uint8Array(header.totalLength);
    emitIpv4Header(header, bytes);
    expect(parsed(bytes).header.options.map((o) => [o.type, o.data.length])).toEqual([[68, 6], [130, 9]]);
  });

  it('refuses to emit more than 40 bytes of options', () => {
    const big = { type: 7, data: new Uint8Array(39) };
    expect(() => emitIpv4Header(makeIpv4Header({ source: src, destination: dst, protocol: 1, payloadLength: 0, options: [big] }), new Uint8Array(80))).toThrow(/40 bytes/);
    expect(ipv4HeaderLengthFor([big])).toBe(64);
  });
});

describe('invalid datagrams', () => {
  const withOptions = (options: number[], ihl: number): Uint8Array =>
    patched((b) => {
      b[0] = 0x40 | ihl;
      b.set(options, 20);
    }, 48);

  const cases: [string, Uint8Array, string][] = [
    ['empty', new Uint8Array(0), DropReason.Truncated],
    ['19 bytes', TEXTBOOK_HEADER.subarray(0, 19), DropReason.Truncated],
    ['version 6', patched((b) => (b[0] = 0x65)), DropReason.BadVersion],
    ['IHL 4 (< 5)', patched((b) => (b[0] = 0x44)), DropReason.BadHeaderLength],
    ['IHL 0', patched((b) => (b[0] = 0x40)), DropReason.BadHeaderLength],
    ['IHL 15 past a 40-byte buffer', patched((b) => (b[0] = 0x4f)), DropReason.Truncated],
    ['total length past the buffer', patched((b) => (b[3] = 41)), DropReason.Truncated],
    ['total length below the header', patched((b) => (b[3] = 19)), DropReason.BadLength],
    ['bad checksum', patched((b) => (b[11] = b[11]! ^ 1), 40, false), DropReason.BadChecksum],
    ['a TTL changed after checksumming', patched((b) => (b[8] = 1), 40, false), DropReason.BadChecksum],
    ['option length 0', withOptions([7, 0, 4, 0], 6), DropReason.BadOption],
    ['option length 1', withOptions([68, 1, 0, 0], 6), DropReason.BadOption],
    ['option past the header', withOptions([1, 1, 7, 7, 4, 0, 0, 0], 7), DropReason.BadOption],
    ['option type with no length octet', withOptions([1, 1, 1, 131], 6), DropReason.BadOption],
    ['record route pointer 3', withOptions([7, 3, 3, 0], 6), DropReason.BadOption],
    ['security option of length 4', withOptions([130, 4, 0, 0], 6), DropReason.BadOption],
    // offset 8184 * 8 = 65472, plus 20 data bytes = 65492 is fine; offset 8189 * 8 = 65512 + 40 > 65535.
    ['fragment offset past 65535', patched((b) => { b[6] = 0x1f; b[7] = 0xfd; }, 60), DropReason.FragmentInvalid],
  ];

  it.each(cases)('%s → %s', (_name, bytes, reason) => {
    const result = parseIpv4(bytes);
    expect(isWireError(result)).toBe(true);
    if (isWireError(result)) {
      expect(result.reason).toBe(reason);
      expect(result.detail.length).toBeGreaterThan(5);
    }
  });

  it('accepts a fragment that ends exactly at byte 65535', () => {
    // offset 8189 * 8 = 65512, 20 header + 23 data bytes: ends at 65535.
    const ok = patched((b) => { b[6] = 0x1f; b[7] = 0xfd; }, 43);
    expect(isWireError(parseIpv4(ok))).toBe(false);
  });
});

describe('total length 0 from segmentation offload (TSO)', () => {
  // The IPv4 part of a TCP RST tcpdump captured on the sending host
  // (fixtures/captures/http-curl.pcap, frame 6): total length 40, checksum 0x2634.
  const REAL = hex('4500 0028 0000 4000 4006 2634 0a4d 0001 0a4d 0002 0001bc3600000000b7c4a3d850140000835f0000');
  // The same datagram as a driver hands it to a NIC that segments and checksums it:
  // total length and header checksum both left 0.
  const OFFLOADED = REAL.slice();
  OFFLOADED.set([0, 0], 2);
  OFFLOADED.set([0, 0], 10);

  it('parses the real datagram as captured', () => {
    expect(parsed(REAL).header.totalLength).toBe(40);
    expect(parsed(REAL).tsoZeroLength).toBeUndefined();
  });

  it('rejects total length 0 by default, saying why and which option reads it', () => {
    const result = parseIpv4(OFFLOADED);
    expect(isWireError(result) && result.reason).toBe(DropReason.BadLength);
    expect(isWireError(result) && result.detail).toMatch(/total length 0 .*segmentation offload.*allowTsoZeroLength/);
  });

  it('with allowTsoZeroLength, takes the length from the bytes and does not verify the checksum, as Wireshark does', () => {
    const result = parseIpv4(OFFLOADED, { allowTsoZeroLength: true });
    if (isWireError(result)) throw new Error(result.detail);
    expect(result.tsoZeroLength).toBe(true);
    expect(result.header.totalLength).toBe(40);
    expect(result.payload).toEqual(REAL.subarray(20));
    expect([result.header.protocol, String(result.header.source), String(result.header.destination)]).toEqual([6, '10.77.0.1', '10.77.0.2']);
    // Larger than 65535 bytes, as BIG TCP hands a NIC, still reads whole.
    const big = new Uint8Array(70_000);
    big.set(OFFLOADED.subarray(0, 20));
    const bigResult = parseIpv4(big, { allowTsoZeroLength: true });
    expect(isWireError(bigResult) ? bigResult.detail : bigResult.payload.length).toBe(70_000 - 20);
  });

  it('still rejects what is wrong for other reasons with the option on', () => {
    const badVersion = OFFLOADED.slice();
    badVersion[0] = 0x65;
    expect(isWireError(parseIpv4(badVersion, { allowTsoZeroLength: true }))).toBe(true);
    const short = parseIpv4(OFFLOADED.subarray(0, 19), { allowTsoZeroLength: true });
    expect(isWireError(short) && short.reason).toBe(DropReason.Truncated);
    // A non-zero total length is checked exactly as without the option.
    expect(isWireError(parseIpv4(REAL.subarray(0, 39), { allowTsoZeroLength: true }))).toBe(true);
  });
});

describe('robustness', () => {
  it('never throws on 10,000 seeded random inputs', () => {
    // fast-check: random datagrams up to 80 bytes, half of them starting with a plausible
    // version/IHL byte (0x45-0x4f); a failure shrinks to a minimal input.
    const input = fc
      .tuple(fc.integer({ min: 0, max: 80 }).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })), fc.boolean(), fc.integer({ min: 0, max: 10 }))
      .map(([bytes, plausible, ihl]) => {
        if (plausible && bytes.length > 0) bytes[0] = 0x45 + ihl; // often plausible
        return bytes;
      });
    let valid = 0;
    fc.assert(
      fc.property(input, (bytes) => {
        if (!isWireError(parseIpv4(bytes))) valid++;
      }),
      { numRuns: 10_000 },
    );
    expect(valid).toBeLessThan(10_000);
  });

  /** A datagram header with a record-route option (7 bytes) and a NOP: IHL 7, 12 bytes of payload. */
  const headerWithOptions = (): Ipv4Header =>
    makeIpv4Header({
      source: Ipv4Address.parse('10.1.2.3'),
      destination: Ipv4Address.parse('10.3.2.1'),
      protocol: 6,
      payloadLength: 12,
      options: [{ type: 7, data: Uint8Array.from([4, 0, 0, 0, 0]) }, { type: 1, data: new Uint8Array(0) }],
    });

  it('re-emits a received header with more padding after End of Option List than alignment needs at its own length', () => {
    // IHL 9 (36 bytes) holding 8 bytes of options (an unknown type-5 option of 7 bytes and a
    // NOP), then End of Option List and padding: valid under RFC 791. A shrinking fast-check run
    // of the mutation test below found it: the emitter wrote IHL 7 into the 36 bytes the
    // parsed header takes, so a router forwarding it would have shifted the payload.
    const header = headerWithOptions();
    const bytes = new Uint8Array(header.totalLength);
    emitIpv4Header(header, bytes);
    bytes[0] = 0x49; // IHL 7 -> 9: +0x0200 in the first word ...
    bytes[20] = 5; // ... and option type 7 -> 5: -0x0200, so the checksum still holds
    const result = parseIpv4(bytes);
    if (isWireError(result)) throw new Error(`${result.reason}: ${result.detail}`);
    expect(result.header.headerLength).toBe(36);
    const out = new Uint8Array(36);
    expect(emitIpv4Header(result.header, out)).toBe(36);
    expect([...out]).toEqual([...bytes.subarray(0, 36)]);
  });

  it('never throws on 10,000 header mutations of a valid datagram with options; what still parses re-emits byte for byte', () => {
    const header: Ipv4Header = headerWithOptions();
    const good = new Uint8Array(header.totalLength);
    emitIpv4Header(header, good);
    // fast-check: 1-3 header bytes rewritten; a failure shrinks to the fewest, smallest edits.
    const edits = fc.array(fc.tuple(fc.integer({ min: 0, max: header.headerLength - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 3 });
    let reemitted = 0;
    fc.assert(
      fc.property(edits, (changes) => {
        const bytes = good.slice();
        for (const [at, value] of changes) bytes[at] = value;
        const result = parseIpv4(bytes);
        if (!isWireError(result)) {
          const out = new Uint8Array(result.header.headerLength);
          emitIpv4Header(result.header, out);
          // RFC 791: what follows End of Option List is padding a receiver ignores, so the
          // emitter writes it as zeros (a mutation can move the EOL, e.g. by shortening an option).
          const expected = bytes.slice(0, result.header.headerLength);
          let end = 20;
          for (const option of result.header.options) end += option.type === 0 || option.type === 1 ? 1 : 2 + option.data.length;
          expected.fill(0, end);
          expect([...out]).toEqual([...expected]);
          reemitted++;
        }
      }),
      { numRuns: 10_000 },
    );
    // Rewriting a header byte almost always breaks the checksum (only an identical rewrite survives).
    expect(reemitted).toBeLessThan(500);
  });
});
