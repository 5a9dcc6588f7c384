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
    // Every output is written with an explicit ORDER BY key; nothing else depends on row order.
    preserve_insertion_order: 'false',
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
        // rowCount is a native call: read it once per chunk, not once per row.
        const rows = chunk.rowCount;
        for (let r = 0; r < rows; r++) {
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

/**
 * Loads the raw datasets of the run once into tables of the run's database (`disco_raw_NAME`),
 * so the jobs (and their checks) do not decode the raw Parquet again each time. `pins` also gets
 * an integer image id: `disco_images(image_id, image_signature)` numbers the distinct signatures
 * in signature order (so sorting by image_id sorts by signature), and `disco_pins` is pins plus
 * `image_id`; the built-in jobs join and group on it instead of the signature strings.
 * Returns the SQL source each raw dataset's view should select from.
 */
export async function loadRawTables(
  duck: Duck,
  raw: ReadonlyArray<readonly [name: string, parquet: string]>,
): Promise<Map<string, string>> {
  const conn = await duck.connect();
  const views = new Map<string, string>();
  try {
    for (const [name, parquet] of raw) {
      if (name === 'pins') {
        await conn.run(`CREATE OR REPLACE TABLE disco_images AS
          SELECT image_signature, CAST(row_number() OVER (ORDER BY image_signature) AS INTEGER) AS image_id
          FROM (SELECT DISTINCT image_signature FROM ${parquet})`);
        await conn.run(`CREATE OR REPLACE TABLE disco_pins AS
          SELECT p.*, i.image_id FROM ${parquet} p JOIN disco_images i USING (image_signature)`);
        views.set(name, 'SELECT * EXCLUDE (image_id) FROM disco_pins');
      } else {
        const table = ident(`disco_raw_${name}`);
        await conn.run(`CREATE OR REPLACE TABLE ${table} AS SELECT * FROM ${parquet}`);
        views.set(name, `SELECT * FROM ${table}`);
      }
    }
  } finally {
    conn.closeSync();
  }
  return views;
}
