/**
 * `runWorkflow`: runs the job DAG for a date as a new iteration and publishes it as a version.
 *
 * Atomicity: every job writes under a private staging folder in `DATA/tmp/`; only when every job
 * of the run has succeeded (checks included) are the staged folders renamed into
 * `DATA/warehouse/DATASET/dt=DATE/iter=N/` and, last, the manifest written (temp file + rename).
 * A version is visible iff its manifest exists, so a failure or a crash at any point publishes
 * nothing and leaves earlier versions untouched. `--only` re-runs the named jobs and everything
 * downstream; every other dataset is carried over by reference (its manifest entry points at the
 * earlier iteration's folder).
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { Catalog } from '../catalog/catalog.js';
import { type Dataset, duckdbType, formatType } from '../catalog/types.js';
import { didYouMean } from '../diagnostics/suggest.js';
import { UserError } from '../errors/index.js';
import type { ProjectConfig } from '../project/config.js';
import { parseDate } from '../project/dates.js';
import {
  type DateString,
  formatVersion,
  rawDir,
  rawManifestPath,
  runLogDir,
  tmpDir,
  type VersionId,
  versionManifestPath,
  warehouseDir,
} from '../project/layout.js';
import {
  type DatasetOutput,
  type JobRecord,
  listVersions,
  readVersionManifest,
  type VersionManifest,
} from '../project/versions.js';
import { BUILTIN_JOBS } from './builtin/index.js';
import { type CheckReport, genericChecks, runChecks } from './checks.js';
import { customDatasets, customJobs, readCustomSql } from './custom.js';
import { type Duck, ident, literal, loadRawTables, openDuck, sqlFor } from './duck.js';
import type { WorkflowEvent, WorkflowEventListener } from './events.js';
import { buildGraph, graphNodes, type JobGraph, RAW_DATASETS, withDownstream } from './graph.js';
import type { JobContext, JobDefinition } from './job.js';
import { schedule } from './scheduler.js';

/** Rows per Parquet row group: small enough that a key lookup reads little (debug tier). */
export const ROW_GROUP_SIZE = 16_384;

export interface RunOptions {
  config: ProjectConfig;
  /** Default: the newest date with raw data. */
  date?: string | undefined;
  /** Re-run these jobs and their downstream; carry the rest over from the previous iteration. */
  only?: readonly string[] | undefined;
  /** With `--only`: carry outputs over even though the raw data changed since they were built. */
  force?: boolean | undefined;
  onEvent?: WorkflowEventListener | undefined;
  /** Jobs to run instead of the built-ins plus the project's (tests inject failing jobs here). */
  jobs?: readonly JobDefinition[] | undefined;
  /** Jobs running at once (default 2: PageRank in JS overlaps DuckDB work). */
  concurrency?: number | undefined;
  /** DuckDB threads (default 2). */
  threads?: number | undefined;
}

export interface RunResult {
  /** The published version `DATE/N`, or null when a job failed and nothing was published. */
  version: string | null;
  date: string;
  iteration: number;
  state: 'succeeded' | 'failed';
  startedAt: string;
  durationMs: number;
  jobs: JobRecord[];
  datasets: Record<string, DatasetOutput>;
  quality: Record<string, unknown>;
  /** Peak resident set size of this process during the run, in bytes. */
  peakRssBytes: number;
}

/** Built-in jobs plus the project's custom SQL jobs. */
export function allJobs(config: ProjectConfig): JobDefinition[] {
  return [...BUILTIN_JOBS, ...customJobs(config)];
}

export function jobGraph(config: ProjectConfig, jobs: readonly JobDefinition[] = allJobs(config)): JobGraph {
  return buildGraph(jobs, config.configFile);
}

/** Dates with a complete raw data set (raw manifest present), oldest first. */
export function rawDates(dataDir: string): string[] {
  const dir = dirname(rawManifestPath(dataDir, '2000-01-01'));
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((f) => /^dt=(\d{4}-\d{2}-\d{2})\.json$/.exec(f)?.[1])
    .filter((d): d is string => d !== undefined)
    .sort();
}

