/**
 * The type pass — in topological order, each node's options are resolved against its processor's
 * declared option types (unknown options, missing ones, wrong types, params, expressions, fields,
 * tiers, datasets, SQL) and the processor computes the node's output item type from its inputs'
 * types, reporting what is specific to it (expand through a non-reference, merge of different
 * item types, a tier that does not hold the dataset, …). Nodes on a cycle are still checked, with
 * unknown input types. Records each node's checked form, its estimate and the key params.
 */
import type { TierName } from '../../catalog/types.js';
import { isParamOption } from '../ast.js';
import type { CheckedNode, NodeAst, NodeName, OptionValue, PlanPath } from '../ast.js';
import { resolveOptions } from '../options.js';
import type { InputInfo, ProcessorContext, ProcessorDefinition } from '../processors/definition.js';
import type { Rule, RuleContext } from './context.js';

export function estimateOf(
  def: ProcessorDefinition,
  options: Readonly<Record<string, OptionValue>>,
  ctx: RuleContext,
  node: NodeAst,
): number {
  let ms = 0;
  if (def.estimateMs) {
    try {
      ms = def.estimateMs(options, ctx.env.tiers);
    } catch {
      ms = 0;
    }
  } else if (typeof options['tier'] === 'string') {
    ms = ctx.env.tiers[options['tier'] as TierName]?.p99Ms ?? 0;
  }
  if (!Number.isFinite(ms) || ms < 0) ms = 0;
  return node.timeoutMs !== undefined ? Math.min(ms, node.timeoutMs) : ms;
}

function checkNode(ctx: RuleContext, node: NodeAst): void {
  const def = ctx.processors.get(node.name);
  if (!def) {
    ctx.types.set(node.name, undefined);
    return;
  }
  const refs = ctx.edges.get(node.name) ?? [];
  const inputs: InputInfo[] = refs.map((r) => ({
    ref: r.text,
    type: ctx.cyclic.has(r.node) ? undefined : ctx.types.get(r.node),
  }));
  const options = resolveOptions(
    ctx,
    node,
    def,
    inputs[0]?.type,
    refs.map((r) => r.text),
  );
  const noted: { tier?: TierName; dataset?: string } = {};
  const pctx: ProcessorContext = {
    node: node.name,
    options,
    written: new Set(node.options.map((e) => e.key)),
    inputs,
    catalog: ctx.env.catalog,
    tiers: ctx.env.tiers,
    paramType: (name) => ctx.paramTypes.get(name),
    note: (info) => Object.assign(noted, info),
    report: (path: PlanPath, code, message, o = {}) => {
      const full = [...node.path, ...path];
      ctx.report(ctx.rangeAt(full, o.part ?? 'value'), full, code, message, o.severity ?? 'error');
    },
  };
  let type: ReturnType<ProcessorDefinition['check']>;
  try {
    type = def.check(pctx);
  } catch (error) {
    ctx.report(
      node.use?.range ?? node.keyRange,
      [...node.path, 'use'],
      'processor-error',
      `processor ${def.name} (${def.source}) failed while checking node '${node.name}': ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  ctx.types.set(node.name, type);
  const keys = options['keys'];
  if (def.name === 'lookup' && noted.dataset && isParamOption(keys)) {
    const set = ctx.keyParams.get(keys.param) ?? new Set();
    set.add(noted.dataset as never);
    ctx.keyParams.set(keys.param, set);
  }
  if (!type) return;
  const checked: CheckedNode = {
    name: node.name,
    use: def.name,
    processor: def,
    inputs: refs.map((r) => ({
      node: r.node,
      ...(r.port !== undefined ? { port: r.port } : {}),
      text: r.text,
    })),
    options,
    onError: node.onError,
    itemType: type,
    estimatedMs: estimateOf(def, options, ctx, node),
    ...(node.timeoutMs !== undefined ? { timeoutMs: node.timeoutMs } : {}),
    ...(ctx.ports.has(node.name) ? { ports: ctx.ports.get(node.name)! } : {}),
    ...(noted.tier ? { tier: noted.tier } : {}),
    ...(noted.dataset ? { dataset: noted.dataset as never } : {}),
  };
  ctx.checked.set(node.name, checked);
}

export const nodeTypesRule: Rule = {
  name: 'node-types',
  codes: [
    'unknown-key', 'missing-key', 'wrong-type', 'invalid-value', 'unknown-param', 'param-type', 'unknown-tier',
    'unknown-dataset', 'unknown-field', 'field-not-in-tier', 'dataset-not-in-tier', 'composite-key',
    'expression-syntax', 'expression-type', 'unknown-function', 'rank-by-not-number', 'expand-not-reference',
    'merge-type-mismatch', 'input-type-mismatch', 'unknown-input', 'unknown-type', 'sql-not-select',
    'split-ports', 'experiment-variants', 'experiment-weights', 'unused-option', 'processor-error',
  ], // biome-ignore format: list
  run(ctx) {
    const done = new Set<NodeName>();
    for (const name of ctx.order) {
      const node = ctx.nodes.get(name);
      if (node) checkNode(ctx, node);
      done.add(name);
    }
    for (const node of ctx.ast.nodes) if (!done.has(node.name)) checkNode(ctx, node);
  },
};
