/**
 * The workflow's DuckDB: one in-memory instance per run (spilling to a temp folder under the data
 * directory), one connection per job. Loaded lazily: nothing imports `@duckdb/node-api` at the top
 * of a command.
 */
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { RowWriter, Sql } from './job.js';

export interface Duck {
  instance: DuckDBInstance;
  connect(): Promise<DuckDBConnection>;
  close(): void;
}

export async function openDuck(tempDirectory: string, threads = 2): Promise<Duck> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    temp_directory: tempDirectory,
    threads: String(threads),
    preserve_insertion_order: 'true',
  });
  return {
    instance,
    connect: () => instance.connect(),
    close: () => instance.closeSync(),
  };
}

export function sqlFor(conn: DuckDBConnection): Sql {
  return {
    async run(sql) {
      await conn.run(sql);
    },
    async rows(sql) {
      const reader = await conn.runAndReadAll(sql);
      return reader.getRowObjectsJson() as Array<Record<string, unknown>>;
    },
    async scan(sql, onRow) {
      const result = await conn.stream(sql);
      const width = result.columnCount;
      const row: unknown[] = new Array(width);
      let count = 0;
      for (;;) {
        const chunk = await result.fetchChunk();
        if (chunk === null || chunk.rowCount === 0) break;
        const vectors = Array.from({ length: width }, (_, c) => chunk.getColumnVector(c));
        for (let r = 0; r < chunk.rowCount; r++) {
          for (let c = 0; c < width; c++) row[c] = vectors[c]!.getItem(r);
          onRow(row);
          count++;
        }
      }
      return count;
    },
    async append(table, count, fill) {
      const appender = await conn.createAppender(table);
      const put: RowWriter = {
        int: (v) => appender.appendInteger(v),
        double: (v) => appender.appendDouble(v),
      };
      for (let i = 0; i < count; i++) {
        fill(i, put);
        appender.endRow();
      }
      appender.closeSync();
    },
  };
}

/** A SQL string literal. */
export function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** A quoted SQL identifier. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
