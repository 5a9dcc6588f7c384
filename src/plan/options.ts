/**
 * Generic option checking, driven by each processor's declared option types: unknown options
 * (did-you-mean), missing required ones, wrong value types, `$params.NAME` standing for a value
 * (the param must exist and fit), expressions (parsed and type-checked against the input items),
 * tiers, datasets, fields, lookup keys, SQL and `returns`. Processors then check what is specific.
 */
import { TIER_NAMES, type TierName, parseTypeName } from '../catalog/types.js';
import type { SourceRange } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import { rangeOf } from '../diagnostics/yaml-source.js';
import type {
  ExprOption,
  NodeAst,
  OptionValue,
  ParamName,
  PlanPath,
  ReturnsOption,
  SqlOption,
  VariantOption,
} from './ast.js';
import type { Expr } from './expr/ast.js';
import { checkExpression, showType } from './expr/check.js';
import { parseExpression } from './expr/parse.js';
import type { OptionType, ProcessorDefinition } from './processors/definition.js';
import { COMMON_NODE_KEYS } from './processors/definition.js';
import type { RuleContext } from './rules/context.js';
import { checkReadOnlySql, sqlParams } from './sql.js';
import type { ItemType } from './types.js';
import { describeNode, type YNode, type YScalar } from './yaml-tree.js';

export const PARAM_REF = /^\$params\.([A-Za-z_][A-Za-z0-9_]*)$/;
export const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]*$/;

interface Scope {
  ctx: RuleContext;
  node: NodeAst;
  def: ProcessorDefinition;
  input: ItemType | undefined;
  inputRefs: readonly string[];
}

/** Resolves and checks the options of `node` against `def`. Only well-typed options are returned. */
export function resolveOptions(
  ctx: RuleContext,
  node: NodeAst,
  def: ProcessorDefinition,
  input: ItemType | undefined,
  inputRefs: readonly string[],
): Record<string, OptionValue> {
  const scope: Scope = { ctx, node, def, input, inputRefs };
  const out: Record<string, OptionValue> = {};
  const names = Object.keys(def.options);
  for (const e of node.options) {
    const spec = Object.hasOwn(def.options, e.key) ? def.options[e.key] : undefined;
    if (!spec) {
      const known = [...names, ...COMMON_NODE_KEYS];
      ctx.report(
        e.keyRange,
        [...node.path, e.key],
        'unknown-key',
        `unknown option '${e.key}' for processor ${def.name}${didYouMean(e.key, known)} (options: ${names.length > 0 ? names.join(', ') : 'none'}; node keys: ${COMMON_NODE_KEYS.join(', ')})`,
      );
      continue;
    }
    const value = resolveValue(scope, e.value, spec.type, [...node.path, e.key], `'${e.key}'`);
    if (value !== undefined) out[e.key] = value;
  }
  for (const [name, spec] of Object.entries(def.options)) {
    if (spec.required && !node.options.some((e) => e.key === name)) {
      ctx.report(
        node.keyRange,
        node.path,
        'missing-key',
        `node '${node.name}' (${def.name}) is missing required option '${name}' (${spec.doc})`,
      );
    }
  }
  return out;
}

function isString(node: YNode): node is YScalar & { value: string } {
  return node.kind === 'scalar' && typeof node.value === 'string';
}

