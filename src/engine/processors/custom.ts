/**
 * A project's own processors (`<plansDir>/processors/*.ts|js`): the plan package loads the module
 * and type-checks plans against its definition; the module's `run` is the runtime half. The
 * engine calls it like a built-in: `run(inputs, ctx)` with one item list per input and a context
 * with the node's resolved options, the params, the deadline signal and batched tier reads.
 */
import type { CheckedNode, ExprOption, OptionValue } from '../../plan/ast.js';
import type { Item } from '../../tiers/tier.js';
import { type Compiled, compileExpr } from '../expr.js';
import type { Items, NodeContext, NodeValue, RunFn } from '../graph.js';

/** What a custom processor's `run` receives besides its inputs. */
export interface CustomProcessorContext extends NodeContext {
  /**
   * The node's options, resolved: `$params.NAME` replaced by the param's value, an expression
   * option (type `expr`, `bool-expr`, `number-expr`) turned into a function of an item.
   */
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

function isExprOption(v: unknown): v is ExprOption {
  return (
    v !== null && typeof v === 'object' && 'expr' in v && typeof (v as { text?: unknown }).text === 'string'
  );
}

/**
 * Options as a custom processor sees them: `$params.NAME` → the param's value; an expression
 * option → a function of an item (`(item) => value`), compiled once, evaluated with the params.
 */
function resolveOptions(
  options: Readonly<Record<string, OptionValue>>,
  exprs: ReadonlyMap<string, Compiled>,
  params: Readonly<Record<string, unknown>>,
) {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) {
    const f = exprs.get(k);
    if (f) out[k] = (item: unknown) => f(item, params);
    else out[k] = isParamOption(v) ? (params[v.param] ?? null) : v;
  }
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
  const exprs = new Map<string, Compiled>();
  for (const [k, v] of Object.entries(options)) if (isExprOption(v)) exprs.set(k, compileExpr(v.expr));
  const perRequest = exprs.size > 0 || Object.values(options).some(isParamOption);
  const fixed = perRequest ? undefined : resolveOptions(options, exprs, {});
  return (inputs, ctx) => {
    const c: CustomProcessorContext = {
      params: ctx.params,
      signal: ctx.signal,
      node: ctx.node,
      fetch: (t, d, k) => ctx.fetch(t, d, k),
      fetchMap: (t, d, k, m) => ctx.fetchMap(t, d, k, m),
      tier: (t) => ctx.tier(t),
      options: fixed ?? resolveOptions(options, exprs, ctx.params),
    };
    return (run as CustomRun)(inputs, c) as NodeValue | PromiseLike<NodeValue>;
  };
}
