/**
 * `generateRawData`: builds the synthetic world and writes the raw datasets of a date, atomically.
 *
 * Everything is staged under `DATA/tmp/` first; only when every dataset is complete does it move
 * into `DATA/raw/DATASET/dt=DATE/`, and the raw manifest (which makes the date visible) is written
 * last. With `force`, the old manifest is removed just before the swap, so a crash mid-swap leaves
 * the date invisible (incomplete), never a mix that looks complete.
 */
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { UserError } from '../errors/index.js';
import { rawDir, rawManifestPath, tmpDir } from '../project/layout.js';
import { buildWorld, type World } from './model.js';
import { DEFAULTS, parseDate, parseRate, parseScale, parseSeed } from './options.js';
import { SCALES, type ScaleName } from './scales.js';
import type { SqlContext } from './sql.js';
import { type RealismStats, worldStats } from './stats.js';
import { closeDuck, copyToParquet, type Duck, openDuck, stage } from './writer.js';

/** Bumped whenever the generator's output changes for the same inputs. */
export const GENERATOR_VERSION = 1;

export const RAW_DATASETS = ['users', 'boards', 'board_truth', 'pins'] as const;
export type RawDatasetName = (typeof RAW_DATASETS)[number];

/** Pins are written in parts of this many rows (bounded memory at large scale). */
export const PINS_PER_PART = 5_000_000;

export interface GenOptions {
  dataDir: string;
  scale?: ScaleName | string;
  seed?: number | string;
  date: string;
  mislabelRate?: number | string;
  uploadAffinity?: number | string;
  repinAffinity?: number | string;
  force?: boolean;
  onProgress?: (event: GenProgress) => void;
}

export interface GenProgress {
  phase: 'model' | 'write' | 'commit';
  dataset?: RawDatasetName;
  done: number;
  total: number;
}

export interface DatasetSummary {
  dataset: RawDatasetName;
  /** Folder relative to the data directory. */
  path: string;
  files: string[];
  rows: number;
  bytes: number;
  ms: number;
}

export interface GenSummary {
  generatorVersion: number;
  date: string;
  scale: ScaleName;
  seed: number;
  flags: { mislabelRate: number; uploadAffinity: number; repinAffinity: number };
  dataDir: string;
  replaced: boolean;
  datasets: DatasetSummary[];
  stats: RealismStats;
  timings: { modelMs: number; writeMs: number; totalMs: number };
}

/** The raw manifest (`rawManifestPath`): the summary without the machine-specific data path, written last. */
export type RawManifest = Omit<GenSummary, 'dataDir'> & { createdAt: string };