export async function runWorkflow(options: RunOptions): Promise<RunResult> {
  const { config } = options;
  const dataDir = config.dataDir;
  const emit = (event: WorkflowEvent): void => options.onEvent?.(event);
  const date = resolveDate(dataDir, options.date);
  const rawManifest = rawManifestPath(dataDir, date);
  const rawFingerprint = sha256(readFileSync(rawManifest)).slice(0, 16);
  const jobs = options.jobs ?? allJobs(config);
  const graph = jobGraph(config, jobs);
  const catalog = Catalog.withExtra(customDatasets(config));

  mkdirSync(tmpDir(dataDir), { recursive: true });
  const releaseLock = lock(dataDir, date);
  let duck: Duck | undefined;
  let stage: string | undefined;
  try {
    const previousId = listVersions(dataDir)
      .filter((v) => v.date === date)
      .at(-1);
    const previous = previousId ? readVersionManifest(dataDir, previousId) : undefined;
    const version: VersionId = { date, iteration: (previousId?.iteration ?? 0) + 1 };
    const toRun = jobsToRun(graph, options, previous, rawFingerprint, catalog);

    // Syntax-check the custom SQL of the jobs about to run before anything starts.
    const startedAt = new Date();
    stage = join(tmpDir(dataDir), `jobs-${date}-${version.iteration}-${randomBytes(4).toString('hex')}`);
    mkdirSync(join(stage, 'duckdb'), { recursive: true });
    duck = await openDuck(join(stage, 'duckdb'), options.threads ?? 2);
    await checkCustomSql(duck, config, toRun);

    const ordered = graph.order.map((j) => j.name);
    emit({
      type: 'run-started',
      version: formatVersion(version),
      date,
      iteration: version.iteration,
      jobs: graphNodes(graph, (j) => toRun.has(j)),
      at: startedAt.toISOString(),
    });

    const records = new Map<string, JobRecord>();
    const datasets: Record<string, DatasetOutput> = {};
    const quality: Record<string, unknown> = {};
    const checks: CheckReport[] = [];
    /** Where each dataset's Parquet files are (staged this run, or carried). */
    const location = new Map<string, string>();
    for (const raw of RAW_DATASETS) {
      const dir = rawDir(dataDir, raw, date);
      if (existsSync(dir)) location.set(raw, dir);
    }
    for (const name of ordered) {
      if (toRun.has(name)) {
        records.set(name, {
          job: name,
          state: 'pending',
          startedAt: null,
          durationMs: null,
          rows: null,
          error: null,
        });
        continue;
      }
      // Carried over: every output of the job comes from the previous version, by reference.
      const job = graph.byName.get(name)!;
      const prevRecord = previous!.jobs.find((r) => r.job === name);
      for (const out of job.outputs) {
        const prev = previous!.datasets[out.name]!;
        datasets[out.name] = { ...prev, carriedFrom: prev.carriedFrom ?? previous!.version };
        location.set(out.name, join(dataDir, prev.path));
      }
      const prevQuality = previous!.quality['jobs'] as Record<string, unknown> | undefined;
      if (prevQuality?.[name] !== undefined) quality[name] = prevQuality[name];
      records.set(name, {
        job: name,
        state: 'succeeded',
        startedAt: prevRecord?.startedAt ?? null,
        durationMs: prevRecord?.durationMs ?? null,
        rows: prevRecord?.rows ?? null,
        error: null,
        carried: true,
      });
      emit({
        type: 'job-carried',
        job: name,
        from: datasets[job.outputs[0]!.name]?.carriedFrom ?? previous!.version,
        rows: prevRecord?.rows ?? null,
        at: new Date().toISOString(),
      });
    }

    const execute = async (name: string): Promise<void> => {
      const job = graph.byName.get(name)!;
      const record = records.get(name)!;
      const t0 = performance.now();
      record.state = 'running';
      record.startedAt = new Date().toISOString();
      emit({ type: 'job-started', job: name, at: record.startedAt });
      const conn = await duck!.connect();
      try {
        const sql = sqlFor(conn);
        for (const [dataset, dir] of location) {
          // Raw datasets are visible to every job (checks resolve references against them).
          if (!RAW_DATASETS.includes(dataset as never) && !job.inputs.includes(dataset)) continue;
          const loaded = rawViews.get(dataset);
          await sql.run(
            `CREATE OR REPLACE TEMP VIEW ${ident(dataset)} AS ${loaded ?? `SELECT * FROM ${parquetSource(dir)}`}`,
          );
        }
        let rows = 0;
        const written: Dataset[] = [];
        const ctx: JobContext = {
          job: name,
          date,
          sql,
          hasRaw: (d) => location.has(d) && RAW_DATASETS.includes(d as never),
          progress: (message) =>
            emit({ type: 'job-progress', job: name, message, at: new Date().toISOString() }),
          write: async (dataset, query) => {
            const def = job.outputs.find((d) => d.name === dataset);
            if (!def)
              throw new Error(`job '${name}' wrote '${dataset}', which it does not declare as an output`);
            const dir = join(stage!, 'out', dataset);
            rmSync(dir, { recursive: true, force: true });
            mkdirSync(dir, { recursive: true });
            const parts = typeof query === 'string' ? [query] : query;
            let n = 0;
            for (const [i, part] of parts.entries()) {
              // Zero-padded part numbers: name order is key order (the debug tier relies on it).
              const file = join(
                dir,
                parts.length === 1 ? 'data.parquet' : `data-${String(i).padStart(5, '0')}.parquet`,
              );
              const result = await conn.run(
                `COPY (SELECT ${selectList(def)} FROM (${part}) AS q ORDER BY ${def.key.map(ident).join(', ')})
                 TO ${literal(file)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${ROW_GROUP_SIZE})`,
              );
              n += Number(result.rowsChanged);
              if (parts.length > 1)
                ctx.progress(`wrote part ${i + 1} of ${parts.length} of ${dataset} (${n} rows)`);
            }
            rows += n;
            written.push(def);
            await sql.run(
              `CREATE OR REPLACE TEMP VIEW ${ident(dataset)} AS SELECT * FROM ${parquetSource(dir)}`,
            );
            return n;
          },
        };
        const result = await job.run(ctx);
        for (const out of job.outputs) {
          if (!written.includes(out))
            throw new Error(`job '${name}' finished without writing its output '${out.name}'`);
        }
        for (const out of job.outputs) {
          checks.push(
            ...(await runChecks(sql, [
              ...genericChecks(out),
              ...(job.checks ?? []).filter((c) => c.dataset === out.name),
            ])),
          );
        }
        for (const out of job.outputs) {
          const dir = join(stage!, 'out', out.name);
          datasets[out.name] = {
            path: relative(dataDir, warehouseDir(dataDir, out.name, version)),
            rows: await countRows(sql, out.name),
            bytes: folderBytes(dir),
            schemaFingerprint: schemaFingerprint(out),
            job: name,
          };
          location.set(out.name, dir);
        }
        if (result?.quality) quality[name] = result.quality;
        record.state = 'succeeded';
        record.rows = rows;
      } catch (error) {
        record.state = 'failed';
        record.error = describeJobError(name, error, dataDir);
        throw error;
      } finally {
        record.durationMs = Math.round(performance.now() - t0);
        conn.closeSync();
        emit({
          type: 'job-finished',
          job: name,
          state: record.state === 'succeeded' ? 'succeeded' : 'failed',
          durationMs: record.durationMs,
          rows: record.rows,
          error: record.error,
          at: new Date().toISOString(),
        });
      }
    };

    let peakRss = process.memoryUsage.rss();
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
    }, 100);
    sampler.unref();
    const runSet = ordered.filter((n) => toRun.has(n));
    let rawViews = new Map<string, string>();
    try {
      // The raw data, read once for all the jobs of the run (see loadRawTables).
      rawViews =
        runSet.length === 0
          ? new Map<string, string>()
          : await loadRawTables(
              duck,
              RAW_DATASETS.flatMap((d) => {
                const dir = location.get(d);
                return dir === undefined ? [] : [[d, parquetSource(dir)] as const];
              }),
            );
      await schedule(
        runSet.map((n) => ({
          name: n,
          dependsOn: (graph.upstream.get(n) ?? []).filter((d) => toRun.has(d)),
        })),
        execute,
        {
          concurrency: options.concurrency ?? 2,
          onSkip: (name, blockedBy) => {
            const record = records.get(name)!;
            record.state = 'skipped';
            record.error = `skipped: upstream job '${blockedBy}' failed`;
            emit({
              type: 'job-finished',
              job: name,
              state: 'skipped',
              durationMs: null,
              rows: null,
              error: record.error,
              at: new Date().toISOString(),
            });
          },
        },
      );
    } finally {
      clearInterval(sampler);
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
    }
    duck.close();
    duck = undefined;

    const jobRecords = ordered.map((n) => records.get(n)!);
    const failed = jobRecords.some((r) => r.state === 'failed' || r.state === 'skipped');
    const category = quality['board_category'] as Record<string, unknown> | undefined;
    const qualityReport: Record<string, unknown> = {
      miscategorized: category?.['evaluated']
        ? {
            precision: category['precision'],
            recall: category['recall'],
            categoryAccuracy: category['categoryAccuracy'],
          }
        : null,
      checks: {
        passed: checks.length,
        failed: jobRecords.filter((r) => r.error?.includes('quality check')).length,
        byDataset: groupChecks(checks),
      },
      jobs: quality,
    };
    const result: RunResult = {
      version: failed ? null : formatVersion(version),
      date,
      iteration: version.iteration,
      state: failed ? 'failed' : 'succeeded',
      startedAt: startedAt.toISOString(),
      durationMs: Date.now() - startedAt.getTime(),
      jobs: jobRecords,
      datasets,
      quality: qualityReport,
      peakRssBytes: peakRss,
    };
    if (!failed) {
      publish(dataDir, version, stage, graph, toRun);
      const manifest: VersionManifest = {
        version: formatVersion(version),
        date,
        iteration: version.iteration,
        createdAt: new Date().toISOString(),
        datasets,
        jobs: jobRecords,
        quality: qualityReport,
        rawFingerprint,
      };
      writeAtomically(
        dataDir,
        versionManifestPath(dataDir, version),
        `${JSON.stringify(manifest, null, 2)}\n`,
      );
    }
    writeRunLog(dataDir, result);
    emit({
      type: 'run-finished',
      state: result.state,
      version: result.version,
      durationMs: result.durationMs,
      at: new Date().toISOString(),
    });
    return result;
  } finally {
    duck?.close();
    if (stage) rmSync(stage, { recursive: true, force: true });
    releaseLock();
  }
}

