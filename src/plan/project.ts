/**
 * Plans in a project: the validation environment of a `disco.yaml` (its custom datasets, tier
 * profiles and — on demand — its own processors), and how commands find a PLAN argument: a plan
 * name in the plans folder, a file path, or `-` for YAML/JSON on stdin.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CATALOG, Catalog } from '../catalog/catalog.js';
import { formatDiagnosticLine } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import { UserError } from '../errors/index.js';
import type { ProjectConfig } from '../project/config.js';
import type { CheckedPlan } from './ast.js';
import { checkPlanText } from './check.js';
import { defaultEnv, type ValidationEnv, withProcessors } from './env.js';
import { loadProjectProcessors } from './processors/custom.js';

/** The environment plans of this project are checked in. Custom processors load only on demand. */
export async function projectEnv(config: ProjectConfig): Promise<ValidationEnv> {
  let catalog = CATALOG;
  if (config.jobs.length > 0) {
    const { customDatasets } = await import('../jobs/custom.js');
    catalog = Catalog.withExtra(customDatasets(config));
  }
  let loaded: ReturnType<typeof loadProjectProcessors> | undefined;
  return defaultEnv({
    catalog,
    tiers: config.tiers,
    loadCustomProcessors: () => {
      loaded ??= loadProjectProcessors(config, catalog);
      return loaded;
    },
  });
}

export interface PlanText {
  /** What diagnostics call the file: a path relative to the current folder, or `<stdin>`. */
  file: string;
  text: string;
}

/** Plan names → files in the plans folder (reads only each file's `plan:` line). */
export function listPlanFiles(plansDir: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!existsSync(plansDir)) return out;
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith('.') || name === 'node_modules') continue;
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.(ya?ml|json)$/.test(name)) {
        const m = /^\s*"?plan"?\s*:\s*["']?([A-Za-z0-9_-]+)/m.exec(readFileSync(full, 'utf8'));
        const planName = m?.[1] ?? name.replace(/\.(ya?ml|json)$/, '');
        if (!out.has(planName)) out.set(planName, full);
      }
    }
  };
  walk(plansDir);
  return out;
}

async function readAll(stdin: NodeJS.ReadableStream | string): Promise<string> {
  if (typeof stdin === 'string') return stdin;
  const chunks: Buffer[] = [];
  for await (const chunk of stdin)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** Resolves a command's PLAN argument to its text. A miss is a usage error (exit 2). */
export async function readPlanArg(
  arg: string,
  config: ProjectConfig,
  stdin: NodeJS.ReadableStream | string = process.stdin,
): Promise<PlanText> {
  if (arg === '-') return { file: '<stdin>', text: await readAll(stdin) };
  const looksLikePath = /[/\\]/.test(arg) || /\.(ya?ml|json)$/.test(arg);
  if (looksLikePath || (existsSync(arg) && statSync(arg).isFile())) {
    if (!existsSync(arg) || !statSync(arg).isFile()) {
      throw new UserError(`no such plan file: ${arg}`, {
        code: 'missing-path',
        exit: 2,
        hint: 'pass a plan name, a plan file, or - for stdin',
      });
    }
    return { file: relative(process.cwd(), arg) || arg, text: readFileSync(arg, 'utf8') };
  }
  const plans = listPlanFiles(config.plansDir);
  const file = plans.get(arg);
  if (!file) {
    const where = relative(process.cwd(), config.plansDir) || config.plansDir;
    throw new UserError(`unknown plan '${arg}'${didYouMean(arg, plans.keys())}`, {
      code: 'unknown-plan',
      exit: 2,
      where,
      hint:
        plans.size > 0
          ? `plans in ${where}: ${[...plans.keys()].join(', ')}`
          : `no plans in ${where}; pass a file path or - for stdin`,
    });
  }
  return { file: relative(process.cwd(), file) || file, text: readFileSync(file, 'utf8') };
}

/**
 * Reads and checks a PLAN argument for commands that run plans (`plan run`, `show`, `bench`):
 * the checked plan, or a UserError (exit 1) listing every diagnostic.
 */
export async function loadCheckedPlan(
  arg: string,
  config: ProjectConfig,
  stdin?: NodeJS.ReadableStream | string,
): Promise<{ plan: CheckedPlan; env: ValidationEnv }> {
  const { file, text } = await readPlanArg(arg, config, stdin);
  let env = await projectEnv(config);
  let result = checkPlanText(text, file, env);
  if (result.diagnostics.some((d) => d.code === 'unknown-processor') && env.loadCustomProcessors) {
    const loaded = await env.loadCustomProcessors();
    env = { ...env, processors: withProcessors(env.processors, loaded.processors) };
    result = checkPlanText(text, file, env);
  }
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (!result.plan || errors.length > 0) {
    const first = errors[0];
    throw new UserError(`plan ${file} is invalid:\n${errors.map(formatDiagnosticLine).join('\n')}`, {
      code: 'invalid-plan',
      exit: 1,
      ...(first ? { where: `${first.file}:${first.line}:${first.column}` } : {}),
      hint: `run 'disco plan validate ${file === '<stdin>' ? '-' : file}' for details`,
    });
  }
  return { plan: result.plan, env };
}
