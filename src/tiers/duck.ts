/**
 * DuckDB plumbing shared by the batch, archive and debug tiers and the loader: opening an instance
 * without extension auto-install, serialising calls on one connection, turning results into
 * plain JSON, and checking that user SQL is one read-only SELECT.
 */
import { createRequire } from 'node:module';
import type { DuckDBConnection, DuckDBInstance, DuckDBValue } from '@duckdb/node-api';
import { UserError } from '../errors/index.js';
import { plainValue, sqlString } from './records.js';
import type { Item } from './tier.js';

export type DuckModule = typeof import('@duckdb/node-api');
let duckModule: DuckModule | undefined;
/**
 * Loaded with `require`, not `import()`: the package is CommonJS (124 files re-exported from its
 * index), and an ESM import of it runs Node's CJS export lexer over every file first — measured
 * 420 – 440 ms of CPU against 170 ms for `require` (Node 20), the largest single cost of
 * `disco debug key`.
 */
export async function loadDuck(): Promise<DuckModule> {
  duckModule ??= createRequire(import.meta.url)('@duckdb/node-api') as DuckModule;
  return duckModule;
}

/** One DuckDB instance and connection; calls run one at a time (a connection is not concurrent). */
export class DuckSession {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
  ) {}

  static async open(path: string, options: Record<string, string> = {}): Promise<DuckSession> {
    const { DuckDBInstance } = await loadDuck();
    const instance = await DuckDBInstance.create(path, { autoinstall_known_extensions: 'false', ...options });
    return new DuckSession(instance, await instance.connect());
  }

  /** Runs `fn` after every earlier call finished. */
  exclusive<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    const run = this.queue.then(() => fn(this.connection));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The first column of every row, as JSON text parsed into records. */
  async jsonRecords(sql: string): Promise<Item[]> {
    return this.exclusive(async (c) => {
      const reader = await c.runAndReadAll(sql);
      return reader.getColumns()[0]?.map((text) => JSON.parse(String(text)) as Item) ?? [];
    });
  }

  close(): void {
    try {
      this.connection.closeSync();
      this.instance.closeSync();
    } catch {
      // already closed
    }
  }
}

/**
 * Runs one read-only SELECT with named parameters (`$name`) and returns plain JSON rows. Anything
 * else (several statements, DDL, DML, COPY, PRAGMA, ATTACH...) is refused before it runs.
 */
export async function readOnlyQuery(
  session: DuckSession,
  sql: string,
  params: Readonly<Record<string, unknown>>,
  tier: string,
): Promise<Item[]> {
  const { StatementType } = await loadDuck();
  return session.exclusive(async (c) => {
    let extracted: Awaited<ReturnType<DuckDBConnection['extractStatements']>>;
    try {
      extracted = await c.extractStatements(sql);
    } catch (error) {
      throw badSql(tier, (error as Error).message);
    }
    if (extracted.count !== 1) throw badSql(tier, `expected one SELECT statement, got ${extracted.count}`);
    let prepared: Awaited<ReturnType<typeof extracted.prepare>>;
    try {
      prepared = await extracted.prepare(0);
    } catch (error) {
      throw badSql(tier, (error as Error).message);
    }
    if (prepared.statementType !== StatementType.SELECT) {
      throw badSql(tier, 'only a read-only SELECT is allowed');
    }
    const values: Record<string, DuckDBValue> = {};
    for (const [name, value] of Object.entries(params)) values[name] = toDuckValue(value);
    try {
      if (Object.keys(values).length > 0) prepared.bind(values);
      const reader = await prepared.runAndReadAll();
      return reader.getRowObjectsJS().map((row) => plainValue(row) as Item);
    } catch (error) {
      throw badSql(tier, (error as Error).message);
    }
  });
}

function toDuckValue(value: unknown): DuckDBValue {
  if (Array.isArray(value)) {
    // A list param: bound as a DuckDB list (`x IN (SELECT unnest($ids))` or `list_contains`).
    return duckModule!.listValue(value.map(toDuckValue));
  }
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  return value as DuckDBValue;
}

function badSql(tier: string, why: string): UserError {
  return new UserError(`query on tier '${tier}' failed: ${why}`, {
    code: 'bad-query',
    exit: 1,
    hint: 'a query must be one read-only SELECT; bind values with $name parameters',
  });
}

/** Rows of each Parquet file, from their footers (no data is read). */
export async function parquetFileRows(
  connection: DuckDBConnection,
  files: readonly string[],
): Promise<Map<string, number>> {
  if (files.length === 0) return new Map();
  const reader = await connection.runAndReadAll(
    `SELECT file_name, num_rows::DOUBLE FROM parquet_file_metadata([${files.map(sqlString).join(', ')}])`,
  );
  return new Map(reader.getRows() as [string, number][]);
}
