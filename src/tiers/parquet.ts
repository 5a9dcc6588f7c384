/**
 * `archive` and `debug`: both read the Parquet versions where the workflow (and the generator)
 * wrote them — no copy. A load only registers the version's folders in the tier state.
 *
 * - `archive` exposes every dataset of the registered version (raw included, for the version's
 *   date) as a DuckDB view over `read_parquet(..., hive_partitioning = true)`, so queries also see
 *   the `dt` / `iter` partition columns. Slow batch access, unlimited space.
 * - `debug` finds one key without a separate index: it keeps each file's key range from the
 *   Parquet footers, reads only the files whose range holds the key, and lets DuckDB's filter
 *   pushdown skip every row group whose min/max excludes it — the files are sorted by key, so
 *   exactly one row group is decoded. For the joins (nested records: decoding a row group is the
 *   whole cost of a lookup) a load writes debug's own copy in small files (`DEBUG_FILE_ROWS` rows,
 *   one row group each) under `tiers/debug/debug-STAMP/`; the other datasets are read in place.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { keyField } from '../catalog/catalog.js';
import type { Dataset, TierName } from '../catalog/types.js';
import { UserError } from '../errors/index.js';
import type { ProjectConfig } from '../project/config.js';
import { StateBackedTier } from './base.js';
import { DuckSession, readOnlyQuery } from './duck.js';
import { keyedLookup } from './batch.js';
import { keyLiteral, normalizeKey, recordJsonSql, sqlIdent, sqlString } from './records.js';
import { corruptTier, type TierSlot } from './state.js';
import type { Item, Key } from './tier.js';

/** The Parquet files of a registered dataset folder (absolute paths, sorted). */
export function parquetFiles(dataDir: string, relPath: string): string[] {
  const dir = join(dataDir, relPath);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.endsWith('.parquet'))
    .sort()
    .map((n) => join(dir, n));
}

/**
 * Rows per file of debug's copy. A lookup decodes one file's single row group: at medium scale
 * (same run, load 9) 4 096-row files took 13 ms CPU per pinjoin key against 28 – 40 ms for the
 * warehouse's 16 384-row groups. Smaller row groups inside ONE file do not help (DuckDB's
 * per-row-group cost: 2 048-row groups in one file took 87 ms CPU), separate files do.
 */
export const DEBUG_FILE_ROWS = 4096;

/** Datasets the debug tier copies into small files: the joins, whose records are nested. */
export function debugCopies(dataset: Dataset): boolean {
  return (
    dataset.kind !== 'raw' && dataset.fields.some((f) => f.type.kind === 'list' || f.type.kind === 'struct')
  );
}

/**
 * Writes `files` (sorted by key) into the new directory `dir` as files of `DEBUG_FILE_ROWS` rows in
 * the same order; returns their total size. One thread keeps the order and exact file sizes.
 */
export async function writeDebugCopy(
  files: readonly string[],
  dir: string,
  dataset: Dataset,
): Promise<number> {
  const session = await DuckSession.open(':memory:', { threads: '1' });
  try {
    await session.connection.run(
      `COPY (SELECT * FROM read_parquet([${files.map(sqlString).join(', ')}], hive_partitioning = false)) TO ${sqlString(dir)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${DEBUG_FILE_ROWS}, ROW_GROUPS_PER_FILE 1)`,
    );
    const ranges = await footerRanges(session.connection, parquetFiles(dir, '.'), dataset);
    writeFileSync(
      join(dir, RANGES_FILE),
      JSON.stringify(ranges.map((r) => ({ ...r, file: basename(r.file) }))),
    );
  } finally {
    session.close();
  }
  return readdirSync(dir).reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);
}

/** The key ranges debug's copy records at load (`ranges.json` beside its files). */
const RANGES_FILE = 'ranges.json';

