/**
 * Everything `plan show` / `plan graph` need from a PLAN argument: the text (by name, path or
 * stdin), the validator's diagnostics, and the graph to draw (also for an invalid plan).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { UserError } from '../../errors/index.js';
import type { ProjectConfig } from '../../project/config.js';
import { type PlanGraph, planToGraph, rawPlanValue } from './plan-graph.js';

export interface PlanText {
  text: string;
  /** Shown in diagnostics: the path as given, or `<stdin>`. */
  file: string;
}

/**
 * PLAN = `-` (stdin), an existing file path, or a plan name looked up in the plans folder
 * (`NAME.yaml`, `NAME.yml`, `NAME.json`).
 */
export function readPlanText(arg: string, config: ProjectConfig, stdin: () => string): PlanText {
  if (arg === '-') return { text: stdin(), file: '<stdin>' };
  const asPath = isAbsolute(arg) ? arg : resolve(config.projectDir, arg);
  if (existsSync(asPath) && statSync(asPath).isFile())
    return { text: readFileSync(asPath, 'utf8'), file: arg };
  if (/^[a-z][a-z0-9-]*$/u.test(arg))
    for (const ext of ['.yaml', '.yml', '.json']) {
      const candidate = join(config.plansDir, arg + ext);
      if (existsSync(candidate)) return { text: readFileSync(candidate, 'utf8'), file: candidate };
    }
  throw new UserError(`no plan '${arg}': not a file, and not a plan name in ${config.plansDir}`, {
    code: 'plan-not-found',
    exit: 2,
    where: arg,
    hint: 'pass a plan name from the plans folder, a path to a .yaml file, or - to read the plan from stdin',
  });
}

/** Reads, validates (best effort) and converts a plan to the graph the views draw. */
export async function loadPlanGraph(
  arg: string,
  config: ProjectConfig,
  stdin: () => string,
): Promise<PlanGraph> {
  const { text, file } = readPlanText(arg, config, stdin);
  // The plan compiler is heavy: loaded only here, never at a command's top level.
  const { checkPlanText, defaultEnv } = await import('../../plan/index.js');
  const { diagnostics } = checkPlanText(text, file, defaultEnv({ tiers: config.tiers }));
  return planToGraph(rawPlanValue(text, file), diagnostics);
}
