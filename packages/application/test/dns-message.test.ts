import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Ipv4Address, isWireError, type WireError } from '@netlayers/core';
import { DnsRcode, DnsType, dnsMessage, emitDnsMessage, parseDnsMessage, type DnsMessage } from '../src/dns/message.ts';
import { MAX_COMPRESSION_POINTERS, parseName } from '../src/dns/name.ts';

const hex = (s: string): Uint8Array => Uint8Array.from(s.replace(/\s+/g, '').match(/../g)!.map((h) => parseInt(h, 16)));

const RESPONSE: DnsMessage = dnsMessage({
  id: 0xbeef,
  response: true,
  authoritative: true,
  recursionDesired: true,
  questions: [{ name: 'www.example.lab', type: DnsType.A, class: 1 }],
  answers: [
    { name: 'www.example.lab', class: 1, ttl: 60, data: { type: DnsType.CNAME, host: 'web.example.lab' } },
    { name: 'web.example.lab', class: 1, ttl: 300, data: { type: DnsType.A, address: Ipv4Address.parse('10.0.2.10') } },
  ],
  authorities: [{ name: 'example.lab', class: 1, ttl: 300, data: { type: DnsType.NS, host: 'ns1.example.lab' } }],
  additionals: [
    { name: 'ns1.example.lab', class: 1, ttl: 300, data: { type: DnsType.A, address: Ipv4Address.parse('10.0.2.53') } },
    { name: 'example.lab', class: 1, ttl: 300, data: { type: DnsType.TXT, texts: ['v=spf1 -all', 'hello world'] } },
    { name: 'example.lab', class: 1, ttl: 300, data: { type: DnsType.MX, preference: 10, exchange: 'mail.example.lab' } },
    { name: '10.2.0.10.in-addr.arpa', class: 1, ttl: 300, data: { type: DnsType.PTR, host: 'web.example.lab' } },
    { name: 'example.lab', class: 1, ttl: 300, data: { type: DnsType.SOA, mname: 'ns1.example.lab', rname: 'hostmaster.example.lab', serial: 7, refresh: 1, retry: 2, expire: 3, minimum: 4 } },
    { name: 'example.lab', class: 1, ttl: 300, data: { type: 99, raw: Uint8Array.of(1, 2, 3) } },
  ],
});

