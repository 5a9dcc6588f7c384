/**
 * The one tier interface every processor and command uses (SPEC §3). Four implementations:
 * `prod` (SQLite), `batch` (DuckDB file), `archive` and `debug` (the Parquet versions).
 *
 * Records are plain JSON values everywhere past this interface: int → number, float → number,
 * timestamp → ISO-8601 string (UTC, e.g. `2026-11-21T08:30:00.000Z`), list → array,
 * struct → object. A light tier's records simply lack the non-light fields.
 *
 * Records returned by `getMany` may be shared between calls (prod caches decoded records per
 * dataset and version): treat them as read-only and copy before changing one.
 */
import type { TierName } from '../catalog/types.js';

export type Item = Record<string, unknown>;
export type Key = string | number;

export interface TierDatasetStatus {
  dataset: string;
  /** `DATE/N` */
  version: string;
  rows: number;
  bytes: number;
}

/** `disco tiers status --json` prints `{"tiers": [TierStatus...]}` (SPEC §3). */
export interface TierStatus {
  tier: TierName;
  engine: 'sqlite' | 'duckdb' | 'parquet';
  capacity_bytes: number | null;
  used_bytes: number;
  datasets: TierDatasetStatus[];
}

export interface Tier {
  readonly name: TierName;
  /**
   * True when record objects are immutable, reused across calls, and only handed out while the
   * tier serves the data version they were read from (a version switch yields new objects): a
   * consumer may then memoize, per record object, what it derives from the tier's data — the
   * engine's `expand` memo (src/engine/processors/expand-memo.ts).
   */
  readonly stableRecords?: boolean;
  /** The version of `dataset` this tier serves, or undefined when it holds none. */
  versionOf(dataset: string): string | undefined;
  /**
   * Records for `keys`, aligned with them (undefined where a key is missing). One call is one
   * batch: implementations fetch all keys together. Int keys may also be given as digit strings.
   * Errors are `UserError`s that say what to do (e.g. `tier-not-loaded` → `disco tiers load`).
   */
  getMany(dataset: string, keys: readonly Key[], signal?: AbortSignal): Promise<Array<Item | undefined>>;
  /** One read-only SELECT with named parameters (`$name`); only tiers with SQL support it. */
  query?(sql: string, params: Readonly<Record<string, unknown>>, signal?: AbortSignal): Promise<Item[]>;
  status(): Promise<TierStatus>;
  close(): Promise<void>;
}
