/**
 * Building a prod file (`disco tiers load`): the light joins read through DuckDB, rendered in
 * prod's positional encoding (prod-codec.ts) and inserted into a new SQLite file.
 *
 * Where the time goes, and what each choice saves (README, "prod load"):
 * - crossing from DuckDB into JS costs a native call and an allocation per value, and that, not
 *   rendering, was most of the load: so DuckDB packs 2 048 rows into one BLOB (a small ASCII header
 *   per row gives the lengths) and the bytes go to SQLite as they are, never becoming JS strings;
 * - a query hands over nothing until its aggregation is done, so each query covers 131 072 rows
 *   (a row range reads only its row groups) and the next one runs in DuckDB's threads while this
 *   thread inserts: both cores stay busy from the first second;
 * - SQLite's per-statement cost is shared by inserting 256 rows per statement, one transaction per
 *   BLOB, without journal or sync (a failed build is deleted, never served).
 */
import { rmSync } from 'node:fs';
import type { DuckDBBlobVector, DuckDBConnection, DuckDBInstance, DuckDBResult } from '@duckdb/node-api';
import type BetterSqlite3 from 'better-sqlite3';
import { fieldsIn, keyField } from '../catalog/catalog.js';
import type { Dataset } from '../catalog/types.js';
import { UserError } from '../errors/index.js';
import { parquetFileRows } from './duck.js';
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
/** Rows per BLOB that DuckDB hands over (one native call and one transaction each). */
const ROWS_PER_GROUP = 2048;
/** Rows per DuckDB query (see splitIntoUnits). */
const ROWS_PER_UNIT = 131_072;

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
    for await (const [{ dataset, version }, groups] of renderForProd(duck, inputs)) {
      const before = bytes();
      const insertGroup = createTable(db, dataset);
      let rows = 0;
      let reported = 0;
      for await (const group of groups) {
        rows += insertGroup(group);
        if (rows - reported < 65_536) continue;
        reported = rows;
        onProgress?.({ dataset: dataset.name, rows });
        checkCapacity(bytes(), capacityBytes, rows, dataset);
      }
      onProgress?.({ dataset: dataset.name, rows });
      out[dataset.name] = { version, rows, bytes: bytes() - before };
    }
    db.pragma('locking_mode = NORMAL');
    db.pragma('journal_mode = WAL');
  } finally {
    db.close();
  }
  return out;
}

/**
 * DuckDB's rendering of `inputs` for prod: each input with its rows, in key order, in BLOBs of
 * up to ROWS_PER_GROUP rows (see `render`). One query runs ahead of the one being read; the
 * queries' connections are closed when the iteration ends, however it ends.
 */
export async function* renderForProd(
  duck: DuckDBInstance,
  inputs: readonly BuildInput[],
): AsyncGenerator<[BuildInput, AsyncGenerator<Uint8Array>]> {
  const units = await splitIntoUnits(duck, inputs);
  const queries = units.map(() => null as Promise<Rendered> | null);
  const start = (i: number) => {
    const unit = units[i];
    if (unit && !queries[i]) queries[i] = render(duck, unit);
  };
  let i = 0;
  async function* groupsOfInput(input: BuildInput): AsyncGenerator<Uint8Array> {
    for (; units[i]?.input === input; i++) {
      start(i);
      const { result } = await queries[i]!;
      start(i + 1); // DuckDB renders the next unit while this one is read
      yield* groupsOf(result);
    }
  }
  try {
    for (const input of inputs) yield [input, groupsOfInput(input)];
  } finally {
    for (const query of queries)
      void query?.then(
        ({ connection }) => connection.closeSync(),
        () => undefined,
      );
  }
}

function checkCapacity(size: number, capacityBytes: number | null, rows: number, dataset: Dataset): void {
  if (capacityBytes === null || size <= capacityBytes) return;
  throw new UserError(
    `prod does not fit: its new file already holds ${size} bytes after ${rows} ${dataset.name} records, over its capacity of ${capacityBytes} bytes; the tiers keep their current version`,
    {
      code: 'capacity-exceeded',
      exit: 1,
      hint: 'raise tiers.prod.capacity_bytes in disco.yaml, or load a smaller version',
    },
  );
}

interface Rendered {
  connection: DuckDBConnection;
  result: DuckDBResult;
}

/** A range of rows of one Parquet file: what one query renders. */
interface Unit {
  input: BuildInput;
  file: string;
  from: number;
  to: number;
}

/**
 * Splits the inputs into units of ROWS_PER_UNIT rows, in key order. Small units let inserting start
 * soon after the load does (a query hands over nothing until its whole aggregation is done) and
 * bound DuckDB's memory whatever the scale; a row range reads only its row groups.
 */
