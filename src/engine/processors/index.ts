/**
 * The processor pool: the runtime half of every built-in processor of SPEC §4, keyed by name.
 * Each entry turns a checked node (its resolved, typed options) into an executable node ONCE per
 * plan — expressions compiled to closures, option values that are `$params.NAME` turned into
 * resolvers — so a request only calls closures. A project's own processors bring their `run`
 * with their definition (see custom.ts).
 */
import type { TierName } from '../../catalog/types.js';
import { InternalError } from '../../errors/index.js';
import type {
  CheckedNode,
  CheckedPlan,
  ExprOption,
  OptionValue,
  ParamOption,
  SqlOption,
  VariantOption,
} from '../../plan/ast.js';
import { type Compiled, compileExpr, usesParams } from '../expr.js';
import type { ExecInputRef, ExecNode } from '../graph.js';
import { constant, fromParam, type Resolver } from './common.js';
import { customRun } from './custom.js';
import type { Pushdown } from './expand-memo.js';
import { chooser } from './experiment.js';
import { merge, split } from './mixing.js';
import { bindableSql, expand, lookup, query } from './sources.js';
import { dedupe, filter, limit, project, rank } from './transforms.js';

/** What a runtime factory gets: the checked node, and its plan (for names and params). */
export interface BuildContext {
  readonly plan: CheckedPlan;
  readonly node: CheckedNode;
}

interface Base {
  name: string;
  processor: string;
  inputs: readonly ExecInputRef[];
  onError: 'fail' | 'empty';
  timeoutMs?: number;
  tier?: TierName;
  dataset?: string;
}

export type RuntimeFactory = (ctx: BuildContext, base: Base) => ExecNode;

// ----- option readers --------------------------------------------------------------------------

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
export const isParamOption = (v: unknown): v is ParamOption => isObject(v) && typeof v.param === 'string';
export const isExprOption = (v: unknown): v is ExprOption =>
  isObject(v) && isObject(v.expr) && typeof v.text === 'string';

function opt(ctx: BuildContext, name: string): OptionValue | undefined {
  return ctx.node.options[name];
}

function required(ctx: BuildContext, name: string): OptionValue {
  const v = opt(ctx, name);
  if (v === undefined)
    throw new InternalError(`node '${ctx.node.name}': option '${name}' missing after validation`);
  return v;
}

/** A value option that may be `$params.NAME`: a resolver (undefined when the option is absent). */
function resolver(ctx: BuildContext, name: string): Resolver<unknown> | undefined {
  const v = opt(ctx, name);
  if (v === undefined) return undefined;
  if (isParamOption(v)) {
    const def = ctx.plan.params.find((p) => p.name === v.param)?.default;
    return fromParam(v.param, def ?? null);
  }
  return constant(v);
}

function expr(ctx: BuildContext, name: string): Compiled {
  const v = required(ctx, name);
  return exprOf(ctx, name, v);
}

function exprOf(ctx: BuildContext, name: string, v: unknown): Compiled {
  if (isExprOption(v)) return compileExpr(v.expr);
  if (isParamOption(v)) {
    const get = fromParam(v.param, null);
    return (_item, params) => get(params);
  }
  throw new InternalError(`node '${ctx.node.name}': option '${name}' is not an expression`);
}

function str(ctx: BuildContext, name: string): string {
  const v = required(ctx, name);
  if (typeof v !== 'string')
    throw new InternalError(`node '${ctx.node.name}': option '${name}' is not a string`);
  return v;
}

function parseRef(text: string): ExecInputRef {
  const dot = text.indexOf('.');
  return dot < 0 ? { node: text } : { node: text.slice(0, dot), port: text.slice(dot + 1) };
}

/**
 * Filter pushdown (expand-memo.ts): a built-in filter whose one input is a built-in expand, with a
 * `where` that reads no params, is named by its text; the expand computes that filter along with
 * its records. The filter only takes a result computed for its own text, so this pairing is an
 * optimisation, never a condition for a right answer.
 */
function pushKey(plan: CheckedPlan, node: CheckedNode): string | undefined {
  const where = node.options['where'];
  if (node.inputs.length !== 1 || !isExprOption(where) || usesParams(where.expr)) return undefined;
  const ref = node.inputs[0]!;
  const input = plan.nodes.find((n) => n.name === ref.node);
  if (ref.port !== undefined || input?.use !== 'expand' || input.processor.source !== 'builtin')
    return undefined;
  return where.text;
}

/** The filter an expand node computes along with its records, if one reads it (see pushKey). */
function pushdownFor(ctx: BuildContext): Pushdown | undefined {
  for (const n of ctx.plan.nodes) {
    if (n.use !== 'filter' || n.processor.source !== 'builtin') continue;
    const key = pushKey(ctx.plan, n);
    if (key !== undefined && n.inputs[0]!.node === ctx.node.name)
      return { key, where: compileExpr((n.options['where'] as ExprOption).expr) };
  }
  return undefined;
}

