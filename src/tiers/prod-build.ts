/**
 * Building a prod file (`disco tiers load`): the light joins read through DuckDB, rendered in
 * prod's positional encoding (prod-codec.ts) and inserted into a new SQLite file.
 *
 * Where the time goes, and what each choice saves (README, "prod load"): DuckDB renders the
 * records in its own threads while this thread inserts them (a 16 MB streaming buffer lets it run
 * ahead instead of waiting for each fetch, and the next dataset's query starts, on its own
 * connection, while this one is inserted: starting a query fills its buffer first); every string that crosses from DuckDB into JS costs a
 * native call, so a row brings one (a string key travels in the record's text) and numbers come as
 * DOUBLEs (plain JS numbers, no BigInt); and SQLite's per-statement cost is shared by inserting 256
 * rows per statement, one transaction per chunk, without journal or sync (a failed build is
 * deleted, never served).
 */
import { rmSync } from 'node:fs';
import type { DuckDBConnection, DuckDBInstance, DuckDBResult } from '@duckdb/node-api';
import type BetterSqlite3 from 'better-sqlite3';
import { fieldsIn, keyField } from '../catalog/catalog.js';
import type { Dataset } from '../catalog/types.js';
import { UserError } from '../errors/index.js';
import { loadSqlite } from './prod.js';
import { PROD_FORMAT, positionalRecordSql, SCHEMA_TABLE, schemaOf } from './prod-codec.js';
import { sqlIdent, sqlString } from './records.js';
import type { SlotDataset } from './state.js';

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

const PAGE_SIZE = 16_384;
const ROWS_PER_INSERT = 256;
/**
 * Between a record's text and its string key in one DuckDB value: JSON text never holds a raw
 * control character, so the first one ends the record (the key may contain anything).
 */
const KEY_SEPARATOR = '\x01';

/**
 * Writes a new prod database file at `path` (never the served one) from the given datasets, read
 * through DuckDB and projected to the light fields. Returns per-dataset rows and bytes.
 */
export async function buildProdFile(
  path: string,
  inputs: readonly BuildInput[],
  duck: DuckDBInstance,
  onProgress?: (p: BuildProgress) => void,
  /** Stop as soon as the file outgrows this (the load then fails before switching). */
  capacityBytes: number | null = null,
): Promise<Record<string, SlotDataset>> {
  const Sqlite = await loadSqlite();
  rmSync(path, { force: true });
  const db = new Sqlite(path);
  const out: Record<string, SlotDataset> = {};
  const streams = inputs.map(() => null as Promise<Rendered> | null);
  const start = (i: number) => {
    const input = inputs[i];
    if (input && !streams[i]) streams[i] = render(duck, input);
  };
  try {
    db.pragma(`page_size = ${PAGE_SIZE}`);
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('cache_size = -65536');
    db.pragma(`user_version = ${PROD_FORMAT}`);
    db.exec(`CREATE TABLE ${SCHEMA_TABLE} (dataset TEXT PRIMARY KEY, schema TEXT NOT NULL)`);
    // Pages allocated so far, written or still in the page cache: the file's size once closed.
    const bytes = () => (db.pragma('page_count', { simple: true }) as number) * PAGE_SIZE;
    for (const [i, { dataset, version }] of inputs.entries()) {
      start(i);
      const rendered = await streams[i]!;
      start(i + 1);
      const before = bytes();
      const rows = await insertDataset(db, dataset, rendered, (rows) => {
        onProgress?.({ dataset: dataset.name, rows });
        const size = bytes();
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
      });
      onProgress?.({ dataset: dataset.name, rows });
      out[dataset.name] = { version, rows, bytes: bytes() - before };
    }
    db.pragma('locking_mode = NORMAL');
    db.pragma('journal_mode = WAL');
  } finally {
    db.close();
    for (const stream of streams)
      void stream?.then(
        ({ connection }) => connection.closeSync(),
        () => undefined,
      );
  }
  return out;
}

interface Rendered {
  connection: DuckDBConnection;
  result: DuckDBResult;
}

