import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HttpRequestParser, HttpResponseParser, isHttpParseError, type HttpParseError } from '../src/http/parser.ts';
import type { HttpRequest, HttpResponse } from '../src/http/message.ts';
import { bytes, text } from './support/drive.ts';

function parseAll(input: string | Uint8Array, splitEvery = 0): (HttpRequest | HttpParseError)[] {
  const parser = new HttpRequestParser({ maxBodyBytes: 1000, maxHeaderBytes: 512, maxHeaderCount: 8, maxLineLength: 128 });
  const data = typeof input === 'string' ? bytes(input) : input;
  const out: (HttpRequest | HttpParseError)[] = [];
  if (splitEvery <= 0) return parser.push(data);
  for (let i = 0; i < data.length; i += splitEvery) out.push(...parser.push(data.subarray(i, i + splitEvery)));
  return out;
}

const CHUNKED =
  'POST /upload HTTP/1.1\r\nHost: server.lab\r\nTransfer-Encoding: chunked\r\n\r\n' +
  '5;name=value;quoted="a \\"b\\""\r\nhello\r\n' +
  '7\r\n, world\r\n' +
  '0\r\nX-Checksum: abc\r\n\r\n';

describe('HttpRequestParser', () => {
  it('parses a simple GET with its header fields', () => {
    const [req] = parseAll('GET /index.html?x=1 HTTP/1.1\r\nHost: server.lab\r\nAccept: */*\r\nAccept: text/html\r\n\r\n');
    expect(isHttpParseError(req)).toBe(false);
    const r = req as HttpRequest;
    expect(r.method).toBe('GET');
    expect(r.target).toBe('/index.html?x=1');
    expect(r.version).toBe('HTTP/1.1');
    expect(r.headers.get('host')).toBe('server.lab');
    expect(r.headers.get('ACCEPT')).toBe('*/*, text/html');
    expect(r.keepAlive).toBe(true);
    expect(r.body.length).toBe(0);
  });

  it('decodes the chunked coding with extensions and trailers, whatever the split', () => {
    for (const split of [0, 1, 2, 3, 7, 13]) {
      const items = parseAll(CHUNKED, split);
      expect(items).toHaveLength(1);
      const r = items[0] as HttpRequest;
      expect(text(r.body)).toBe('hello, world');
      expect(r.trailers.get('x-checksum')).toBe('abc');
    }
  });

  it('parses pipelined requests in order, split at every byte boundary', () => {
    const input = 'GET /a HTTP/1.1\r\nHost: h\r\n\r\nPOST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nxyzGET /c HTTP/1.0\r\n\r\n';
    for (let cut = 1; cut < input.length; cut++) {
      const p = new HttpRequestParser();
      const items = [...p.push(bytes(input.slice(0, cut))), ...p.push(bytes(input.slice(cut)))];
      expect(items.map((m) => (m as HttpRequest).target)).toEqual(['/a', '/b', '/c']);
      expect(text((items[1] as HttpRequest).body)).toBe('xyz');
      expect((items[2] as HttpRequest).keepAlive).toBe(false);
    }
  });

  it('applies the HTTP/1.0 and Connection persistence rules', () => {
    const items = parseAll('GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n') as HttpRequest[];
    expect(items.map((r) => r.keepAlive)).toEqual([true, false]);
  });

  it('ignores empty lines before a request line and accepts bare LF line endings', () => {
    const [r] = parseAll('\r\n\r\nGET / HTTP/1.1\nHost: h\n\n') as HttpRequest[];
    expect(r!.headers.get('host')).toBe('h');
  });

  const invalid: [string, string, number][] = [
    ['no version', 'GET /\r\n\r\n', 400],
    ['double space', 'GET  / HTTP/1.1\r\nHost: h\r\n\r\n', 400],
    ['bad method token', 'G(T / HTTP/1.1\r\nHost: h\r\n\r\n', 400],
    ['garbage version', 'GET / HTTX/1.1\r\nHost: h\r\n\r\n', 400],
    ['HTTP/2.0', 'GET / HTTP/2.0\r\nHost: h\r\n\r\n', 505],
    ['HTTP/1.1 without Host', 'GET / HTTP/1.1\r\n\r\n', 400],
    ['two Host fields', 'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n', 400],
    ['space before colon', 'GET / HTTP/1.1\r\nHost : h\r\n\r\n', 400],
    ['obs-fold', 'GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n  b\r\n\r\n', 400],
    ['line without colon', 'GET / HTTP/1.1\r\nHost: h\r\nnonsense\r\n\r\n', 400],
    ['bare CR', 'GET / HTTP/1.1\r\nHost: h\rX: y\r\n\r\n', 400],
    ['control char in value', 'GET / HTTP/1.1\r\nHost: h\x01\r\n\r\n', 400],
    ['bad Content-Length', 'POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1x\r\n\r\n', 400],
    ['conflicting Content-Length', 'POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n', 400],
    ['TE and CL', 'POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n', 400],
    ['TE not ending in chunked', 'POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n', 400],
    ['unsupported coding', 'POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n', 501],
    ['bad chunk size', 'POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', 400],
    ['chunk longer than its size', 'POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n', 400],
    ['bad chunk extension', 'POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2;=x\r\nab\r\n', 400],
    ['body over the limit', 'POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1001\r\n\r\n', 413],
    ['chunked body over the limit', 'POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3e9\r\n', 413],
    ['request line too long', `GET /${'a'.repeat(200)} HTTP/1.1\r\n`, 414],
    ['too many fields', `GET / HTTP/1.1\r\nHost: h\r\n${'X-A: 1\r\n'.repeat(8)}\r\n`, 431],
    ['header section too large', `GET / HTTP/1.1\r\nHost: h\r\n${'X-Long: ' + 'v'.repeat(100) + '\r\n'}${'X-Long2: ' + 'v'.repeat(100) + '\r\n'}${'X-Long3: ' + 'v'.repeat(100) + '\r\n'}${'X-Long4: ' + 'v'.repeat(100) + '\r\n'}${'X-Long5: ' + 'v'.repeat(100) + '\r\n'}\r\n`, 431],
  ];
  it.each(invalid)('rejects %s', (_name, input, status) => {
    for (const split of [0, 1]) {
      const items = parseAll(input, split);
      const last = items[items.length - 1];
      expect(isHttpParseError(last)).toBe(true);
      expect((last as HttpParseError).status).toBe(status);
    }
  });

  it('stays failed after an error and reports truncation at end of stream', () => {
    const p = new HttpRequestParser();
    expect(isHttpParseError(p.push(bytes('BAD\r\n'))[0])).toBe(true);
    expect(p.failed).toBe(true);
    expect(p.push(bytes('GET / HTTP/1.1\r\nHost: h\r\n\r\n'))).toEqual([]);
    const q = new HttpRequestParser();
    q.push(bytes('POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nab'));
    const end = q.finish();
    expect(isHttpParseError(end) && end.status).toBe(400);
  });

  it('never throws on 10,000 random inputs (raw bytes and mutated requests)', () => {
    // fast-check: random bytes, or a prefix of valid requests with 1-4 bytes rewritten, pushed
    // in random chunks of 1-16 bytes into a request or a response parser; a failure shrinks to
    // a minimal input and split.
    const seed = bytes(CHUNKED + 'GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nab');
    const mutated = fc
      .tuple(fc.integer({ min: 1, max: seed.length }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }))
      .map(([length, edits]) => {
        const input = seed.slice(0, length);
        for (const [at, value] of edits) input[at % input.length] = value;
        return input;
      });
    const input = fc.oneof(fc.uint8Array({ maxLength: 200, size: 'max' }), mutated);
    const chunks = fc.array(fc.integer({ min: 1, max: 16 }), { minLength: 1, maxLength: 64 });
    fc.assert(
      fc.property(input, chunks, fc.boolean(), (data, sizes, response) => {
        const parser = response ? new HttpResponseParser() : new HttpRequestParser();
        for (let at = 0, k = 0; at < data.length; k++) {
          const n = sizes[k % sizes.length]!;
          parser.push(data.subarray(at, at + n));
          at += n;
        }
        parser.finish();
      }),
      { numRuns: 10_000 },
    );
  });
});

