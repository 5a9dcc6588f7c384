/**
 * The plan's two typed forms:
 * - {@link PlanAst}: what the parser reads from YAML — shape-checked, every value with its range,
 *   names not yet resolved (what rules work on);
 * - {@link CheckedPlan}: what a valid plan becomes — resolved processors, typed options, input refs,
 *   item types, topological order, key params (what the engine compiles and the UI draws).
 */
import type { DatasetName, FieldType, TierName } from '../catalog/types.js';
import type { SourceRange } from '../diagnostics/diagnostic.js';
import type { ProcessorDefinition } from './processors/definition.js';
import type { ItemType } from './types.js';
import type { YEntry, YMap, YNode, YScalar } from './yaml-tree.js';

import type { ExprOption, NodeName, OptionValue, ParamName, ParamOption, PlanPath } from './option-values.js';

export type * from './option-values.js';

/** A reference to a node's output: `NAME` or `NAME.PORT`. */
export interface NodeRef {
  node: NodeName;
  port?: string;
  /** As written: `seed`, `route.fresh`. */
  text: string;
}

export interface RefAst extends NodeRef {
  range: SourceRange;
  path: PlanPath;
}

export interface ParamAst {
  name: ParamName;
  keyRange: SourceRange;
  path: PlanPath;
  /** The declared type, when it was written as a string. */
  typeText?: YScalar & { value: string };
  type?: FieldType;
  required: boolean;
  default?: YNode;
}

export interface NodeAst {
  name: NodeName;
  keyRange: SourceRange;
  path: PlanPath;
  map: YMap;
  use?: YScalar & { value: string };
  /** Explicit `input` references (valid ones). */
  inputs: RefAst[];
  /** The `input` entry, if written. */
  inputEntry?: YEntry;
  timeoutMs?: number;
  onError: 'fail' | 'empty';
  /** Processor options: every entry that is not a common node key. */
  options: YEntry[];
}

export interface OutputAst {
  name: string;
  keyRange: SourceRange;
  ref?: RefAst;
}

export interface PlanAst {
  file: string;
  root: YMap;
  name?: YScalar & { value: string };
  description?: string;
  params: ParamAst[];
  slo?: { p99Ms?: number; range: SourceRange; path: PlanPath };
  nodes: NodeAst[];
  outputs: OutputAst[];
}

// ---- the checked plan ----------------------------------------------------------------------

export interface CheckedParam {
  name: ParamName;
  type: FieldType;
  required: boolean;
  default?: unknown;
  /** Datasets this param is a key param of (used as the `keys` of a lookup). */
  keyOf: DatasetName[];
}

export interface CheckedNode {
  name: NodeName;
  use: string;
  processor: ProcessorDefinition;
  inputs: NodeRef[];
  options: Readonly<Record<string, OptionValue>>;
  timeoutMs?: number;
  onError: 'fail' | 'empty';
  /** The type of the items it outputs (for `split`, of every port). */
  itemType: ItemType;
  /** Named outputs (`split`). */
  ports?: readonly string[];
  tier?: TierName;
  dataset?: DatasetName;
  /** The p99 estimate of this node alone (its tier's profile), in ms. */
  estimatedMs: number;
}

export interface CheckedPlan {
  name: string;
  file: string;
  description?: string;
  params: CheckedParam[];
  slo?: { p99Ms: number };
  /** Every node, in topological order. */
  nodes: CheckedNode[];
  order: NodeName[];
  outputs: Array<{ name: string; ref: NodeRef; itemType: ItemType }>;
  /** The estimated p99 of the slowest path to an output, and that path. */
  estimate: { p99Ms: number; criticalPath: NodeName[] };
}

export function isParamOption(value: unknown): value is ParamOption {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as { param?: unknown }).param === 'string' &&
    Object.keys(value).length === 1
  );
}

export function isExprOption(value: unknown): value is ExprOption {
  return typeof value === 'object' && value !== null && 'expr' in value && 'text' in value;
}