/** A `$params.NAME` value: checks the param exists and fits `want`; undefined if not a param. */
function paramValue(
  scope: Scope,
  node: YNode,
  path: PlanPath,
  label: string,
  type: OptionType,
): OptionValue | null | undefined {
  if (!isString(node)) return undefined;
  const m = PARAM_REF.exec(node.value.trim());
  if (!m) {
    if (node.value.trim().startsWith('$')) {
      scope.ctx.report(
        node.range,
        path,
        'wrong-type',
        `${label} '${node.value}' is not a param reference; write $params.NAME`,
      );
      return null;
    }
    return undefined;
  }
  const name = m[1]!;
  const { ctx } = scope;
  if (!ctx.paramTypes.has(name)) {
    ctx.report(
      node.range,
      path,
      'unknown-param',
      `unknown param '${name}'${didYouMean(name, ctx.paramTypes.keys())} (params are declared under 'params')`,
    );
    return null;
  }
  ctx.usedParams.add(name);
  const pt = ctx.paramTypes.get(name);
  const fits =
    pt === undefined ||
    (type.kind === 'int' && pt.kind === 'int') ||
    (type.kind === 'number' && (pt.kind === 'int' || pt.kind === 'float')) ||
    ((type.kind === 'string' || type.kind === 'enum' || type.kind === 'name') && pt.kind === 'string') ||
    (type.kind === 'bool' && pt.kind === 'bool') ||
    type.kind === 'keys';
  const staticKinds = ['tier', 'dataset', 'field', 'fields', 'sql', 'returns', 'map', 'variants'];
  if (staticKinds.includes(type.kind)) {
    ctx.report(
      node.range,
      path,
      'wrong-type',
      `${label} cannot come from a param: it must be known when the plan is validated`,
    );
    return null;
  }
  if (!fits) {
    const want =
      type.kind === 'number'
        ? 'a number (int or float)'
        : type.kind === 'enum' || type.kind === 'name'
          ? 'a string'
          : `an ${type.kind}`.replace('an string', 'a string').replace('an bool', 'a bool');
    ctx.report(
      node.range,
      path,
      'param-type',
      `${label} needs ${want}, but param '${name}' is ${pt ? showType(pt) : 'untyped'}`,
    );
    return null;
  }
  return { param: name as ParamName };
}

function resolveValue(
  scope: Scope,
  node: YNode,
  type: OptionType,
  path: PlanPath,
  label: string,
): OptionValue | undefined {
  const { ctx } = scope;
  const wrong = (what: string): undefined => {
    ctx.report(node.range, path, 'wrong-type', `${label} must be ${what}, not ${describeNode(node)}`);
    return undefined;
  };
  if (type.kind !== 'expr') {
    const p = paramValue(scope, node, path, label, type);
    if (p === null) return undefined;
    if (p !== undefined) return p;
  }
  const v = node.kind === 'scalar' ? node.value : undefined;
  switch (type.kind) {
    case 'int': {
      const min = type.min ?? 0;
      if (typeof v === 'number' && Number.isInteger(v) && v >= min) return v;
      return wrong(min > 0 ? `a positive integer` : 'a non-negative integer');
    }
    case 'number': {
      const min = type.min ?? Number.NEGATIVE_INFINITY;
      if (typeof v === 'number' && Number.isFinite(v) && v >= min) return v;
      return wrong(min === 0 ? 'a non-negative number' : 'a number');
    }
    case 'string':
      return typeof v === 'string' ? v : wrong('a string');
    case 'bool':
      return typeof v === 'boolean' ? v : wrong('true or false');
    case 'enum':
      if (typeof v === 'string' && type.values.includes(v)) return v;
      ctx.report(
        node.range,
        path,
        'invalid-value',
        `${label} must be one of ${type.values.map((x) => `'${x}'`).join(', ')}, not ${describeNode(node)}${typeof v === 'string' ? didYouMean(v, type.values) : ''}`,
      );
      return undefined;
    case 'name':
      if (typeof v === 'string' && NAME_PATTERN.test(v)) return v;
      return wrong('a name ([A-Za-z_][A-Za-z0-9_-]*)');
    case 'tier': {
      if (typeof v !== 'string') return wrong(`a tier (${TIER_NAMES.join(', ')})`);
      if (!(TIER_NAMES as readonly string[]).includes(v)) {
        ctx.report(
          node.range,
          path,
          'unknown-tier',
          `unknown tier '${v}'${didYouMean(v, TIER_NAMES)} (tiers: ${TIER_NAMES.join(', ')})`,
        );
        return undefined;
      }
      if (type.allowed && !type.allowed.includes(v as TierName)) {
        ctx.report(
          node.range,
          path,
          'invalid-value',
          `${scope.def.name} reads from ${type.allowed.join(' or ')}, not ${v}`,
        );
        return undefined;
      }
      return v;
    }
    case 'dataset': {
      if (typeof v !== 'string') return wrong('a dataset name');
      if (!ctx.env.catalog.find(v)) {
        ctx.report(
          node.range,
          path,
          'unknown-dataset',
          `unknown dataset '${v}'${didYouMean(v, ctx.env.catalog.names())} (see 'disco catalog')`,
        );
        return undefined;
      }
      return v;
    }
    case 'field':
      if (typeof v !== 'string' || v === '') return wrong('a field name');
      return checkField(scope, node as YScalar, v, path) ? v : undefined;
    case 'fields': {
      if (node.kind !== 'seq') return wrong('a list of field names');
      if (node.items.length === 0) return wrong('a non-empty list of field names');
      const names: string[] = [];
      node.items.forEach((item, i) => {
        if (!isString(item) || item.value === '') {
          ctx.report(
            item.range,
            [...path, i],
            'wrong-type',
            `${label} must list field names, not ${describeNode(item)}`,
          );
        } else if (checkField(scope, item, item.value, [...path, i])) names.push(item.value);
      });
      return names.length === node.items.length ? names : undefined;
    }
    case 'keys': {
      if (node.kind === 'seq') {
        const values: unknown[] = [];
        for (const [i, item] of node.items.entries()) {
          if (item.kind !== 'scalar' || item.value === null) {
            ctx.report(
              item.range,
              [...path, i],
              'wrong-type',
              `${label} must list key values, not ${describeNode(item)}`,
            );
            return undefined;
          }
          values.push(item.value);
        }
        return values;
      }
      if (node.kind === 'scalar' && node.value !== null) return [node.value];
      return wrong('a $params.NAME or a list of keys');
    }
    case 'expr':
      return resolveExpr(scope, node, type, path, label);
    case 'sql':
      return typeof v === 'string'
        ? resolveSql(scope, node as YScalar & { value: string }, path)
        : wrong('an SQL SELECT statement');
    case 'returns':
      return resolveReturns(scope, node, path, label);
    case 'map': {
      if (node.kind !== 'map') return wrong('a mapping');
      const out: Record<string, OptionValue> = {};
      let ok = true;
      for (const e of node.entries) {
        if (type.keys === 'inputs' && !scope.inputRefs.includes(e.key)) {
          ctx.report(
            e.keyRange,
            [...path, e.key],
            'unknown-input',
            `'${e.key}' is not an input of node '${scope.node.name}'${didYouMean(e.key, scope.inputRefs)} (inputs: ${scope.inputRefs.join(', ') || 'none'})`,
          );
          ok = false;
          continue;
        }
        if (type.keys === 'names' && !NAME_PATTERN.test(e.key)) {
          ctx.report(
            e.keyRange,
            [...path, e.key],
            'invalid-name',
            `'${e.key}' is not a valid name ([A-Za-z_][A-Za-z0-9_-]*)`,
          );
          ok = false;
          continue;
        }
        const value = resolveValue(scope, e.value, type.of, [...path, e.key], `'${e.key}'`);
        if (value === undefined) ok = false;
        else out[e.key] = value;
      }
      return ok ? out : undefined;
    }
    case 'variants':
      return resolveVariants(scope, node, path, label);
  }
}