function resolveDate(dataDir: string, date: string | undefined): DateString {
  if (date === undefined) {
    const newest = rawDates(dataDir).at(-1);
    if (newest === undefined) {
      throw new UserError(`no raw data in ${dataDir}`, {
        code: 'no-raw-data',
        exit: 2,
        hint: 'generate it first: disco gen --scale tiny (or pass --data DIR)',
      });
    }
    return newest as DateString;
  }
  const parsed = parseDate(date);
  if (!existsSync(rawManifestPath(dataDir, parsed))) {
    const have = rawDates(dataDir);
    throw new UserError(
      `no raw data for ${parsed} in ${dataDir} (raw manifest ${rawManifestPath(dataDir, parsed)} is missing)`,
      {
        code: 'no-raw-data',
        exit: 2,
        hint: `generate it with: disco gen --date ${parsed}${have.length > 0 ? ` (raw dates present: ${have.join(', ')})` : ''}`,
      },
    );
  }
  return parsed;
}

/** The jobs this run executes: all, or `--only` plus downstream plus anything that cannot be carried. */
function jobsToRun(
  graph: JobGraph,
  options: RunOptions,
  previous: VersionManifest | undefined,
  rawFingerprint: string,
  catalog: Catalog,
): Set<string> {
  const all = graph.order.map((j) => j.name);
  if (options.only === undefined || options.only.length === 0) return new Set(all);
  for (const name of options.only) {
    if (!graph.byName.has(name)) {
      throw new UserError(`unknown job '${name}'${didYouMean(name, all)}`, {
        code: 'unknown-job',
        exit: 2,
        hint: `jobs: ${all.join(', ')} (see disco jobs list)`,
      });
    }
  }
  const date = options.date ?? '';
  if (!previous) {
    throw new UserError(
      `--only needs an earlier version of ${date || 'this date'} to carry the other datasets from, and there is none`,
      {
        code: 'nothing-to-carry',
        exit: 2,
        hint: `run the whole workflow first: disco jobs run${date ? ` --date ${date}` : ''}`,
      },
    );
  }
  if (previous.rawFingerprint !== undefined && previous.rawFingerprint !== rawFingerprint && !options.force) {
    throw new UserError(
      `the raw data for ${previous.date} changed since version ${previous.version} was built; carrying its outputs over would mix two generations`,
      {
        code: 'raw-data-changed',
        exit: 2,
        hint: 'run the whole workflow (without --only), or pass --force to carry the outputs over anyway',
      },
    );
  }
  const selected = new Set(options.only);
  // A job whose outputs the previous version lacks, or whose schema changed, cannot be carried.
  for (const job of graph.order) {
    for (const out of job.outputs) {
      const prev = previous.datasets[out.name];
      const def = catalog.find(out.name) ?? out;
      if (!prev || prev.schemaFingerprint !== schemaFingerprint(def)) selected.add(job.name);
    }
  }
  return withDownstream(graph, selected);
}

