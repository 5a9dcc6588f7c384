/**
 * `disco.yaml`: the optional project configuration (SPEC §1). Loaded once at the edge, checked
 * with exact positions (file:line:col, did-you-mean for unknown keys), and turned into a typed
 * {@link ProjectConfig} that the rest of the code trusts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { type FieldType, parseTypeName, TIER_NAMES, type TierName } from '../catalog/types.js';
import type { Diagnostic, DiagnosticPath } from '../diagnostics/diagnostic.js';
import { formatDiagnosticLine } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import { locate, parseYaml, type YamlSource } from '../diagnostics/yaml-source.js';
import { UserError } from '../errors/index.js';

export const CONFIG_FILE = 'disco.yaml';

export interface TierProfile {
  /** Space budget a load must fit; null means unlimited. */
  capacityBytes: number | null;
  /** The p99 latency estimate static checks use for one call to this tier. */
  p99Ms: number;
}

/** A project's own SQL job (issue: custom jobs), declared in `disco.yaml` under `jobs:`. */
export interface CustomJobConfig {
  name: string;
  /** Absolute path of the SQL file. */
  sqlFile: string;
  /** Datasets the query reads; each is visible to the SQL as a view of that name. */
  inputs: string[];
  output: { dataset: string; key: string[]; fields: Array<{ name: string; type: FieldType }> };
}

export interface ProjectConfig {
  projectDir: string;
  /** The `disco.yaml` that was read, if any. */
  configFile: string | undefined;
  dataDir: string;
  plansDir: string;
  tiers: Record<TierName, TierProfile>;
  jobs: CustomJobConfig[];
}

export const DEFAULT_TIER_PROFILES: Readonly<Record<TierName, TierProfile>> = {
  prod: { capacityBytes: 1_073_741_824, p99Ms: 2 },
  batch: { capacityBytes: 8_589_934_592, p99Ms: 100 },
  archive: { capacityBytes: null, p99Ms: 5000 },
  debug: { capacityBytes: null, p99Ms: 200 },
};

export interface LoadConfigOptions {
  /** `--data DIR`: overrides `data:` in disco.yaml. */
  dataDir?: string | undefined;
}

/** Reads `disco.yaml` in `projectDir` if present; built-in defaults otherwise. */
export function loadProjectConfig(projectDir: string, options: LoadConfigOptions = {}): ProjectConfig {
  const dir = resolve(projectDir);
  const file = join(dir, CONFIG_FILE);
  const config = existsSync(file)
    ? parseProjectConfig(readFileSync(file, 'utf8'), file, dir)
    : defaultConfig(dir, undefined);
  if (options.dataDir !== undefined) config.dataDir = resolve(options.dataDir);
  return config;
}

function defaultConfig(projectDir: string, configFile: string | undefined): ProjectConfig {
  return {
    projectDir,
    configFile,
    dataDir: join(projectDir, '.disco'),
    plansDir: join(projectDir, 'plans'),
    tiers: structuredClone(DEFAULT_TIER_PROFILES) as Record<TierName, TierProfile>,
    jobs: [],
  };
}

/** Parses and checks the text of a `disco.yaml`; throws one UserError listing every problem. */
export function parseProjectConfig(text: string, file: string, projectDir: string): ProjectConfig {
  const parsed = parseYaml(text, file);
  const config = defaultConfig(projectDir, file);
  const diagnostics = [...parsed.diagnostics];
  // An empty disco.yaml is fine: all keys are optional.
  const onlyEmpty = diagnostics.length === 1 && diagnostics[0]?.code === 'empty-file';
  if (onlyEmpty) return config;
  if (diagnostics.length === 0 && parsed.source) {
    new ConfigReader(parsed.source, diagnostics).read(parsed.value, config);
  }
  if (diagnostics.length > 0) {
    const first = diagnostics[0]!;
    throw new UserError(`invalid ${CONFIG_FILE}:\n${diagnostics.map(formatDiagnosticLine).join('\n')}`, {
      code: first.code,
      exit: 2,
      where: `${first.file}:${first.line}:${first.column}`,
      hint: `fix ${CONFIG_FILE} (every key is optional; see the README's "disco.yaml" section)`,
    });
  }
  return config;
}

