/**
 * Everything `plan show` / `plan graph` need from a PLAN argument: the text (by name, path or
 * stdin, resolved by the plan language's `readPlanArg`), the validator's diagnostics in the
 * project's environment, and the graph to draw — also, unlike `loadCheckedPlan`, for a plan
 * with errors.
 */
import type { ProjectConfig } from '../../project/config.js';
import { type PlanGraph, planToGraph, rawPlanValue } from './plan-graph.js';

export async function loadPlanGraph(
  arg: string,
  config: ProjectConfig,
  stdin: NodeJS.ReadableStream | string = process.stdin,
): Promise<PlanGraph> {
  // The plan compiler is heavy: loaded only here, never at a command's top level.
  const { checkPlanText, projectEnv, readPlanArg, withProcessors } = await import('../../plan/index.js');
  const { file, text } = await readPlanArg(arg, config, stdin);
  let env = await projectEnv(config);
  let result = checkPlanText(text, file, env);
  if (result.diagnostics.some((d) => d.code === 'unknown-processor') && env.loadCustomProcessors) {
    // The plan uses the project's own processors: load them and check again.
    const loaded = await env.loadCustomProcessors();
    env = { ...env, processors: withProcessors(env.processors, loaded.processors) };
    result = checkPlanText(text, file, env);
  }
  return planToGraph(rawPlanValue(text, file), result.diagnostics);
}
