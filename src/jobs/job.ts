/**
 * What a job is: a named step that reads datasets and writes datasets. The engine derives the
 * DAG from these declarations (a job depends on the jobs that write its inputs), so adding a job
 * is one definition in `builtin/index.ts` and nothing else.
 */
import type { Dataset } from '../catalog/types.js';

/** The connection-scoped handle a job runs with (a DuckDB connection, behind a small interface). */
export interface Sql {
  /** Runs statements; returns nothing. */
  run(sql: string): Promise<void>;
  /** Runs a query; returns the rows as plain JSON objects. */
  rows(sql: string): Promise<Array<Record<string, unknown>>>;
  /** Streams the integer/double columns of a query into a callback, chunk by chunk. */
  scan(sql: string, onRow: (values: readonly unknown[]) => void): Promise<number>;
  /** Appends rows into an existing table (fast path for typed-array results). */
  append(table: string, count: number, row: (i: number, put: RowWriter) => void): Promise<void>;
}

export interface RowWriter {
  int(value: number): void;
  double(value: number): void;
}

export interface JobContext {
  job: string;
  date: string;
  /** Every input dataset (and every raw dataset) is a temp view of that name in `sql`. */
  sql: Sql;
  /**
   * Writes a dataset of this job from a query. The query's columns are cast to the catalog types
   * and ordered as the catalog lists them; rows are sorted by the dataset's key. Returns the rows.
   * After it returns, the dataset is also a view of that name for the rest of the job.
   * Several queries (parts) are written as several files, in order; each must cover a key range
   * above the previous part's, so the files, taken in name order, are sorted by key as a whole.
   * A big dataset is built part by part so DuckDB never holds all of its aggregates at once.
   */
  write(dataset: string, query: string | readonly string[]): Promise<number>;
  progress(message: string): void;
  /** Whether a raw dataset exists for this date (e.g. `board_truth`, used only to evaluate). */
  hasRaw(dataset: string): boolean;
}

export interface JobResult {
  /** Quality figures to publish in the version manifest under `quality[job]`. */
  quality?: Record<string, unknown>;
}

/** A consistency check on a job's output: a query that returns offending rows (none = pass). */
export interface OutputCheck {
  dataset: string;
  check: string;
  /** A SELECT returning at least one example row when the check fails. */
  failing: string;
  message: string;
  /**
   * Several checks answered by one query: the failing row's `disco_check` column names the part
   * that failed (and is left out of the example row); each part is reported as a check of its own.
   */
  parts?: ReadonlyArray<{ check: string; message: string }>;
}

export interface JobDefinition {
  name: string;
  kind: 'builtin' | 'custom';
  doc: string;
  /** Datasets read: raw datasets or outputs of other jobs. */
  inputs: readonly string[];
  /** Datasets written, as the catalog defines them. */
  outputs: readonly Dataset[];
  run(ctx: JobContext): Promise<JobResult | undefined>;
  /** Extra checks beyond the generic ones (keys, references), e.g. row counts vs the inputs. */
  checks?: readonly OutputCheck[];
}
