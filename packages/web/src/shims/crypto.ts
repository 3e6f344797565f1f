// node:crypto for the page: createHash for the digests the examples print (sha256, sha1,
// md5), so a transfer's checksum reads the same as under Node. The hashing is hash-wasm's
// WebAssembly (an order of magnitude faster than hashing in JavaScript; a 10 MB transfer
// hashes what it sends and what it receives). One WASM hasher per algorithm serves every
// Hash object: each object keeps its own saved state and loads it before an update.

import { createMD5, createSHA1, createSHA256, type IHasher } from 'hash-wasm';

const HASHERS: Readonly<Record<'sha256' | 'sha1' | 'md5', IHasher>> = {
  sha256: await createSHA256(),
  sha1: await createSHA1(),
  md5: await createMD5(),
};

type Algorithm = keyof typeof HASHERS;

class Hash {
  private state: Uint8Array;
  private done = false;
  constructor(private readonly algorithm: Algorithm) {
    this.state = HASHERS[algorithm].init().save();
  }

  update(data: string | Uint8Array): this {
    if (this.done) throw new Error('Digest already called');
    this.state = HASHERS[this.algorithm].load(this.state).update(data).save();
    return this;
  }

  digest(encoding?: 'hex'): string | Uint8Array {
    if (this.done) throw new Error('Digest already called');
    this.done = true;
    const hasher = HASHERS[this.algorithm].load(this.state);
    return encoding === 'hex' ? hasher.digest('hex') : hasher.digest('binary');
  }
}

export function createHash(algorithm: string): Hash {
  const name = algorithm.toLowerCase().replace('-', '');
  if (!(name in HASHERS)) throw new Error(`createHash: '${algorithm}' is not available in the browser (sha256, sha1, md5 are)`);
  return new Hash(name as Algorithm);
}

export default { createHash };
