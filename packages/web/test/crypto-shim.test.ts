// The page's node:crypto shim (hash-wasm behind createHash) against Node's own createHash:
// hashes fed chunk by chunk, interleaved with one another and created while another is half
// way (they share one WASM hasher per algorithm, handing its state over), digest the same.

import { createHash as nodeHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createHash, hashersReady } from '../src/shims/crypto.ts';

const chunk = (n: number, seed: number): Uint8Array => Uint8Array.from({ length: n }, (_v, i) => (i * 31 + seed * 7) & 0xff);

describe('node:crypto shim', () => {
  beforeAll(async () => {
    await hashersReady;
  });

  it('digests interleaved hashes of one algorithm as node:crypto does', () => {
    for (const algorithm of ['sha256', 'sha1', 'md5']) {
      const a = createHash(algorithm);
      const b = createHash(algorithm);
      const na = nodeHash(algorithm);
      const nb = nodeHash(algorithm);
      for (let i = 0; i < 20; i++) {
        const x = chunk(1 + i * 97, i);
        const y = chunk(3 + i * 13, i + 100);
        a.update(x);
        na.update(x);
        if (i % 3 !== 0) {
          b.update(y);
          nb.update(y);
        }
        if (i === 10) {
          // A third hash created and finished while a and b are half way.
          const c = createHash(algorithm).update('abc').digest('hex');
          expect(c).toBe(nodeHash(algorithm).update('abc').digest('hex'));
        }
      }
      expect(b.digest('hex')).toBe(nb.digest('hex'));
      a.update('tail');
      na.update('tail');
      expect(a.digest('hex')).toBe(na.digest('hex'));
    }
  });

  it('refuses a second digest and an update after digest, as node:crypto does', () => {
    const h = createHash('sha256').update('x');
    expect(Buffer.from(h.digest() as Uint8Array).toString('hex')).toBe(nodeHash('sha256').update('x').digest('hex'));
    expect(() => h.digest('hex')).toThrow(/Digest already called/);
    expect(() => h.update('y')).toThrow(/Digest already called/);
  });

  it('names the algorithms it has when asked for another', () => {
    expect(() => createHash('sha512')).toThrow(/sha256, sha1, md5/);
  });
});
