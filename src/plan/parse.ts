/**
 * The plan edge: YAML text → positioned tree → {@link PlanAst}. It checks the shape that does not
 * depend on processors (top-level keys, params, slo, the common node keys, output) — missing
 * required keys, unknown keys with did-you-mean, wrong value types — and keeps going, so one run
 * reports every problem. Past this point the plan is typed; names are resolved by the rules.
 */
import { parseTypeName } from '../catalog/types.js';
import type { Diagnostic, SourceRange } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import { parseYaml, type YamlSource } from '../diagnostics/yaml-source.js';
import type { NodeAst, NodeName, OutputAst, ParamAst, ParamName, PlanAst, PlanPath, RefAst } from './ast.js';
import { COMMON_NODE_KEYS } from './processors/definition.js';
import {
  describeNode,
  toTree,
  TreeTooLarge,
  type YEntry,
  type YMap,
  type YNode,
  type YScalar,
} from './yaml-tree.js';

export const TOP_KEYS = ['plan', 'description', 'params', 'slo', 'nodes', 'output'] as const;
export const PARAM_KEYS = ['type', 'required', 'default'] as const;
export const SLO_KEYS = ['p99_ms'] as const;
export const PARAM_TYPES = ['int', 'float', 'string', 'bool', 'list<int>', 'list<string>'] as const;
export const REF_PATTERN = /^([^.\s]+)(?:\.([^.\s]+))?$/;

export interface ParsedPlanText {
  source?: YamlSource;
  ast?: PlanAst;
  diagnostics: Diagnostic[];
}

export type Report = (
  range: SourceRange,
  path: PlanPath,
  code: string,
  message: string,
  severity?: 'error' | 'warning',
) => void;

/** Parses plan text: YAML problems, then the plan's shape. Never throws on any input. */
export function parsePlanText(text: string, file: string): ParsedPlanText {
  const parsed = parseYaml(text, file, undefined, { value: false });
  const diagnostics = [...parsed.diagnostics];
  if (!parsed.source || diagnostics.length > 0) return { diagnostics };
  const source = parsed.source;
  if (source.doc.contents === null) {
    diagnostics.push({
      file,
      line: 1,
      column: 1,
      endLine: 1,
      endColumn: 1,
      severity: 'error',
      code: 'empty-file',
      path: [],
      message: 'file is empty; expected a plan (a YAML mapping)',
    });
    return { source, diagnostics };
  }
  let root: YNode;
  try {
    root = toTree(source);
  } catch (error) {
    if (!(error instanceof TreeTooLarge)) throw error;
    diagnostics.push({
      file,
      line: 1,
      column: 1,
      endLine: 1,
      endColumn: 1,
      severity: 'error',
      code: 'yaml-alias-limit',
      path: [],
      message: 'the document expands to too many nodes (aliases?); inline the values instead',
    });
    return { source, diagnostics };
  }
  const report: Report = (range, path, code, message, severity = 'error') => {
    diagnostics.push({ file, ...range, severity, code, path: [...path], message });
  };
  if (root.kind !== 'map') {
    report(
      root.range,
      [],
      'not-a-mapping',
      `a plan must be a YAML mapping (plan:, nodes:, output: …), not ${describeNode(root)}`,
    );
    return { source, diagnostics };
  }
  const ast = readPlan(root, file, report);
  return { source, ast, diagnostics };
}

/** The range of a mapping's "header": the first key, or the mapping itself. */
export function headRange(map: YMap): SourceRange {
  return map.entries[0]?.keyRange ?? map.range;
}

export function unknownKeys(
  map: YMap,
  path: PlanPath,
  known: readonly string[],
  where: string,
  report: Report,
): void {
  for (const e of map.entries) {
    if (!known.includes(e.key)) {
      report(
        e.keyRange,
        [...path, e.key],
        'unknown-key',
        `unknown key '${e.key}' in ${where}${didYouMean(e.key, known)} (expected one of: ${known.join(', ')})`,
      );
    }
  }
}

function isString(node: YNode | undefined): node is YScalar & { value: string } {
  return node?.kind === 'scalar' && typeof node.value === 'string';
}

