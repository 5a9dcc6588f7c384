/**
 * `disco demo`: the whole stack end to end in one folder — scaffold (as `disco init`), generate,
 * run the offline workflow, load the tiers, validate the example plans, run `related-pins` for a
 * real key, and bench it briefly. Each stage reports start, progress and a one-line result through
 * `onEvent`, so the command can draw it live in a terminal or as plain lines in CI.
 *
 * A second run reuses what is there: the raw data is kept (unless `regenerate`), the workflow runs
 * a new iteration, and the tiers switch to it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { BenchReport } from '../bench/report.js';
import { UserError } from '../errors/index.js';
import { loadProjectConfig, type ProjectConfig } from '../project/config.js';
import { today } from '../project/dates.js';
import { rawManifestPath } from '../project/layout.js';
import { scaffoldProject } from '../project/scaffold.js';

export const DEMO_STAGES = ['scaffold', 'generate', 'workflow', 'tiers', 'validate', 'run', 'bench'] as const;
export type DemoStage = (typeof DEMO_STAGES)[number];

export type DemoEvent =
  | { kind: 'start'; stage: DemoStage; index: number; total: number; what: string }
  | { kind: 'progress'; stage: DemoStage; text: string; fraction?: number | undefined }
  | { kind: 'done'; stage: DemoStage; summary: string; ms: number; reused: boolean };

export interface DemoOptions {
  dir: string;
  scale?: 'tiny' | 'small' | undefined;
  regenerate?: boolean | undefined;
  /** Seconds of bench (default 3) at `benchRate` req/s (default 500), after 1 s of warm-up. */
  benchSeconds?: number | undefined;
  benchRate?: number | undefined;
  /** The plan the demo runs and benches (default `related-pins`). */
  plan?: string | undefined;
  dataDir?: string | undefined;
  onEvent?: ((event: DemoEvent) => void) | undefined;
}

export interface DemoStageResult {
  stage: DemoStage;
  summary: string;
  ms: number;
  reused: boolean;
}