/** Starts DuckDB rendering a dataset's rows: weight, text (+ KEY_SEPARATOR + a string key), int key. */
async function render(duck: DuckDBInstance, { dataset, files }: BuildInput): Promise<Rendered> {
  const key = keyField(dataset);
  const k = sqlIdent(key.name);
  const intKey = key.type.kind === 'int';
  const weight = dataset.fields.some((f) => f.name === 'pin_count' && f.type.kind === 'int')
    ? 'coalesce("pin_count", 0)'
    : '1';
  const record = positionalRecordSql(fieldsIn(dataset, 'prod'), key.name);
  const text = intKey ? record : `${record} || chr(${KEY_SEPARATOR.charCodeAt(0)}) || ${k}`;
  const connection = await duck.connect();
  await connection.run("SET streaming_buffer_size = '16MB'");
  const result = await connection.stream(
    `SELECT ${weight}::DOUBLE, ${text}${intKey ? `, ${k}::DOUBLE` : ''} FROM read_parquet([${files.map(sqlString).join(', ')}]) WHERE ${k} IS NOT NULL`,
  );
  return { connection, result };
}

/** Creates `dataset`'s table and fills it from `render`; `checkpoint(rows)` runs every ~64k rows. */
async function insertDataset(
  db: BetterSqlite3.Database,
  dataset: Dataset,
  { result }: Rendered,
  checkpoint: (rows: number) => void,
): Promise<number> {
  const fields = fieldsIn(dataset, 'prod');
  const intKey = keyField(dataset).type.kind === 'int';
  const table = sqlIdent(dataset.name);
  db.exec(
    intKey
      ? `CREATE TABLE ${table} (k INTEGER PRIMARY KEY, w INTEGER NOT NULL, v TEXT NOT NULL)`
      : `CREATE TABLE ${table} (k TEXT PRIMARY KEY, w INTEGER NOT NULL, v TEXT NOT NULL) WITHOUT ROWID`,
  );
  db.prepare(`INSERT INTO ${SCHEMA_TABLE} VALUES (?, ?)`).run(dataset.name, schemaOf(fields));
  const insert = (n: number) =>
    db.prepare(`INSERT INTO ${table} (k, w, v) VALUES ${Array(n).fill('(?, ?, ?)').join(', ')}`);
  const one = insert(1);
  const many = insert(ROWS_PER_INSERT);

  const args = new Array<unknown>(ROWS_PER_INSERT * 3);
  const single = new Array<unknown>(3);
  const insertChunk = db.transaction((weights: number[], texts: string[], keys: number[] | null) => {
    const fill = (dst: unknown[], at: number, row: number) => {
      const t = texts[row]!;
      if (keys) {
        dst[at] = keys[row];
        dst[at + 2] = t;
      } else {
        const s = t.indexOf(KEY_SEPARATOR);
        dst[at] = t.slice(s + 1);
        dst[at + 2] = t.slice(0, s);
      }
      dst[at + 1] = weights[row];
    };
    const n = texts.length;
    let i = 0;
    for (; i + ROWS_PER_INSERT <= n; i += ROWS_PER_INSERT) {
      for (let j = 0; j < ROWS_PER_INSERT; j++) fill(args, j * 3, i + j);
      many.run(args);
    }
    for (; i < n; i++) {
      fill(single, 0, i);
      one.run(single);
    }
  });

  let rows = 0;
  // Pipelined: DuckDB renders the next chunk while this one is inserted.
  let next = result.fetchChunk();
  try {
    for (;;) {
      const chunk = await next;
      if (!chunk || chunk.rowCount === 0) break;
      next = result.fetchChunk();
      insertChunk(
        chunk.getColumnVector(0).toArray() as number[],
        chunk.getColumnVector(1).toArray() as string[],
        intKey ? (chunk.getColumnVector(2).toArray() as number[]) : null,
      );
      rows += chunk.rowCount;
      if (rows % 65_536 < chunk.rowCount) checkpoint(rows);
    }
  } catch (error) {
    await next.catch(() => undefined); // the connection is closed next: let its fetch finish first
    throw error;
  }
  return rows;
}
