// node:crypto for the page: createHash for the digests the examples print (sha256, sha1,
// md5), so a transfer's checksum reads the same as under Node. The hashing is hash-wasm's
// WebAssembly (an order of magnitude faster than hashing in JavaScript; a 10 MB transfer
// hashes what it sends and what it receives). One WASM hasher per algorithm serves every
// Hash object: the state of the object that used it last stays loaded in it, and is saved
// out only when another object of the same algorithm takes the hasher over (so a hash fed
// chunk by chunk, as a receiver's is, pays no save and load per chunk).
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

/** The Hash object whose state is loaded in each algorithm's hasher now. */
const owners = new Map<Algorithm, Hash>();

class Hash {
  /** This object's state while another object owns the hasher; undefined while it owns it. */
  private saved: Uint8Array | undefined;
  private done = false;
  constructor(private readonly algorithm: Algorithm) {
    this.take().init();
  }

  /** The hasher, its previous owner's state saved out of it, now owned by this object. */
  private take(): IHasher {
    const wasm = hasher(this.algorithm);
    const owner = owners.get(this.algorithm);
    if (owner !== undefined && owner !== this && !owner.done) owner.saved = wasm.save();
    owners.set(this.algorithm, this);
    return wasm;
  }

  /** The hasher with this object's state loaded. */
  private own(): IHasher {
    if (owners.get(this.algorithm) === this) return hasher(this.algorithm);
    const wasm = this.take();
    wasm.load(this.saved!);
    this.saved = undefined;
    return wasm;
  }

  update(data: string | Uint8Array): this {
    if (this.done) throw new Error('Digest already called');
    this.own().update(data);
    return this;
  }

  digest(encoding?: 'hex'): string | Uint8Array {
    if (this.done) throw new Error('Digest already called');
    const wasm = this.own();
    this.done = true;
    owners.delete(this.algorithm);
    return encoding === 'hex' ? wasm.digest('hex') : wasm.digest('binary');
  }
}

export function createHash(algorithm: string): Hash {
  const name = algorithm.toLowerCase().replace('-', '');
  if (!(ALGORITHMS as readonly string[]).includes(name)) throw new Error(`createHash: '${algorithm}' is not available in the browser (sha256, sha1, md5 are)`);
  return new Hash(name as Algorithm);
}

export default { createHash };