/** Checks a (dotted) field name against the input items; reports unknown or non-light fields. */
function checkField(scope: Scope, node: YScalar, name: string, path: PlanPath): boolean {
  const items = scope.input;
  if (!items) return true;
  let ok = true;
  checkExpression(
    { kind: 'field', path: name.split('.'), start: 0, end: name.length },
    {
      items,
      params: new Map(),
      noteParam: () => {},
      fullFields: (d) => scope.ctx.env.catalog.find(d)?.fields,
      report: (code, message) => {
        ok = false;
        scope.ctx.report(node.range, path, code, message);
      },
    },
  );
  return ok;
}

export function exprRange(ctx: RuleContext, node: YNode, start: number, end: number): SourceRange {
  if (node.kind === 'scalar' && node.lineOffsets && node.lineLengths) {
    // The value's lines are the block scalar's content lines, joined by one character.
    const { lineOffsets: offsets, lineLengths: lengths } = node;
    const at = (o: number) => {
      let rest = o;
      let line = 0;
      while (line < offsets.length - 1 && rest > lengths[line]!) {
        rest -= lengths[line]! + 1;
        line++;
      }
      return offsets[line]! + rest;
    };
    const a = at(start);
    return rangeOf(ctx.source.lineCounter, a, Math.max(at(Math.max(end, start + 1)), a + 1));
  }
  if (node.kind === 'scalar' && node.textOffset !== undefined) {
    return rangeOf(
      ctx.source.lineCounter,
      node.textOffset + start,
      node.textOffset + Math.max(end, start + 1),
    );
  }
  return node.range;
}

