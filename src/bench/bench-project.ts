/**
 * `disco plan bench` behind the command: resolve the plan (a name in the plans folder, a file, or
 * `-` for stdin), fill its key params with real keys sampled from the loaded tiers, and drive it in
 * process or through a running `disco serve` (`url`) with the same harness.
 */
import { UserError } from '../errors/index.js';
import type { ProjectConfig } from '../project/config.js';
import type { PlanRuntime, RuntimePlan } from '../serve/types.js';
import { type BenchTarget, benchPlan } from './bench-plan.js';
import { zipfPicker } from './keys.js';
import type { LoadMode, LoadProgress } from './load.js';
import type { BenchReport } from './report.js';

export interface BenchProjectOptions {
  config: ProjectConfig;
  plan: string;
  mode: LoadMode;
  rate?: number | undefined;
  concurrency?: number | undefined;
  durationS: number;
  warmupS: number;
  /** Distinct keys to request (default 1000). */
  keys: number;
  params: readonly string[];
  url?: string | undefined;
  stdin?: (() => string) | undefined;
  measureEmpty?: boolean | undefined;
  onProgress?: ((p: LoadProgress) => void) | undefined;
  /** Called once the plan is resolved and the keys are sampled, just before the load starts. */
  onStart?: (() => void) | undefined;
  signal?: AbortSignal | undefined;
}

/** Where the bench's key params get their real keys. */
type KeySource = Pick<PlanRuntime, 'sampleKeys' | 'close'>;

/**
 * Over HTTP the server has compiled the plans: the client only needs the tiers to sample keys.
 * Compiling them here too would load the project's TypeScript processors (tsx and esbuild, two
 * more V8 isolates whose idle-time garbage collections took CPU from the server under test).
 */
async function tierKeySource(config: ProjectConfig): Promise<KeySource> {
  const { openTiers, sampleKeys } = await import('../tiers/index.js');
  const tiers = await openTiers(config);
  return {
    sampleKeys: (dataset, n) => sampleKeys(config, dataset, n, { tiers }),
    close: () => tiers.close(),
  };
}

export async function benchProject(o: BenchProjectOptions): Promise<BenchReport> {
  // In process the runtime compiles the plan and samples the keys; over HTTP only the tiers are needed.
  const runtime = o.url ? undefined : await (await import('../serve/runtime.js')).openRuntime(o.config);
  const keySource: KeySource = runtime ?? (await tierKeySource(o.config));
  let closeTarget = (): void => {};
  try {
    let target: BenchTarget;
    let keyParams: Array<{ name: string; dataset: string; list: boolean }>;
    let fixed: Record<string, unknown>;
    if (o.url) {
      const { describeServedPlan, httpTarget } = await import('./http-target.js');
      const base = o.url.replace(/\/+$/, '');
      const info = await describeServedPlan(base, o.plan);
      const http = httpTarget(base, info);
      closeTarget = http.close;
      target = http;
      fixed = {};
      for (const pair of o.params) {
        const eq = pair.indexOf('=');
        if (eq <= 0)
          throw new UserError(`--param expects NAME=VALUE; got '${pair}'`, { code: 'param-syntax' });
        fixed[pair.slice(0, eq)] = pair.slice(eq + 1); // the server coerces text to the declared type
      }
      keyParams = info.params
        .filter((p) => p.key_of !== undefined && fixed[p.name] === undefined)
        .map((p) => ({ name: p.name, dataset: p.key_of!, list: p.type.startsWith('list') }));
    } else {
      const plan = await resolvePlan(runtime!, o.config, o.plan, o.stdin);
      keyParams = plan.params
        .filter((p) => p.keyOf !== undefined && !o.params.some((t) => t.startsWith(`${p.name}=`)))
        .map((p) => ({ name: p.name, dataset: p.keyOf!, list: p.type.startsWith('list') }));
      target = inProcessTarget(plan);
      fixed = plan.parseCliParams([
        ...o.params,
        ...keyParams.map((k) => `${k.name}=${k.list ? '' : 'placeholder'}`),
      ]);
    }
    const pickers = await Promise.all(
      keyParams.map(async (k) => ({
        ...k,
        pick: zipfPicker(await distinctKeys(keySource, k.dataset, o.keys)),
      })),
    );
    const nextParams = (): Record<string, unknown> => {
      const params = { ...fixed };
      for (const k of pickers) params[k.name] = k.list ? [k.pick()] : k.pick();
      return params;
    };
    const first = pickers[0];
    o.onStart?.();
    return await benchPlan({
      target,
      nextParams,
      keys: first ? { param: first.name, dataset: first.dataset, distinct: o.keys } : undefined,
      mode: o.mode,
      rate: o.rate,
      concurrency: o.concurrency,
      durationS: o.durationS,
      warmupS: o.warmupS,
      measureEmpty: o.measureEmpty,
      onProgress: o.onProgress,
      signal: o.signal,
    });
  } finally {
    closeTarget();
    await keySource.close();
  }
}

/** A compiled plan called directly: no serialisation, only the plan's own work. */
export function inProcessTarget(plan: RuntimePlan): BenchTarget {
  return {
    plan: plan.name,
    where: 'in process',
    nodes: plan.nodes,
    sloP99Ms: plan.sloP99Ms,
    call: async (params) => (await plan.run(params, { timings: false })).timings,
  };
}

/**
 * Up to `n` distinct keys, most popular first: the tiers' `sampleKeys` draws with a popularity
 * skew; ordering the distinct draws by how often they came up keeps that skew for the Zipf picker.
 */
export async function distinctKeys(
  source: Pick<PlanRuntime, 'sampleKeys'>,
  dataset: string,
  n: number,
): Promise<Array<string | number>> {
  const draws = await source.sampleKeys(dataset, Math.max(n * 4, 16));
  const counts = new Map<string | number, number>();
  for (const k of draws) counts.set(k, (counts.get(k) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k]) => k);
}

/** PLAN: a plan name in the plans folder, a file path, or `-` (YAML/JSON on stdin). */
export async function resolvePlan(
  runtime: PlanRuntime,
  config: ProjectConfig,
  arg: string,
  stdin?: () => string,
): Promise<RuntimePlan> {
  const named = runtime.plans().get(arg);
  if (named) return named;
  const { readPlanArg } = await import('../plan/index.js');
  const { file, text } = await readPlanArg(arg, config, stdin ? stdin() : process.stdin);
  const outcome = await runtime.compileText(text, file);
  if (!outcome.plan) {
    const first = outcome.diagnostics.find((d) => d.severity === 'error');
    throw new UserError(`${file} is not a valid plan (${outcome.diagnostics.length} problem(s))`, {
      code: 'invalid-plan',
      exit: 1,
      where: first ? `${first.file}:${first.line}:${first.column}: ${first.message}` : file,
      hint: `run disco plan validate ${arg} for the details`,
    });
  }
  return outcome.plan;
}
