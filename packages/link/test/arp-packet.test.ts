import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DropReason, InvalidArgumentError, Ipv4Address, MacAddress, isWireError, type WireError } from '@netlayers/core';
import { ArpOperation, arpSummary, emitArpPacket, encodeArpPacket, isGratuitousArp, parseArpPacket, type ArpPacket } from '../src/arp-packet.ts';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

// RFC 826 layout: hrd(2) pro(2) hln(1) pln(1) op(2) sha(6) spa(4) tha(6) tpa(4)
const REQUEST_BYTES = hex('0001 0800 06 04 0001 020000000001 0a000001 000000000000 0a000002');
const REPLY_BYTES = hex('0001 0800 06 04 0002 020000000002 0a000002 020000000001 0a000001');

const request: ArpPacket = {
  operation: ArpOperation.Request,
  senderHardware: MacAddress.parse('02:00:00:00:00:01'),
  senderProtocol: Ipv4Address.parse('10.0.0.1'),
  targetHardware: MacAddress.ZERO,
  targetProtocol: Ipv4Address.parse('10.0.0.2'),
};
const reply: ArpPacket = {
  operation: ArpOperation.Reply,
  senderHardware: MacAddress.parse('02:00:00:00:00:02'),
  senderProtocol: Ipv4Address.parse('10.0.0.2'),
  targetHardware: MacAddress.parse('02:00:00:00:00:01'),
  targetProtocol: Ipv4Address.parse('10.0.0.1'),
};

function parsed(bytes: Uint8Array): ArpPacket {
  const result = parseArpPacket(bytes);
  if (isWireError(result)) throw new Error(`expected ARP, got ${result.reason}: ${result.detail}`);
  return result;
}

function plain(p: ArpPacket): Record<string, string | number> {
  return {
    operation: p.operation,
    sha: p.senderHardware.toString(),
    spa: p.senderProtocol.toString(),
    tha: p.targetHardware.toString(),
    tpa: p.targetProtocol.toString(),
  };
}

describe('ARP fixed vectors', () => {
  it('emits a request byte for byte', () => {
    expect(toHex(encodeArpPacket(request))).toBe(toHex(REQUEST_BYTES));
  });
  it('emits a reply byte for byte', () => {
    const into = new Uint8Array(28).fill(0xee);
    emitArpPacket(reply, into);
    expect(toHex(into)).toBe(toHex(REPLY_BYTES));
  });
  it('parses the request and the reply back to the same values', () => {
    expect(plain(parsed(REQUEST_BYTES))).toEqual(plain(request));
    expect(plain(parsed(REPLY_BYTES))).toEqual(plain(reply));
  });
  it('ignores Ethernet padding after the 28 bytes', () => {
    const padded = new Uint8Array(46);
    padded.set(REQUEST_BYTES);
    padded.fill(0x55, 28);
    expect(plain(parsed(padded))).toEqual(plain(request));
  });
  it('round-trips random valid packets', () => {
    const mac = fc.integer({ min: 0, max: 2 ** 48 - 1 }).map((key) => MacAddress.fromKey(key));
    const ip = fc.integer({ min: 0, max: 0xffffffff }).map((value) => Ipv4Address.fromUint32(value));
    const packet: fc.Arbitrary<ArpPacket> = fc.record({
      operation: fc.constantFrom(ArpOperation.Request, ArpOperation.Reply),
      senderHardware: mac,
      senderProtocol: ip,
      targetHardware: mac,
      targetProtocol: ip,
    });
    fc.assert(
      fc.property(packet, (p) => {
        const bytes = encodeArpPacket(p);
        expect(plain(parsed(bytes))).toEqual(plain(p));
        expect(toHex(encodeArpPacket(parsed(bytes)))).toBe(toHex(bytes));
      }),
      { numRuns: 500 },
    );
  });
});