const TOP_KEYS = ['data', 'plans', 'tiers', 'jobs'] as const;
const TIER_KEYS = ['capacity_bytes', 'p99_ms'] as const;
const JOB_KEYS = ['sql', 'inputs', 'output'] as const;
const OUTPUT_KEYS = ['dataset', 'key', 'fields'] as const;

/** Walks the plain value with the YAML source at hand, so each problem gets its position. */
class ConfigReader {
  constructor(
    private readonly source: YamlSource,
    private readonly diagnostics: Diagnostic[],
  ) {}

  read(value: unknown, config: ProjectConfig): void {
    const top = this.mapping(value, [], 'disco.yaml must be a mapping of keys to values');
    if (!top) return;
    this.knownKeys(top, [], TOP_KEYS);
    const data = this.string(top['data'], ['data']);
    if (data !== undefined) config.dataDir = resolvePath(config.projectDir, data);
    const plans = this.string(top['plans'], ['plans']);
    if (plans !== undefined) config.plansDir = resolvePath(config.projectDir, plans);
    if (top['tiers'] !== undefined) this.readTiers(top['tiers'], config);
    if (top['jobs'] !== undefined) this.readJobs(top['jobs'], config);
  }

  private readTiers(value: unknown, config: ProjectConfig): void {
    const tiers = this.mapping(value, ['tiers'], "'tiers' must be a mapping of tier names to profiles");
    if (!tiers) return;
    this.knownKeys(tiers, ['tiers'], TIER_NAMES);
    for (const tier of TIER_NAMES) {
      if (tiers[tier] === undefined) continue;
      const path = ['tiers', tier];
      const profile = this.mapping(tiers[tier], path, `'tiers.${tier}' must be a mapping`);
      if (!profile) continue;
      this.knownKeys(profile, path, TIER_KEYS);
      const capacity = this.number(profile['capacity_bytes'], [...path, 'capacity_bytes'], { integer: true });
      if (capacity !== undefined) config.tiers[tier].capacityBytes = capacity;
      const p99 = this.number(profile['p99_ms'], [...path, 'p99_ms'], { integer: false });
      if (p99 !== undefined) config.tiers[tier].p99Ms = p99;
    }
  }

  private readJobs(value: unknown, config: ProjectConfig): void {
    const jobs = this.mapping(value, ['jobs'], "'jobs' must be a mapping of job names to definitions");
    if (!jobs) return;
    for (const [name, def] of Object.entries(jobs)) {
      const path = ['jobs', name];
      if (!/^[a-z][a-z0-9_]*$/.test(name)) {
        this.report(path, 'invalid-name', `job name '${name}' must match [a-z][a-z0-9_]*`, 'key');
      }
      const job = this.mapping(def, path, `'jobs.${name}' must be a mapping with sql, inputs and output`);
      if (!job) continue;
      this.knownKeys(job, path, JOB_KEYS);
      const sql = this.required(job, path, 'sql') ? this.string(job['sql'], [...path, 'sql']) : undefined;
      const inputs = this.stringList(job['inputs'], [...path, 'inputs']) ?? [];
      const output = this.required(job, path, 'output')
        ? this.mapping(job['output'], [...path, 'output'], "'output' must be a mapping")
        : undefined;
      if (!output) continue;
      const outPath = [...path, 'output'];
      this.knownKeys(output, outPath, OUTPUT_KEYS);
      const dataset = this.required(output, outPath, 'dataset')
        ? this.string(output['dataset'], [...outPath, 'dataset'])
        : undefined;
      const key = this.required(output, outPath, 'key')
        ? this.stringList(output['key'], [...outPath, 'key'])
        : undefined;
      const fields = this.required(output, outPath, 'fields')
        ? this.fieldTypes(output['fields'], [...outPath, 'fields'])
        : undefined;
      if (sql === undefined || dataset === undefined || key === undefined || fields === undefined) continue;
      for (const [i, k] of key.entries()) {
        if (!fields.some((f) => f.name === k)) {
          this.report(
            [...outPath, 'key', i],
            'unknown-field',
            `key '${k}' is not one of the declared fields${didYouMean(
              k,
              fields.map((f) => f.name),
            )}`,
          );
        }
      }
      config.jobs.push({
        name,
        sqlFile: resolvePath(config.projectDir, sql),
        inputs,
        output: { dataset, key, fields },
      });
    }
  }

