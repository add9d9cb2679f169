/**
 * Seeded random streams. Every source of randomness in the project is a `Random`
 * made from one seed; the global unseeded generator is never used.
 *
 * Generator: xoshiro128** (Blackman & Vigna), 128-bit state in four uint32 words,
 * seeded through splitmix32 so that nearby seeds give unrelated streams.
 * Streams are split by name (`fork`), so adding a consumer of randomness in one
 * part of the program does not shift the numbers another part sees.
 */

/** Saved state of a `Random`, enough to continue its stream exactly. */
export interface RandomState {
  readonly s: readonly [number, number, number, number];
  /** Second Box-Muller value waiting to be returned, or null. */
  readonly spareNormal: number | null;
}

function splitmix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** FNV-1a hash of a string, used to derive named sub-streams. */
function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const TWO_POW_MINUS_32 = 1 / 4294967296;

/** A deterministic pseudo-random stream (xoshiro128**). */
export class Random {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spare: number | null = null;
  /** The seed this stream was made from (for forking). */
  readonly seed: number;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new RangeError(`Random: seed must be a finite number, got ${seed}`);
    this.seed = seed >>> 0;
    let x = this.seed ^ 0x6a09e667;
    x = splitmix32(x); this.s0 = x;
    x = splitmix32(x ^ 0x1); this.s1 = x;
    x = splitmix32(x ^ 0x2); this.s2 = x;
    x = splitmix32(x ^ 0x3); this.s3 = x;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** A new independent stream derived from this stream's seed and a name. */
  fork(name: string): Random {
    return new Random(splitmix32(this.seed ^ hashString(name)) ^ hashString(`${name}#${this.seed}`));
  }

  /** Next uniformly distributed uint32. */
  nextUint32(): number {
    const s0 = this.s0, s1 = this.s1, s2 = this.s2, s3 = this.s3;
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    let n2 = s2 ^ s0;
    let n3 = s3 ^ s1;
    const n1 = s1 ^ n2;
    const n0 = s0 ^ n3;
    n2 ^= t;
    n3 = rotl(n3, 11);
    this.s0 = n0 | 0; this.s1 = n1 | 0; this.s2 = n2 | 0; this.s3 = n3 | 0;
    return r;
  }

  /** Uniform float in [0, 1) with 32 bits of randomness. */
  next(): number {
    return this.nextUint32() * TWO_POW_MINUS_32;
  }

  /** Uniform float in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    // Multiply-shift is unbiased enough for n far below 2^32 and needs no loop.
    return Math.floor(this.next() * n);
  }

  /** Standard normal (Box-Muller, both values used). */
  normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    let u = 0;
    do u = this.next(); while (u === 0);
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    const theta = 2 * Math.PI * v;
    this.spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  /** In-place Fisher-Yates shuffle. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i]!;
      items[i] = items[j]!;
      items[j] = tmp;
    }
    return items;
  }

  /** Snapshot of the stream, for checkpoints. */
  getState(): RandomState {
    return { s: [this.s0, this.s1, this.s2, this.s3], spareNormal: this.spare };
  }

  /** Restore a snapshot taken by `getState`. */
  setState(state: RandomState): void {
    [this.s0, this.s1, this.s2, this.s3] = state.s;
    this.spare = state.spareNormal;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** A seed for item `index` of stream `tag` under a run seed (e.g. the environment seed of episode 17). */
export function deriveSeed(seed: number, tag: string, index: number): number {
  let h = splitmix32((seed >>> 0) ^ hashString(tag));
  h = splitmix32(h ^ (index >>> 0));
  return splitmix32(h ^ Math.floor(index / 4294967296)) >>> 0;
}
