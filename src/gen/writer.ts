/**
 * The DuckDB half of the generator: hands the model's integer columns to DuckDB in bulk (appender
 * + data chunks, no per-row objects) and lets DuckDB build the strings and write Parquet.
 * Output order is the staging table's insertion order (ids ascending), which DuckDB preserves
 * (`preserve_insertion_order`), so files come out sorted by key without a sort.
 */
import { statSync } from 'node:fs';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { type SqlContext, selectRaw } from './sql.js';

type DuckApi = typeof import('@duckdb/node-api');

export interface Duck {
  api: DuckApi;
  instance: DuckDBInstance;
  connection: DuckDBConnection;
}

export async function openDuck(tempDirectory: string): Promise<Duck> {
  const api = await import('@duckdb/node-api');
  const instance = await api.DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    temp_directory: tempDirectory,
    memory_limit: '1536MB',
    preserve_insertion_order: 'true',
  });
  const connection = await instance.connect();
  return { api, instance, connection };
}

export function closeDuck(duck: Duck): void {
  duck.connection.closeSync();
  duck.instance.closeSync();
}

/** DuckDB's vector size: the most rows a data chunk holds. */
const CHUNK_ROWS = 2048;

/** Loads rows [from, to) of the given integer columns into a fresh staging table. */
export async function stage(
  duck: Duck,
  table: string,
  columns: Record<string, ArrayLike<number>>,
  from: number,
  to: number,
): Promise<void> {
  const { api, connection } = duck;
  const names = Object.keys(columns);
  await connection.run(`CREATE OR REPLACE TABLE ${table} (${names.map((n) => `${n} INTEGER`).join(', ')})`);
  const appender = await connection.createAppender(table);
  const types = names.map(() => api.INTEGER);
  const arrays = names.map((n) => columns[n]! as Int32Array);
  const size = CHUNK_ROWS;
  for (let start = from; start < to; start += size) {
    const n = Math.min(size, to - start);
    const chunk = api.DuckDBDataChunk.create(types, n);
    for (let c = 0; c < arrays.length; c++) {
      // Typed-array views: the vector copies them in one native call after its item loop.
      chunk.setColumnValues(c, arrays[c]!.subarray(start, start + n) as unknown as number[]);
    }
    appender.appendDataChunk(chunk);
  }
  appender.closeSync();
}

/** Writes one raw dataset's rows from a staging table to a Parquet file; returns its size. */
export async function copyToParquet(
  duck: Duck,
  dataset: 'users' | 'boards' | 'board_truth' | 'pins',
  table: string,
  ctx: SqlContext,
  file: string,
): Promise<number> {
  const target = file.replaceAll("'", "''");
  await duck.connection.run(
    `COPY (${selectRaw(dataset, table, ctx)}) TO '${target}' (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 122880)`,
  );
  return statSync(file).size;
}
