/**
 * Where things live under the data directory (SPEC §2). Every module that reads or writes the
 * data directory goes through these functions, so the layout is defined in one place:
 *
 *   DATA/raw/DATASET/dt=DATE/                   generator output (Parquet)
 *   DATA/raw/_manifests/dt=DATE.json            written last: a raw date is complete iff it exists
 *   DATA/warehouse/DATASET/dt=DATE/iter=N/      workflow outputs (Parquet, sorted by key)
 *   DATA/warehouse/_manifests/dt=DATE/iter=N.json  written last: a version is visible iff it exists
 *   DATA/warehouse/_runs/dt=DATE/RUN.json       one record per workflow run (failed runs too)
 *   DATA/tiers/TIER/                            tier state (SQLite and DuckDB files, tier manifests)
 *   DATA/tmp/                                   staging for atomic writes (same filesystem as the rest)
 */
import { join } from 'node:path';

/** `YYYY-MM-DD`, validated at the edge. */
export type DateString = string & { readonly __brand: 'DateString' };

/** A workflow version: `dt=DATE/iter=N`, shown to users as `DATE/N`. */
export interface VersionId {
  date: DateString;
  iteration: number;
}

export function formatVersion(v: VersionId): string {
  return `${v.date}/${v.iteration}`;
}

export function rawDir(dataDir: string, dataset: string, date: string): string {
  return join(dataDir, 'raw', dataset, `dt=${date}`);
}

export function rawManifestPath(dataDir: string, date: string): string {
  return join(dataDir, 'raw', '_manifests', `dt=${date}.json`);
}

export function warehouseDir(dataDir: string, dataset: string, version: VersionId): string {
  return join(dataDir, 'warehouse', dataset, `dt=${version.date}`, `iter=${version.iteration}`);
}

export function versionManifestPath(dataDir: string, version: VersionId): string {
  return join(dataDir, 'warehouse', '_manifests', `dt=${version.date}`, `iter=${version.iteration}.json`);
}

/** Records of workflow runs (also failed ones, which publish no version), for `disco jobs status`. */
export function runLogDir(dataDir: string, date: string): string {
  return join(dataDir, 'warehouse', '_runs', `dt=${date}`);
}

export function tierDir(dataDir: string, tier: string): string {
  return join(dataDir, 'tiers', tier);
}

export function tmpDir(dataDir: string): string {
  return join(dataDir, 'tmp');
}
