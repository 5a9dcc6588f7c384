/**
 * `disco debug key DATASET KEY`: one record, side by side, from every tier that holds the dataset —
 * found or not, the version each tier serves, the fetch latency, the fields, and the differences.
 *
 * Differences compare each top-level field across the tiers that found the key AND hold that field:
 * a field a light tier leaves out by design is not a difference; a stale tier's different value is.
 */
import { CATALOG, isLightIn } from '../catalog/catalog.js';
import type { Dataset, TierName } from '../catalog/types.js';
import { UserError } from '../errors/index.js';
import type { ProjectConfig } from '../project/config.js';
import { openTiers, type TierSet } from './open.js';
import { jsonEqual, parseKeyText } from './records.js';
import type { Item, Key } from './tier.js';

/** One tier's answer (SPEC §3 `tiers[]`). */
export interface DebugKeyTier {
  tier: TierName;
  found: boolean;
  /** `DATE/N` the tier serves for the dataset; null when it has none loaded. */
  version: string | null;
  latency_ms: number;
  /** The tier holds the light version (some fields left out by design). */
  light: boolean;
  record: Item | null;
  /** Why the tier could not answer (not loaded, corrupt); absent when it answered. */
  error?: string;
}

/** A field whose value differs between tiers (SPEC §3 `differences[]`). */
export interface DebugKeyDifference {
  field: string;
  /** tier → value, for every tier that found the key and holds the field. */
  values: Partial<Record<TierName, unknown>>;
}

/** `disco debug key --json` (SPEC §3). */
export interface DebugKeyResult {
  dataset: string;
  key: Key;
  tiers: DebugKeyTier[];
  differences: DebugKeyDifference[];
}

export interface DebugKeyOptions {
  /** Reuse open tiers (benchmarks, the server); opened and closed here otherwise. */
  tiers?: TierSet;
}

export async function debugKey(
  config: ProjectConfig,
  datasetName: string,
  keyText: string | Key,
  options: DebugKeyOptions = {},
): Promise<DebugKeyResult> {
  const dataset = CATALOG.get(datasetName);
  const key = typeof keyText === 'string' ? parseKeyText(dataset, keyText) : keyText;
  const tiers = options.tiers ?? (await openTiers(config));
  try {
    // Open every tier at once (files, footers: DuckDB works in its own threads), then time each
    // fetch alone so one tier's latency does not include another's.
    const opened = await Promise.all(dataset.tiers.map((name) => warm(tiers, name, dataset)));
    const entries: DebugKeyTier[] = [];
    for (const [i, name] of dataset.tiers.entries()) {
      entries.push(await fetchOne(tiers, name, dataset, key, opened[i]));
    }
    if (entries.every((e) => e.version === null)) {
      throw new UserError(`no tier has ${dataset.name} loaded`, {
        code: 'tier-not-loaded',
        exit: 1,
        hint: `run 'disco tiers load' (tiers that hold ${dataset.name}: ${dataset.tiers.join(', ')})${problems(entries)}`,
      });
    }
    if (!entries.some((e) => e.found)) {
      const where = entries
        .map((e) => `${e.tier}${e.version ? ` ${e.version}` : ' (not loaded)'}`)
        .join(', ');
      throw new UserError(
        `key ${JSON.stringify(key)} of ${dataset.name} was found in no tier (searched ${where})`,
        {
          code: 'key-not-found',
          exit: 1,
          hint: `check the key; 'disco tiers status' shows what is loaded${problems(entries)}`,
        },
      );
    }
    return { dataset: dataset.name, key, tiers: entries, differences: differences(dataset, entries) };
  } finally {
    if (!options.tiers) await tiers.close();
  }
}

function problems(entries: readonly DebugKeyTier[]): string {
  const failed = entries.filter((e) => e.error && e.version !== null);
  return failed.length === 0 ? '' : `; errors: ${failed.map((e) => `${e.tier}: ${e.error}`).join('; ')}`;
}

/** Opens the tier for the dataset; returns the error that makes it unusable, if any. */
async function warm(tiers: TierSet, name: TierName, dataset: Dataset): Promise<unknown> {
  try {
    await tiers.get(name).getMany(dataset.name, []);
    return undefined;
  } catch (error) {
    return error ?? new Error('unknown error');
  }
}

async function fetchOne(
  tiers: TierSet,
  name: TierName,
  dataset: Dataset,
  key: Key,
  openError: unknown,
): Promise<DebugKeyTier> {
  const light = isLightIn(dataset, name);
  const tier = tiers.get(name);
  let version: string | null = null;
  try {
    version = tier.versionOf(dataset.name) ?? null;
    if (openError !== undefined) throw openError;
    const t0 = performance.now();
    const [record] = await tier.getMany(dataset.name, [key]);
    const latency = performance.now() - t0;
    return {
      tier: name,
      found: record !== undefined,
      version,
      latency_ms: round(latency),
      light,
      record: record ?? null,
    };
  } catch (error) {
    return {
      tier: name,
      found: false,
      version,
      latency_ms: 0,
      light,
      record: null,
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;

/** Fields whose values differ between the tiers that found the key and hold the field. */
export function differences(dataset: Dataset, entries: readonly DebugKeyTier[]): DebugKeyDifference[] {
  const found = entries.filter((e) => e.found && e.record);
  const out: DebugKeyDifference[] = [];
  for (const field of dataset.fields) {
    const holders = found.filter((e) => !(e.light && !field.light));
    if (holders.length < 2) continue;
    const values = holders.map((e) => (field.name in e.record! ? e.record![field.name] : undefined));
    if (values.every((v) => jsonEqual(v, values[0]))) continue;
    const byTier: Partial<Record<TierName, unknown>> = {};
    holders.forEach((e, i) => {
      byTier[e.tier] = values[i] ?? null;
    });
    out.push({ field: field.name, values: byTier });
  }
  return out;
}

/** Tiers that serve an older version of the dataset than the newest any tier serves. */
export function staleTiers(result: DebugKeyResult): TierName[] {
  const versions = result.tiers.map((t) => t.version).filter((v): v is string => v !== null);
  const newest = versions.sort(compareVersions).at(-1);
  return result.tiers.filter((t) => t.version !== null && t.version !== newest).map((t) => t.tier);
}

/** Orders `DATE/N` strings. */
export function compareVersions(a: string, b: string): number {
  const [da = '', na = '0'] = a.split('/');
  const [db = '', nb = '0'] = b.split('/');
  return da.localeCompare(db) || Number(na) - Number(nb);
}
