/**
 * `disco tiers status` and `disco tiers rollback [TIER]`.
 *
 * Status reads only the tier state files (and file sizes), so it is instant and consistent at any
 * moment of a load: a tier's state is replaced by one atomic rename. Rollback swaps a tier's
 * current and previous versions the same way (the previous database file is kept for it).
 */
import { TIER_NAMES, type TierName } from '../catalog/types.js';
import { UserError } from '../errors/index.js';
import type { ProjectConfig } from '../project/config.js';
import { ArchiveTier, DebugTier } from './parquet.js';
import { BatchTier } from './batch.js';
import { ProdTier } from './prod.js';
import { acquireLoadLock } from './lock.js';
import { readTierState, writeTierState } from './state.js';
import type { TierStatus } from './tier.js';
import { ENGINES } from './base.js';
import { removeUnreferencedFiles } from './load.js';

export interface TierStatusEntry extends TierStatus {
  /** Set when the tier's state cannot be read (the other tiers are still listed). */
  error?: string;
  /** `DATE/N` of the version a rollback would go back to. */
  previous_version?: string | null;
}

export interface TiersStatusResult {
  tiers: TierStatusEntry[];
}

export async function tiersStatus(config: ProjectConfig): Promise<TiersStatusResult> {
  const tiers: TierStatusEntry[] = [];
  const prod = await ProdTier.create(config);
  const all = [prod, new BatchTier(config), new ArchiveTier(config), new DebugTier(config)];
  for (const tier of all) {
    try {
      const status = await tier.status();
      const previous = readTierState(config.dataDir, tier.name).previous;
      tiers.push({ ...status, previous_version: previous?.version ?? null });
    } catch (error) {
      tiers.push({
        tier: tier.name,
        engine: ENGINES[tier.name],
        capacity_bytes: config.tiers[tier.name].capacityBytes,
        used_bytes: 0,
        datasets: [],
        error: error instanceof Error ? error.message : String(error),
      });
    }
    await tier.close();
  }
  return { tiers };
}

export interface RollbackResult {
  tiers: Array<{ tier: TierName; from: string; to: string }>;
}

/** Swaps current and previous of one tier (or every tier that has a previous version). */
export async function rollbackTiers(config: ProjectConfig, tier?: string): Promise<RollbackResult> {
  if (tier !== undefined && !TIER_NAMES.includes(tier as TierName)) {
    throw new UserError(`unknown tier '${tier}'`, {
      code: 'unknown-tier',
      exit: 2,
      hint: `tiers: ${TIER_NAMES.join(', ')}`,
    });
  }
  const names = tier === undefined ? TIER_NAMES : [tier as TierName];
  const release = acquireLoadLock(config.dataDir, 'rollback');
  try {
    const states = names.map((name) => readTierState(config.dataDir, name));
    const able = states.filter((s) => s.current && s.previous);
    if (able.length === 0 || (tier !== undefined && able.length !== names.length)) {
      throw new UserError(
        tier === undefined
          ? 'no tier has a previous version to roll back to'
          : `tier '${tier}' has no previous version to roll back to`,
        {
          code: 'no-previous-version',
          exit: 1,
          hint: "a rollback needs two loads; see 'disco tiers status'",
        },
      );
    }
    const done: RollbackResult['tiers'] = [];
    for (const state of able) {
      writeTierState(config.dataDir, { tier: state.tier, current: state.previous, previous: state.current });
      done.push({ tier: state.tier, from: state.current!.version, to: state.previous!.version });
    }
    removeUnreferencedFiles(config.dataDir);
    return { tiers: done };
  } finally {
    release();
  }
}
