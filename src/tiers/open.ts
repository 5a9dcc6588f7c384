/**
 * `openTiers(config)`: the four tiers of a data directory, each opened lazily on first use, so a
 * tier that is corrupt or not loaded fails only when it is used — with a message naming
 * `disco tiers load` — and never takes the others down.
 */
import type { TierName } from '../catalog/types.js';
import { TIER_NAMES } from '../catalog/types.js';
import { UserError } from '../errors/index.js';
import type { ProjectConfig } from '../project/config.js';
import { BatchTier } from './batch.js';
import { ArchiveTier, DebugTier } from './parquet.js';
import { type ProdOptions, ProdTier } from './prod.js';
import type { Tier } from './tier.js';

export interface TierSet {
  /** The tier (opened lazily); an unknown name is a usage error. */
  get(name: string): Tier;
  /** prod, with its synchronous lookup (the engine's fast path). */
  prod(): ProdTier;
  readonly names: readonly TierName[];
  close(): Promise<void>;
}

export interface OpenTiersOptions {
  prod?: ProdOptions;
}

export async function openTiers(config: ProjectConfig, options: OpenTiersOptions = {}): Promise<TierSet> {
  const prod = await ProdTier.create(config, options.prod);
  const tiers: Record<TierName, Tier> = {
    prod,
    batch: new BatchTier(config),
    archive: new ArchiveTier(config),
    debug: new DebugTier(config),
  };
  return {
    names: TIER_NAMES,
    get(name: string): Tier {
      const tier = tiers[name as TierName];
      if (!tier) {
        throw new UserError(`unknown tier '${name}'`, {
          code: 'unknown-tier',
          exit: 2,
          hint: `tiers: ${TIER_NAMES.join(', ')}`,
        });
      }
      return tier;
    },
    prod: () => prod,
    async close() {
      await Promise.all(Object.values(tiers).map((t) => t.close()));
    },
  };
}
