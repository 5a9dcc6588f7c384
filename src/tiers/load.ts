/**
 * `disco tiers load`: loads a complete warehouse version into every tier.
 *
 * Each tier builds the new version BESIDE the one it serves (prod and batch: a new database file;
 * archive: a registration of the version's Parquet folders; debug: the same, plus its own copy of
 * the joins in small files, in a new directory), then the capacity of every
 * tier is checked, and only then does each tier switch, by atomically renaming its state file.
 * A crash (even `kill -9`) before a tier's rename leaves that tier on its previous version; stray
 * files of an interrupted load are removed by the next load.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CATALOG } from '../catalog/catalog.js';
import type { Dataset, TierName } from '../catalog/types.js';
import { TIER_NAMES } from '../catalog/types.js';
import { isUserError, UserError } from '../errors/index.js';
import type { ProjectConfig } from '../project/config.js';
import { formatVersion, rawDir, tierDir, type VersionId } from '../project/layout.js';
import {
  latestVersion,
  listVersions,
  readVersionManifest,
  type VersionManifest,
} from '../project/versions.js';
import { buildBatchFile } from './batch.js';
import { DuckSession, parquetFileRows } from './duck.js';
import { acquireLoadLock } from './lock.js';
import { debugCopies, parquetFiles, writeDebugCopy } from './parquet.js';
import { type BuildInput, buildProdFile } from './prod-build.js';
import { readTierState, type SlotDataset, type TierSlot, writeTierState } from './state.js';

export type LoadEvent =
  | { type: 'tier-start'; tier: TierName }
  | { type: 'dataset'; tier: TierName; dataset: string; rows: number }
  | { type: 'tier-built'; tier: TierName; bytes: number; ms: number }
  | { type: 'tier-switched'; tier: TierName; version: string };

export interface LoadOptions {
  config: ProjectConfig;
  version?: VersionId | undefined;
  onProgress?: ((event: LoadEvent) => void) | undefined;
  /** Test hook: called after building, before switching (e.g. to simulate a crash). */
  beforeSwitch?: (() => void | Promise<void>) | undefined;
}

export interface TierLoadResult {
  tier: TierName;
  version: string;
  bytes: number;
  capacity_bytes: number | null;
  records: number;
  ms: number;
  datasets: Array<{ dataset: string; rows: number; bytes: number }>;
}

export interface LoadResult {
  version: string;
  tiers: TierLoadResult[];
}

interface Candidate {
  tier: TierName;
  slot: TierSlot;
  /** Temporary file to rename into place before switching (prod, batch). */
  built?: { tmp: string; final: string };
  bytes: number;
  ms: number;
}

/** The version to load: the one given (checked) or the newest complete one. */
export function resolveVersion(
  dataDir: string,
  version?: VersionId,
): { id: VersionId; manifest: VersionManifest } {
  const id = version ?? latestVersion(dataDir);
  if (!id) {
    throw new UserError('there is no complete warehouse version to load', {
      code: 'no-version',
      exit: 1,
      where: join(dataDir, 'warehouse'),
      hint: "run 'disco gen' and 'disco jobs run' first",
    });
  }
  const manifest = readVersionManifest(dataDir, id);
  if (!manifest) {
    const known = listVersions(dataDir).map(formatVersion);
    throw new UserError(`version ${formatVersion(id)} does not exist (or is not complete)`, {
      code: 'unknown-version',
      exit: 2,
      hint:
        known.length > 0 ? `complete versions: ${known.slice(-10).join(', ')}` : "run 'disco jobs run' first",
    });
  }
  return { id, manifest };
}

