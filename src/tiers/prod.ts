/**
 * `prod`: the light versions of the three joins in SQLite (better-sqlite3), for random access by key
 * at very high QPS.
 *
 * Layout (one table per join, written by prod-build.ts): `k` the key (INTEGER PRIMARY KEY for int
 * keys, a WITHOUT ROWID text primary key for strings), `w` a popularity weight (the record's
 * `pin_count`, used to sample realistic keys), `v` the record as positional JSON text
 * (prod-codec.ts), decoded by a function generated per dataset. JSON text was chosen by
 * measurement (README, "Performance"): `JSON.parse` of one text is faster than rebuilding an
 * object from a column per field, because the nested lists and structs would need JSON (or
 * another decoder) anyway; the positional form is the same values without the field names.
 *
 * Decoded records are cached in process per (dataset, version): a version switch drops the cache.
 * Records returned by `getMany` may therefore be shared between calls — callers must not mutate them.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { fieldsIn, keyField } from '../catalog/catalog.js';
import type { Dataset } from '../catalog/types.js';
import { UserError } from '../errors/index.js';
import type { ProjectConfig } from '../project/config.js';
import { tierDir } from '../project/layout.js';
import { StateBackedTier } from './base.js';
import { decoderFor, type RecordDecoder, SCHEMA_TABLE } from './prod-codec.js';
import { RecordCache } from './record-cache.js';
import { sqlIdent } from './records.js';
import { corruptTier, type TierSlot } from './state.js';
import type { Item, Key } from './tier.js';

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
  decode: RecordDecoder;
  intKey: boolean;
  cache: RecordCache | null;
}

let sqliteModule: typeof BetterSqlite3 | undefined;
export async function loadSqlite(): Promise<typeof BetterSqlite3> {
  sqliteModule ??= (await import('better-sqlite3')).default;
  return sqliteModule;
}

export class ProdTier extends StateBackedTier {
  private db: Database | null = null;
  /** The open file's `user_version`: its record format. */
  private format = 0;
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
      this.format = db.pragma('user_version', { simple: true }) as number;
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
      const db = this.db!;
      const get = db.prepare(`SELECT v FROM ${sqlIdent(dataset.name)} WHERE k = ?`).pluck();
      const written =
        this.format === 0
          ? undefined
          : (db.prepare(`SELECT schema FROM ${SCHEMA_TABLE} WHERE dataset = ?`).pluck().get(dataset.name) as
              | string
              | undefined);
      const key = keyField(dataset);
      const table = {
        get,
        decode: decoderFor(this.format, written, fieldsIn(dataset, 'prod'), key.name),
        intKey: key.type.kind === 'int',
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
    const { cache, decode, get, intKey } = table;
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
          item = text === undefined ? null : decode(key, text);
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
