// node:crypto for the page: createHash for the digests the examples print (sha256, sha1,
// md5), computed by @noble/hashes, so a transfer's checksum reads the same as under Node.

import { sha256 } from '@noble/hashes/sha2.js';
import { sha1, md5 } from '@noble/hashes/legacy.js';
import { bytesToHex } from '@noble/hashes/utils.js';

const ALGORITHMS = { sha256, sha1, md5 } as const;

class Hash {
  private readonly chunks: Uint8Array[] = [];
  constructor(private readonly algorithm: keyof typeof ALGORITHMS) {}
  update(data: string | Uint8Array): this {
    this.chunks.push(typeof data === 'string' ? new TextEncoder().encode(data) : data);
    return this;
  }
  digest(encoding?: 'hex'): string | Uint8Array {
    const total = this.chunks.reduce((n, c) => n + c.length, 0);
    const all = new Uint8Array(total);
    let offset = 0;
    for (const c of this.chunks) {
      all.set(c, offset);
      offset += c.length;
    }
    const out = ALGORITHMS[this.algorithm](all);
    return encoding === 'hex' ? bytesToHex(out) : out;
  }
}

export function createHash(algorithm: string): Hash {
  const name = algorithm.toLowerCase().replace('-', '');
  if (!(name in ALGORITHMS)) throw new Error(`createHash: '${algorithm}' is not available in the browser (sha256, sha1, md5 are)`);
  return new Hash(name as keyof typeof ALGORITHMS);
}

export default { createHash };
