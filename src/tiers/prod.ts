/**
 * `prod`: the light versions of the three joins in SQLite (better-sqlite3), for random access by key
 * at very high QPS.
 *
 * Layout (one table per join): `k` the key (INTEGER PRIMARY KEY for int keys, a WITHOUT ROWID text
 * primary key for strings), `w` a popularity weight (the record's `pin_count`, used to sample
 * realistic keys), `v` the record as JSON text. JSON text was chosen by measurement (README,
 * "Performance"): `JSON.parse` of one text is faster than rebuilding an object from a column per
 * field, because the nested lists and structs would need JSON (or another decoder) anyway.
 *
 * Decoded records are cached in process per (dataset, version): a version switch drops the cache.
 * Records returned by `getMany` may therefore be shared between calls — callers must not mutate them.
 */
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { fieldsIn, keyField } from '../catalog/catalog.js';
import type { Dataset } from '../catalog/types.js';
import { UserError } from '../errors/index.js';
import type { ProjectConfig } from '../project/config.js';
import { tierDir } from '../project/layout.js';
import { StateBackedTier } from './base.js';
import { RecordCache } from './record-cache.js';
import { recordJsonSql, sqlIdent } from './records.js';
import { corruptTier, type SlotDataset, type TierSlot } from './state.js';
import type { Item, Key } from './tier.js';
import type { DuckDBConnection } from '@duckdb/node-api';

type Database = BetterSqlite3.Database;
type Statement = BetterSqlite3.Statement;

export interface ProdOptions {
  /**
   * Decoded records kept per dataset and cache generation (0 disables the cache); at most twice
   * as many are held (record-cache.ts).
   */
  cacheEntries?: number;
}

interface OpenTable {
  get: Statement;
  intKey: boolean;
  cache: RecordCache | null;
}

let sqliteModule: typeof BetterSqlite3 | undefined;
async function loadSqlite(): Promise<typeof BetterSqlite3> {
  sqliteModule ??= (await import('better-sqlite3')).default;
  return sqliteModule;
}

export class ProdTier extends StateBackedTier {
  private db: Database | null = null;
  private openedId: string | null = null;
  private openError: UserError | null = null;
  private tables = new Map<string, OpenTable>();
  private readonly cacheEntries: number;
  /** Decoded records are cached (and dropped on a version switch): see {@link Tier.stableRecords}. */
  readonly stableRecords: boolean;
  private served = 0;
  private misses = 0;

  constructor(
    config: ProjectConfig,
    private readonly Sqlite: typeof BetterSqlite3,
    options: ProdOptions = {},
  ) {
    super('prod', config);
    // ~1 KB of heap per decoded record (measured at medium): 500k per dataset holds the hot set
    // of the related-pins pattern at medium scale with no misses.
    this.cacheEntries = options.cacheEntries ?? 500_000;
    this.stableRecords = this.cacheEntries > 0;
  }

  static async create(config: ProjectConfig, options: ProdOptions = {}): Promise<ProdTier> {
    return new ProdTier(config, await loadSqlite(), options);
  }

  /** Opens the database file the state names; reopens after a switch (readers are never blocked). */
  private ensureOpen(): TierSlot {
    const slot = this.requireSlot();
    const id = StateBackedTier.slotId(slot);
    if (id === this.openedId) {
      if (this.openError) throw this.openError;
      return slot;
    }
    this.closeDb();
    this.openedId = id;
    const path = join(tierDir(this.config.dataDir, 'prod'), slot.file ?? '');
    try {
      if (!slot.file || !existsSync(path))
        throw new Error(`its database file ${slot.file ?? '(none)'} is missing`);
      const db = new this.Sqlite(path, { readonly: true, fileMustExist: true });
      db.pragma('query_only = ON');
      // Memory-mapped reads and a large page cache: a get costs no read() system call.
      db.pragma('mmap_size = 4294967296');
      db.pragma('cache_size = -262144');
      this.db = db;
    } catch (error) {
      this.openError = corruptTier('prod', path, (error as Error).message);
      throw this.openError;
    }
    return slot;
  }

  private table(dataset: Dataset): OpenTable {
    const found = this.tables.get(dataset.name);
    if (found) return found;
    try {
      const get = this.db!.prepare(`SELECT v FROM ${sqlIdent(dataset.name)} WHERE k = ?`).pluck();
      const table = {
        get,
        intKey: keyField(dataset).type.kind === 'int',
        cache: this.cacheEntries > 0 ? new RecordCache(this.cacheEntries) : null,
      };
      this.tables.set(dataset.name, table);
      return table;
    } catch (error) {
      this.openError = corruptTier('prod', this.db?.name ?? 'prod', (error as Error).message);
      throw this.openError;
    }
  }

  async getMany(dataset: string, keys: readonly Key[]): Promise<Array<Item | undefined>> {
    return this.getManySync(dataset, keys);
  }

  /** The synchronous core of `getMany` (the engine may call it directly to skip a promise). */
  getManySync(datasetName: string, keys: readonly Key[]): Array<Item | undefined> {
    const slot = this.ensureOpen();
    const table = this.tables.get(datasetName) ?? this.table(this.datasetFor(datasetName, slot));
    const { cache, get, intKey } = table;
    const n = keys.length;
    const out = new Array<Item | undefined>(n);
    try {
      for (let i = 0; i < n; i++) {
        let key = keys[i]!;
        if (intKey && typeof key === 'string') key = Number(key);
        let item = cache === null ? undefined : cache.get(key);
        if (item === undefined) {
          this.misses++;
          const text = get.get(key) as string | undefined;
          item = text === undefined ? null : (JSON.parse(text) as Item);
          if (cache !== null) cache.set(key, item);
        }
        out[i] = item === null ? undefined : item;
      }
      this.served += n;
    } catch (error) {
      if (error instanceof UserError) throw error;
      throw corruptTier('prod', this.db?.name ?? 'prod', (error as Error).message);
    }
    return out;
  }