export async function loadTiers(options: LoadOptions): Promise<LoadResult> {
  const { config, onProgress } = options;
  const dataDir = config.dataDir;
  const { id, manifest } = resolveVersion(dataDir, options.version);
  const version = formatVersion(id);
  const release = acquireLoadLock(dataDir, 'load');
  const candidates: Candidate[] = [];
  let duck: DuckSession | undefined;
  try {
    duck = await DuckSession.open(':memory:');
    removeStrayFiles(dataDir);
    const inputs = (tier: TierName): BuildInput[] =>
      warehouseDatasets(manifest)
        .filter(({ dataset }) => dataset.tiers.includes(tier))
        .map(({ dataset, path, fromVersion }) => ({
          dataset,
          files: requireFiles(dataDir, path, dataset.name, version),
          version: fromVersion,
        }));
    const stamp = `${id.date}-${id.iteration}-${Date.now().toString(36)}`;
    const loadedAt = new Date().toISOString();

    // prod: a new SQLite file beside the served one.
    {
      onProgress?.({ type: 'tier-start', tier: 'prod' });
      const t0 = performance.now();
      const final = `prod-${stamp}.sqlite`;
      const tmp = join(tierDir(dataDir, 'prod'), `building-${process.pid}.sqlite`);
      ensureDir(tierDir(dataDir, 'prod'));
      const datasets = await buildProdFile(
        tmp,
        inputs('prod'),
        duck.instance,
        (p) => onProgress?.({ type: 'dataset', tier: 'prod', ...p }),
        config.tiers.prod.capacityBytes,
      );
      const bytes = fileSize(tmp);
      const ms = performance.now() - t0;
      candidates.push({
        tier: 'prod',
        slot: { version, loadedAt, file: final, datasets },
        built: { tmp, final },
        bytes,
        ms,
      });
      onProgress?.({ type: 'tier-built', tier: 'prod', bytes, ms });
    }
    // batch: a new DuckDB file beside the served one.
    {
      onProgress?.({ type: 'tier-start', tier: 'batch' });
      const t0 = performance.now();
      const final = `batch-${stamp}.duckdb`;
      const tmp = join(tierDir(dataDir, 'batch'), `building-${process.pid}.duckdb`);
      ensureDir(tierDir(dataDir, 'batch'));
      const datasets = await buildBatchFile(tmp, inputs('batch'), (p) =>
        onProgress?.({ type: 'dataset', tier: 'batch', ...p }),
      );
      const bytes = fileSize(tmp);
      const ms = performance.now() - t0;
      candidates.push({
        tier: 'batch',
        slot: { version, loadedAt, file: final, datasets },
        built: { tmp, final },
        bytes,
        ms,
      });
      onProgress?.({ type: 'tier-built', tier: 'batch', bytes, ms });
    }
    // archive and debug: register the version's folders (and the raw data of its date).
    for (const tier of ['archive', 'debug'] as const) {
      onProgress?.({ type: 'tier-start', tier });
      const t0 = performance.now();
      const datasets: Record<string, SlotDataset> = {};
      let built: Candidate['built'];
      for (const { dataset, path, fromVersion, rows, bytes } of warehouseDatasets(manifest)) {
        if (!dataset.tiers.includes(tier)) continue;
        const files = requireFiles(dataDir, path, dataset.name, version);
        if (tier === 'debug' && debugCopies(dataset)) {
          // debug's own copy in small files (see parquet.ts), built beside, switched by rename.
          built ??= {
            tmp: join(tierDir(dataDir, 'debug'), `building-${process.pid}`),
            final: `debug-${stamp}`,
          };
          ensureDir(built.tmp);
          const copied = await writeDebugCopy(files, join(built.tmp, dataset.name), dataset);
          const finalPath = relative(dataDir, join(tierDir(dataDir, 'debug'), built.final, dataset.name));
          datasets[dataset.name] = { version: fromVersion, rows, bytes: copied, path: finalPath };
          onProgress?.({ type: 'dataset', tier, dataset: dataset.name, rows });
          continue;
        }
        datasets[dataset.name] = { version: fromVersion, rows, bytes, path };
      }
      for (const dataset of CATALOG.datasets) {
        if (dataset.kind !== 'raw' || !dataset.tiers.includes(tier)) continue;
        const dir = rawDir(dataDir, dataset.name, id.date);
        const files = parquetFiles(dataDir, relative(dataDir, dir));
        if (files.length === 0) continue; // raw data of that date was removed: the joins still load
        datasets[dataset.name] = {
          version,
          rows: [...(await parquetFileRows(duck.connection, files)).values()].reduce((a, b) => a + b, 0),
          bytes: files.reduce((s, f) => s + fileSize(f), 0),
          path: relative(dataDir, dir),
        };
      }
      const bytes = Object.values(datasets).reduce((s, d) => s + d.bytes, 0);
      const ms = performance.now() - t0;
      candidates.push({
        tier,
        slot: { version, loadedAt, datasets },
        ...(built ? { built } : {}),
        bytes,
        ms,
      });
      onProgress?.({ type: 'tier-built', tier, bytes, ms });
    }

    // Capacity: every tier must fit before any tier switches.
    const tooBig = candidates.filter((c) => {
      const cap = config.tiers[c.tier].capacityBytes;
      return cap !== null && c.bytes > cap;
    });
    if (tooBig.length > 0) {
      const lines = tooBig.map(
        (c) =>
          `${c.tier} needs ${formatBytes(c.bytes)} (${c.bytes} bytes) but its capacity is ${formatBytes(config.tiers[c.tier].capacityBytes!)} (${config.tiers[c.tier].capacityBytes} bytes)`,
      );
      throw new UserError(
        `version ${version} does not fit: ${lines.join('; ')}; the tiers keep their current version`,
        {
          code: 'capacity-exceeded',
          exit: 1,
          hint: `raise tiers.${tooBig[0]!.tier}.capacity_bytes in disco.yaml, or load a smaller version`,
        },
      );
    }

    await options.beforeSwitch?.();
    // Switch: rename the built file to its final name, then atomically replace the state file.
    for (const c of candidates) {
      if (c.built) renameSync(c.built.tmp, join(tierDir(dataDir, c.tier), c.built.final));
      const old = readTierStateSafe(dataDir, c.tier);
      writeTierState(dataDir, { tier: c.tier, current: c.slot, previous: old });
      onProgress?.({ type: 'tier-switched', tier: c.tier, version });
    }
    removeUnreferencedFiles(dataDir);
    return {
      version,
      tiers: candidates.map((c) => ({
        tier: c.tier,
        version,
        bytes: c.bytes,
        capacity_bytes: config.tiers[c.tier].capacityBytes,
        records: Object.values(c.slot.datasets).reduce((s, d) => s + d.rows, 0),
        ms: Math.round(c.ms),
        datasets: Object.entries(c.slot.datasets).map(([dataset, d]) => ({
          dataset,
          rows: d.rows,
          bytes: d.bytes,
        })),
      })),
    };
  } catch (error) {
    throw unreadableVersion(error, version, dataDir);
  } finally {
    duck?.close();
    for (const c of candidates) if (c.built) rmSync(c.built.tmp, { force: true, recursive: true });
    for (const tier of ['prod', 'batch'] as const) {
      for (const suffix of ['', '-wal', '-shm', '.wal']) {
        const ext = tier === 'prod' ? 'sqlite' : 'duckdb';
        rmSync(join(tierDir(dataDir, tier), `building-${process.pid}.${ext}${suffix}`), { force: true });
      }
    }
    release();
  }
}

