// Property tests (fast-check) for the HTTP/1.1 request and response parsers (RFC 9112):
// they never throw, whatever bytes arrive and however they are split; a well-formed
// message reads back exactly as written; and the outcome does not depend on the split.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HttpHeaders } from '../src/http/headers.ts';
import { serializeHead, type HttpRequest, type HttpResponse } from '../src/http/message.ts';
import { HttpRequestParser, HttpResponseParser, isHttpParseError, type HttpParseError } from '../src/http/parser.ts';
import { concatBytes, latin1 } from '../src/util/bytes.ts';

type Item = HttpRequest | HttpResponse | HttpParseError;

/** A comparable summary of what a parser produced: each message's shape, or the error status. */
function summarise(items: readonly (Item | null)[]): string[] {
  return items.map((item) => {
    if (item === null) return 'none';
    if (isHttpParseError(item)) return `error ${item.status}${item.limit === undefined ? '' : ` ${item.limit}`}`;
    const head = 'method' in item ? `${item.method} ${item.target}` : `${item.status} ${item.reason}`;
    return `${head} ${item.version} [${item.headers.entries().map(([n, v]) => `${n}=${v}`).join('|')}] body=${Buffer.from(item.body).toString('hex')} trailers=${item.trailers.size}`;
  });
}

/** Feed `input` cut at `cuts` (sorted offsets); returns everything pushed out, then finish(). */
function feed(parser: HttpRequestParser | HttpResponseParser, input: Uint8Array, cuts: readonly number[]): (Item | null)[] {
  const out: (Item | null)[] = [];
  let at = 0;
  for (const cut of [...cuts.filter((c) => c > 0 && c < input.length)].sort((a, b) => a - b).concat(input.length)) {
    out.push(...parser.push(input.subarray(at, cut)));
    at = cut;
  }
  out.push(parser.finish());
  return out;
}

const LIMITS = { maxLineLength: 256, maxHeaderBytes: 1024, maxHeaderCount: 16, maxBodyBytes: 4096 };

/** Fragments real messages are made of, so random concatenations reach deep parser states. */
const fragment = fc.oneof(
  fc.constantFrom(
    'GET / HTTP/1.1\r\n', 'POST /p HTTP/1.1\r\n', 'HEAD / HTTP/1.0\r\n', 'HTTP/1.1 200 OK\r\n', 'HTTP/1.0 204 \r\n', 'HTTP/1.1 100 Continue\r\n',
    'Host: h\r\n', 'Content-Length: 3\r\n', 'Content-Length: 0\r\n', 'Content-Length: 1, 1\r\n', 'Transfer-Encoding: chunked\r\n', 'Transfer-Encoding: gzip\r\n',
    'Connection: close\r\n', 'X-A: v\r\n', ' folded\r\n', '\r\n', '\n', '\r', '3\r\nabc\r\n', '0\r\n\r\n', '1;ext="q"\r\nz\r\n', 'ffffffffffffffff\r\n', ':', ' ', '\t', '\x00', 'abc',
  ),
  fc.string({ maxLength: 12 }),
);
const soup = fc.array(fragment, { maxLength: 24 }).map((parts) => latin1(parts.join('')));
/** Start line, field lines, blank line, body pieces — most of them valid, one to three messages. */
const startLine = fc.constantFrom('GET / HTTP/1.1\r\n', 'POST /p HTTP/1.1\r\n', 'HEAD / HTTP/1.0\r\n', 'HTTP/1.1 200 OK\r\n', 'HTTP/1.0 204 \r\n', 'HTTP/1.1 100 Continue\r\n', 'HTTP/1.1 304 Not Modified\r\n');
const fieldLine = fc.constantFrom('Host: h\r\n', 'Content-Length: 3\r\n', 'Content-Length: 0\r\n', 'Transfer-Encoding: chunked\r\n', 'Connection: close\r\n', 'X-A: v\r\n', ' folded\r\n', 'Bad Name: x\r\n');
const bodyPiece = fc.constantFrom('abc', '3\r\nabc\r\n', '1;ext="q"\r\nz\r\n', '0\r\n\r\n', '0\r\nT: 1\r\n\r\n', 'xyz\r\n');
const message = fc.tuple(startLine, fc.array(fieldLine, { maxLength: 5 }), fc.array(bodyPiece, { maxLength: 3 })).map(([line, lines, body]) => `${line}${lines.join('')}\r\n${body.join('')}`);
const messages = fc.array(message, { minLength: 1, maxLength: 3 }).map((list) => latin1(list.join('')));
const anyBytes = fc.oneof(messages, messages, soup, fc.uint8Array({ maxLength: 400 }));
const cuts = fc.array(fc.nat({ max: 400 }), { maxLength: 12 });
const methods = fc.array(fc.constantFrom('GET', 'HEAD', 'POST'), { maxLength: 4 });

