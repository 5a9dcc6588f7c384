/**
 * Realistic key skew for benches: real keys sampled from the loaded data, requested with a Zipf
 * distribution (a few hot keys, a long tail), as production traffic to a discovery service is.
 * Deterministic for a seed, so two bench runs send the same sequence.
 */
import { mulberry32 } from '../gen/random.js';

/** Picks from `values` with Zipf(s) weights by rank: value i has weight 1 / (i + 1)^s. */
export function zipfPicker<T>(values: readonly T[], options: { s?: number; seed?: number } = {}): () => T {
  if (values.length === 0) throw new RangeError('zipfPicker needs at least one value');
  const s = options.s ?? 1;
  const cdf = new Float64Array(values.length);
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    total += 1 / (i + 1) ** s;
    cdf[i] = total;
  }
  const random = mulberry32(options.seed ?? 42);
  return () => {
    const x = random() * total;
    let lo = 0;
    let hi = values.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return values[lo]!;
  };
}
