// Seeded, forkable randomness. xoshiro128** (Blackman & Vigna) seeded through splitmix32.
// `fork(label)` derives a child stream from the parent's *seed* and the label, not from the
// parent's position, so adding a component never shifts another component's stream.

function mixString(seed: number, label: string): number {
  // FNV-1a over the label's UTF-16 code units, folded with the seed.
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** A deterministic pseudo-random generator; never use Math.random inside a layer. */
export class Random {
  readonly seed: number;
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** `seed` is any integer or string; equal seeds give equal streams. */
  constructor(seed: number | string = 1) {
    this.seed = typeof seed === 'string' ? mixString(0, seed) : seed >>> 0;
    const st = { s: this.seed };
    this.a = splitmix32(st);
    this.b = splitmix32(st);
    this.c = splitmix32(st);
    this.d = splitmix32(st);
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
  }

  /** An independent stream named `label`, derived from this generator's seed. */
  fork(label: string): Random {
    return new Random(mixString(this.seed, label));
  }

  /** Next 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [min, max] (inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return p > 0 && this.next() < p;
  }

  /** Fill a new array of `length` random bytes: each 32-bit draw gives four, low byte first. */
  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    const whole = length - (length % 4);
    let i = 0;
    // Four bytes per draw without an inner loop (a 10 MB payload is 2.5 million draws).
    for (; i < whole; i += 4) {
      const v = this.nextUint32();
      out[i] = v & 0xff;
      out[i + 1] = (v >>> 8) & 0xff;
      out[i + 2] = (v >>> 16) & 0xff;
      out[i + 3] = v >>> 24;
    }
    if (i < length) {
      let v = this.nextUint32();
      for (; i < length; i++, v >>>= 8) out[i] = v & 0xff;
    }
    return out;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