describe('HTTP parsers, property-based', () => {
  it('the request parser never throws, and its outcome does not depend on how the bytes are split', () => {
    fc.assert(
      fc.property(anyBytes, cuts, (input, splits) => {
        const whole = summarise(feed(new HttpRequestParser(LIMITS), input, []));
        const split = summarise(feed(new HttpRequestParser(LIMITS), input, splits));
        expect(split).toEqual(whole);
      }),
      { numRuns: 3000 },
    );
  });

  it('the response parser never throws, and its outcome does not depend on how the bytes are split', () => {
    fc.assert(
      fc.property(anyBytes, cuts, methods, (input, splits, sent) => {
        const make = (): HttpResponseParser => {
          const p = new HttpResponseParser(LIMITS);
          for (const m of sent) p.expectResponseTo(m);
          return p;
        };
        expect(summarise(feed(make(), input, splits))).toEqual(summarise(feed(make(), input, [])));
      }),
      { numRuns: 3000 },
    );
  });

  const token = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,11}$/);
  const value = fc.stringMatching(/^[!-~]([ -~]{0,20}[!-~])?$/);
  const fields = fc.array(fc.tuple(token, value), { maxLength: 8 }).map((list) => list.filter(([n]) => !/^(host|content-length|transfer-encoding|connection)$/i.test(n)));
  const body = fc.uint8Array({ maxLength: 300 });

  it('reads back any well-formed request exactly as written, with Content-Length or chunked framing, however split', () => {
    fc.assert(
      fc.property(token, fc.stringMatching(/^\/[!-~]{0,30}$/), fields, body, fc.boolean(), cuts, (method, target, extra, content, chunked, splits) => {
        const headers = new HttpHeaders([['Host', 'server.lab'], ...extra]);
        const parts: Uint8Array[] = [];
        if (chunked) {
          headers.append('Transfer-Encoding', 'chunked');
          parts.push(serializeHead(`${method} ${target} HTTP/1.1`, headers));
          for (let at = 0; at < content.length; at += 7) {
            const piece = content.subarray(at, at + 7);
            parts.push(latin1(`${piece.length.toString(16)}\r\n`), piece, latin1('\r\n'));
          }
          parts.push(latin1('0\r\n\r\n'));
        } else {
          headers.append('Content-Length', String(content.length));
          parts.push(serializeHead(`${method} ${target} HTTP/1.1`, headers), content);
        }
        const wire = concatBytes(parts);
        const items = feed(new HttpRequestParser(), wire, splits).filter((i) => i !== null);
        expect(items).toHaveLength(1);
        const request = items[0] as HttpRequest;
        expect(isHttpParseError(request)).toBe(false);
        expect([request.method, request.target, request.version]).toEqual([method, target, 'HTTP/1.1']);
        expect(request.headers.entries()).toEqual(headers.entries());
        expect(request.body).toEqual(content);
      }),
      { numRuns: 500 },
    );
  });

  it('reads back any well-formed response exactly as written, pipelined behind another', () => {
    fc.assert(
      fc.property(fc.integer({ min: 200, max: 599 }).filter((s) => s !== 204 && s !== 304), fields, body, cuts, (status, extra, content, splits) => {
        const headers = new HttpHeaders([...extra, ['Content-Length', String(content.length)]]);
        const one = concatBytes([serializeHead(`HTTP/1.1 ${status} Reason Text`, headers), content]);
        const parser = new HttpResponseParser();
        parser.expectResponseTo('GET');
        parser.expectResponseTo('GET');
        const items = feed(parser, concatBytes([one, one]), splits).filter((i) => i !== null);
        expect(items).toHaveLength(2);
        for (const item of items as HttpResponse[]) {
          expect([item.status, item.reason]).toEqual([status, 'Reason Text']);
          expect(item.headers.entries()).toEqual(headers.entries());
          expect(item.body).toEqual(content);
        }
      }),
      { numRuns: 500 },
    );
  });

  // The grammar of RFC 9112 §7.1.1 as a regular expression: the oracle for the one-pass
  // scanner the parser uses (this expression backtracks quadratically on long failures).
  const CHUNK_EXT = /^(?:[ \t]*;[ \t]*[!#$%&'*+\-.^_`|~0-9A-Za-z]+(?:[ \t]*=[ \t]*(?:[!#$%&'*+\-.^_`|~0-9A-Za-z]+|"(?:[\t \x21\x23-\x5b\x5d-\x7e\x80-\xff]|\\[\t \x21-\x7e\x80-\xff])*"))?)*[ \t]*$/;
  const extPiece = fc.constantFrom(';', ' ', '\t', '=', '"', '\\', 'a', 'b-1', '!', '\x01', '\x7f', '\xe9', ',', '"q"', ';n=v', ';n="a\\"b"');
  it('accepts exactly the chunk extensions the RFC 9112 grammar allows', () => {
    fc.assert(
      fc.property(fc.array(extPiece, { maxLength: 12 }), (pieces) => {
        const ext = pieces.join('');
        const wire = latin1(`POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n1${ext}\r\nx\r\n0\r\n\r\n`);
        const [item] = new HttpRequestParser().push(wire);
        // A size line's extensions start at its first ';' (the size itself takes no trailing text).
        const expected = ext === '' || CHUNK_EXT.test(ext.slice(ext.indexOf(';') < 0 ? ext.length : ext.indexOf(';'))) && /^[ \t]*(;|$)/.test(ext);
        expect(item !== undefined && !isHttpParseError(item)).toBe(expected);
      }),
      { numRuns: 3000 },
    );
  });
});