/** Each file's key range from its footers' row-group statistics. */
async function footerRanges(
  c: import('@duckdb/node-api').DuckDBConnection,
  files: readonly string[],
  dataset: Dataset,
): Promise<FileRange[]> {
  const key = keyField(dataset);
  const intKey = key.type.kind === 'int';
  // Int statistics are text in parquet_metadata: compare them as numbers, not strings.
  const lo = intKey ? 'TRY_CAST(stats_min_value AS BIGINT)' : 'stats_min_value';
  const hi = intKey ? 'TRY_CAST(stats_max_value AS BIGINT)' : 'stats_max_value';
  const reader = await c.runAndReadAll(
    `SELECT file_name, min(${lo}), max(${hi}), count(*)::BIGINT, (2 * count(*) - count(${lo}) - count(${hi}))::BIGINT
     FROM parquet_metadata([${files.map(sqlString).join(', ')}])
     WHERE path_in_schema = ${sqlString(key.name)} GROUP BY file_name`,
  );
  return reader.getRows().map(([file, min, max, n, missing]) => ({
    file: String(file),
    // A file without complete statistics is always read (its range is unknown).
    min: Number(missing) > 0 || min === null ? null : intKey ? Number(min) : String(min),
    max: Number(missing) > 0 || max === null ? null : intKey ? Number(max) : String(max),
    rowGroups: Number(n),
  }));
}

/**
 * The ranges recorded at load for exactly these files, or undefined (no file, unreadable, or not
 * the same files: then the footers are read). Saves reading ~190 footers on a process's first
 * lookup (medium pinjoin: 120 ms CPU, 260 ms wall).
 */
function readRangesFile(files: readonly string[]): FileRange[] | undefined {
  if (files.length === 0) return undefined;
  try {
    const dir = dirname(files[0]!);
    const saved = JSON.parse(readFileSync(join(dir, RANGES_FILE), 'utf8')) as FileRange[];
    const byName = new Map(saved.map((r) => [r.file, r]));
    if (byName.size !== files.length) return undefined;
    return files.map((f) => {
      const r = byName.get(basename(f));
      if (!r) throw new Error('not the same files');
      return { ...r, file: f };
    });
  } catch {
    return undefined;
  }
}

abstract class ParquetTier extends StateBackedTier {
  protected session: DuckSession | null = null;
  private openedId: string | null = null;
  private opening: Promise<DuckSession> | null = null;

  constructor(name: TierName, config: ProjectConfig) {
    super(name, config);
  }

  protected filesOf(slot: TierSlot, dataset: string): string[] {
    const entry = slot.datasets[dataset];
    const files = entry?.path === undefined ? [] : parquetFiles(this.config.dataDir, entry.path);
    if (files.length === 0) {
      throw corruptTier(
        this.name,
        join(this.config.dataDir, entry?.path ?? ''),
        `the Parquet files of ${dataset} (${entry?.version ?? '?'}) are missing`,
      );
    }
    return files;
  }

  protected async ensureOpen(): Promise<{ slot: TierSlot; session: DuckSession }> {
    const slot = this.requireSlot();
    const id = StateBackedTier.slotId(slot);
    if (id !== this.openedId) {
      this.session?.close();
      this.session = null;
      this.openedId = id;
      this.onSwitch();
      this.opening = (async () => {
        const session = await DuckSession.open(':memory:', this.sessionOptions());
        await session.connection.run('SET parquet_metadata_cache = true').catch(() => undefined);
        return session;
      })();
    }
    this.session = await this.opening!;
    return { slot, session: this.session };
  }

  protected onSwitch(): void {}

  /** DuckDB options of the tier's in-memory instance. */
  protected sessionOptions(): Record<string, string> {
    return {};
  }

  async close(): Promise<void> {
    this.session?.close();
    this.session = null;
    this.openedId = null;
  }
}

export class ArchiveTier extends ParquetTier {
  constructor(config: ProjectConfig) {
    super('archive', config);
  }

  private viewsFor: TierSlot | null = null;