export async function generateRawData(options: GenOptions): Promise<GenSummary> {
  const started = performance.now();
  const scale = parseScale(String(options.scale ?? DEFAULTS.scale));
  const seed = parseSeed(options.seed ?? DEFAULTS.seed);
  const date = parseDate(options.date);
  const flags = {
    mislabelRate: parseRate(options.mislabelRate ?? DEFAULTS.mislabelRate, '--mislabel-rate'),
    uploadAffinity: parseRate(options.uploadAffinity ?? DEFAULTS.uploadAffinity, '--upload-affinity'),
    repinAffinity: parseRate(options.repinAffinity ?? DEFAULTS.repinAffinity, '--repin-affinity'),
  };
  const dataDir = resolve(options.dataDir);
  const manifestPath = rawManifestPath(dataDir, date);
  const replaced = existsSync(manifestPath);
  if (replaced && !options.force) {
    throw new UserError(`raw data for ${date} already exists`, {
      code: 'raw-exists',
      where: manifestPath,
      hint: 'pass --force to replace it (the old data stays until the new data set is complete), or pick another --date',
    });
  }
  const staging = makeStaging(dataDir, date);
  const progress = options.onProgress ?? (() => {});
  try {
    const world = buildWorld(
      { counts: SCALES[scale], seed, endEpoch: Date.parse(`${date}T00:00:00Z`) / 1000, ...flags },
      (done, total) => progress({ phase: 'model', done, total }),
    );
    const stats = worldStats(world);
    const modelMs = performance.now() - started;
    const datasets = await writeAll(world, seed, staging, progress);
    const writeMs = performance.now() - started - modelMs;
    progress({ phase: 'commit', done: 0, total: 1 });
    const summary: GenSummary = {
      generatorVersion: GENERATOR_VERSION,
      date,
      scale,
      seed,
      flags,
      dataDir,
      replaced,
      datasets: datasets.map((d) => ({ ...d, path: relative(dataDir, rawDir(dataDir, d.dataset, date)) })),
      stats,
      timings: { modelMs: 0, writeMs: 0, totalMs: 0 },
    };
    commit(dataDir, date, staging, summary, () => {
      summary.timings = {
        modelMs: round(modelMs),
        writeMs: round(writeMs),
        totalMs: round(performance.now() - started),
      };
    });
    progress({ phase: 'commit', done: 1, total: 1 });
    return summary;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

const round = (ms: number) => Math.round(ms);

function makeStaging(dataDir: string, date: string): string {
  const tmp = tmpDir(dataDir);
  try {
    mkdirSync(tmp, { recursive: true });
    return mkdtempSync(join(tmp, `gen-${date}-`));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(`cannot write to the data folder (${code ?? 'error'})`, {
      code: 'data-dir-unwritable',
      where: dataDir,
      hint: 'check the folder exists and is writable, or pick another one with --data',
      cause: error,
    });
  }
}

async function writeAll(
  world: World,
  seed: number,
  staging: string,
  progress: (event: GenProgress) => void,
): Promise<Omit<DatasetSummary, 'path'>[]> {
  const duck: Duck = await openDuck(join(staging, 'duckdb'));
  const results: Omit<DatasetSummary, 'path'>[] = [];
  const ctx: SqlContext = { seed, baseEpoch: world.baseEpoch, idOffset: 0 };
  const write = async (
    dataset: RawDatasetName,
    table: string,
    columns: Record<string, ArrayLike<number>>,
    count: number,
    partRows: number,
  ) => {
    const t0 = performance.now();
    const dir = join(staging, dataset);
    mkdirSync(dir, { recursive: true });
    const files: string[] = [];
    let bytes = 0;
    for (let from = 0, part = 0; from < count || part === 0; from += partRows, part++) {
      const to = Math.min(count, from + partRows);
      progress({ phase: 'write', dataset, done: from, total: count });
      if (Object.keys(columns).length > 0) await stage(duck, table, columns, from, to);
      const file = `part-${String(part).padStart(5, '0')}.parquet`;
      bytes += await copyToParquet(duck, dataset, table, { ...ctx, idOffset: from }, join(dir, file));
      files.push(file);
    }
    progress({ phase: 'write', dataset, done: count, total: count });
    results.push({ dataset, files, rows: count, bytes, ms: round(performance.now() - t0) });
  };
  try {
    const { users, boards, pins } = world;
    await write(
      'users',
      'users_stage',
      { country: users.country, ts: users.createdAt },
      users.count,
      users.count,
    );
    const boardColumns = {
      owner: boards.owner,
      truecat: boards.trueCategory,
      assignedcat: boards.assignedCategory,
      ts: boards.createdAt,
    };
    await write('boards', 'boards_stage', boardColumns, boards.count, boards.count);
    // board_truth reads the staging table boards just left behind.
    await write('board_truth', 'boards_stage', {}, boards.count, boards.count);
    const pinColumns = {
      board: pins.board,
      pinner: pins.pinner,
      parent: pins.parent,
      root: pins.root,
      img: pins.image,
      cat: pins.category,
      ts: pins.createdAt,
    };
    await write('pins', 'pins_stage', pinColumns, pins.count, PINS_PER_PART);
  } finally {
    closeDuck(duck);
  }
  return results;
}

/** Moves the staged datasets into place and writes the manifest last. */
function commit(
  dataDir: string,
  date: string,
  staging: string,
  summary: GenSummary,
  finishTimings: () => void,
): void {
  const manifestPath = rawManifestPath(dataDir, date);
  const trash = join(staging, 'replaced');
  mkdirSync(trash, { recursive: true });
  // From here until the new manifest exists, the date is invisible (incomplete), never mixed.
  rmSync(manifestPath, { force: true });
  for (const { dataset } of summary.datasets) {
    const target = rawDir(dataDir, dataset, date);
    if (existsSync(target)) renameSync(target, join(trash, dataset));
    mkdirSync(dirname(target), { recursive: true });
    renameSync(join(staging, dataset), target);
  }
  finishTimings();
  const { dataDir: _omitted, ...portable } = summary;
  const manifest: RawManifest = { ...portable, createdAt: new Date().toISOString() };
  mkdirSync(dirname(manifestPath), { recursive: true });
  const tmp = join(staging, 'manifest.json');
  writeFileSync(tmp, `${JSON.stringify(manifest, null, 2)}\n`);
  renameSync(tmp, manifestPath);
}
