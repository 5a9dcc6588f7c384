import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CATALOG } from '../../src/catalog/catalog.js';
import { UserError } from '../../src/errors/index.js';
import { BUILTIN_JOBS } from '../../src/jobs/builtin/index.js';
import { makeBoardjoinJob, makePinjoinJob } from '../../src/jobs/builtin/joins.js';
import { jobsStatus } from '../../src/jobs/status.js';
import type { JobDefinition } from '../../src/jobs/job.js';
import { runWorkflow } from '../../src/jobs/workflow.js';
import type { WorkflowEvent } from '../../src/jobs/events.js';
import { loadProjectConfig, parseProjectConfig, type ProjectConfig } from '../../src/project/config.js';
import { listVersions, readVersionManifest } from '../../src/project/versions.js';
import { loadTiers } from '../../src/tiers/load.js';
import { openTiers } from '../../src/tiers/open.js';
import { parquetFiles } from '../../src/tiers/parquet.js';
import { tempDir } from '../helpers/cli.js';
import { smallWorld, writeRawFixture } from './fixtures.js';
import { referencePagerank, votesFromPins } from './pagerank-reference.js';

const DATE = '2026-01-01';
let dir: string;
let cleanup: () => void;
let config: ProjectConfig;

beforeEach(async () => {
  ({ dir, cleanup } = tempDir('disco-jobs-'));
  await writeRawFixture(join(dir, '.disco'), DATE, smallWorld());
  config = loadProjectConfig(dir);
});
afterEach(() => cleanup());

async function query(sql: string): Promise<Array<Record<string, unknown>>> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    return (await conn.runAndReadAll(sql)).getRowObjectsJson() as Array<Record<string, unknown>>;
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

const parquet = (path: string) =>
  `read_parquet('${join(config.dataDir, path)}/*.parquet', hive_partitioning = false)`;
const rawParquet = (dataset: string) =>
  `read_parquet('${join(config.dataDir, 'raw', dataset, `dt=${DATE}`)}/*.parquet')`;

/** Everything under the warehouse except the run logs, to compare before/after a failed run. */
function warehouseListing(): string[] {
  const root = join(config.dataDir, 'warehouse');
  return readdirSync(root, { recursive: true })
    .map(String)
    .filter((p) => !p.startsWith('_runs'))
    .sort();
}

