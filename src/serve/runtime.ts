/**
 * The real {@link PlanRuntime}: the project's plans checked by the plan language (src/plan),
 * compiled once by the engine (src/engine), run against the tiers (src/tiers). Loaded lazily by
 * `serve`, `plan bench` and `demo` (the plan compiler and the tier engines are heavy modules).
 */
import { readFileSync } from 'node:fs';
import { formatType } from '../catalog/types.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { coerceParams, compilePlan, parseParams } from '../engine/index.js';
import type { CheckedPlan } from '../plan/ast.js';
import {
  checkPlanText,
  listPlanFiles,
  projectEnv,
  type ValidationEnv,
  withProcessors,
} from '../plan/index.js';
import type { ProjectConfig } from '../project/config.js';
import { openTiers, sampleKeys, type TierSet } from '../tiers/index.js';
import type { CompileOutcome, NodeTimingInfo, ParamType, PlanRuntime, RuntimePlan } from './types.js';

export interface OpenRuntimeOptions {
  /** Reuse already open tiers (closed by the caller). */
  tiers?: TierSet | undefined;
}

/** Plan files of a plans folder, as `plan validate` finds them (not the JSON Schema). */
export function planFiles(plansDir: string): string[] {
  return [...new Set(listPlanFiles(plansDir).values())].filter((f) => !f.endsWith('.schema.json'));
}

export async function openRuntime(
  config: ProjectConfig,
  options: OpenRuntimeOptions = {},
): Promise<PlanRuntime> {
  let env: ValidationEnv = await projectEnv(config);
  let customLoaded = false;
  /** Checks a plan; loads the project's own processors the first time a plan needs one. */
  const check = async (text: string, file: string) => {
    let result = checkPlanText(text, file, env);
    if (
      !customLoaded &&
      env.loadCustomProcessors &&
      result.diagnostics.some((d) => d.code === 'unknown-processor')
    ) {
      customLoaded = true;
      const loaded = await env.loadCustomProcessors();
      env = { ...env, processors: withProcessors(env.processors, loaded.processors) };
      result = checkPlanText(text, file, env);
    }
    return result;
  };
  let tiers = options.tiers;
  const ownTiers = tiers === undefined;
  const getTiers = async (): Promise<TierSet> => {
    tiers ??= await openTiers(config);
    return tiers;
  };
  // Opened now so the first request does not pay for it (and a broken data dir shows at start).
  const tierSet = await getTiers();

  let plans = new Map<string, RuntimePlan>();
  let problems: Diagnostic[] = [];

  const load = async (): Promise<void> => {
    const next = new Map<string, RuntimePlan>();
    const found: Diagnostic[] = [];
    for (const file of planFiles(config.plansDir)) {
      const result = await check(readFileSync(file, 'utf8'), file);
      found.push(...result.diagnostics);
      if (result.plan && !next.has(result.plan.name))
        next.set(result.plan.name, toRuntimePlan(result.plan, tierSet));
    }
    plans = next;
    problems = found;
  };
  await load();

  return {
    plans: () => plans,
    problems: () => problems,
    async reload() {
      await load();
    },
    async compileText(text: string, file: string): Promise<CompileOutcome> {
      const result = await check(text, file);
      const errors = result.diagnostics.filter((d) => d.severity === 'error');
      if (!result.plan || errors.length > 0) return { diagnostics: result.diagnostics };
      return { plan: toRuntimePlan(result.plan, tierSet), diagnostics: result.diagnostics };
    },
    async sampleKeys(dataset: string, n: number) {
      return sampleKeys(config, dataset, n, { tiers: await getTiers() });
    },
    watchPaths: () => [config.plansDir],
    async close() {
      if (ownTiers) await tiers?.close();
    },
  };
}

/** A checked plan, compiled once, behind the runtime interface. */
export function toRuntimePlan(checked: CheckedPlan, tiers: TierSet): RuntimePlan {
  const compiled = compilePlan(checked);
  return {
    name: checked.name,
    description: checked.description,
    file: checked.file,
    params: checked.params.map((p) => ({
      name: p.name,
      type: formatType(p.type) as ParamType,
      required: p.required,
      ...(p.default !== undefined ? { default: p.default } : {}),
      keyOf: p.keyOf[0],
    })),
    nodes: checked.nodes.map((n) => ({
      node: n.name,
      use: n.use,
      inputs: n.inputs.map((i) => i.text),
      tier: n.tier,
      dataset: n.dataset,
    })),
    sloP99Ms: checked.slo?.p99Ms ?? null,
    parseJsonParams: (body) => coerceParams(checked, body),
    parseCliParams: (texts) => parseParams(checked, texts),
    async run(params, options) {
      const response = await compiled.execute(params, {
        tiers,
        collectTimings: true,
        ...(options.deadlineMs !== undefined ? { deadlineMs: options.deadlineMs } : {}),
        ...(options.signal !== undefined ? { signal: options.signal } : {}),
      });
      const timings: NodeTimingInfo[] = (response.timings?.nodes ?? []).map((t) => ({
        node: t.node,
        ms: t.end_ms - t.start_ms,
        ...(t.status === 'ok' ? {} : { error: t.status }),
      }));
      if (options.timings) return { body: response, timings };
      const { timings: _omit, ...body } = response;
      return { body, timings };
    },
  };
}