async function splitIntoUnits(duck: DuckDBInstance, inputs: readonly BuildInput[]): Promise<Unit[]> {
  const files = inputs.flatMap((input) => input.files);
  const connection = await duck.connect();
  try {
    const rowsOf = await parquetFileRows(connection, files);
    const units: Unit[] = [];
    for (const input of inputs)
      for (const file of input.files) {
        const rows = rowsOf.get(file);
        if (rows === undefined) throw new Error(`DuckDB gave no row count for ${file}`);
        for (let from = 0; from < rows; from += ROWS_PER_UNIT)
          units.push({ input, file, from, to: from + ROWS_PER_UNIT });
      }
    return units;
  } finally {
    connection.closeSync();
  }
}

/**
 * Starts DuckDB rendering one unit of a dataset: a row per group of ROWS_PER_GROUP rows,
 * a single BLOB holding each row as `weight keyLength recordLength ` (ASCII decimals, each ended
 * by a space), the key's text and the record's text. The bytes go straight to SQLite; the key is
 * cast back to its type there, so an int key is exact whatever its size.
 */
async function render(duck: DuckDBInstance, { input: { dataset }, file, from, to }: Unit): Promise<Rendered> {
  const key = keyField(dataset);
  const k = sqlIdent(key.name);
  const weight = dataset.fields.some((f) => f.name === 'pin_count' && f.type.kind === 'int')
    ? 'coalesce("pin_count", 0)'
    : '1';
  const record = positionalRecordSql(fieldsIn(dataset, 'prod'), key.name);
  const connection = await duck.connect();
  const row = `w::VARCHAR || ' ' || strlen(k) || ' ' || strlen(v) || ' ' || k || v`;
  const result = await connection.run(
    `SELECT encode(string_agg(${row}, '' ORDER BY n)) FROM (
       SELECT ${weight} AS w, ${k}::VARCHAR AS k, ${record} AS v, file_row_number AS n
       FROM read_parquet(${sqlString(file)}, file_row_number = true)
       WHERE file_row_number >= ${from} AND file_row_number < ${to} AND ${k} IS NOT NULL)
     GROUP BY n // ${ROWS_PER_GROUP} ORDER BY n // ${ROWS_PER_GROUP}`,
  );
  return { connection, result };
}

/** The BLOBs of a rendered unit, in order. */
async function* groupsOf(result: DuckDBResult): AsyncGenerator<Uint8Array> {
  for (
    let chunk = await result.fetchChunk();
    chunk && chunk.rowCount > 0;
    chunk = await result.fetchChunk()
  ) {
    const groups = chunk.getColumnVector(0) as DuckDBBlobVector;
    for (let g = 0; g < chunk.rowCount; g++) yield groups.getItemBytes(g)!;
  }
}

const SPACE = 0x20;
const ZERO = 0x30;
const MINUS = 0x2d;

/** Creates `dataset`'s table; returns a function inserting one rendered group (one transaction). */
function createTable(db: BetterSqlite3.Database, dataset: Dataset): (group: Uint8Array) => number {
  const fields = fieldsIn(dataset, 'prod');
  const intKey = keyField(dataset).type.kind === 'int';
  const table = sqlIdent(dataset.name);
  db.exec(
    intKey
      ? `CREATE TABLE ${table} (k INTEGER PRIMARY KEY, w INTEGER NOT NULL, v TEXT NOT NULL)`
      : `CREATE TABLE ${table} (k TEXT PRIMARY KEY, w INTEGER NOT NULL, v TEXT NOT NULL) WITHOUT ROWID`,
  );
  db.prepare(`INSERT INTO ${SCHEMA_TABLE} VALUES (?, ?)`).run(dataset.name, schemaOf(fields));
  const value = `(CAST(? AS ${intKey ? 'INTEGER' : 'TEXT'}), ?, CAST(? AS TEXT))`;
  const insert = (n: number) =>
    db.prepare(`INSERT INTO ${table} (k, w, v) VALUES ${Array(n).fill(value).join(', ')}`);
  const one = insert(1);
  const many = insert(ROWS_PER_INSERT);
  const args = new Array<unknown>(ROWS_PER_INSERT * 3);
  return db.transaction((group: Uint8Array) => {
    let at = 0;
    // The next decimal of the group's row headers (ended by a space).
    const int = () => {
      const negative = group[at] === MINUS;
      if (negative) at++;
      let n = 0;
      for (let c = group[at++]!; c !== SPACE; c = group[at++]!) n = n * 10 + c - ZERO;
      return negative ? -n : n;
    };
    // Fills args[to..to+2] with the next row's key bytes, weight and record bytes.
    const next = (to: number) => {
      const w = int();
      const keyLength = int();
      const recordLength = int();
      const keyEnd = at + keyLength;
      const recordEnd = keyEnd + recordLength;
      args[to] = group.subarray(at, keyEnd);
      args[to + 1] = w;
      args[to + 2] = group.subarray(keyEnd, recordEnd);
      at = recordEnd;
    };
    let rows = 0;
    while (at < group.length) {
      let n = 0;
      while (n < ROWS_PER_INSERT && at < group.length) next(3 * n++);
      if (n === ROWS_PER_INSERT) many.run(args);
      else for (let r = 0; r < n; r++) one.run(args[3 * r], args[3 * r + 1], args[3 * r + 2]);
      rows += n;
    }
    return rows;
  });
}
