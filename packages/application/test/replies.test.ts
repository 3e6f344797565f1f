// The SMTP/FTP reply grammar (RFC 5321 §4.2, RFC 959 §4.2) read from bytes by ReplyParser:
// single and multi-line replies, errors as values, and fast-check properties that it never
// throws and reads the same whatever the split.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isReplyParseError, ReplyParser, type Reply, type ReplyParseError } from '../src/util/replies.ts';
import { latin1 } from '../src/util/bytes.ts';

const feed = (input: Uint8Array, cuts: readonly number[] = [], max = 4096): (Reply | ReplyParseError)[] => {
  const parser = new ReplyParser(max);
  const out: (Reply | ReplyParseError)[] = [];
  let at = 0;
  for (const cut of [...cuts.filter((c) => c > 0 && c < input.length)].sort((a, b) => a - b).concat(input.length)) {
    out.push(...parser.push(input.subarray(at, cut)));
    at = cut;
  }
  return out;
};

describe('ReplyParser', () => {
  it('reads single-line and multi-line replies, with bare LF and a bare code', () => {
    const items = feed(latin1('220 smtp.lab ESMTP ready\r\n250-smtp.lab\r\n250-SIZE 1000\r\n  indented text\r\n250 HELP\r\n221\n'));
    expect(items).toEqual([
      { code: 220, lines: ['smtp.lab ESMTP ready'] },
      { code: 250, lines: ['smtp.lab', 'SIZE 1000', '  indented text', 'HELP'] },
      { code: 221, lines: [''] },
    ]);
  });

  it('reports a malformed line and an over-long line as errors, then stops', () => {
    const bad = feed(latin1('220 ok\r\nhello\r\n250 later\r\n'));
    expect(bad.map((i) => (isReplyParseError(i) ? i.detail : i.code))).toEqual([220, 'malformed reply line "hello"']);
    const long = feed(latin1(`220 ${'x'.repeat(100)}\r\n`), [], 64);
    expect(isReplyParseError(long[0]) && long[0].detail).toBe('reply line of 106 bytes is too long');
  });

  const fragment = fc.constantFrom('220 ready\r\n', '250-', '250 ', '250-line\r\n', '250 end\r\n', '\r\n', '\n', 'x', '999', ' text', '\r');
  const input = fc.oneof(
    fc.array(fragment, { maxLength: 30 }).map((p) => latin1(p.join(''))),
    fc.uint8Array({ maxLength: 300 }),
  );
  it('never throws and reads the same however the bytes are split', () => {
    fc.assert(
      fc.property(input, fc.array(fc.nat({ max: 300 }), { maxLength: 10 }), (bytes, cuts) => {
        expect(feed(bytes, cuts, 64)).toEqual(feed(bytes, [], 64));
      }),
      { numRuns: 3000 },
    );
  });
});
