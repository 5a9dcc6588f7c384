/**
 * `disco plan run` as a function: read PLAN (a name in the plans folder, a path, or `-` for
 * stdin), validate it (an invalid plan yields its diagnostics, never a run), parse the params by
 * their declared types, open the tiers, execute once with timings, and optionally write a Chrome
 * trace. The command only renders what this returns.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join, relative } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { suggest } from '../diagnostics/suggest.js';
import { UserError } from '../errors/index.js';
import type { CheckedPlan } from '../plan/ast.js';
import type { ValidationEnv } from '../plan/env.js';
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
  | { ok: true; plan: CheckedPlan; response: PlanResponse; warnings: Diagnostic[]; source: PlanSource }
  | { ok: false; diagnostics: Diagnostic[]; source: PlanSource };

export interface PlanSource {
  file: string;
  text: string;
}

const PLAN_EXT = ['.yaml', '.yml', '.json'];

function planFilesIn(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  return readdirSync(dir)
    .filter((f) => PLAN_EXT.includes(extname(f)) && !f.endsWith('.schema.json'))
    .sort()
    .map((f) => join(dir, f));
}

const shown = (file: string) => {
  const rel = relative(process.cwd(), file);
  return rel === '' || rel.startsWith('..') ? file : rel;
};

/** PLAN → its text: `-` is stdin, an existing path is read, anything else is a plan name. */
export async function readPlanSource(
  arg: string,
  config: ProjectConfig,
  readStdin: () => Promise<string>,
): Promise<PlanSource> {
  if (arg === '-') return { file: '<stdin>', text: await readStdin() };
  if (existsSync(arg) && statSync(arg).isFile()) return { file: shown(arg), text: readFileSync(arg, 'utf8') };
  const files = planFilesIn(config.plansDir);
  // By file name first, then by the `plan:` name inside.
  const byFile = files.find((f) => basename(f, extname(f)) === arg);
  if (byFile) return { file: shown(byFile), text: readFileSync(byFile, 'utf8') };
  const names = new Map<string, string>();
  for (const f of files) {
    const m = /^plan:\s*['"]?([a-z][a-z0-9-]*)/m.exec(readFileSync(f, 'utf8'));
    names.set(m?.[1] ?? basename(f, extname(f)), f);
  }
  const found = names.get(arg);
  if (found) return { file: shown(found), text: readFileSync(found, 'utf8') };
  const guess = suggest(arg, names.keys());
  const looksLikePath = /[/\\]|\.(ya?ml|json)$/.test(arg);
  throw new UserError(
    looksLikePath
      ? `no such plan file: ${arg}`
      : `no plan named '${arg}' in ${shown(config.plansDir)}${guess ? `; did you mean '${guess}'?` : ''}`,
    {
      code: 'unknown-plan',
      exit: 2,
      hint:
        names.size > 0
          ? `plans: ${[...names.keys()].join(', ')}`
          : `put plans in ${shown(config.plansDir)}/ or pass a path or - for stdin`,
    },
  );
}

/** Validates, runs once with timings, writes the trace. */
export async function runPlan(options: RunPlanOptions): Promise<RunPlanResult> {
  const { config } = options;
  const source = await readPlanSource(options.plan, config, options.readStdin);
  const { defaultEnv } = await import('../plan/env.js');
  const { validatePlanTexts } = await import('../plan/validate.js');
  const env = defaultEnv({ tiers: config.tiers, ...options.env });
  const report = await validatePlanTexts([source], env);
  const errors = report.diagnostics.filter((d) => d.severity === 'error');
  const checked = [...report.plans.values()][0];
  if (errors.length > 0 || !checked) return { ok: false, diagnostics: report.diagnostics, source };

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
    return { ok: true, plan: checked, response, warnings: report.diagnostics, source };
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

/** `file:line:col: message [code]`, the source line and a caret — as `plan validate` prints. */
export function renderDiagnosticsText(
  diagnostics: readonly Diagnostic[],
  sources: ReadonlyMap<string, string>,
): string {
  const out: string[] = [];
  for (const d of diagnostics) {
    out.push(
      `${d.file}:${d.line}:${d.column}: ${d.severity === 'warning' ? 'warning: ' : ''}${d.message} [${d.code}]`,
    );
    const line = sources.get(d.file)?.split(/\r?\n/)[d.line - 1];
    if (line !== undefined && line.trim() !== '') {
      const width =
        d.endLine === d.line ? Math.max(1, d.endColumn - d.column) : Math.max(1, line.length - d.column + 1);
      out.push(`  ${d.line} | ${line}`);
      out.push(
        `  ${' '.repeat(String(d.line).length)} | ${' '.repeat(Math.max(0, d.column - 1))}${'^'.repeat(width)}`,
      );
    }
  }
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  out.push(`${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`);
  return out.join('\n');
}
