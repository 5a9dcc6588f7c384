/**
 * `npm run bench -- workflow [--scale=tiny|small|medium|large] [--threads=N] [--data=DIR] [--date=D]`: the whole offline
 * workflow on generated data (`disco gen`, seed 42, cached under $TMPDIR/disco-bench-SCALE), with
 * per-job times, peak memory (RSS of the process, DuckDB included) and the category correction's
 * precision/recall. Baseline measured in the same run: one DuckDB scan of every raw column the
 * jobs read (the floor any workflow pays), so the ratio says how much work sits on top of I/O.
 */
import { existsSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProjectConfig } from '../../src/project/config.js';
import { rawDir, rawManifestPath } from '../../src/project/layout.js';

/** The date the bench generates (and, with --data, expects raw data for unless --date says). */
const DEFAULT_DATE = '2026-11-21';

function flag(argv: string[], name: string, fallback: string): string {
  // `--name=value` (npm run bench takes bare words as bench names).
  const hit = argv.find((a) => a.startsWith(`--${name}=`));
  return hit === undefined ? fallback : hit.slice(name.length + 3);
}

export default async function bench(argv: string[]): Promise<void> {
  const scale = flag(argv, 'scale', 'small');
  const threads = Number(flag(argv, 'threads', '2'));
  // --concurrency=1 runs one job at a time, so each job's CPU time is its own.
  const concurrency = Number(flag(argv, 'concurrency', '2'));
  const dataDir = flag(argv, 'data', join(tmpdir(), `disco-bench-${scale}`));
  const date = flag(argv, 'date', DEFAULT_DATE);
  if (!existsSync(rawManifestPath(dataDir, date))) {
    const { generateRawData } = await import('../../src/gen/index.js');
    const t = performance.now();
    await generateRawData({ dataDir, scale, seed: 42, date, force: true });
    console.log(
      `generated ${scale} raw data in ${((performance.now() - t) / 1000).toFixed(1)} s → ${dataDir}`,
    );
  }
  const config = loadProjectConfig(tmpdir(), { dataDir });

  // Baseline: scan the raw columns once.
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:', { threads: String(threads) });
  const conn = await db.connect();
  const src = (d: string) => `read_parquet('${rawDir(dataDir, d, date)}/*.parquet')`;
  let t = performance.now();
  await conn.run(`SELECT count(DISTINCT image_signature), sum(length(title) + length(description) + length(link)),
      max(created_at), count(parent_pin_id), sum(board_id + pinner_id + pin_id) FROM ${src('pins')}`);
  await conn.run(
    `SELECT count(*), sum(length(name) + length(description) + length(category)) FROM ${src('boards')}`,
  );
  await conn.run(`SELECT count(*), sum(length(username) + length(bio)) FROM ${src('users')}`);
  const scanMs = performance.now() - t;
  conn.closeSync();
  db.closeSync();
  console.log(`baseline: one scan of the raw columns: ${(scanMs / 1000).toFixed(2)} s`);

  const { runWorkflow, formatEvent } = await import('../../src/jobs/index.js');
  const jobCpu = new Map<string, NodeJS.CpuUsage>();
  t = performance.now();
  const cpu = process.cpuUsage();
  const result = await runWorkflow({
    config,
    date,
    threads,
    concurrency,
    onEvent: (e) => {
      if (e.type === 'job-started') jobCpu.set(e.job, process.cpuUsage());
      if (e.type === 'job-finished') {
        const used = process.cpuUsage(jobCpu.get(e.job));
        jobCpu.set(e.job, { user: used.user + used.system, system: 0 });
      }
      if (e.type === 'job-finished' || e.type === 'job-progress') console.log(`  … ${formatEvent(e)}`);
    },
  });
  const ms = performance.now() - t;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  if (result.state !== 'succeeded') {
    console.log(
      'workflow FAILED:',
      result.jobs.filter((j) => j.error).map((j) => j.error),
    );
    return;
  }
  console.log(
    `workflow (${scale}, ${threads} DuckDB threads, ${concurrency} job(s) at once): ${(ms / 1000).toFixed(1)} s wall, ${(cpuMs / 1000).toFixed(1)} s CPU (user+sys, all threads), peak RSS ${(result.peakRssBytes / 2 ** 20).toFixed(0)} MiB, ${(ms / scanMs).toFixed(1)}× the raw scan; machine load ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`,
  );
  for (const j of result.jobs)
    console.log(
      `  ${j.job.padEnd(16)} ${((j.durationMs ?? 0) / 1000).toFixed(1).padStart(6)} s wall ${((jobCpu.get(j.job)?.user ?? 0) / 1e6).toFixed(1).padStart(6)} s CPU${concurrency > 1 ? ' (overlapping jobs included)' : ''} ${String(j.rows).padStart(10)} rows`,
    );
  const jobs = result.quality['jobs'] as Record<string, Record<string, unknown>>;
  const c = jobs['board_category'];
  console.log(
    `  miscategorized vs board_truth: precision ${c?.['precision']}, recall ${c?.['recall']}, category accuracy ${c?.['categoryAccuracy']}`,
  );
  const pr = jobs['board_pagerank'];
  console.log(
    `  PageRank: ${pr?.['iterations']} iterations over ${pr?.['edges']} edges in ${pr?.['iterationMs']} ms`,
  );
}