describe('arpSummary (tcpdump style)', () => {
  it('describes a request and a reply', () => {
    expect(arpSummary(request)).toBe('ARP, Request who-has 10.0.0.2 tell 10.0.0.1');
    expect(arpSummary(reply)).toBe('ARP, Reply 10.0.0.2 is-at 02:00:00:00:00:02');
  });
  it('recognises a gratuitous ARP', () => {
    expect(isGratuitousArp(request)).toBe(false);
    expect(isGratuitousArp({ ...request, targetProtocol: request.senderProtocol })).toBe(true);
  });
});

describe('parseArpPacket rejects invalid packets', () => {
  const patch = (offset: number, bytes: number[]): Uint8Array => {
    const copy = REQUEST_BYTES.slice();
    copy.set(bytes, offset);
    return copy;
  };
  const cases: { name: string; bytes: Uint8Array; reason: string; detail: RegExp }[] = [
    { name: 'empty', bytes: new Uint8Array(0), reason: DropReason.Truncated, detail: /0 bytes/ },
    { name: '27 bytes', bytes: REQUEST_BYTES.subarray(0, 27), reason: DropReason.Truncated, detail: /27 bytes .*\(28 bytes\)/ },
    { name: 'hardware type 6 (IEEE 802)', bytes: patch(0, [0, 6]), reason: DropReason.Malformed, detail: /hardware type 6/ },
    { name: 'hardware type 0x0100 (byte order swapped)', bytes: patch(0, [1, 0]), reason: DropReason.Malformed, detail: /hardware type 256/ },
    { name: 'protocol type IPv6', bytes: patch(2, [0x86, 0xdd]), reason: DropReason.Malformed, detail: /protocol type 0x86dd/ },
    { name: 'hardware length 8', bytes: patch(4, [8]), reason: DropReason.BadLength, detail: /hardware address length 8/ },
    { name: 'protocol length 16', bytes: patch(5, [16]), reason: DropReason.BadLength, detail: /protocol address length 16/ },
    { name: 'operation 0', bytes: patch(6, [0, 0]), reason: DropReason.Malformed, detail: /operation 0/ },
    { name: 'operation 3 (RARP request)', bytes: patch(6, [0, 3]), reason: DropReason.Malformed, detail: /operation 3/ },
    { name: 'operation 0x0101', bytes: patch(6, [1, 1]), reason: DropReason.Malformed, detail: /operation 257/ },
  ];
  it.each(cases)('$name → $reason', ({ bytes, reason, detail }) => {
    const result = parseArpPacket(bytes);
    expect(isWireError(result)).toBe(true);
    expect((result as WireError).reason).toBe(reason);
    expect((result as WireError).detail).toMatch(detail);
  });
});

describe('emitArpPacket rejects bad arguments', () => {
  it('throws for an unknown operation and a short buffer', () => {
    expect(() => encodeArpPacket({ ...request, operation: 3 as ArpOperation })).toThrow(InvalidArgumentError);
    expect(() => emitArpPacket(request, new Uint8Array(27))).toThrow(/into\.length 27/);
  });
});

describe('parseArpPacket never throws', () => {
  it('survives 20,000 random inputs, many with a valid fixed header', () => {
    // fast-check: random bytes, half of them (when 8 bytes or longer) given the Ethernet/IPv4
    // fixed header with an operation 0-3, a fifth of those with one header byte rewritten.
    const input = fc
      .tuple(
        fc.integer({ min: 0, max: 40 }).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })),
        fc.boolean(),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 4 }),
        fc.tuple(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 255 })),
      )
      .map(([bytes, withHeader, operation, editChance, [at, value]]) => {
        if (withHeader && bytes.length >= 8) {
          bytes.set([0, 1, 8, 0, 6, 4, 0, operation]);
          if (editChance === 0) bytes[at] = value;
        }
        return bytes;
      });
    let ok = 0;
    let errors = 0;
    fc.assert(
      fc.property(input, (bytes) => {
        if (isWireError(parseArpPacket(bytes))) errors++;
        else ok++;
      }),
      { numRuns: 20_000 },
    );
    expect(ok).toBeGreaterThan(1000);
    expect(errors).toBeGreaterThan(1000);
  });
});
