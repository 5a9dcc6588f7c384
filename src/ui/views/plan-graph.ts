/**
 * Plan → graph adapter for `plan show`, `plan graph` and the `plan run` waterfall.
 *
 * It reads the plan's plain YAML mapping (what the user wrote), not the checked AST, so a plan
 * with validation errors — unknown processors, dangling inputs, even cycles — is still drawn;
 * the diagnostics of the validator are then attached to the nodes they point at
 * (`path: ['nodes', NAME, …]`). Anything it cannot make sense of is simply left out of the
 * picture: the validator, not the drawing, reports it.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { parseYaml } from '../../diagnostics/yaml-source.js';
import type { Graph, GraphEdge, GraphNode } from '../dag/graph.js';
import { isTierTone, type Tone } from '../palette.js';

export interface PlanGraph {
  /** The plan's name, when it has a valid one. */
  name: string | undefined;
  description: string | undefined;
  params: Array<{ name: string; type: string; required: boolean; default?: unknown }>;
  sloP99Ms: number | undefined;
  /** Response-list name → node reference. */
  outputs: Array<{ name: string; ref: string }>;
  graph: Graph;
  /** Diagnostics that do not belong to one node (top level, params, output). */
  planProblems: Diagnostic[];
  diagnostics: Diagnostic[];
}

type Mapping = Record<string, unknown>;

const isMapping = (v: unknown): v is Mapping => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The plain value of plan YAML/JSON text, best effort (also when the validator rejected it). */
export function rawPlanValue(text: string, file: string): unknown {
  const parsed = parseYaml(text, file);
  if (parsed.value !== undefined) return parsed.value;
  try {
    return parsed.source?.doc.toJS({ maxAliasCount: 100 });
  } catch {
    return undefined;
  }
}

function refParts(ref: string): { node: string; port?: string } {
  const dot = ref.indexOf('.');
  return dot < 0 ? { node: ref } : { node: ref.slice(0, dot), port: ref.slice(dot + 1) };
}

function inputsOf(node: Mapping): Array<{ ref: string; label?: string }> {
  const out: Array<{ ref: string; label?: string }> = [];
  const input = node['input'];
  const add = (v: unknown, label?: string) => {
    if (typeof v === 'string') out.push(label === undefined ? { ref: v } : { ref: v, label });
  };
  if (Array.isArray(input)) for (const v of input) add(v);
  else add(input);
  // experiment: variants name → {weight, input}
  const variants = node['variants'];
  if (isMapping(variants))
    for (const [name, v] of Object.entries(variants)) if (isMapping(v)) add(v['input'], name);
  return out;
}

function scalar(v: unknown): string | undefined {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

/** Plan value + diagnostics → the picture's graph and the plan's header facts. */
export function planToGraph(value: unknown, diagnostics: readonly Diagnostic[] = []): PlanGraph {
  const plan = isMapping(value) ? value : {};
  const nodesValue = isMapping(plan['nodes']) ? plan['nodes'] : {};
  const outputs: PlanGraph['outputs'] = [];
  if (isMapping(plan['output']))
    for (const [name, ref] of Object.entries(plan['output']))
      if (typeof ref === 'string') outputs.push({ name, ref });

  const byNode = new Map<string, Diagnostic[]>();
  const planProblems: Diagnostic[] = [];
  for (const d of diagnostics) {
    const name = d.path[0] === 'nodes' && typeof d.path[1] === 'string' ? d.path[1] : undefined;
    if (name !== undefined && Object.hasOwn(nodesValue, name))
      byNode.set(name, [...(byNode.get(name) ?? []), d]);
    else planProblems.push(d);
  }

  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  for (const [name, raw] of Object.entries(nodesValue)) {
    const node = isMapping(raw) ? raw : {};
    const use = scalar(node['use']) ?? '?';
    const tier = scalar(node['tier']);
    const dataset =
      scalar(node['dataset']) ??
      (isMapping(node['returns']) ? scalar(node['returns']['dataset']) : undefined);
    const lines: string[] = [use];
    const lineTones: Array<Tone | undefined> = [undefined];
    if (tier !== undefined || dataset !== undefined) {
      lines.push([tier, dataset].filter((s) => s !== undefined).join(' · '));
      lineTones.push(isTierTone(tier) ? tier : undefined);
    }
    const problems = byNode.get(name) ?? [];
    const errors = problems.filter((d) => d.severity === 'error');
    const warnings = problems.filter((d) => d.severity === 'warning');
    if (warnings.length > 0) {
      lines.push(`! ${warnings[0]!.code}${warnings.length > 1 ? ` +${warnings.length - 1}` : ''}`);
      lineTones.push('running');
    }
    const outs = outputs.filter((o) => refParts(o.ref).node === name).map((o) => o.name);
    const g: GraphNode = { id: name, title: name, lines, lineTones };
    if (outs.length > 0) g.badge = `→ ${outs.join(',')}`;
    if (isTierTone(tier)) g.tone = tier;
    if (errors.length > 0)
      g.problem = `${errors[0]!.code}${errors.length > 1 ? ` +${errors.length - 1}` : ''}`;
    nodes.push(g);
    for (const { ref, label } of inputsOf(node)) {
      const { node: from, port } = refParts(ref);
      const l = [label, port].filter((s) => s !== undefined).join(':');
      edges.push(l === '' ? { from, to: name } : { from, to: name, label: l });
    }
  }

  const params: PlanGraph['params'] = [];
  if (isMapping(plan['params']))
    for (const [name, p] of Object.entries(plan['params'])) {
      const m = isMapping(p) ? p : {};
      params.push({
        name,
        type: scalar(m['type']) ?? '?',
        required: m['required'] === true,
        ...(m['default'] === undefined ? {} : { default: m['default'] }),
      });
    }
  const slo = isMapping(plan['slo']) ? plan['slo']['p99_ms'] : undefined;
  return {
    name: typeof plan['plan'] === 'string' ? plan['plan'] : undefined,
    description: typeof plan['description'] === 'string' ? plan['description'] : undefined,
    params,
    sloP99Ms: typeof slo === 'number' ? slo : undefined,
    outputs,
    graph: { nodes, edges },
    planProblems,
    diagnostics: [...diagnostics],
  };
}
