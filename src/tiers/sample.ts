/**
 * `sampleKeys(config, dataset, n)`: real keys from the loaded data, drawn with a realistic skew —
 * each key with probability proportional to its popularity (`pin_count`, heavy-tailed in the
 * generated data), like real traffic. Used by `plan bench` and `demo` to fill key params.
 * Deterministic for a given seed.
 */
import { mulberry32 } from '../gen/random.js';
import { CATALOG, keyField } from '../catalog/catalog.js';
import { UserError } from '../errors/index.js';
import type { ProjectConfig } from '../project/config.js';
import { openTiers, type TierSet } from './open.js';
import { sqlIdent } from './records.js';
import type { Key } from './tier.js';

export interface SampleOptions {
  seed?: number;
  /** Draw from at most this many of the most popular keys (default 200 000). */
  candidates?: number;
  tiers?: TierSet;
}

export async function sampleKeys(
  config: ProjectConfig,
  datasetName: string,
  n: number,
  options: SampleOptions = {},
): Promise<Key[]> {
  const dataset = CATALOG.get(datasetName);
  const key = keyField(dataset);
  const limit = options.candidates ?? 200_000;
  const tiers = options.tiers ?? (await openTiers(config));
  try {
    let pool: Array<{ k: Key; w: number }>;
    if (dataset.tiers.includes('prod')) {
      const prod = tiers.prod();
      await prod.getMany(dataset.name, []); // checks that it is loaded, with the usual errors
      pool = prod
        .rawDatabase()
        .prepare(`SELECT k, w FROM ${sqlIdent(dataset.name)} ORDER BY w DESC, k LIMIT ?`)
        .all(limit) as Array<{ k: Key; w: number }>;
    } else {
      const tier = tiers.get(dataset.tiers.includes('batch') ? 'batch' : 'archive');
      const rows = await tier.query!(
        `SELECT ${sqlIdent(key.name)} AS k FROM ${sqlIdent(dataset.name)} ORDER BY hash(${sqlIdent(key.name)}) LIMIT ${Math.floor(limit)}`,
        {},
      );
      pool = rows.map((r) => ({ k: r['k'] as Key, w: 1 }));
    }
    if (pool.length === 0) {
      throw new UserError(`${dataset.name} is loaded but empty: no keys to sample`, {
        code: 'no-keys',
        exit: 1,
      });
    }
    return weightedDraw(pool, n, options.seed ?? 42);
  } finally {
    if (!options.tiers) await tiers.close();
  }
}

/** `n` draws with replacement, probability ∝ weight (cumulative weights + binary search). */
export function weightedDraw(pool: ReadonlyArray<{ k: Key; w: number }>, n: number, seed: number): Key[] {
  const cumulative = new Float64Array(pool.length);
  let total = 0;
  pool.forEach((p, i) => {
    total += Math.max(p.w, 1);
    cumulative[i] = total;
  });
  const random = mulberry32(seed);
  const out: Key[] = [];
  for (let i = 0; i < n; i++) {
    const target = random() * total;
    let lo = 0;
    let hi = pool.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    out.push(pool[lo]!.k);
  }
  return out;
}