  /** One view per registered dataset, named like the dataset (created on the first query only:
   *  each view reads its files' schema, which key lookups do not need). */
  private async createViews(session: DuckSession, slot: TierSlot): Promise<void> {
    if (this.viewsFor === slot) return;
    for (const [name, entry] of Object.entries(slot.datasets)) {
      if (!entry.path) continue;
      const files = parquetFiles(this.config.dataDir, entry.path);
      if (files.length === 0) continue; // reported when the dataset is used
      // dt stays a 'YYYY-MM-DD' string (a DATE would become a timestamp in JSON), iter an int.
      const types = entry.path.includes('iter=') ? "{'dt': VARCHAR, 'iter': BIGINT}" : "{'dt': VARCHAR}";
      await session.connection.run(
        `CREATE OR REPLACE VIEW ${sqlIdent(name)} AS SELECT * FROM read_parquet([${files.map(sqlString).join(', ')}], hive_partitioning = true, hive_types = ${types})`,
      );
    }
    this.viewsFor = slot;
  }

  async getMany(datasetName: string, keys: readonly Key[]): Promise<Array<Item | undefined>> {
    const { slot, session } = await this.ensureOpen();
    const dataset = this.datasetFor(datasetName, slot);
    const files = this.filesOf(slot, datasetName);
    const from = `read_parquet([${files.map(sqlString).join(', ')}])`;
    return keyedLookup(session, dataset, from, dataset.fields, keys);
  }

  async query(sql: string, params: Readonly<Record<string, unknown>>): Promise<Item[]> {
    const { slot, session } = await this.ensureOpen();
    await session.exclusive(() => this.createViews(session, slot));
    return readOnlyQuery(session, sql, params, 'archive');
  }
}

/** Key range of one Parquet file, from its row groups' statistics. */
interface FileRange {
  file: string;
  /** null when the footer has no (or incomplete) statistics. */
  min: Key | null;
  max: Key | null;
  rowGroups: number;
}

export class DebugTier extends ParquetTier {
  private ranges = new Map<string, Promise<FileRange[]>>();

  constructor(config: ProjectConfig) {
    super('debug', config);
  }

  protected override onSwitch(): void {
    this.ranges.clear();
  }

  /**
   * One thread: a lookup decodes one row group, which is one scan task, so a second thread only
   * adds scheduling and wake-ups. Measured on the medium pinjoin (same run, keys interleaved):
   * 28 vs 40 ms CPU per key, P50 50 vs 76 ms (load 9 on 2 cores).
   */
  protected override sessionOptions(): Record<string, string> {
    return { threads: '1' };
  }

  /** Footer statistics of the dataset's files (read once per version). */
  private fileRanges(session: DuckSession, slot: TierSlot, dataset: Dataset): Promise<FileRange[]> {
    let found = this.ranges.get(dataset.name);
    if (!found) {
      const files = this.filesOf(slot, dataset.name);
      found = session
        .exclusive(async (c) => readRangesFile(files) ?? footerRanges(c, files, dataset))
        .catch((error: unknown) => {
          this.ranges.delete(dataset.name);
          throw corruptTier(
            'debug',
            files[0] ?? '',
            `cannot read the Parquet footers: ${(error as Error).message}`,
          );
        });
      this.ranges.set(dataset.name, found);
    }
    return found;
  }

  async getMany(datasetName: string, keys: readonly Key[]): Promise<Array<Item | undefined>> {
    const { slot, session } = await this.ensureOpen();
    const dataset = this.datasetFor(datasetName, slot);
    const ranges = await this.fileRanges(session, slot, dataset);
    const key = keyField(dataset);
    const json = recordJsonSql(dataset.fields);
    const out: Array<Item | undefined> = [];
    // Low QPS by design: one pushdown query per key keeps each one to a single row group.
    for (const raw of keys) {
      const k = normalizeKey(dataset, raw);
      const literal = keyLiteral(dataset, k);
      const files = ranges
        .filter((r) => (r.min === null || r.min <= k) && (r.max === null || k <= r.max))
        .map((r) => r.file);
      if (files.length === 0) {
        out.push(undefined);
        continue;
      }
      const rows = await session
        .jsonRecords(
          `SELECT ${json} FROM read_parquet([${files.map(sqlString).join(', ')}]) WHERE ${sqlIdent(key.name)} = ${literal} LIMIT 1`,
        )
        .catch((error: unknown) => {
          if (error instanceof UserError) throw error;
          throw corruptTier('debug', files[0]!, (error as Error).message);
        });
      out.push(rows[0]);
    }
    return out;
  }
}