async function checkCustomSql(duck: Duck, config: ProjectConfig, toRun: ReadonlySet<string>): Promise<void> {
  const conn = await duck.connect();
  try {
    for (const job of config.jobs) {
      if (!toRun.has(job.name)) continue;
      const text = readCustomSql(job);
      let count = 0;
      try {
        count = (await conn.extractStatements(text)).count;
      } catch (error) {
        throw new UserError(
          `custom job '${job.name}': SQL syntax error in ${job.sqlFile}: ${messageOf(error).replace(/^Failed to extract statements: /, '')}`,
          {
            code: 'job-sql-syntax',
            exit: 2,
            where: job.sqlFile,
            hint: 'fix the query (one SELECT over the job inputs, each visible as a view of that name)',
          },
        );
      }
      if (count !== 1) {
        throw new UserError(
          `custom job '${job.name}': ${job.sqlFile} holds ${count} statements; expected one SELECT`,
          {
            code: 'job-sql-statements',
            exit: 2,
            where: job.sqlFile,
            hint: 'keep one SELECT in the file',
          },
        );
      }
    }
  } finally {
    conn.closeSync();
  }
}

function publish(
  dataDir: string,
  version: VersionId,
  stage: string,
  graph: JobGraph,
  ran: ReadonlySet<string>,
): void {
  for (const job of graph.order) {
    if (!ran.has(job.name)) continue;
    for (const out of job.outputs) {
      const target = warehouseDir(dataDir, out.name, version);
      // A folder already there belongs to a run that crashed before its manifest: invisible, stale.
      rmSync(target, { recursive: true, force: true });
      mkdirSync(dirname(target), { recursive: true });
      renameSync(join(stage, 'out', out.name), target);
    }
  }
}

