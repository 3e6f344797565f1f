// node:crypto for the page: createHash for the digests the examples print (sha256, sha1,
// md5), so a transfer's checksum reads the same as under Node. The hashing is hash-wasm's
// WebAssembly (an order of magnitude faster than hashing in JavaScript; a 10 MB transfer
// hashes what it sends and what it receives). One WASM hasher per algorithm serves every
// Hash object: each object keeps its own saved state and loads it before an update.
// The WASM modules compile asynchronously: the worker awaits `hashersReady` before it runs a
// script. (A top-level await here would delay the worker's message handler past the page's
// first message, which the worker would then never see.)

import { createMD5, createSHA1, createSHA256, type IHasher } from 'hash-wasm';

type Algorithm = 'sha256' | 'sha1' | 'md5';
const ALGORITHMS: readonly Algorithm[] = ['sha256', 'sha1', 'md5'];
let HASHERS: Readonly<Record<Algorithm, IHasher>> | undefined;
let loadFailure: string | undefined;

/** Settles once the hashers are compiled (or failed to); createHash may be called after that. */
export const hashersReady: Promise<void> = Promise.all([createSHA256(), createSHA1(), createMD5()]).then(
  ([sha256, sha1, md5]) => {
    HASHERS = { sha256, sha1, md5 };
  },
  (error: unknown) => {
    loadFailure = error instanceof Error ? error.message : String(error);
  },
);

function hasher(algorithm: Algorithm): IHasher {
  if (loadFailure !== undefined) throw new Error(`createHash: the WebAssembly hashers could not be loaded (${loadFailure})`);
  if (HASHERS === undefined) throw new Error('createHash: the WebAssembly hashers are still loading (await hashersReady first)');
  return HASHERS[algorithm];
}

class Hash {
  private state: Uint8Array;
  private done = false;
  constructor(private readonly algorithm: Algorithm) {
    this.state = hasher(algorithm).init().save();
  }

  update(data: string | Uint8Array): this {
    if (this.done) throw new Error('Digest already called');
    this.state = hasher(this.algorithm).load(this.state).update(data).save();
    return this;
  }

  digest(encoding?: 'hex'): string | Uint8Array {
    if (this.done) throw new Error('Digest already called');
    this.done = true;
    const loaded = hasher(this.algorithm).load(this.state);
    return encoding === 'hex' ? loaded.digest('hex') : loaded.digest('binary');
  }
}

export function createHash(algorithm: string): Hash {
  const name = algorithm.toLowerCase().replace('-', '');
  if (!(ALGORITHMS as readonly string[]).includes(name)) throw new Error(`createHash: '${algorithm}' is not available in the browser (sha256, sha1, md5 are)`);
  return new Hash(name as Algorithm);
}

export default { createHash };
