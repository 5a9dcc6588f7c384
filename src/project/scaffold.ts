/**
 * `disco init [DIR]`: scaffold a project — `disco.yaml` with the defaults spelled out, and `plans/`
 * with the example plans, custom processors and the plan JSON Schema shipped in the package.
 * Existing files are never overwritten unless `force` is set: a re-run fills in what is missing.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { UserError } from '../errors/index.js';
import { CONFIG_FILE } from './config.js';
import { packageRoot } from './package-root.js';

export const DEFAULT_CONFIG_TEXT = `# discokit project configuration. Every key is optional; these are the built-in defaults.
data: .disco                 # data directory (raw data, warehouse versions, tier files)
plans: plans                 # where plan names are looked up
tiers:
  prod:    { capacity_bytes: 1073741824, p99_ms: 2 }     # SQLite, light joins
  batch:   { capacity_bytes: 8589934592, p99_ms: 100 }   # DuckDB file, light joins + derived
  archive: { p99_ms: 5000 }                              # Parquet, everything, unlimited
  debug:   { p99_ms: 200 }                               # sorted Parquet, key lookups
`;

export interface ScaffoldResult {
  dir: string;
  created: string[];
  skipped: string[];
}

export function scaffoldProject(targetDir: string, options: { force?: boolean } = {}): ScaffoldResult {
  const dir = resolve(targetDir);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new UserError(`cannot create the project folder ${dir}: ${(error as Error).message}`, {
      code: 'unwritable-dir',
      exit: 1,
      hint: 'choose a folder you can write to',
    });
  }
  const result: ScaffoldResult = { dir, created: [], skipped: [] };
  const place = (path: string, write: () => void) => {
    const rel = relative(dir, path);
    if (existsSync(path) && !options.force) {
      result.skipped.push(rel);
      return;
    }
    write();
    result.created.push(rel);
  };
  place(join(dir, CONFIG_FILE), () => writeFileSync(join(dir, CONFIG_FILE), DEFAULT_CONFIG_TEXT));
  copyTree(join(packageRoot(), 'plans'), join(dir, 'plans'), place);
  return result;
}

function copyTree(from: string, to: string, place: (path: string, write: () => void) => void): void {
  if (!existsSync(from)) return;
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from).sort()) {
    const source = join(from, name);
    const target = join(to, name);
    if (statSync(source).isDirectory()) copyTree(source, target, place);
    else place(target, () => copyFileSync(source, target));
  }
}