describe('HttpResponseParser', () => {
  it('frames bodies by Content-Length, chunked, and connection close', () => {
    const p = new HttpResponseParser();
    p.expectResponseTo('GET');
    p.expectResponseTo('GET');
    p.expectResponseTo('GET');
    const items = p.push(
      bytes('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi' + 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n' + 'HTTP/1.1 200 OK\r\n\r\nuntil the end'),
    ) as HttpResponse[];
    expect(items.map((r) => text(r.body))).toEqual(['hi', 'abc']);
    const last = p.finish() as HttpResponse;
    expect(text(last.body)).toBe('until the end');
    expect(last.keepAlive).toBe(false);
  });

  it('reads no body for HEAD, 204 and 304, and passes 1xx without consuming a request', () => {
    const p = new HttpResponseParser();
    p.expectResponseTo('HEAD');
    p.expectResponseTo('GET');
    p.expectResponseTo('GET');
    const items = p.push(
      bytes('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n' + 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n' + 'HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n'),
    ) as HttpResponse[];
    expect(items.map((r) => [r.status, r.body.length])).toEqual([[200, 0], [100, 0], [204, 0], [304, 0]]);
  });

  it('unfolds obs-fold in responses and accepts an empty reason phrase', () => {
    const p = new HttpResponseParser();
    const [r] = p.push(bytes('HTTP/1.1 404\r\nX-Folded: a\r\n  b\r\nContent-Length: 0\r\n\r\n')) as HttpResponse[];
    expect(r!.status).toBe(404);
    expect(r!.reason).toBe('');
    expect(r!.headers.get('x-folded')).toBe('a b');
  });

  it('rejects a malformed status line', () => {
    const p = new HttpResponseParser();
    const [e] = p.push(bytes('HTTP/1.1 2000 OK\r\n\r\n'));
    expect(isHttpParseError(e)).toBe(true);
  });
});
