/**
 * `checkPlanText`: one plan's text → its diagnostics and, when it has no errors, the
 * {@link CheckedPlan} the engine compiles and the UI draws. Never throws on any input: an
 * unexpected failure inside a rule becomes an `internal` diagnostic (a bug, but not a crash).
 */
import type { DatasetName } from '../catalog/types.js';
import type { Diagnostic, DiagnosticPath, SourceRange } from '../diagnostics/diagnostic.js';
import { locate } from '../diagnostics/yaml-source.js';
import type { CheckedParam, CheckedPlan, NodeName } from './ast.js';
import type { ValidationEnv } from './env.js';
import { parsePlanText, type Report } from './parse.js';
import { RULES } from './rules/index.js';
import type { RuleContext } from './rules/context.js';
import { criticalPath } from './rules/slo.js';
import { valueFits } from './rules/param-defaults.js';
import { toPlain } from './values.js';

export interface PlanCheckResult {
  plan?: CheckedPlan;
  /** The plan's name, when it could be read (even if the plan has errors), and where. */
  name?: string;
  nameRange?: SourceRange;
  diagnostics: Diagnostic[];
}

export function checkPlanText(text: string, file: string, env: ValidationEnv): PlanCheckResult {
  const parsed = parsePlanText(text, file);
  const diagnostics = parsed.diagnostics;
  const finish = (plan?: CheckedPlan, name?: string): PlanCheckResult => ({
    ...(plan ? { plan } : {}),
    ...(name !== undefined && parsed.ast?.name ? { name, nameRange: parsed.ast.name.range } : {}),
    diagnostics: sortDiagnostics(dedupe(diagnostics)),
  });
  if (!parsed.ast || !parsed.source) return finish();
  const { ast, source } = parsed;
  const report: Report = (range, path, code, message, severity = 'error') => {
    diagnostics.push({ file, ...range, severity, code, path: [...path], message });
  };
  const paramTypes = new Map(ast.params.map((p) => [p.name as string, p.type]));
  const ctx: RuleContext = {
    ast,
    source,
    env,
    report,
    nodes: new Map(ast.nodes.map((n) => [n.name as string, n])),
    processors: new Map(),
    ports: new Map(),
    edges: new Map(),
    cyclic: new Set(),
    order: [],
    types: new Map(),
    checked: new Map(),
    usedParams: new Set(),
    keyParams: new Map(),
    paramTypes,
    rangeAt: (path: DiagnosticPath, part: 'key' | 'value' = 'value') => locate(source, path, part),
  };
  for (const rule of RULES) {
    try {
      rule.run(ctx);
    } catch (error) {
      report(
        ast.root.range,
        [],
        'internal',
        `internal error in rule '${rule.name}' (a bug in discokit; please report it): ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  const name = ast.name?.value;
  if (diagnostics.some((d) => d.severity === 'error') || name === undefined) return finish(undefined, name);
  return finish(buildCheckedPlan(ctx, name), name);
}

function buildCheckedPlan(ctx: RuleContext, name: string): CheckedPlan | undefined {
  const { ast } = ctx;
  const nodes = ctx.order.map((n) => ctx.checked.get(n));
  if (nodes.some((n) => n === undefined) || nodes.length !== ast.nodes.length) return undefined;
  const params: CheckedParam[] = [];
  for (const p of ast.params) {
    if (!p.type) return undefined;
    const param: CheckedParam = {
      name: p.name,
      type: p.type,
      required: p.required,
      keyOf: [...(ctx.keyParams.get(p.name) ?? [])] as DatasetName[],
    };
    if (p.default && valueFits(p.default, p.type)) param.default = toPlain(p.default);
    params.push(param);
  }
  const outputs: CheckedPlan['outputs'] = [];
  for (const o of ast.outputs) {
    const t = o.ref ? ctx.checked.get(o.ref.node)?.itemType : undefined;
    if (!o.ref || !t) return undefined;
    outputs.push({
      name: o.name,
      ref: { node: o.ref.node, ...(o.ref.port !== undefined ? { port: o.ref.port } : {}), text: o.ref.text },
      itemType: t,
    });
  }
  const { p99Ms, path } = criticalPath(ctx);
  return {
    name,
    file: ast.file,
    ...(ast.description !== undefined ? { description: ast.description } : {}),
    params,
    ...(ast.slo?.p99Ms !== undefined ? { slo: { p99Ms: ast.slo.p99Ms } } : {}),
    nodes: nodes as NonNullable<(typeof nodes)[number]>[],
    order: [...ctx.order] as NodeName[],
    outputs,
    estimate: { p99Ms, criticalPath: path },
  };
}

function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.line}:${d.column}:${d.code}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics
    .map((d, i) => [d, i] as const)
    .sort(([a, i], [b, j]) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || i - j)
    .map(([d]) => d);
}
