/**
 * The contract between the workflow (which writes versions) and everything that reads them
 * (tiers, debug key, demo). A version `dt=DATE/iter=N` is visible iff its manifest exists; the
 * manifest is written last, atomically (write to a temp file, then rename).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DateString, VersionId } from './layout.js';
import { formatVersion, versionManifestPath } from './layout.js';

export interface DatasetOutput {
  /** Folder of the dataset's Parquet files, relative to the data directory. Carried-over
   *  datasets point at the iteration that produced them (no copy). */
  path: string;
  rows: number;
  bytes: number;
  /** Hash of the dataset's column names and types, to detect schema drift. */
  schemaFingerprint: string;
  /** The job that wrote it. */
  job: string;
  /** `DATE/N` of the version that produced it, when carried over from an earlier iteration. */
  carriedFrom?: string;
}

export interface JobRecord {
  job: string;
  state: 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped';
  startedAt: string | null;
  durationMs: number | null;
  rows: number | null;
  error: string | null;
  /** True when the job's outputs were carried over from the previous iteration (`--only`). */
  carried?: boolean;
}

export interface VersionManifest {
  /** `DATE/N` */
  version: string;
  date: DateString;
  iteration: number;
  createdAt: string;
  datasets: Record<string, DatasetOutput>;
  jobs: JobRecord[];
  /** Data-quality results and the category correction's precision/recall. */
  quality: Record<string, unknown>;
  /** Hash of the raw manifest the version was built from (to refuse mixing raw generations). */
  rawFingerprint?: string;
}

/** Complete versions, oldest first. */
export function listVersions(dataDir: string): VersionId[] {
  const root = join(dataDir, 'warehouse', '_manifests');
  if (!existsSync(root)) return [];
  const versions: VersionId[] = [];
  for (const dtDir of readdirSync(root)) {
    const date = /^dt=(\d{4}-\d{2}-\d{2})$/.exec(dtDir)?.[1];
    if (!date) continue;
    for (const file of readdirSync(join(root, dtDir))) {
      const iter = /^iter=(\d+)\.json$/.exec(file)?.[1];
      if (iter) versions.push({ date: date as DateString, iteration: Number(iter) });
    }
  }
  return versions.sort((a, b) => a.date.localeCompare(b.date) || a.iteration - b.iteration);
}

export function latestVersion(dataDir: string): VersionId | undefined {
  return listVersions(dataDir).at(-1);
}

export function readVersionManifest(dataDir: string, version: VersionId): VersionManifest | undefined {
  const path = versionManifestPath(dataDir, version);
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, 'utf8')) as VersionManifest;
}

export { formatVersion };