function writeRunLog(dataDir: string, result: RunResult): void {
  const dir = runLogDir(dataDir, result.date);
  const name = `${result.startedAt.replace(/[:.]/g, '-')}-iter=${result.iteration}.json`;
  writeAtomically(
    dataDir,
    join(dir, name),
    `${JSON.stringify({ ...result, datasets: undefined }, null, 2)}\n`,
  );
}

export function writeAtomically(dataDir: string, path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = join(tmpDir(dataDir), `.${randomBytes(6).toString('hex')}.tmp`);
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** One `disco jobs run` per date at a time; a lock left by a dead process is taken over. */
function lock(dataDir: string, date: string): () => void {
  const path = join(tmpDir(dataDir), `jobs-dt=${date}.lock`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      // Staging folders of earlier runs of this date that died: nobody else can own them now.
      for (const f of readdirSync(tmpDir(dataDir))) {
        if (f.startsWith(`jobs-${date}-`)) rmSync(join(tmpDir(dataDir), f), { recursive: true, force: true });
      }
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(readFileSync(path, 'utf8'));
      if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
        throw new UserError(`another 'disco jobs run' for ${date} is running (pid ${pid})`, {
          code: 'workflow-locked',
          exit: 1,
          where: path,
          hint: 'wait for it to finish',
        });
      }
      rmSync(path, { force: true });
    }
  }
  throw new UserError(`could not lock ${path}`, { code: 'workflow-locked', exit: 1 });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function groupChecks(checks: readonly CheckReport[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const c of checks) {
    const list = out[c.dataset] ?? [];
    list.push(c.check);
    out[c.dataset] = list;
  }
  return out;
}

function parquetSource(dir: string): string {
  return `read_parquet(${literal(join(dir, '**', '*.parquet'))}, hive_partitioning = false)`;
}

function selectList(dataset: Dataset): string {
  return dataset.fields
    .map((f) => `CAST(q.${ident(f.name)} AS ${duckdbType(f.type)}) AS ${ident(f.name)}`)
    .join(', ');
}

/** Hash of the dataset's column names and types (as the catalog defines them). */
export function schemaFingerprint(dataset: Dataset): string {
  const text = dataset.fields
    .map((f) => `${f.name} ${formatType(f.type)}${f.nullable ? '?' : ''}`)
    .join('\n');
  return sha256(`${dataset.key.join(',')}\n${text}`).slice(0, 16);
}

async function countRows(sql: ReturnType<typeof sqlFor>, dataset: string): Promise<number> {
  const [row] = await sql.rows(`SELECT count(*) AS n FROM ${ident(dataset)}`);
  return Number(row?.['n'] ?? 0);
}

function folderBytes(dir: string): number {
  let total = 0;
  for (const f of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (f.isFile()) total += statSync(join(f.parentPath, f.name)).size;
  }
  return total;
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The one-line error recorded for a failed job: names the job; disk full gets its own advice. */
function describeJobError(job: string, error: unknown, dataDir: string): string {
  const message = messageOf(error);
  if (/ENOSPC|No space left on device|disk is full|Could not write/i.test(message)) {
    return `job '${job}' failed: disk full while writing under ${dataDir} (${message.split('\n')[0]}); free some space and re-run — nothing was published`;
  }
  return `job '${job}' failed: ${message.split('\n').slice(0, 3).join(' ')}`;
}
