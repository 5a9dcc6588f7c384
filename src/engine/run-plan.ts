/**
 * `disco plan run` as a function: read PLAN (a name in the plans folder, a path, or `-` for
 * stdin), validate it (an invalid plan yields its diagnostics, never a run), parse the params by
 * their declared types, open the tiers, execute once with timings, and optionally write a Chrome
 * trace. The command only renders what this returns.
 */
import { UserError } from '../errors/index.js';
import type { CheckedPlan } from '../plan/ast.js';
import type { ValidationEnv } from '../plan/env.js';
import type { PlanText } from '../plan/project.js';
import type { ValidationReport } from '../plan/validate.js';
import type { ProjectConfig } from '../project/config.js';
import { compilePlan } from './compile.js';
import type { TierSource } from './graph.js';
import { parseParams } from './params.js';
import { PlanExecutionError, type PlanResponse } from './response.js';
import { writeChromeTrace } from './trace.js';

export interface RunPlanOptions {
  config: ProjectConfig;
  /** PLAN: a plan name, a file path, or `-` (read with `readStdin`). */
  plan: string;
  readStdin: () => Promise<string>;
  /** `--param K=V` pairs. */
  params: readonly string[];
  /** Request deadline in ms. */
  timeoutMs?: number;
  /** Chrome Trace Event JSON is written here. */
  traceFile?: string;
  /** Tiers to use instead of opening the data directory's (tests). */
  tiers?: TierSource;
  /** Extra validation environment (custom processors). */
  env?: Partial<ValidationEnv>;
}

export type RunPlanResult =
  | { ok: true; plan: CheckedPlan; response: PlanResponse; report: ValidationReport; source: PlanText }
  /** The plan is invalid: the validation report (as `plan validate` prints it). */
  | { ok: false; report: ValidationReport; source: PlanText };

/** Validates, runs once with timings, writes the trace. */
export async function runPlan(options: RunPlanOptions): Promise<RunPlanResult> {
  const { config } = options;
  const { projectEnv, readPlanArg } = await import('../plan/project.js');
  const { validatePlanTexts } = await import('../plan/validate.js');
  // PLAN via the plan package (name, path or -); custom processors load only if the plan needs them.
  const source = await readPlanArg(
    options.plan,
    config,
    options.plan === '-' ? await options.readStdin() : '',
  );
  const env = { ...(await projectEnv(config)), ...options.env };
  const report = await validatePlanTexts([source], env);
  const checked = [...report.plans.values()][0];
  if (report.summary.errors > 0 || !checked) return { ok: false, report, source };

  const params = parseParams(checked, options.params);
  const compiled = compilePlan(checked);
  let tiers = options.tiers;
  let close: (() => Promise<void>) | undefined;
  if (!tiers) {
    const { openTiers } = await import('../tiers/open.js');
    const set = await openTiers(config);
    tiers = set;
    close = () => set.close();
  }
  try {
    requireSomeDataLoaded(checked, tiers);
    const response = await compiled
      .execute(params, {
        tiers,
        collectTimings: true,
        ...(options.timeoutMs !== undefined ? { deadlineMs: options.timeoutMs } : {}),
      })
      .catch((error: unknown) => {
        throw explainFailure(error, checked);
      });
    if (options.traceFile && response.timings) {
      await writeChromeTrace(options.traceFile, checked.name, response.timings, { params });
    }
    return { ok: true, plan: checked, response, report, source };
  } finally {
    await close?.();
  }
}

/** When none of the datasets the plan reads is loaded in its tier, say which command loads them. */
function requireSomeDataLoaded(plan: CheckedPlan, tiers: TierSource): void {
  const reads = plan.nodes.filter((n) => n.tier !== undefined && n.dataset !== undefined);
  if (reads.length === 0) return;
  const missing = reads.filter((n) => {
    try {
      return tiers.get(n.tier!).versionOf(n.dataset!) === undefined;
    } catch {
      return true;
    }
  });
  if (missing.length < reads.length) return;
  const what = [...new Set(missing.map((n) => `${n.dataset} in ${n.tier}`))].join(', ');
  throw new UserError(`the tiers are not loaded: plan '${plan.name}' reads ${what}`, {
    code: 'tiers-not-loaded',
    exit: 1,
    hint: "run 'disco gen', 'disco jobs run' and 'disco tiers load' first (or 'disco demo' for everything)",
  });
}

/** A failed request as a user error: the node, the cause, and the cause's own hint. */
function explainFailure(error: unknown, plan: CheckedPlan): unknown {
  if (!(error instanceof PlanExecutionError)) return error;
  let root: unknown = error.cause;
  while (root instanceof Error && root.cause !== undefined && !(root instanceof UserError)) root = root.cause;
  const hint =
    root instanceof UserError && root.hint
      ? root.hint
      : error.code === 'deadline-exceeded'
        ? 'raise --timeout, or give slow nodes a timeout_ms and on_error: empty or a fallback'
        : `add on_error: empty to the node, or a fallback, to let the request go on without it`;
  return new UserError(`plan '${plan.name}' failed: ${error.message}`, {
    code: error.code === 'deadline-exceeded' ? 'plan-deadline' : 'plan-failed',
    exit: 1,
    hint,
    cause: error,
  });
}
