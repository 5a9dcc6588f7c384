/**
 * Tier state: a small JSON file per tier (`DATA/tiers/TIER/state.json`) that names the version the
 * tier serves (and, for prod and batch, the database file holding it) plus the previous one, kept
 * for rollback. A load builds the new version BESIDE the old one (a new file), then switches by
 * atomically renaming a new state file into place: a crash at any moment leaves either the old or
 * the new state, both complete. Readers watch the state file and reopen when it changes.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TierName } from '../catalog/types.js';
import { UserError } from '../errors/index.js';
import { tierDir } from '../project/layout.js';

export interface SlotDataset {
  /** `DATE/N` of the version the data came from. */
  version: string;
  rows: number;
  bytes: number;
  /** Parquet folder relative to the data directory (archive and debug). */
  path?: string;
}

/** One loaded version of a tier. */
export interface TierSlot {
  /** `DATE/N` of the warehouse version loaded. */
  version: string;
  loadedAt: string;
  /** Database file name inside the tier's folder (prod and batch). */
  file?: string;
  datasets: Record<string, SlotDataset>;
}

export interface TierStateFile {
  tier: TierName;
  current: TierSlot | null;
  previous: TierSlot | null;
}

export function statePath(dataDir: string, tier: TierName): string {
  return join(tierDir(dataDir, tier), 'state.json');
}

/** The tier's state; `current: null` when nothing was ever loaded. Throws a clear error when corrupt. */
export function readTierState(dataDir: string, tier: TierName): TierStateFile {
  const path = statePath(dataDir, tier);
  if (!existsSync(path)) return { tier, current: null, previous: null };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw corruptTier(tier, path, `its state file is not valid JSON (${(error as Error).message})`);
  }
  const state = parsed as Partial<TierStateFile> | null;
  if (!state || typeof state !== 'object' || !('current' in state) || state.tier !== tier) {
    throw corruptTier(tier, path, 'its state file does not describe this tier');
  }
  return { tier, current: state.current ?? null, previous: state.previous ?? null };
}

/** Bumped on every state write in this process, so readers here see a switch at once. */
let localGeneration = 0;

/** Atomically replaces the tier's state (write a temp file, fsync-free rename on the same filesystem). */
export function writeTierState(dataDir: string, state: TierStateFile): void {
  const dir = tierDir(dataDir, state.tier);
  mkdirSync(dir, { recursive: true });
  const path = statePath(dataDir, state.tier);
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(tmp, path);
  localGeneration++;
}

export function corruptTier(tier: TierName, path: string, why: string): UserError {
  return new UserError(`tier '${tier}' is unusable: ${why}`, {
    code: 'tier-corrupt',
    exit: 1,
    where: path,
    hint: `reload it with 'disco tiers load' (or 'disco tiers rollback ${tier}' to go back to the previous version)`,
  });
}

export function notLoaded(tier: TierName): UserError {
  return new UserError(`tier '${tier}' has no version loaded`, {
    code: 'tier-not-loaded',
    exit: 1,
    hint: "run 'disco tiers load' (after 'disco gen' and 'disco jobs run')",
  });
}

/**
 * Notices a new state file cheaply: at most one `stat` per `intervalMs`; the file is replaced by
 * rename, so a changed inode or mtime means a switch.
 */
export class StateWatcher {
  private lastCheck = -Infinity;
  private signature = '';
  private generation = -1;

  constructor(
    private readonly path: string,
    private readonly intervalMs = 100,
  ) {}

  /** True when the state file changed since the last call that returned true (or the first call). */
  changed(now = performance.now()): boolean {
    if (now - this.lastCheck < this.intervalMs && this.generation === localGeneration) return false;
    this.lastCheck = now;
    this.generation = localGeneration;
    let sig = 'missing';
    try {
      const st = statSync(this.path);
      sig = `${st.ino}:${st.mtimeMs}:${st.size}`;
    } catch {
      // a missing state file is a state too (nothing loaded)
    }
    if (sig === this.signature) return false;
    this.signature = sig;
    return true;
  }

  /** Forces the next `changed()` to re-check. */
  reset(): void {
    this.lastCheck = -Infinity;
    this.signature = '';
  }
}
