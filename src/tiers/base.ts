/**
 * What every tier implementation shares: the tier's state (which version, which file), noticing a
 * switch made by a loader in another process, and the checks and errors that are the same for all
 * tiers (dataset not held by this tier, nothing loaded, corrupt state).
 */
import { CATALOG } from '../catalog/catalog.js';
import type { Dataset, TierName } from '../catalog/types.js';
import { UserError } from '../errors/index.js';
import type { ProjectConfig } from '../project/config.js';
import { notLoaded, readTierState, StateWatcher, statePath, type TierSlot } from './state.js';
import type { Item, Key, Tier, TierStatus } from './tier.js';

export const ENGINES: Record<TierName, TierStatus['engine']> = {
  prod: 'sqlite',
  batch: 'duckdb',
  archive: 'parquet',
  debug: 'parquet',
};

export abstract class StateBackedTier implements Tier {
  protected slot: TierSlot | null = null;
  protected stateError: UserError | null = null;
  private readonly watcher: StateWatcher;

  constructor(
    readonly name: TierName,
    protected readonly config: ProjectConfig,
  ) {
    this.watcher = new StateWatcher(statePath(config.dataDir, name));
  }

  /** Re-reads the state file when a loader or rollback replaced it (at most one stat per 100 ms). */
  protected syncState(): void {
    if (!this.watcher.changed()) return;
    try {
      this.slot = readTierState(this.config.dataDir, this.name).current;
      this.stateError = null;
    } catch (error) {
      this.slot = null;
      this.stateError =
        error instanceof UserError ? error : new UserError(String(error), { code: 'tier-corrupt' });
    }
  }

  /** The loaded slot, or the clear error that says why there is none. */
  protected requireSlot(): TierSlot {
    this.syncState();
    if (this.stateError) throw this.stateError;
    if (!this.slot) throw notLoaded(this.name);
    return this.slot;
  }

  /** Identity of a slot: a reload of the same version is still a switch. */
  protected static slotId(slot: TierSlot): string {
    return `${slot.version}|${slot.file ?? ''}|${slot.loadedAt}`;
  }

  /** The catalog dataset, checked to be one this tier holds and has loaded. */
  protected datasetFor(name: string, slot: TierSlot): Dataset {
    const dataset = CATALOG.get(name);
    if (!dataset.tiers.includes(this.name)) {
      throw new UserError(`tier '${this.name}' does not hold dataset '${name}'`, {
        code: 'dataset-not-in-tier',
        exit: 2,
        hint: `${name} is held by: ${dataset.tiers.join(', ')}`,
      });
    }
    if (!slot.datasets[name]) {
      throw new UserError(
        `tier '${this.name}' has no version of '${name}' loaded (version ${slot.version})`,
        {
          code: 'dataset-not-loaded',
          exit: 1,
          hint: "run 'disco tiers load' with a version that contains it",
        },
      );
    }
    return dataset;
  }

  versionOf(dataset: string): string | undefined {
    this.syncState();
    return this.slot?.datasets[dataset]?.version;
  }

  async status(): Promise<TierStatus> {
    this.syncState();
    if (this.stateError) throw this.stateError;
    const slot = this.slot;
    const datasets = slot
      ? Object.entries(slot.datasets).map(([dataset, d]) => ({
          dataset,
          version: d.version,
          rows: d.rows,
          bytes: d.bytes,
        }))
      : [];
    return {
      tier: this.name,
      engine: ENGINES[this.name],
      capacity_bytes: this.config.tiers[this.name].capacityBytes,
      used_bytes: slot ? this.usedBytes(slot) : 0,
      datasets,
    };
  }

  protected usedBytes(slot: TierSlot): number {
    return Object.values(slot.datasets).reduce((sum, d) => sum + d.bytes, 0);
  }

  abstract getMany(
    dataset: string,
    keys: readonly Key[],
    signal?: AbortSignal,
  ): Promise<Array<Item | undefined>>;
  abstract close(): Promise<void>;
}
