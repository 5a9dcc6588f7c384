/**
 * Seeded randomness for the generator. Never `Math.random`: every draw comes from a
 * {@link Rng} seeded from (seed, stream), so the same seed gives the same world, and the streams
 * (users, boards, pins, …) do not shift each other when one of them changes.
 */

/** splitmix32: turns (seed, stream) into well-mixed 32-bit state words. */
function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** sfc32: a small, fast, statistically solid 32-bit generator (PractRand-clean). */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream: number) {
    const mix = splitmix32(
      (Math.imul(seed >>> 0, 0x27d4eb2d) ^ Math.floor(seed / 0x100000000) ^ Math.imul(stream, 0x165667b1)) >>>
        0,
    );
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = 1;
    for (let i = 0; i < 12; i++) this.u32();
  }

  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  /** Pareto(xm = 1, alpha): the heavy tail behind popularity, activity and board sizes. */
  pareto(alpha: number): number {
    return (1 - this.float()) ** (-1 / alpha);
  }
}

/**
 * Walker's alias table: O(1) draws from a fixed discrete distribution (boards by weight,
 * users by activity, countries by share of pinners). Each slot holds its threshold and both
 * outcomes side by side, so a draw touches one cache line even for millions of outcomes.
 */
export class AliasTable {
  /** Per slot: [threshold, outcome below it, outcome above it]. */
  private readonly slots: Float64Array;
  readonly size: number;

  /** `values[i]` is what drawing outcome i returns (default: i itself). */
  constructor(weights: ArrayLike<number>, values?: ArrayLike<number>) {
    const n = weights.length;
    this.size = n;
    this.slots = new Float64Array(3 * n);
    if (n === 0) return;
    let total = 0;
    for (let i = 0; i < n; i++) total += weights[i]!;
    const scaled = new Float64Array(n);
    const small = new Int32Array(n);
    const large = new Int32Array(n);
    const prob = new Float64Array(n);
    const alias = new Int32Array(n);
    let ns = 0;
    let nl = 0;
    for (let i = 0; i < n; i++) {
      scaled[i] = (weights[i]! * n) / total;
      if (scaled[i]! < 1) small[ns++] = i;
      else large[nl++] = i;
    }
    while (ns > 0 && nl > 0) {
      const s = small[--ns]!;
      const l = large[--nl]!;
      prob[s] = scaled[s]!;
      alias[s] = l;
      scaled[l] = scaled[l]! + scaled[s]! - 1;
      if (scaled[l]! < 1) small[ns++] = l;
      else large[nl++] = l;
    }
    while (nl > 0) prob[large[--nl]!] = 1;
    while (ns > 0) prob[small[--ns]!] = 1;
    for (let i = 0; i < n; i++) {
      this.slots[3 * i] = prob[i]!;
      this.slots[3 * i + 1] = values ? values[i]! : i;
      this.slots[3 * i + 2] = values ? values[alias[i]!]! : alias[i]!;
    }
  }

  sample(rng: Rng): number {
    const k = 3 * rng.int(this.size);
    return rng.float() < this.slots[k]! ? this.slots[k + 1]! : this.slots[k + 2]!;
  }
}

/** Fisher–Yates shuffle in place. */
export function shuffle(array: Int32Array, rng: Rng): void {
  for (let i = array.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = array[i]!;
    array[i] = array[j]!;
    array[j] = t;
  }
}

/** A small, fast, seedable PRNG (mulberry32) for sampling and benches: one stream, floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
