/**
 * A project's own processors (`<plansDir>/processors/*.ts|js`): the plan package loads the module
 * and type-checks plans against its definition; the module's `run` is the runtime half. The
 * engine calls it like a built-in: `run(inputs, ctx)` with one item list per input and a context
 * with the node's resolved options, the params, the deadline signal and batched tier reads.
 */
import type { CheckedNode, OptionValue } from '../../plan/ast.js';
import type { Item } from '../../tiers/tier.js';
import type { Items, NodeContext, NodeValue, RunFn } from '../graph.js';

/** What a custom processor's `run` receives besides its inputs. */
export interface CustomProcessorContext extends NodeContext {
  /** The node's options, resolved: `$params.NAME` replaced by the param's value. */
  readonly options: Readonly<Record<string, unknown>>;
}

export type CustomRun = (
  inputs: readonly Items[],
  ctx: CustomProcessorContext,
) => readonly Item[] | NodeValue | Promise<readonly Item[] | NodeValue>;

function isParamOption(v: unknown): v is { param: string } {
  return (
    v !== null &&
    typeof v === 'object' &&
    !Array.isArray(v) &&
    typeof (v as { param?: unknown }).param === 'string'
  );
}

function resolveOptions(
  options: Readonly<Record<string, OptionValue>>,
  params: Readonly<Record<string, unknown>>,
) {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) out[k] = isParamOption(v) ? (params[v.param] ?? null) : v;
  return out;
}

/** The `run` of a custom processor's definition, adapted to the scheduler. */
export function customRun(node: CheckedNode): RunFn {
  const run = (node.processor as { run?: unknown }).run;
  if (typeof run !== 'function') {
    return () => {
      throw new Error(`processor '${node.use}' (${node.processor.source}) has no run function`);
    };
  }
  const options = node.options;
  const hasParams = Object.values(options).some(isParamOption);
  const fixed = hasParams ? undefined : resolveOptions(options, {});
  return (inputs, ctx) => {
    const c: CustomProcessorContext = {
      params: ctx.params,
      signal: ctx.signal,
      node: ctx.node,
      fetch: (t, d, k) => ctx.fetch(t, d, k),
      tier: (t) => ctx.tier(t),
      options: fixed ?? resolveOptions(options, ctx.params),
    };
    return (run as CustomRun)(inputs, c) as NodeValue | Promise<NodeValue>;
  };
}
