/**
 * The real {@link PlanRuntime}: the project's plans checked by the plan language (src/plan),
 * compiled once by the engine (src/engine), run against the tiers (src/tiers). Loaded lazily by
 * `serve`, `plan bench` and `demo` (the plan compiler and the tier engines are heavy modules).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { formatType } from '../catalog/types.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { coerceParams, compilePlan, parseParams } from '../engine/index.js';
import type { CheckedPlan } from '../plan/ast.js';
import { checkPlanText } from '../plan/check.js';
import { defaultEnv, type ValidationEnv } from '../plan/env.js';
import type { ProjectConfig } from '../project/config.js';
import { openTiers, sampleKeys, type TierSet } from '../tiers/index.js';
import type { CompileOutcome, NodeTimingInfo, ParamType, PlanRuntime, RuntimePlan } from './types.js';

export interface OpenRuntimeOptions {
  /** Reuse already open tiers (closed by the caller). */
  tiers?: TierSet | undefined;
}

/** Plan files of a plans folder: `*.yaml`, `*.yml`, `*.json` (not the JSON Schema). */
export function planFiles(plansDir: string): string[] {
  if (!existsSync(plansDir) || !statSync(plansDir).isDirectory()) return [];
  return readdirSync(plansDir)
    .filter((f) => /\.(ya?ml|json)$/.test(f) && !f.endsWith('.schema.json'))
    .sort()
    .map((f) => join(plansDir, f));
}

export async function openRuntime(
  config: ProjectConfig,
  options: OpenRuntimeOptions = {},
): Promise<PlanRuntime> {
  const env: ValidationEnv = defaultEnv({ tiers: config.tiers });
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

  const load = (): void => {
    const next = new Map<string, RuntimePlan>();
    const found: Diagnostic[] = [];
    for (const file of planFiles(config.plansDir)) {
      const result = checkPlanText(readFileSync(file, 'utf8'), file, env);
      found.push(...result.diagnostics);
      if (result.plan && !next.has(result.plan.name))
        next.set(result.plan.name, toRuntimePlan(result.plan, tierSet));
    }
    plans = next;
    problems = found;
  };
  load();

  return {
    plans: () => plans,
    problems: () => problems,
    async reload() {
      load();
    },
    async compileText(text: string, file: string): Promise<CompileOutcome> {
      const result = checkPlanText(text, file, env);
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