describe('DNS message codec', () => {
  it('encodes a query exactly as RFC 1035 lays it out', () => {
    const bytes = emitDnsMessage(dnsMessage({ id: 0x1234, recursionDesired: true, questions: [{ name: 'server.lab', type: DnsType.A, class: 1 }] }));
    expect(bytes).toEqual(hex('1234 0100 0001 0000 0000 0000 06 736572766572 03 6c6162 00 0001 0001'));
    const parsed = parseDnsMessage(bytes) as DnsMessage;
    expect(parsed.questions).toEqual([{ name: 'server.lab', type: 1, class: 1 }]);
    expect(parsed.recursionDesired).toBe(true);
  });

  it('round-trips every record type, with names compressed', () => {
    const compressed = emitDnsMessage(RESPONSE);
    const plain = emitDnsMessage(RESPONSE, { compress: false });
    expect(compressed.length).toBeLessThan(plain.length - 60);
    // The answer's owner name is a bare pointer to the question's name at offset 12.
    const answerStart = 12 + 'www.example.lab'.length + 2 + 4;
    expect([...compressed.subarray(answerStart, answerStart + 2)]).toEqual([0xc0, 12]);
    for (const bytes of [compressed, plain]) {
      const parsed = parseDnsMessage(bytes);
      expect(isWireError(parsed)).toBe(false);
      expect(parsed).toEqual(RESPONSE);
    }
  });

  it('compresses only names that match octet for octet, so case survives a round trip', () => {
    const m = dnsMessage({
      id: 1,
      questions: [
        { name: 'A.Lab', type: 1, class: 1 },
        { name: 'b.a.lab', type: 1, class: 1 },
        { name: 'X', type: 1, class: 1 },
        { name: 'x', type: 1, class: 1 },
        { name: 'c.A.Lab', type: 1, class: 1 },
        { name: 'dot\\.inside.Lab', type: 1, class: 1 },
      ],
    });
    const bytes = emitDnsMessage(m);
    const parsed = parseDnsMessage(bytes) as DnsMessage;
    expect(parsed.questions.map((q) => q.name)).toEqual(['A.Lab', 'b.a.lab', 'X', 'x', 'c.A.Lab', 'dot\\.inside.Lab']);
    // Only two suffixes match exactly: "c.A.Lab" ends in a pointer to "A.Lab" (7 octets become
    // 2) and "dot\\.inside.Lab" in a pointer to "Lab" (5 become 2); "b.a.lab" and "x" are whole.
    const plain = emitDnsMessage(m, { compress: false });
    expect(plain.length - bytes.length).toBe(5 + 3);
  });

  it('does not confuse a label holding a dot with labels ending in a backslash when compressing', () => {
    // Labels ["a\", "b"] and the one label "a.b": different names whose escaped texts once shared a key.
    const m = dnsMessage({ id: 1, questions: [{ name: 'a\\\\.b', type: 1, class: 1 }, { name: 'a\\.b', type: 1, class: 1 }] });
    const parsed = parseDnsMessage(emitDnsMessage(m)) as DnsMessage;
    expect(parsed.questions.map((q) => q.name)).toEqual(['a\\\\.b', 'a\\.b']);
  });

  const header = '0001 0000 0001 0000 0000 0000';
  const invalid: [string, string, string][] = [
    ['shorter than a header', '0001 0000 00', 'truncated'],
    ['question count with no question', header, 'truncated'],
    ['pointer to itself (loop)', `${header} c00c 0001 0001`, 'malformed'],
    ['two pointers pointing at each other', `${header} 01 61 c0 11 c0 0e 0001 0001`, 'malformed'],
    ['forward pointer', `${header} c0 0e 01 61 00 0001 0001`, 'malformed'],
    ['pointer outside the message', `${header} c0 ff 0001 0001`, 'malformed'],
    ['label over 63 bytes (type 01)', `${header} 40 ${'61'.repeat(64)} 00 0001 0001`, 'malformed'],
    ['reserved label type 10', `${header} 80 00 0001 0001`, 'malformed'],
    ['name over 255 bytes', `${header} ${('3f' + '61'.repeat(63)).repeat(4)} 00 0001 0001`, 'malformed'],
    ['label cut off', `${header} 05 6162`, 'truncated'],
    ['question cut off after its name', `${header} 01 61 00 00`, 'truncated'],
    ['trailing bytes', `${header} 01 61 00 0001 0001 ff`, 'bad-length'],
    ['A record of 3 bytes', '0001 8000 0000 0001 0000 0000 01 61 00 0001 0001 00000000 0003 0a0000', 'bad-length'],
    ['RDATA longer than the message', '0001 8000 0000 0001 0000 0000 01 61 00 0001 0001 00000000 0010 0a000001', 'truncated'],
    ['CNAME with bytes after its name', '0001 8000 0000 0001 0000 0000 01 61 00 0005 0001 00000000 0004 01 62 00 ff', 'bad-length'],
    ['TXT string past its RDATA', '0001 8000 0000 0001 0000 0000 01 61 00 0010 0001 00000000 0002 05 61', 'truncated'],
  ];
  it.each(invalid)('rejects %s', (_name, input, reason) => {
    const result = parseDnsMessage(hex(input));
    expect(isWireError(result)).toBe(true);
    expect((result as WireError).reason).toBe(reason);
  });

  it('accepts a name of exactly 255 octets and a label of exactly 63', () => {
    const labels = ['a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), 'd'.repeat(61)];
    const name = labels.join('.');
    const bytes = emitDnsMessage(dnsMessage({ id: 1, questions: [{ name, type: 1, class: 1 }] }));
    expect((parseDnsMessage(bytes) as DnsMessage).questions[0]!.name).toBe(name);
    expect(() => emitDnsMessage(dnsMessage({ id: 1, questions: [{ name: `${name}x`, type: 1, class: 1 }] }))).toThrow(/255/);
    expect(() => emitDnsMessage(dnsMessage({ id: 1, questions: [{ name: `${'a'.repeat(64)}.lab`, type: 1, class: 1 }] }))).toThrow(/63/);
    expect(() => emitDnsMessage(dnsMessage({ id: 1, questions: [{ name: 'a..lab', type: 1, class: 1 }] }))).toThrow(/empty label/);
  });

  it('follows a chain of backward pointers', () => {
    // offset 12: "lab" root; 17: "b" -> 12; 21: "a" -> 17
    const bytes = hex('0000 0000 0000 0000 0000 0000 03 6c6162 00 01 62 c00c 01 61 c011');
    expect(parseName(bytes, 21)).toEqual({ name: 'a.b.lab', end: 25 });
  });

  /**
   * A query whose question 1 is "a" (at offset 12) and whose question k (k >= 2) is a single
   * pointer to question `target(k)`'s name. Pointing each at the one before makes question
   * k a chain of k - 1 pointers, the shape that once cost 1.29 s for 65 KB.
   */
  function questionChain(count: number, target: (k: number) => number): Uint8Array {
    const start = (k: number): number => (k === 1 ? 12 : 19 + (k - 2) * 6);
    const out = [0, 1, 0, 0, count >> 8, count & 0xff, 0, 0, 0, 0, 0, 0, 1, 0x61, 0, 0, 1, 0, 1];
    for (let k = 2; k <= count; k++) {
      const to = start(target(k));
      out.push(0xc0 | (to >> 8), to & 0xff, 0, 1, 0, 1);
    }
    return Uint8Array.from(out);
  }

  it('follows at most 127 compression pointers for one name and rejects the 128th as malformed', () => {
    expect(MAX_COMPRESSION_POINTERS).toBe(127);
    const deepest = parseDnsMessage(questionChain(128, (k) => k - 1)); // question 128 is 127 pointers deep
    expect(isWireError(deepest)).toBe(false);
    expect((deepest as DnsMessage).questions.every((q) => q.name === 'a')).toBe(true);
    const tooDeep = parseDnsMessage(questionChain(129, (k) => k - 1));
    expect(isWireError(tooDeep)).toBe(true);
    expect((tooDeep as WireError).reason).toBe('malformed');
    expect((tooDeep as WireError).detail).toMatch(/name at \d+ follows more than 127 compression pointers/);
    // The cap holds the same for a lone name read with no memory of earlier ones.
    const bytes = questionChain(129, (k) => k - 1);
    expect((parseName(bytes, 19 + 127 * 6) as WireError).detail).toMatch(/more than 127/);
    expect(parseName(bytes, 19 + 126 * 6)).toEqual({ name: 'a', end: 19 + 126 * 6 + 2 });
  });

  it('reads 10,000 questions that all point at the end of a 126-pointer chain (127 jumps each)', () => {
    const bytes = questionChain(10_000, (k) => (k <= 127 ? k - 1 : 127));
    const parsed = parseDnsMessage(bytes);
    expect(isWireError(parsed)).toBe(false);
    expect((parsed as DnsMessage).questions).toHaveLength(10_000);
    expect((parsed as DnsMessage).questions.every((q) => q.name === 'a')).toBe(true);
  });

  it('counts the octets of a remembered name when a later name points into it', () => {
    // Question 1 is 250 octets; question 2 puts labels in front of a pointer to it, so it is
    // read from the memory of question 1 and must still be held to 255 octets.
    const long = ['a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), 'd'.repeat(56)].join('.');
    const first = [...emitDnsMessage(dnsMessage({ id: 1, questions: [{ name: long, type: 1, class: 1 }] }))];
    first[5] = 2;
    const withPrefix = (labels: number[]): DnsMessage | WireError => parseDnsMessage(Uint8Array.from([...first, ...labels, 0xc0, 12, 0, 1, 0, 1]));
    const fits = withPrefix([1, 0x78, 2, 0x79, 0x79]); // "x.yy." + 250 = 255 octets
    expect((fits as DnsMessage).questions[1]!.name).toBe(`x.yy.${long}`);
    const over = withPrefix([1, 0x78, 3, 0x79, 0x79, 0x79]); // 256 octets
    expect((over as WireError).reason).toBe('malformed');
    expect((over as WireError).detail).toMatch(/longer than 255 octets/);
  });

  it('reads every name the same with the shared memory of earlier names as without it', () => {
    // Questions made of a few labels then a pointer to any earlier label or pointer: names
    // that point into the middle of others, at pointers, and along long chains.
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.array(fc.stringMatching(/^[a-zA-Z]{1,3}$/), { maxLength: 3 }), fc.nat(), fc.boolean()), { minLength: 1, maxLength: 60 }),
        (questions) => {
          const out = [0, 1, 0, 0, 0, questions.length, 0, 0, 0, 0, 0, 0];
          const positions: number[] = []; // every label and pointer written so far
          const starts: number[] = [];
          for (const [labels, pick, point] of questions) {
            starts.push(out.length);
            for (const label of labels) {
              positions.push(out.length);
              out.push(label.length, ...[...label].map((c) => c.charCodeAt(0)));
            }
            if (point && positions.length > labels.length) {
              const earlier = positions.slice(0, positions.length - labels.length);
              const target = earlier[pick % earlier.length]!;
              positions.push(out.length);
              out.push(0xc0 | (target >> 8), target & 0xff);
            } else {
              out.push(0);
            }
            out.push(0, 1, 0, 1);
          }
          const bytes = Uint8Array.from(out);
          const message = parseDnsMessage(bytes);
          const alone = starts.map((start) => parseName(bytes, start));
          if (isWireError(message)) {
            // Then some name must be wrong on its own too (too long or too deep).
            expect(alone.some((n) => isWireError(n))).toBe(true);
          } else {
            expect(message.questions.map((q) => q.name)).toEqual(alone.map((n) => (n as { name: string }).name));
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('never throws on 10,000 random or mutated messages', () => {
    // fast-check: random bytes, or a prefix of a valid response with 1-3 bytes rewritten; a
    // failure shrinks to a minimal input.
    const valid = emitDnsMessage(RESPONSE);
    const mutated = fc
      .tuple(fc.integer({ min: 1, max: valid.length }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 3 }))
      .map(([length, edits]) => {
        const input = valid.slice(0, length);
        for (const [at, value] of edits) input[at % input.length] = value;
        return input;
      });
    let parsedOk = 0;
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 120, size: 'max' }), mutated), (input) => {
        const result = parseDnsMessage(input);
        if (!isWireError(result)) {
          parsedOk++;
          // Anything we accept we can write back out and read again identically.
          const again = parseDnsMessage(emitDnsMessage(result));
          if (!isWireError(again)) expect(again.questions.length).toBe(result.questions.length);
        }
      }),
      { numRuns: 10_000 },
    );
    expect(parsedOk).toBeGreaterThan(0);
  });

  it('keeps the rcode and flags', () => {
    const m = dnsMessage({ id: 9, response: true, truncated: true, recursionAvailable: true, rcode: DnsRcode.NXDOMAIN, z: 2, opcode: 2 });
    expect(parseDnsMessage(emitDnsMessage(m))).toEqual(m);
  });
});