// ----- the built-ins ---------------------------------------------------------------------------

const task = (base: Base, run: ReturnType<typeof filter>): ExecNode => ({ ...base, kind: 'task', run });

export const BUILTIN_RUNTIME: Readonly<Record<string, RuntimeFactory>> = {
  lookup: (ctx, base) =>
    task(
      base,
      lookup({
        tier: str(ctx, 'tier') as never,
        dataset: str(ctx, 'dataset'),
        keys: resolver(ctx, 'keys') ?? constant([]),
      }),
    ),
  expand: (ctx, base) =>
    task(
      base,
      expand({
        field: str(ctx, 'field').split('.'),
        tier: str(ctx, 'tier') as never,
        dataset: str(ctx, 'dataset'),
        limit: resolver(ctx, 'limit'),
        pushdown: pushdownFor(ctx),
      }),
    ),
  query: (ctx, base) => {
    const sql = required(ctx, 'sql') as unknown;
    const given = isObject(sql) && typeof sql.named === 'string' ? (sql as unknown as SqlOption) : undefined;
    const bound = given ? { sql: given.named, params: given.params.map(String) } : bindableSql(String(sql));
    return task(base, query({ tier: str(ctx, 'tier') as never, sql: bound.sql, params: bound.params }));
  },
  filter: (ctx, base) => task(base, filter(expr(ctx, 'where'), pushKey(ctx.plan, ctx.node))),
  rank: (ctx, base) =>
    task(
      base,
      rank({
        by: expr(ctx, 'by'),
        order: opt(ctx, 'order') === 'asc' ? 'asc' : 'desc',
        limit: resolver(ctx, 'limit'),
      }),
    ),
  dedupe: (ctx, base) => task(base, dedupe(expr(ctx, 'by'))),
  limit: (ctx, base) => task(base, limit(resolver(ctx, 'n') ?? constant(undefined))),
  project: (ctx, base) => {
    const fields = required(ctx, 'fields');
    return task(base, project(Array.isArray(fields) ? fields.map(String) : [String(fields)]));
  },
  merge: (ctx, base) => {
    const weights = opt(ctx, 'weights') as unknown;
    const strategy = (opt(ctx, 'strategy') ?? 'concat') as 'concat' | 'interleave' | 'weighted';
    const dedupeBy = opt(ctx, 'dedupe_by');
    return task(
      base,
      merge({
        strategy,
        weights: ctx.node.inputs.map((r) => {
          const w = isObject(weights) ? (weights[r.text] ?? weights[r.node]) : undefined;
          return typeof w === 'number' ? w : 1;
        }),
        dedupeBy: dedupeBy === undefined ? undefined : exprOf(ctx, 'dedupe_by', dedupeBy),
        limit: resolver(ctx, 'limit'),
      }),
    );
  },
  split: (ctx, base) => {
    const cases = required(ctx, 'cases') as unknown;
    const otherwise = opt(ctx, 'else');
    return task(
      base,
      split({
        cases: isObject(cases)
          ? Object.entries(cases).map(([port, e]) => [port, exprOf(ctx, `cases.${port}`, e)] as const)
          : [],
        else: typeof otherwise === 'string' ? otherwise : undefined,
      }),
    );
  },
  experiment: (ctx, base) => {
    const variants = required(ctx, 'variants') as unknown;
    if (!isObject(variants)) throw new InternalError(`node '${ctx.node.name}': variants is not a mapping`);
    const list = Object.values(variants) as VariantOption[];
    return {
      ...base,
      inputs: list.map((v) => parseRef(v.input)),
      kind: 'experiment',
      choose: chooser(
        `${ctx.plan.name}/${ctx.node.name}`,
        expr(ctx, 'by'),
        list.map((v) => v.weight),
      ),
    };
  },
  fallback: (ctx, base) => ({
    ...base,
    kind: 'fallback',
    when: opt(ctx, 'when') === 'empty' ? 'empty' : 'error',
  }),
};

/** The executable node for a checked node: a built-in's runtime, or a custom processor's `run`. */
export function buildNode(ctx: BuildContext): ExecNode {
  const n = ctx.node;
  const base: Base = {
    name: n.name,
    processor: n.use,
    inputs: n.inputs.map((r) => (r.port === undefined ? { node: r.node } : { node: r.node, port: r.port })),
    onError: n.onError,
  };
  if (n.timeoutMs !== undefined) base.timeoutMs = n.timeoutMs;
  if (n.tier !== undefined) base.tier = n.tier;
  if (n.dataset !== undefined) base.dataset = n.dataset;
  const builtin = n.processor.source === 'builtin' ? BUILTIN_RUNTIME[n.use] : undefined;
  if (builtin) return builtin(ctx, base);
  return { ...base, kind: 'task', run: customRun(n) };
}
