/**
 * What validation checks plans against — no data needed: the catalog (built-ins plus a project's
 * own datasets), the tier profiles (`disco.yaml` or the SPEC defaults) and the processors
 * (built-ins plus a project's own, loaded only when a plan uses one).
 */
import { CATALOG, type Catalog } from '../catalog/catalog.js';
import type { TierName } from '../catalog/types.js';
import { DEFAULT_TIER_PROFILES, type TierProfile } from '../project/config.js';
import type { ProcessorDefinition, ProcessorRegistry } from './processors/definition.js';
import type { LoadedProcessors } from './processors/custom.js';
import { builtinProcessors } from './processors/index.js';

export interface ValidationEnv {
  catalog: Catalog;
  tiers: Readonly<Record<TierName, TierProfile>>;
  processors: ProcessorRegistry;
  /**
   * Loads the project's custom processors on demand: `validatePlans` calls it only when a plan
   * uses a processor that is not built in, so plans that do not need them stay fast.
   */
  loadCustomProcessors?: () => Promise<LoadedProcessors>;
}

export function defaultEnv(overrides: Partial<ValidationEnv> = {}): ValidationEnv {
  return { catalog: CATALOG, tiers: DEFAULT_TIER_PROFILES, processors: builtinProcessors, ...overrides };
}

/** A registry with the built-ins plus `extra` (an extra definition never replaces a built-in). */
export function withProcessors(
  base: ProcessorRegistry,
  extra: readonly ProcessorDefinition[],
): ProcessorRegistry {
  const map = new Map(base);
  for (const p of extra) if (!map.has(p.name)) map.set(p.name, p);
  return map;
}