interface WarehouseDataset {
  dataset: Dataset;
  path: string;
  fromVersion: string;
  rows: number;
  bytes: number;
}

function warehouseDatasets(manifest: VersionManifest): WarehouseDataset[] {
  const out: WarehouseDataset[] = [];
  for (const [name, entry] of Object.entries(manifest.datasets)) {
    const dataset = CATALOG.find(name);
    if (!dataset) continue; // a project's own dataset: not held by the built-in tiers
    out.push({
      dataset,
      path: entry.path,
      fromVersion: entry.carriedFrom ?? manifest.version,
      rows: entry.rows,
      bytes: entry.bytes,
    });
  }
  return out;
}

/**
 * A warehouse file DuckDB cannot read (truncated, not Parquet) is the version's fault, not a bug:
 * the user gets what DuckDB said, and how to get a good version. Anything else passes through.
 */
function unreadableVersion(error: unknown, version: string, dataDir: string): unknown {
  const message = (error as Error | undefined)?.message ?? '';
  if (isUserError(error) || !/^(IO|Invalid Input) Error: /.test(message)) return error;
  return new UserError(
    `version ${version} cannot be read: ${message}; the tiers keep their current version`,
    {
      code: 'version-unreadable',
      exit: 1,
      where: join(dataDir, 'warehouse'),
      hint: "re-run 'disco jobs run' to write a new version, or load another with --version",
    },
  );
}

function requireFiles(dataDir: string, path: string, dataset: string, version: string): string[] {
  const files = parquetFiles(dataDir, path);
  if (files.length === 0) {
    throw new UserError(`version ${version} lists ${dataset} at ${path}, but it has no Parquet files there`, {
      code: 'version-incomplete',
      exit: 1,
      where: join(dataDir, path),
      hint: "re-run 'disco jobs run' for that date",
    });
  }
  return files;
}

function readTierStateSafe(dataDir: string, tier: TierName): TierSlot | null {
  try {
    return readTierState(dataDir, tier).current;
  } catch {
    return null; // a corrupt state is replaced by the new load; nothing to roll back to
  }
}

/** Files of prod and batch, and debug's copies, that neither the current nor the previous slot names. */
export function removeUnreferencedFiles(dataDir: string): void {
  const debugDir = tierDir(dataDir, 'debug');
  if (existsSync(debugDir)) {
    try {
      const state = readTierState(dataDir, 'debug');
      const keep = new Set<string>();
      for (const slot of [state.current, state.previous]) {
        for (const d of Object.values(slot?.datasets ?? {})) {
          const rel = relative(debugDir, join(dataDir, d.path ?? ''));
          if (!rel.startsWith('..')) keep.add(rel.split(/[\\/]/)[0]!);
        }
      }
      for (const name of readdirSync(debugDir)) {
        if (/^debug-/.test(name) && !keep.has(name))
          rmSync(join(debugDir, name), { force: true, recursive: true });
      }
    } catch {
      // corrupt state: delete nothing
    }
  }
  for (const tier of ['prod', 'batch'] as const) {
    const dir = tierDir(dataDir, tier);
    if (!existsSync(dir)) continue;
    let keep = new Set<string>();
    try {
      const state = readTierState(dataDir, tier);
      keep = new Set([state.current?.file, state.previous?.file].filter((f): f is string => !!f));
    } catch {
      continue; // corrupt state: delete nothing
    }
    for (const name of readdirSync(dir)) {
      if (!/^(prod|batch)-.*\.(sqlite|duckdb)(-wal|-shm|\.wal)?$/.test(name)) continue;
      const base = name.replace(/(-wal|-shm|\.wal)$/, '');
      if (!keep.has(base)) rmSync(join(dir, name), { force: true });
    }
  }
}

/** Leftovers of a load that was killed (its lock was stale, so nobody is writing them). */
function removeStrayFiles(dataDir: string): void {
  for (const tier of TIER_NAMES) {
    const dir = tierDir(dataDir, tier);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      if (name.startsWith('building-') || name.startsWith('state.json.tmp-'))
        rmSync(join(dir, name), { force: true, recursive: true });
    }
  }
}

function ensureDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v < 10 && u > 0 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}