function resolveExpr(
  scope: Scope,
  node: YNode,
  type: Extract<OptionType, { kind: 'expr' }>,
  path: PlanPath,
  label: string,
): ExprOption | undefined {
  const { ctx } = scope;
  if (node.kind !== 'scalar' || node.value === null) {
    ctx.report(node.range, path, 'wrong-type', `${label} must be an expression, not ${describeNode(node)}`);
    return undefined;
  }
  const text = String(node.value);
  const parsed = parseExpression(text);
  if (parsed.error) {
    ctx.report(
      exprRange(ctx, node, parsed.error.start, parsed.error.end),
      path,
      'expression-syntax',
      `${label}: ${parsed.error.message}`,
    );
    return undefined;
  }
  const expr = parsed.expr;
  let ok = true;
  if (type.scope === 'request') {
    walk(expr, (e) => {
      if (e.kind === 'field') {
        ok = false;
        ctx.report(
          exprRange(ctx, node, e.start, e.end),
          path,
          'expression-type',
          `${label} is evaluated once per request: it can use params and literals, not the item field '${e.path.join('.')}'`,
        );
      }
    });
    if (!ok) return undefined;
  }
  const t = checkExpression(expr, {
    items: scope.input,
    params: ctx.paramTypes,
    noteParam: (n) => ctx.usedParams.add(n),
    fullFields: (d) => ctx.env.catalog.find(d)?.fields,
    report: (code, message, s, e) => {
      ok = false;
      ctx.report(exprRange(ctx, node, s, e), path, code, `${message}`);
    },
  });
  if (!ok) return undefined;
  if (type.expect === 'bool' && t.kind !== 'bool' && t.kind !== 'any') {
    ctx.report(
      exprRange(ctx, node, expr.start, expr.end),
      path,
      type.code ?? 'expression-type',
      `${label} must be a boolean expression; '${text}' is ${showType(t)}`,
    );
    return undefined;
  }
  if (type.expect === 'number' && t.kind !== 'int' && t.kind !== 'float' && t.kind !== 'any') {
    ctx.report(
      exprRange(ctx, node, expr.start, expr.end),
      path,
      type.code ?? 'expression-type',
      `${label} must be numeric; '${text}' is ${showType(t)}`,
    );
    return undefined;
  }
  return { expr, text, type: t };
}

function walk(e: Expr, f: (e: Expr) => void): void {
  f(e);
  if (e.kind === 'list') for (const x of e.items) walk(x, f);
  else if (e.kind === 'unary') walk(e.operand, f);
  else if (e.kind === 'binary') {
    walk(e.left, f);
    walk(e.right, f);
  } else if (e.kind === 'call') for (const x of e.args) walk(x, f);
}

function resolveSql(scope: Scope, node: YScalar & { value: string }, path: PlanPath): SqlOption | undefined {
  const { ctx } = scope;
  let ok = true;
  const problem = checkReadOnlySql(node.value);
  if (problem) {
    ok = false;
    ctx.report(exprRange(ctx, node, problem.start, problem.end), path, 'sql-not-select', problem.message);
  }
  const refs = sqlParams(node.value);
  for (const r of refs) {
    if (!ctx.paramTypes.has(r.name)) {
      ok = false;
      ctx.report(
        exprRange(ctx, node, r.start, r.end),
        path,
        'unknown-param',
        `unknown param '${r.name}' in the SQL${didYouMean(r.name, ctx.paramTypes.keys())} (params are declared under 'params')`,
      );
    } else ctx.usedParams.add(r.name);
  }
  if (!ok) return undefined;
  let named = '';
  let positional = '';
  let last = 0;
  for (const r of refs) {
    named += `${node.value.slice(last, r.start)}$${r.name}`;
    positional += `${node.value.slice(last, r.start)}?`;
    last = r.end;
  }
  named += node.value.slice(last);
  positional += node.value.slice(last);
  return { text: node.value, named, positional, params: refs.map((r) => r.name as ParamName) };
}