  private fieldTypes(
    value: unknown,
    path: DiagnosticPath,
  ): Array<{ name: string; type: FieldType }> | undefined {
    const map = this.mapping(
      value,
      path,
      "'fields' must map field names to types such as int or list<string>",
    );
    if (!map) return undefined;
    const out: Array<{ name: string; type: FieldType }> = [];
    for (const [name, typeText] of Object.entries(map)) {
      const type = typeof typeText === 'string' ? parseTypeName(typeText) : undefined;
      if (type === undefined) {
        this.report(
          [...path, name],
          'invalid-type',
          `field '${name}' has type ${JSON.stringify(typeText)}; expected int, float, string, bool, timestamp or list<...>`,
        );
      } else {
        out.push({ name, type });
      }
    }
    return out;
  }

  private mapping(
    value: unknown,
    path: DiagnosticPath,
    message: string,
  ): Record<string, unknown> | undefined {
    if (value !== null && typeof value === 'object' && !Array.isArray(value))
      return value as Record<string, unknown>;
    this.report(path, 'wrong-type', message);
    return undefined;
  }

  private knownKeys(map: Record<string, unknown>, path: DiagnosticPath, known: readonly string[]): void {
    for (const key of Object.keys(map)) {
      if (!known.includes(key)) {
        this.report(
          [...path, key],
          'unknown-key',
          `unknown key '${key}'${didYouMean(key, known)} (expected one of: ${known.join(', ')})`,
          'key',
        );
      }
    }
  }

  private required(map: Record<string, unknown>, path: DiagnosticPath, key: string): boolean {
    if (map[key] !== undefined) return true;
    this.report(path, 'missing-key', `missing required key '${key}'`, 'key');
    return false;
  }

  private string(value: unknown, path: DiagnosticPath): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value === 'string' && value.trim() !== '') return value;
    this.report(path, 'wrong-type', `'${path.join('.')}' must be a non-empty string, not ${describe(value)}`);
    return undefined;
  }

  private stringList(value: unknown, path: DiagnosticPath): string[] | undefined {
    if (value === undefined) return undefined;
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
    this.report(path, 'wrong-type', `'${path.join('.')}' must be a list of strings, not ${describe(value)}`);
    return undefined;
  }

  private number(
    value: unknown,
    path: DiagnosticPath,
    { integer }: { integer: boolean },
  ): number | undefined {
    if (value === undefined) return undefined;
    if (
      typeof value === 'number' &&
      Number.isFinite(value) &&
      value > 0 &&
      (!integer || Number.isInteger(value))
    ) {
      return value;
    }
    const what = integer ? 'a positive integer' : 'a positive number';
    this.report(path, 'wrong-type', `'${path.join('.')}' must be ${what}, not ${describe(value)}`);
    return undefined;
  }

  private report(path: DiagnosticPath, code: string, message: string, part: 'key' | 'value' = 'value'): void {
    const range = locate(this.source, path, part);
    this.diagnostics.push({ file: this.source.file, ...range, severity: 'error', code, path, message });
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function resolvePath(projectDir: string, path: string): string {
  return isAbsolute(path) ? path : resolve(projectDir, path);
}