export interface DemoResult {
  dir: string;
  dataDir: string;
  version: string;
  stages: DemoStageResult[];
  plan: { name: string; file: string | undefined; key: string | number; params: Record<string, unknown> };
  /** The SPEC §4 response of the single run, with its timings. */
  response: unknown;
  bench: BenchReport;
}

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const dir = resolve(options.dir);
  const scale = options.scale ?? 'small';
  const planName = options.plan ?? 'related-pins';
  const emit = options.onEvent ?? (() => {});
  const stages: DemoStageResult[] = [];
  let index = 0;
  const stage = async <T>(
    name: DemoStage,
    what: string,
    work: () => Promise<{ value: T; summary: string; reused?: boolean }>,
  ): Promise<T> => {
    emit({ kind: 'start', stage: name, index: ++index, total: DEMO_STAGES.length, what });
    const started = performance.now();
    const { value, summary, reused = false } = await work();
    const ms = Math.round(performance.now() - started);
    stages.push({ stage: name, summary, ms, reused });
    emit({ kind: 'done', stage: name, summary, ms, reused });
    return value;
  };
  const progress = (name: DemoStage) => (text: string, fraction?: number) =>
    emit({ kind: 'progress', stage: name, text, fraction });

  // 1. scaffold
  const config = await stage('scaffold', `project in ${dir}`, async () => {
    const fresh = !existsSync(dir) || readdirSync(dir).filter((f) => !f.startsWith('.')).length === 0;
    const missingPlan = !existsSync(join(dir, 'plans', `${planName}.yaml`));
    let summary = 'using the existing project';
    if (fresh || missingPlan) {
      const result = scaffoldProject(dir);
      summary = `${fresh ? 'scaffolded' : 'completed'} the project: ${result.created.length} file(s) created`;
    }
    const cfg = loadProjectConfig(dir, { dataDir: options.dataDir });
    return { value: cfg, summary, reused: !fresh && !missingPlan };
  });

  // 2. generate
  const date = await stage('generate', `${scale} synthetic data set`, async () => {
    const { generateRawData } = await import('../gen/index.js');
    const existing = newestRawDate(config);
    if (existing && !options.regenerate) {
      const manifest = JSON.parse(readFileSync(rawManifestPath(config.dataDir, existing), 'utf8')) as {
        scale?: string;
        datasets?: Array<{ dataset: string; rows: number }>;
      };
      if (manifest.scale === scale) {
        return {
          value: existing,
          summary: `reusing raw data of ${existing} (${describeRows(manifest.datasets)}); --regenerate makes it anew`,
          reused: true,
        };
      }
    }
    const date = existing ?? today();
    const report = progress('generate');
    const summary = await generateRawData({
      dataDir: config.dataDir,
      scale,
      date,
      force: existing !== undefined,
      onProgress: (p) =>
        report(`${p.phase}${p.dataset ? ` ${p.dataset}` : ''}`, p.total > 0 ? p.done / p.total : undefined),
    });
    return { value: date, summary: `generated ${describeRows(summary.datasets)} for ${date}` };
  });

  // 3. workflow
  const version = await stage(
    'workflow',
    'offline jobs (repin graph, PageRank, categories, joins)',
    async () => {
      const { runWorkflow } = await import('../jobs/index.js');
      const report = progress('workflow');
      let total = 0;
      let done = 0;
      const result = await runWorkflow({
        config,
        date,
        onEvent: (e) => {
          if (e.type === 'run-started')
            total = e.jobs.filter((j) => (j as { willRun?: boolean }).willRun !== false).length;
          else if (e.type === 'job-started') report(`running ${e.job}`, total > 0 ? done / total : undefined);
          else if (e.type === 'job-finished') done++;
        },
      });
      if (result.state !== 'succeeded' || result.version === null) {
        const failed = result.jobs
          .filter((j) => j.state === 'failed')
          .map((j) => `${j.job}: ${j.error ?? 'failed'}`);
        throw new UserError(`the workflow failed (${failed.join(', ') || 'see disco jobs status'})`, {
          code: 'workflow-failed',
          exit: 1,
          hint: 'run disco jobs status for the failing job and its error',
        });
      }
      const jobs = result.jobs.length;
      return {
        value: result.version,
        summary: `published ${result.version}: ${jobs} jobs in ${(result.durationMs / 1000).toFixed(1)} s`,
      };
    },
  );

  // 4. tiers
  await stage('tiers', `load ${version} into prod, batch, archive and debug`, async () => {
    const { loadTiers } = await import('../tiers/index.js');
    const report = progress('tiers');
    const result = await loadTiers({
      config,
      onProgress: (e) => {
        if (e.type === 'tier-start') report(`loading ${e.tier}`);
        else if (e.type === 'dataset') report(`${e.tier}: ${e.dataset} (${e.rows} rows)`);
      },
    });
    return {
      value: result,
      summary: `loaded ${result.version} into ${result.tiers.map((t) => t.tier).join(', ')}`,
    };
  });

  const { openRuntime } = await import('../serve/runtime.js');
  const runtime = await openRuntime(config);
  try {
    // 5. validate
    const plan = await stage('validate', `the plans in ${config.plansDir}`, async () => {
      const errors = runtime.problems().filter((d) => d.severity === 'error');
      const warnings = runtime.problems().filter((d) => d.severity === 'warning');
      const found = runtime.plans().get(planName);
      if (!found) {
        throw new UserError(`plan '${planName}' is not valid or missing in ${config.plansDir}`, {
          code: 'unknown-plan',
          exit: 1,
          hint: 'run disco plan validate to see why; disco init --force restores the example plans',
        });
      }
      const n = runtime.plans().size;
      const bad = [...new Set(errors.map((d) => basename(d.file)))];
      return {
        value: found,
        summary: `${n} valid plan(s), ${errors.length} error(s)${bad.length > 0 ? ` in ${bad.join(', ')} (see disco plan validate)` : ''}, ${warnings.length} warning(s)`,
      };
    });

    // 6. run
    const { key, params, response } = await stage('run', `${planName} for a real key`, async () => {
      const keyParam = plan.params.find((p) => p.keyOf !== undefined);
      let key: string | number = '';
      const texts: string[] = [];
      if (keyParam) {
        const keys = await runtime.sampleKeys(keyParam.keyOf!, 1);
        key = keys[0]!;
        texts.push(`${keyParam.name}=${key}`);
      }
      const params = plan.parseCliParams(texts);
      const result = await plan.run(params, { timings: true });
      const body = result.body as { responses?: Array<{ name: string; items: unknown[] }> };
      const lists = (body.responses ?? []).map((r) => `${r.items.length} ${r.name}`).join(', ');
      const total = result.timings.reduce((m, t) => Math.max(m, t.ms), 0);
      return {
        value: { key, params, response: result.body },
        summary: `${keyParam ? `${keyParam.name}=${String(key).slice(0, 24)}: ` : ''}${lists} (slowest node ${total.toFixed(2)} ms)`,
      };
    });

    // 7. bench
    const bench = await stage('bench', `${planName} under load`, async () => {
      const { benchPlan } = await import('../bench/bench-plan.js');
      const { distinctKeys, inProcessTarget } = await import('../bench/bench-project.js');
      const { zipfPicker } = await import('../bench/keys.js');
      const keyParam = plan.params.find((p) => p.keyOf !== undefined);
      const pick = keyParam ? zipfPicker(await distinctKeys(runtime, keyParam.keyOf!, 1000)) : undefined;
      const report = progress('bench');
      const rate = options.benchRate ?? 500;
      const result = await benchPlan({
        target: inProcessTarget(plan),
        nextParams: () =>
          keyParam && pick
            ? { ...params, [keyParam.name]: keyParam.type.startsWith('list') ? [pick()] : pick() }
            : params,
        keys: keyParam ? { param: keyParam.name, dataset: keyParam.keyOf!, distinct: 1000 } : undefined,
        mode: 'open',
        rate,
        durationS: options.benchSeconds ?? 3,
        warmupS: 1,
        measureEmpty: true,
        onProgress: (p) =>
          report(`${p.requests} requests, p99 ${p.latency.p99} ms`, p.elapsedS / p.durationS),
      });
      const l = result.json.latency_ms;
      const slo = result.json.slo ? (result.json.slo.met ? ', SLO met' : ', SLO MISSED') : '';
      return {
        value: result,
        summary: `${result.json.requests} requests at ${rate} req/s: p50 ${l.p50} ms, p99 ${l.p99} ms, max ${l.max} ms${slo}`,
      };
    });

    return {
      dir,
      dataDir: config.dataDir,
      version,
      stages,
      plan: { name: plan.name, file: plan.file, key, params },
      response,
      bench,
    };
  } finally {
    await runtime.close();
  }
}

function newestRawDate(config: ProjectConfig): string | undefined {
  const dir = join(config.dataDir, 'raw', '_manifests');
  if (!existsSync(dir)) return undefined;
  const dates = readdirSync(dir)
    .map((f) => /^dt=(\d{4}-\d{2}-\d{2})\.json$/.exec(f)?.[1])
    .filter((d): d is string => d !== undefined)
    .sort();
  return dates.at(-1);
}

function describeRows(datasets: ReadonlyArray<{ dataset: string; rows: number }> | undefined): string {
  if (!datasets) return 'raw data';
  return datasets
    .filter((d) => d.dataset !== 'board_truth')
    .map((d) => `${d.rows.toLocaleString('en-US')} ${d.dataset}`)
    .join(', ');
}