function readPlan(root: YMap, file: string, report: Report): PlanAst {
  const ast: PlanAst = { file, root, params: [], nodes: [], outputs: [] };
  unknownKeys(root, [], TOP_KEYS, 'the plan', report);
  const get = (key: string) => root.entries.find((e) => e.key === key);
  for (const key of ['plan', 'nodes', 'output']) {
    if (!get(key))
      report(headRange(root), [], 'missing-key', `missing required key '${key}' at the top of the plan`);
  }
  const plan = get('plan');
  if (plan) {
    if (isString(plan.value) && plan.value.value !== '') ast.name = plan.value;
    else
      report(
        plan.value.range,
        ['plan'],
        'wrong-type',
        `'plan' must be a name like 'related-pins', not ${describeNode(plan.value)}`,
      );
  }
  const description = get('description');
  if (description) {
    if (isString(description.value)) ast.description = description.value.value;
    else
      report(
        description.value.range,
        ['description'],
        'wrong-type',
        `'description' must be a string, not ${describeNode(description.value)}`,
      );
  }
  const params = get('params');
  if (params) readParams(params, ast, report);
  const slo = get('slo');
  if (slo) {
    if (slo.value.kind !== 'map')
      report(
        slo.value.range,
        ['slo'],
        'wrong-type',
        `'slo' must be a mapping like {p99_ms: 20}, not ${describeNode(slo.value)}`,
      );
    else {
      unknownKeys(slo.value, ['slo'], SLO_KEYS, "'slo'", report);
      const p99 = slo.value.entries.find((e) => e.key === 'p99_ms');
      ast.slo = { range: slo.keyRange, path: ['slo'] };
      if (!p99) report(slo.keyRange, ['slo'], 'missing-key', "missing required key 'p99_ms' in 'slo'");
      else if (
        p99.value.kind === 'scalar' &&
        typeof p99.value.value === 'number' &&
        Number.isFinite(p99.value.value) &&
        p99.value.value > 0
      ) {
        ast.slo = { p99Ms: p99.value.value, range: p99.value.range, path: ['slo', 'p99_ms'] };
      } else
        report(
          p99.value.range,
          ['slo', 'p99_ms'],
          'wrong-type',
          `'slo.p99_ms' must be a positive number of milliseconds, not ${describeNode(p99.value)}`,
        );
    }
  }
  const nodes = get('nodes');
  if (nodes) readNodes(nodes, ast, report);
  const output = get('output');
  if (output) readOutput(output, ast, report);
  return ast;
}

function readParams(entry: YEntry, ast: PlanAst, report: Report): void {
  if (entry.value.kind !== 'map') {
    if (!(entry.value.kind === 'scalar' && entry.value.value === null)) {
      report(
        entry.value.range,
        ['params'],
        'wrong-type',
        `'params' must be a mapping of param names to declarations, not ${describeNode(entry.value)}`,
      );
    }
    return;
  }
  for (const p of entry.value.entries) {
    const path = ['params', p.key];
    const param: ParamAst = { name: p.key as ParamName, keyRange: p.keyRange, path, required: false };
    ast.params.push(param);
    if (p.value.kind !== 'map') {
      report(
        p.value.kind === 'scalar' && p.value.value === null ? p.keyRange : p.value.range,
        path,
        'wrong-type',
        `param '${p.key}' must be a mapping like {type: int, default: 10}, not ${describeNode(p.value)}`,
      );
      continue;
    }
    unknownKeys(p.value, path, PARAM_KEYS, `param '${p.key}'`, report);
    const type = p.value.entries.find((e) => e.key === 'type');
    if (!type) report(p.keyRange, path, 'missing-key', `missing required key 'type' in param '${p.key}'`);
    else if (isString(type.value)) {
      param.typeText = type.value;
      const parsed = (PARAM_TYPES as readonly string[]).includes(type.value.value.replace(/\s+/g, ''))
        ? parseTypeName(type.value.value)
        : undefined;
      if (parsed) param.type = parsed;
      else
        report(
          type.value.range,
          [...path, 'type'],
          'unknown-type',
          `unknown param type '${type.value.value}'${didYouMean(type.value.value, PARAM_TYPES)} (param types: ${PARAM_TYPES.join(', ')})`,
        );
    } else
      report(
        type.value.range,
        [...path, 'type'],
        'wrong-type',
        `param type must be one of ${PARAM_TYPES.join(', ')}, not ${describeNode(type.value)}`,
      );
    const required = p.value.entries.find((e) => e.key === 'required');
    if (required) {
      if (required.value.kind === 'scalar' && typeof required.value.value === 'boolean')
        param.required = required.value.value;
      else
        report(
          required.value.range,
          [...path, 'required'],
          'wrong-type',
          `'required' must be true or false, not ${describeNode(required.value)}`,
        );
    }
    const def = p.value.entries.find((e) => e.key === 'default');
    if (def) param.default = def.value;
  }
}