function resolveReturns(scope: Scope, node: YNode, path: PlanPath, label: string): ReturnsOption | undefined {
  const { ctx } = scope;
  if (node.kind !== 'map') {
    ctx.report(
      node.range,
      path,
      'wrong-type',
      `${label} must be {dataset: NAME} or {fields: {NAME: TYPE}}, not ${describeNode(node)}`,
    );
    return undefined;
  }
  for (const e of node.entries) {
    if (e.key !== 'dataset' && e.key !== 'fields') {
      ctx.report(
        e.keyRange,
        [...path, e.key],
        'unknown-key',
        `unknown key '${e.key}' in ${label}${didYouMean(e.key, ['dataset', 'fields'])} (expected dataset or fields)`,
      );
    }
  }
  const ds = node.entries.find((e) => e.key === 'dataset');
  const fs = node.entries.find((e) => e.key === 'fields');
  if ((ds === undefined) === (fs === undefined)) {
    ctx.report(
      node.range,
      path,
      ds ? 'wrong-type' : 'missing-key',
      `${label} needs exactly one of 'dataset' or 'fields'`,
    );
    return undefined;
  }
  if (ds) {
    const v = resolveValue(scope, ds.value, { kind: 'dataset' }, [...path, 'dataset'], "'returns.dataset'");
    return typeof v === 'string' ? { dataset: v as never } : undefined;
  }
  const f = fs!;
  if (f.value.kind !== 'map' || f.value.entries.length === 0) {
    ctx.report(
      f.value.range,
      [...path, 'fields'],
      'wrong-type',
      `'returns.fields' must be a non-empty mapping of field names to types, not ${describeNode(f.value)}`,
    );
    return undefined;
  }
  const fields: Array<{ name: string; type: NonNullable<ReturnType<typeof parseTypeName>> }> = [];
  let ok = true;
  for (const e of f.value.entries) {
    const t = isString(e.value) ? parseTypeName(e.value.value) : undefined;
    if (!t) {
      ok = false;
      ctx.report(
        e.value.range,
        [...path, 'fields', e.key],
        'unknown-type',
        `unknown type ${describeNode(e.value)} for field '${e.key}' (types: int, float, string, bool, timestamp, list<T>)`,
      );
    } else fields.push({ name: e.key, type: t });
  }
  return ok ? { fields } : undefined;
}

function resolveVariants(scope: Scope, node: YNode, path: PlanPath, label: string): OptionValue | undefined {
  const { ctx } = scope;
  if (node.kind !== 'map') {
    ctx.report(
      node.range,
      path,
      'wrong-type',
      `${label} must map variant names to {weight, input}, not ${describeNode(node)}`,
    );
    return undefined;
  }
  const out: Record<string, VariantOption> = {};
  let ok = true;
  for (const v of node.entries) {
    const vPath = [...path, v.key];
    if (v.value.kind !== 'map') {
      ok = false;
      ctx.report(
        v.value.range,
        vPath,
        'wrong-type',
        `variant '${v.key}' must be a mapping {weight: N, input: NODE}, not ${describeNode(v.value)}`,
      );
      continue;
    }
    for (const e of v.value.entries) {
      if (e.key !== 'weight' && e.key !== 'input') {
        ok = false;
        ctx.report(
          e.keyRange,
          [...vPath, e.key],
          'unknown-key',
          `unknown key '${e.key}' in variant '${v.key}'${didYouMean(e.key, ['weight', 'input'])} (expected weight, input)`,
        );
      }
    }
    const w = v.value.entries.find((e) => e.key === 'weight');
    const i = v.value.entries.find((e) => e.key === 'input');
    if (!w || !i) {
      ok = false;
      ctx.report(
        v.keyRange,
        vPath,
        'missing-key',
        `variant '${v.key}' is missing '${!w ? 'weight' : 'input'}'`,
      );
      continue;
    }
    const weight = w.value.kind === 'scalar' ? w.value.value : undefined;
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) {
      ok = false;
      ctx.report(
        w.value.range,
        [...vPath, 'weight'],
        'experiment-weights',
        `the weight of variant '${v.key}' must be a non-negative number, not ${describeNode(w.value)}`,
      );
      continue;
    }
    if (!isString(i.value)) {
      ok = false;
      ctx.report(
        i.value.range,
        [...vPath, 'input'],
        'wrong-type',
        `the input of variant '${v.key}' must be a node reference, not ${describeNode(i.value)}`,
      );
      continue;
    }
    out[v.key] = { weight, input: i.value.value };
  }
  return ok ? out : undefined;
}
