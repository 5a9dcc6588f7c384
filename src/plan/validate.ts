/**
 * `validatePlans`: validate plan files and folders together (SPEC §5): every file's diagnostics,
 * plus what only shows across files (two plans with one name). Custom processors are loaded only
 * when some plan uses a processor that is not built in, and then once.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { type Diagnostic, countBySeverity } from '../diagnostics/diagnostic.js';
import { UserError } from '../errors/index.js';
import type { CheckedPlan } from './ast.js';
import { checkPlanText, type PlanCheckResult, sortDiagnostics } from './check.js';
import { type ValidationEnv, withProcessors } from './env.js';

export interface FileResult {
  file: string;
  plan: string | null;
  valid: boolean;
}

/** The SPEC §5 report. `sources` (file → text, for the pretty format) is not part of the JSON. */
export interface ValidationReport {
  files: FileResult[];
  diagnostics: Diagnostic[];
  summary: { files: number; errors: number; warnings: number };
  sources: Map<string, string>;
  plans: Map<string, CheckedPlan>;
}

export interface PlanInput {
  file: string;
  text: string;
}

const PLAN_EXTENSIONS = ['.yaml', '.yml'];

/** Files to validate: files as given, folders recursed for *.yaml / *.yml. Missing → exit 2. */
export function collectPlanFiles(paths: readonly string[], cwd = process.cwd()): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith('.') || name === 'node_modules') continue;
      const full = join(dir, name);
      const st = statSync(full);
      if (st.isDirectory()) walk(full);
      else if (PLAN_EXTENSIONS.some((e) => name.endsWith(e))) out.push(full);
    }
  };
  for (const p of paths) {
    const abs = resolve(cwd, p);
    if (!existsSync(abs)) {
      throw new UserError(`no such file or folder: ${p}`, {
        code: 'missing-path',
        exit: 2,
        hint: 'pass plan files or folders (default: the plans folder)',
      });
    }
    if (statSync(abs).isDirectory()) walk(abs);
    else out.push(abs);
  }
  return [...new Set(out)].map((f) => display(f, cwd));
}

function display(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}

/** Validates files and folders (read from disk). */
export async function validatePlans(
  paths: readonly string[],
  env: ValidationEnv,
  cwd = process.cwd(),
  stdin?: () => Promise<string>,
): Promise<ValidationReport> {
  const files = collectPlanFiles(
    paths.filter((p) => p !== '-'),
    cwd,
  );
  const inputs = files.map((file) => {
    let text: string;
    try {
      text = readFileSync(resolve(cwd, file), 'utf8');
    } catch (error) {
      throw new UserError(`cannot read ${file}: ${(error as Error).message}`, {
        code: 'unreadable-file',
        exit: 2,
      });
    }
    return { file, text };
  });
  if (paths.includes('-')) inputs.unshift({ file: '<stdin>', text: stdin ? await stdin() : '' });
  return validatePlanTexts(inputs, env);
}

/** Validates plan texts together. */
export async function validatePlanTexts(
  inputs: readonly PlanInput[],
  env: ValidationEnv,
): Promise<ValidationReport> {
  let results: PlanCheckResult[] = inputs.map((i) => checkPlanText(i.text, i.file, env));
  const extra: Diagnostic[] = [];
  const needsCustom = results.some((r) => r.diagnostics.some((d) => d.code === 'unknown-processor'));
  if (needsCustom && env.loadCustomProcessors) {
    const loaded = await env.loadCustomProcessors();
    extra.push(...loaded.diagnostics);
    if (loaded.processors.length > 0) {
      const full: ValidationEnv = { ...env, processors: withProcessors(env.processors, loaded.processors) };
      results = results.map((r, i) =>
        r.diagnostics.some((d) => d.code === 'unknown-processor')
          ? checkPlanText(inputs[i]!.text, inputs[i]!.file, full)
          : r,
      );
    }
  }
  // Plan names are unique among the plans validated together.
  const seen = new Map<string, string>();
  results.forEach((r, i) => {
    if (r.name === undefined || r.nameRange === undefined) return;
    const first = seen.get(r.name);
    if (first === undefined) {
      seen.set(r.name, inputs[i]!.file);
      return;
    }
    r.diagnostics.push({
      file: inputs[i]!.file,
      ...r.nameRange,
      severity: 'error',
      code: 'duplicate-plan',
      path: ['plan'],
      message: `plan '${r.name}' is also defined in ${first}; plan names must be unique`,
    });
    delete r.plan;
  });
  const diagnostics = sortDiagnostics([...extra, ...results.flatMap((r) => r.diagnostics)]);
  const { errors, warnings } = countBySeverity(diagnostics);
  const sourceFiles = inputs.map((i) => i.file);
  for (const d of extra) if (!sourceFiles.includes(d.file)) sourceFiles.push(d.file);
  const plans = new Map<string, CheckedPlan>();
  for (const r of results) if (r.plan) plans.set(r.plan.name, r.plan);
  return {
    files: results.map((r, i) => ({
      file: inputs[i]!.file,
      plan: r.name ?? null,
      valid: !r.diagnostics.some((d) => d.severity === 'error'),
    })),
    diagnostics,
    summary: { files: inputs.length, errors, warnings },
    sources: new Map(inputs.map((i) => [i.file, i.text])),
    plans,
  };
}