function readRef(node: YNode, path: PlanPath, report: Report, what: string): RefAst | undefined {
  if (!isString(node)) {
    report(
      node.range,
      path,
      'wrong-type',
      `${what} must be a node name (or NAME.PORT), not ${describeNode(node)}`,
    );
    return undefined;
  }
  const m = REF_PATTERN.exec(node.value);
  if (!m) {
    report(
      node.range,
      path,
      'wrong-type',
      `${what} '${node.value}' is not a node reference; write NAME or NAME.PORT`,
    );
    return undefined;
  }
  return {
    node: m[1]! as NodeName,
    ...(m[2] !== undefined ? { port: m[2] } : {}),
    text: node.value,
    range: node.range,
    path,
  };
}

function readNodes(entry: YEntry, ast: PlanAst, report: Report): void {
  if (entry.value.kind !== 'map') {
    report(
      entry.value.range,
      ['nodes'],
      'wrong-type',
      `'nodes' must be a mapping of node names to nodes, not ${describeNode(entry.value)}`,
    );
    return;
  }
  if (entry.value.entries.length === 0)
    report(entry.value.range, ['nodes'], 'wrong-type', "'nodes' is empty; a plan needs at least one node");
  for (const n of entry.value.entries) {
    const path = ['nodes', n.key];
    if (n.value.kind !== 'map') {
      report(
        n.value.kind === 'scalar' && n.value.value === null ? n.keyRange : n.value.range,
        path,
        'wrong-type',
        `node '${n.key}' must be a mapping with 'use' and its options, not ${describeNode(n.value)}`,
      );
      continue;
    }
    const map = n.value;
    const node: NodeAst = {
      name: n.key as NodeName,
      keyRange: n.keyRange,
      path,
      map,
      inputs: [],
      onError: 'fail',
      options: [],
    };
    ast.nodes.push(node);
    for (const e of map.entries) {
      const ePath = [...path, e.key];
      switch (e.key) {
        case 'use':
          if (isString(e.value) && e.value.value !== '') node.use = e.value;
          else
            report(
              e.value.range,
              ePath,
              'wrong-type',
              `'use' must name a processor, not ${describeNode(e.value)}`,
            );
          break;
        case 'input':
          node.inputEntry = e;
          if (e.value.kind === 'seq') {
            e.value.items.forEach((item, i) => {
              const ref = readRef(item, [...ePath, i], report, 'an input');
              if (ref) node.inputs.push(ref);
            });
          } else {
            const ref = readRef(e.value, ePath, report, "'input'");
            if (ref) node.inputs.push(ref);
          }
          break;
        case 'timeout_ms':
          if (
            e.value.kind === 'scalar' &&
            typeof e.value.value === 'number' &&
            Number.isFinite(e.value.value) &&
            e.value.value > 0
          )
            node.timeoutMs = e.value.value;
          else
            report(
              e.value.range,
              ePath,
              'wrong-type',
              `'timeout_ms' must be a positive number of milliseconds, not ${describeNode(e.value)}`,
            );
          break;
        case 'on_error':
          if (isString(e.value) && (e.value.value === 'fail' || e.value.value === 'empty'))
            node.onError = e.value.value;
          else
            report(
              e.value.range,
              ePath,
              'invalid-value',
              `'on_error' must be 'fail' or 'empty', not ${describeNode(e.value)}${isString(e.value) ? didYouMean(e.value.value, ['fail', 'empty']) : ''}`,
            );
          break;
        default:
          node.options.push(e);
      }
    }
    if (!node.use && !map.entries.some((e) => e.key === 'use')) {
      report(
        n.keyRange,
        path,
        'missing-key',
        `missing required key 'use' in node '${n.key}' (the processor: lookup, expand, filter, …)`,
      );
    }
  }
}

function readOutput(entry: YEntry, ast: PlanAst, report: Report): void {
  if (entry.value.kind !== 'map') {
    report(
      entry.value.range,
      ['output'],
      'wrong-type',
      `'output' must be a mapping of response names to node references, not ${describeNode(entry.value)}`,
    );
    return;
  }
  if (entry.value.entries.length === 0)
    report(
      entry.value.range,
      ['output'],
      'wrong-type',
      "'output' is empty; name at least one node whose items form the response",
    );
  for (const o of entry.value.entries) {
    const out: OutputAst = { name: o.key, keyRange: o.keyRange };
    const ref = readRef(o.value, ['output', o.key], report, `output '${o.key}'`);
    if (ref) out.ref = ref;
    ast.outputs.push(out);
  }
}

export { COMMON_NODE_KEYS };
