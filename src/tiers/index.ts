/** The storage tiers (SPEC §3): the tier interface, the four implementations, loads and debugging. */
export type { Item, Key, Tier, TierDatasetStatus, TierStatus } from './tier.js';
export { openTiers, type OpenTiersOptions, type TierSet } from './open.js';
export {
  loadTiers,
  resolveVersion,
  formatBytes,
  type LoadEvent,
  type LoadOptions,
  type LoadResult,
  type TierLoadResult,
} from './load.js';
export {
  tiersStatus,
  rollbackTiers,
  type TiersStatusResult,
  type TierStatusEntry,
  type RollbackResult,
} from './status.js';
export {
  debugKey,
  differences,
  staleTiers,
  compareVersions,
  type DebugKeyResult,
  type DebugKeyTier,
  type DebugKeyDifference,
} from './debug-key.js';
export { sampleKeys, weightedDraw } from './sample.js';
export { ProdTier } from './prod.js';
export { parseKeyText } from './records.js';
