/**
 * `experiment` bucketing: a stable hash of the `by` value (FNV-1a, salted with the plan and node
 * names so two experiments split users independently) picks a variant in proportion to the
 * weights. The same value always lands in the same variant, across requests and processes.
 */
import type { Compiled, Params } from '../expr.js';

/** FNV-1a 32-bit over the UTF-16 code units. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A number in [0, 1) for `value`, stable for a salt. */
export function bucketOf(salt: string, value: unknown): number {
  const text = typeof value === 'string' ? value : JSON.stringify(value ?? null);
  return fnv1a(`${salt}\u0000${text}`) / 0x1_0000_0000;
}

/** The index of the chosen variant for these params. */
export function chooser(salt: string, by: Compiled, weights: readonly number[]): (params: Params) => number {
  const total = weights.reduce((a, w) => a + Math.max(0, w), 0);
  const cumulative: number[] = [];
  let acc = 0;
  for (const w of weights) {
    acc += Math.max(0, w) / (total || 1);
    cumulative.push(acc);
  }
  return (params) => {
    const x = bucketOf(salt, by(undefined, params));
    for (let i = 0; i < cumulative.length; i++) if (x < cumulative[i]!) return i;
    // Rounding at the top end, or all weights 0: the last variant with a weight (or the last).
    for (let i = weights.length - 1; i >= 0; i--) if (weights[i]! > 0) return i;
    return weights.length - 1;
  };
}