describe('runWorkflow', () => {
  it('publishes a complete version whose joins match the raw data, and iter=2 on a second run', async () => {
    const events: WorkflowEvent[] = [];
    const result = await runWorkflow({ config, onEvent: (e) => events.push(e) });
    expect(result.state).toBe('succeeded');
    expect(result.version).toBe(`${DATE}/1`);
    const manifest = readVersionManifest(config.dataDir, { date: DATE as never, iteration: 1 })!;
    expect(Object.keys(manifest.datasets).sort()).toEqual([
      'board_category',
      'board_pagerank',
      'boardjoin',
      'pinjoin',
      'repin_graph',
      'userjoin',
    ]);
    expect(manifest.jobs.every((j) => j.state === 'succeeded' && j.rows !== null)).toBe(true);
    expect(events[0]?.type).toBe('run-started');
    expect(events.at(-1)).toMatchObject({ type: 'run-finished', state: 'succeeded', version: `${DATE}/1` });

    // Join counts vs raw.
    const [counts] = await query(`SELECT
      (SELECT count(*) FROM ${parquet(manifest.datasets['pinjoin']!.path)}) AS pinjoin,
      (SELECT count(DISTINCT image_signature) FROM ${rawParquet('pins')}) AS images,
      (SELECT count(*) FROM ${parquet(manifest.datasets['boardjoin']!.path)}) AS boardjoin,
      (SELECT count(*) FROM ${rawParquet('boards')}) AS boards,
      (SELECT count(*) FROM ${parquet(manifest.datasets['userjoin']!.path)}) AS userjoin,
      (SELECT count(*) FROM ${rawParquet('users')}) AS users,
      (SELECT sum(pin_count) FROM ${parquet(manifest.datasets['pinjoin']!.path)}) AS pins_in_pinjoin,
      (SELECT count(*) FROM ${rawParquet('pins')}) AS pins`);
    expect(counts!['pinjoin']).toBe(counts!['images']);
    expect(counts!['boardjoin']).toBe(counts!['boards']);
    expect(counts!['userjoin']).toBe(counts!['users']);
    expect(counts!['pins_in_pinjoin']).toBe(counts!['pins']);
    expect(manifest.datasets['boardjoin']!.rows).toBe(6);

    // Columns exactly as the catalog defines them, sorted by key.
    const cols = await query(`DESCRIBE SELECT * FROM ${parquet(manifest.datasets['boardjoin']!.path)}`);
    expect(cols.map((c) => c['column_name'])).toEqual(CATALOG.get('boardjoin').fields.map((f) => f.name));
    const ids = await query(`SELECT board_id FROM ${parquet(manifest.datasets['boardjoin']!.path)}`);
    expect(ids.map((r) => Number(r['board_id']))).toEqual([1, 2, 3, 4, 5, 6]);

    // The PageRank job equals the independent implementation from the raw pins.
    const world = smallWorld();
    const ref = referencePagerank(
      world.boards.map((b) => b.board_id),
      votesFromPins(
        world.pins.map((p) => ({
          pin_id: p.pin_id,
          board_id: p.board_id,
          parent_pin_id: p.parent_pin_id ?? null,
        })),
      ),
    ).rank;
    const ranks = await query(
      `SELECT board_id, pagerank FROM ${parquet(manifest.datasets['board_pagerank']!.path)}`,
    );
    for (const r of ranks)
      expect(Math.abs((r['pagerank'] as number) - ref.get(Number(r['board_id']))!)).toBeLessThan(1e-9);

    const second = await runWorkflow({ config });
    expect(second.version).toBe(`${DATE}/2`);
    expect(listVersions(config.dataDir).map((v) => v.iteration)).toEqual([1, 2]);
  });

  it('builds the joins in several parts (files in key order) with the same rows as in one part', async () => {
    const one = await runWorkflow({ config });
    // 3 pins per part: pinjoin in 3 parts (one image each), boardjoin in 3 (two boards each).
    const parts = BUILTIN_JOBS.map((j) =>
      j.name === 'pinjoin' ? makePinjoinJob(3) : j.name === 'boardjoin' ? makeBoardjoinJob(3) : j,
    );
    const several = await runWorkflow({ config, jobs: parts });
    expect(several.state).toBe('succeeded');
    for (const [ds, key, files] of [
      ['pinjoin', 'image_signature', 3],
      ['boardjoin', 'board_id', 3],
      ['userjoin', 'user_id', 1],
    ] as const) {
      const rows = async (path: string) => {
        const list = parquetFiles(config.dataDir, path);
        return {
          files: list.length,
          rows: await query(
            `SELECT * FROM read_parquet([${list.map((f) => `'${f}'`).join(', ')}], hive_partitioning = false)`,
          ),
        };
      };
      const a = await rows(one.datasets[ds]!.path);
      const b = await rows(several.datasets[ds]!.path);
      expect(b.files).toBe(files);
      // Float sums (score, influence) may differ in the last bit, as between two runs of one part.
      const rounded = (rows: unknown) =>
        JSON.parse(JSON.stringify(rows, (_, v) => (typeof v === 'number' ? Number(v.toPrecision(12)) : v)));
      expect(rounded(b.rows)).toEqual(rounded(a.rows));
      expect(several.datasets[ds]!.rows).toBe(a.rows.length);
      // Files in name order are sorted by key as a whole (the debug tier's lookup relies on it).
      const keys = b.rows.map((r) => r[key] as string | number);
      expect(keys).toEqual([...keys].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));
    }
    // The tiers load the several-file version; the debug tier finds a key in every part.
    await loadTiers({ config }); // the newest version: the several-part one
    const tiers = await openTiers(config);
    try {
      const images = await tiers.get('debug').getMany('pinjoin', ['img-a', 'img-b', 'img-c', 'img-z']);
      expect(images.map((r) => r?.['image_signature'])).toEqual(['img-a', 'img-b', 'img-c', undefined]);
      const boards = await tiers.get('debug').getMany('boardjoin', [1, 2, 3, 4, 5, 6]);
      expect(boards.map((r) => Number(r?.['board_id']))).toEqual([1, 2, 3, 4, 5, 6]);
    } finally {
      await tiers.close();
    }
  });

  it('--only re-runs the job and its downstream as a new iteration, carrying the rest by reference', async () => {
    await runWorkflow({ config });
    const result = await runWorkflow({ config, only: ['board_pagerank'] });
    expect(result.version).toBe(`${DATE}/2`);
    const manifest = readVersionManifest(config.dataDir, { date: DATE as never, iteration: 2 })!;
    expect(manifest.datasets['repin_graph']).toMatchObject({
      path: `warehouse/repin_graph/dt=${DATE}/iter=1`,
      carriedFrom: `${DATE}/1`,
    });
    expect(manifest.datasets['board_category']!.carriedFrom).toBe(`${DATE}/1`);
    for (const ds of ['board_pagerank', 'pinjoin', 'boardjoin', 'userjoin']) {
      expect(manifest.datasets[ds]!.path).toBe(`warehouse/${ds}/dt=${DATE}/iter=2`);
      expect(manifest.datasets[ds]!.carriedFrom).toBeUndefined();
    }
    // Nothing copied: no iter=2 folder for carried datasets.
    expect(existsSync(join(config.dataDir, 'warehouse', 'repin_graph', `dt=${DATE}`, 'iter=2'))).toBe(false);
    expect(manifest.jobs.find((j) => j.job === 'repin_graph')).toMatchObject({
      carried: true,
      state: 'succeeded',
    });
    // A third partial run still points at the producing iteration.
    await runWorkflow({ config, only: ['userjoin'] });
    const third = readVersionManifest(config.dataDir, { date: DATE as never, iteration: 3 })!;
    expect(third.datasets['repin_graph']!.carriedFrom).toBe(`${DATE}/1`);
    expect(third.datasets['pinjoin']!.carriedFrom).toBe(`${DATE}/2`);
    expect(third.quality['miscategorized']).toEqual(manifest.quality['miscategorized']);
  });

  it('a job failing halfway publishes nothing, skips its downstream and leaves earlier versions untouched', async () => {
    await runWorkflow({ config });
    const before = warehouseListing();
    const manifestBefore = readFileSync(
      join(config.dataDir, 'warehouse', '_manifests', `dt=${DATE}`, 'iter=1.json'),
      'utf8',
    );
    // board_category writes its output, then dies.
    const failing: JobDefinition = {
      ...BUILTIN_JOBS.find((j) => j.name === 'board_category')!,
      async run(ctx) {
        await ctx.write(
          'board_category',
          `SELECT board_id, category AS category_assigned, category, 1.0 AS confidence, false AS miscategorized FROM boards`,
        );
        throw new Error('simulated crash halfway');
      },
    };
    const jobs = BUILTIN_JOBS.map((j) => (j.name === 'board_category' ? failing : j));
    const result = await runWorkflow({ config, jobs });
    expect(result.state).toBe('failed');
    expect(result.version).toBeNull();
    const state = Object.fromEntries(result.jobs.map((j) => [j.job, j.state]));
    expect(state).toEqual({
      repin_graph: 'succeeded',
      board_pagerank: 'succeeded',
      board_category: 'failed',
      pinjoin: 'skipped',
      boardjoin: 'skipped',
      userjoin: 'skipped',
    });
    expect(result.jobs.find((j) => j.job === 'board_category')!.error).toBe(
      "job 'board_category' failed: simulated crash halfway",
    );
    expect(result.jobs.find((j) => j.job === 'userjoin')!.error).toContain(
      "upstream job 'board_category' failed",
    );
    // Nothing became visible; the earlier version is byte-for-byte the same; staging is gone.
    expect(listVersions(config.dataDir).map((v) => v.iteration)).toEqual([1]);
    expect(warehouseListing()).toEqual(before);
    expect(
      readFileSync(join(config.dataDir, 'warehouse', '_manifests', `dt=${DATE}`, 'iter=1.json'), 'utf8'),
    ).toBe(manifestBefore);
    expect(readdirSync(join(config.dataDir, 'tmp'))).toEqual([]);
    // The failed run is on record; the next good run takes iteration 2.
    const status = jobsStatus(config, DATE);
    expect(status.runs.map((r) => [r.iteration, r.state, r.version])).toEqual([
      [1, 'succeeded', `${DATE}/1`],
      [2, 'failed', null],
    ]);
    expect((await runWorkflow({ config })).version).toBe(`${DATE}/2`);
  });

  it('fails a job whose output breaks a quality check, naming dataset, check and an example row', async () => {
    const dupes: JobDefinition = {
      ...BUILTIN_JOBS.find((j) => j.name === 'board_pagerank')!,
      async run(ctx) {
        await ctx.write('board_pagerank', `SELECT board_id % 3 AS board_id, 0.5 AS pagerank FROM boards`);
        return undefined;
      },
    };
    const result = await runWorkflow({
      config,
      jobs: BUILTIN_JOBS.map((j) => (j.name === 'board_pagerank' ? dupes : j)),
    });
    expect(result.state).toBe('failed');
    const error = result.jobs.find((j) => j.job === 'board_pagerank')!.error!;
    expect(error).toMatch(
      /^job 'board_pagerank' failed: quality check 'key-unique' failed on dataset 'board_pagerank': two rows share a key \(board_id\); example row: \{"board_id":"\d","copies":"2"\}$/,
    );
  });

  it('checks references: a dangling board id fails the job', async () => {
    const bad: JobDefinition = {
      ...BUILTIN_JOBS.find((j) => j.name === 'repin_graph')!,
      async run(ctx) {
        await ctx.write('repin_graph', `SELECT 1 AS src_board_id, 999 AS dst_board_id, 1 AS weight`);
        return undefined;
      },
    };
    const result = await runWorkflow({
      config,
      jobs: BUILTIN_JOBS.map((j) => (j.name === 'repin_graph' ? bad : j)),
    });
    const error = result.jobs.find((j) => j.job === 'repin_graph')!.error!;
    expect(error).toContain("quality check 'ref-dst_board_id' failed on dataset 'repin_graph'");
    expect(error).toContain('"dangling_value":"999"');
  });

  it('reports a full disk as such, naming the job', async () => {
    const full: JobDefinition = {
      ...BUILTIN_JOBS.find((j) => j.name === 'userjoin')!,
      async run() {
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      },
    };
    const result = await runWorkflow({
      config,
      jobs: BUILTIN_JOBS.map((j) => (j.name === 'userjoin' ? full : j)),
    });
    expect(result.jobs.find((j) => j.job === 'userjoin')!.error).toMatch(
      /^job 'userjoin' failed: disk full while writing under .*nothing was published$/,
    );
    expect(listVersions(config.dataDir)).toEqual([]);
  });

  it('says which command makes missing raw data', async () => {
    const error = await runWorkflow({ config, date: '2026-03-04' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toContain('no raw data for 2026-03-04');
    expect((error as UserError).hint).toContain('disco gen --date 2026-03-04');
  });

  it('refuses --only when the raw data changed since the carried version, unless --force', async () => {
    await runWorkflow({ config });
    await writeRawFixture(config.dataDir, DATE, smallWorld()); // regenerated: new raw manifest
    const error = await runWorkflow({ config, only: ['userjoin'] }).catch((e: unknown) => e);
    expect((error as UserError).code).toBe('raw-data-changed');
    expect((await runWorkflow({ config, only: ['userjoin'], force: true })).version).toBe(`${DATE}/2`);
  });
});

describe('custom SQL jobs', () => {
  function project(yaml: string, files: Record<string, string>): ProjectConfig {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(dir, 'jobs'), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    return parseProjectConfig(yaml, join(dir, 'disco.yaml'), dir);
  }

  const yaml = (inputs: string) => `
jobs:
  category_stats:
    sql: jobs/category_stats.sql
    inputs: [${inputs}]
    output:
      dataset: category_stats
      key: [category]
      fields: { category: string, boards: int, pagerank: float }
`;

  it('joins the DAG and is versioned like the built-ins', async () => {
    const cfg = project(yaml('boardjoin'), {
      'jobs/category_stats.sql':
        'SELECT category, count(*) AS boards, sum(pagerank) AS pagerank FROM boardjoin GROUP BY category;',
    });
    const result = await runWorkflow({ config: cfg });
    expect(result.state).toBe('succeeded');
    expect(result.datasets['category_stats']).toMatchObject({ rows: 4, job: 'category_stats' });
    const rows = await query(
      `SELECT * FROM read_parquet('${join(cfg.dataDir, result.datasets['category_stats']!.path)}/*.parquet')`,
    );
    expect(rows.map((r) => r['category'])).toEqual(['art', 'cars', 'food', 'travel']);
    // --only a built-in re-runs the custom job downstream of it.
    const again = await runWorkflow({ config: cfg, only: ['board_pagerank'] });
    expect(again.jobs.find((j) => j.job === 'category_stats')!.carried).toBeUndefined();
  });

  it('reports a syntax error naming the job, before anything runs', async () => {
    const cfg = project(yaml('boardjoin'), { 'jobs/category_stats.sql': 'SELEC category FROM boardjoin' });
    const error = (await runWorkflow({ config: cfg }).catch((e: unknown) => e)) as UserError;
    expect(error.code).toBe('job-sql-syntax');
    expect(error.message).toMatch(
      /^custom job 'category_stats': SQL syntax error in .*category_stats\.sql: Parser Error/,
    );
    expect(listVersions(cfg.dataDir)).toEqual([]);
  });

  it('fails the job (not the run setup) on a query error at run time, naming the job', async () => {
    const cfg = project(yaml('boardjoin'), {
      'jobs/category_stats.sql': 'SELECT nope AS category, 1 AS boards, 1.0 AS pagerank FROM boardjoin',
    });
    const result = await runWorkflow({ config: cfg });
    expect(result.state).toBe('failed');
    expect(result.jobs.find((j) => j.job === 'category_stats')!.error).toMatch(
      /^job 'category_stats' failed: Binder Error/,
    );
    expect(result.jobs.find((j) => j.job === 'userjoin')!.state).toBe('succeeded');
  });

  it('rejects unknown inputs and cycles, naming the job', async () => {
    const unknown = project(yaml('bordjoin'), { 'jobs/category_stats.sql': 'SELECT 1' });
    const e1 = (await runWorkflow({ config: unknown }).catch((e: unknown) => e)) as UserError;
    expect(e1.message).toBe(
      "job 'category_stats' reads unknown dataset 'bordjoin'; did you mean 'boardjoin'?",
    );
    const cyclic = project(yaml('category_stats'), { 'jobs/category_stats.sql': 'SELECT 1' });
    const e2 = (await runWorkflow({ config: cyclic }).catch((e: unknown) => e)) as UserError;
    expect(e2.code).toBe('job-cycle');
    expect(e2.message).toBe('jobs form a cycle: category_stats → category_stats');
  });
});