  /** Cache effectiveness since open: keys served and keys that had to be read and decoded. */
  cacheStats(): { keys: number; misses: number; cached: number } {
    let cached = 0;
    for (const t of this.tables.values()) cached += t.cache?.size ?? 0;
    return { keys: this.served, misses: this.misses, cached };
  }

  /** The raw connection (benchmarks compare against a bare prepared statement on it). */
  rawDatabase(): Database {
    this.ensureOpen();
    return this.db!;
  }

  protected override usedBytes(slot: TierSlot): number {
    try {
      return statSync(join(tierDir(this.config.dataDir, 'prod'), slot.file ?? '')).size;
    } catch {
      return super.usedBytes(slot);
    }
  }

  private closeDb(): void {
    this.tables.clear();
    this.openError = null;
    try {
      this.db?.close();
    } catch {
      // closing a broken handle is not an error worth reporting
    }
    this.db = null;
  }

  async close(): Promise<void> {
    this.closeDb();
    this.openedId = null;
  }
}

export interface BuildInput {
  dataset: Dataset;
  /** Parquet files of the dataset (absolute). */
  files: string[];
  version: string;
}

export interface BuildProgress {
  dataset: string;
  rows: number;
}

/**
 * Writes a new prod database file at `path` (never the served one) from the given datasets, read
 * through DuckDB and projected to the light fields. Returns per-dataset rows and the file size.
 */
export async function buildProdFile(
  path: string,
  inputs: readonly BuildInput[],
  duck: DuckDBConnection,
  onProgress?: (p: BuildProgress) => void,
  /** Stop as soon as the file outgrows this (the load then fails before switching). */
  capacityBytes: number | null = null,
): Promise<Record<string, SlotDataset>> {
  const Sqlite = await loadSqlite();
  rmSync(path, { force: true });
  const db = new Sqlite(path);
  const out: Record<string, SlotDataset> = {};
  try {
    db.pragma('page_size = 8192');
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.pragma('locking_mode = EXCLUSIVE');
    for (const { dataset, files, version } of inputs) {
      const key = keyField(dataset);
      const intKey = key.type.kind === 'int';
      const name = sqlIdent(dataset.name);
      db.exec(
        intKey
          ? `CREATE TABLE ${name} (k INTEGER PRIMARY KEY, w INTEGER NOT NULL, v TEXT NOT NULL)`
          : `CREATE TABLE ${name} (k TEXT PRIMARY KEY, w INTEGER NOT NULL, v TEXT NOT NULL) WITHOUT ROWID`,
      );
      const insert = db.prepare(`INSERT INTO ${name} (k, w, v) VALUES (?, ?, ?)`);
      const weight = dataset.fields.some((f) => f.name === 'pin_count' && f.type.kind === 'int')
        ? 'coalesce("pin_count", 0)'
        : '1';
      const fileList = `[${files.map((f) => `'${f.replaceAll("'", "''")}'`).join(', ')}]`;
      const sql = `SELECT ${sqlIdent(key.name)}, ${weight}, ${recordJsonSql(fieldsIn(dataset, 'prod'))} FROM read_parquet(${fileList})`;
      const result = await duck.stream(sql);
      let rows = 0;
      const insertChunk = db.transaction((columns: unknown[][], n: number) => {
        const [ks, ws, vs] = columns as [Array<string | bigint>, Array<bigint | number>, string[]];
        for (let i = 0; i < n; i++) {
          const k = ks[i]!;
          insert.run(typeof k === 'bigint' ? Number(k) : k, Number(ws[i]), vs[i]);
        }
      });
      // Pipelined: DuckDB encodes the next chunk in its threads while this one is inserted.
      let next = result.fetchChunk();
      for (;;) {
        const chunk = await next;
        if (!chunk || chunk.rowCount === 0) break;
        const columns = chunk.getColumns() as unknown[][];
        next = result.fetchChunk();
        insertChunk(columns, chunk.rowCount);
        rows += chunk.rowCount;
        if (rows % 65_536 < chunk.rowCount) {
          onProgress?.({ dataset: dataset.name, rows });
          const size = statSync(path).size;
          if (capacityBytes !== null && size > capacityBytes) {
            throw new UserError(
              `prod does not fit: its new file already holds ${size} bytes after ${rows} ${dataset.name} records, over its capacity of ${capacityBytes} bytes; the tiers keep their current version`,
              {
                code: 'capacity-exceeded',
                exit: 1,
                hint: 'raise tiers.prod.capacity_bytes in disco.yaml, or load a smaller version',
              },
            );
          }
        }
      }
      onProgress?.({ dataset: dataset.name, rows });
      out[dataset.name] = { version, rows, bytes: 0 };
    }
    for (const name of Object.keys(out)) {
      const row = db
        .prepare(
          "SELECT sum(pgsize) AS b FROM dbstat WHERE name = ? OR name LIKE ('sqlite_autoindex_' || ? || '%')",
        )
        .get(name, name) as { b: number | null } | undefined;
      out[name]!.bytes = row?.b ?? 0;
    }
    db.pragma('locking_mode = NORMAL');
    db.pragma('journal_mode = WAL');
  } finally {
    db.close();
  }
  return out;
}
