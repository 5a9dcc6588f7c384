/**
 * `compilePlan`: a checked plan (src/plan) → its executable form. Done once per plan; every
 * request then runs the same closures through the same scheduler arrays.
 */
import type { CheckedPlan } from '../plan/ast.js';
import type { ProcessorRegistry } from '../plan/processors/definition.js';
import type { ExecPlan } from './graph.js';
import { buildNode } from './processors/index.js';
import type { PlanResponse } from './response.js';
import { type ExecuteOptions, Scheduler } from './scheduler.js';

export interface CompiledPlan {
  readonly name: string;
  readonly checked: CheckedPlan | undefined;
  readonly exec: ExecPlan;
  /** Runs one request. Params must already be parsed to their declared types (see `parseParams`). */
  execute(params: Readonly<Record<string, unknown>>, options: ExecuteOptions): Promise<PlanResponse>;
}

/** Wraps an engine-level plan (tests, benches) the same way `compilePlan` wraps a checked one. */
export function compileExecPlan(exec: ExecPlan, checked?: CheckedPlan): CompiledPlan {
  const scheduler = new Scheduler(exec);
  return {
    name: exec.name,
    checked,
    exec,
    execute: (params, options) => scheduler.execute(params, options),
  };
}

/**
 * Compiles a checked plan. Built-in processors get their runtime half from the engine's pool;
 * custom ones bring their `run` with their definition (the `processor` of each checked node, or
 * the optional `processors` registry).
 */
export function compilePlan(checked: CheckedPlan, processors?: ProcessorRegistry): CompiledPlan {
  const exec: ExecPlan = {
    name: checked.name,
    nodes: checked.nodes.map((node) => {
      // A registry given here may carry a custom processor's `run` the checked node lacks.
      const def = processors?.get(node.use);
      const withRun = def?.run && !node.processor.run ? { ...node, processor: def } : node;
      return buildNode({ plan: checked, node: withRun });
    }),
    outputs: checked.outputs.map((o) => {
      const out = {
        name: o.name,
        node: o.ref.node as string,
        dataset: (o.itemType.dataset as string | undefined) ?? null,
      };
      return o.ref.port === undefined ? out : { ...out, port: o.ref.port };
    }),
  };
  return compileExecPlan(exec, checked);
}
