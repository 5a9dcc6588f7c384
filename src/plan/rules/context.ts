/**
 * The state rules share. Rules run in registry order; early rules compute what later ones need
 * (the graph, the topological order, item types), so each rule stays small and checks one thing.
 */
import type { DatasetName } from '../../catalog/types.js';
import type { SourceRange } from '../../diagnostics/diagnostic.js';
import type { CheckedNode, NodeAst, NodeName, PlanAst, PlanPath, RefAst } from '../ast.js';
import type { ValidationEnv } from '../env.js';
import type { Report } from '../parse.js';
import type { ProcessorDefinition } from '../processors/definition.js';
import type { ItemType } from '../types.js';
import type { YamlSource } from '../../diagnostics/yaml-source.js';

export interface RuleContext {
  readonly ast: PlanAst;
  readonly source: YamlSource;
  readonly env: ValidationEnv;
  readonly report: Report;
  readonly nodes: ReadonlyMap<string, NodeAst>;
  /** The processor of each node whose `use` names a known one. */
  readonly processors: Map<NodeName, ProcessorDefinition>;
  /** Named outputs of each node that has them. */
  readonly ports: Map<NodeName, string[]>;
  /** Each node's inputs (explicit and implicit) that name existing nodes and ports. */
  readonly edges: Map<NodeName, RefAst[]>;
  /** Nodes on a cycle (not typed). */
  readonly cyclic: Set<NodeName>;
  /** The acyclic nodes in topological order. */
  order: NodeName[];
  readonly types: Map<NodeName, ItemType | undefined>;
  readonly checked: Map<NodeName, CheckedNode>;
  readonly usedParams: Set<string>;
  readonly keyParams: Map<string, Set<DatasetName>>;
  /** Declared params' types (undefined when the declaration is broken). */
  readonly paramTypes: Map<string, import('../../catalog/types.js').FieldType | undefined>;
  /** Node names that have problems making their type unknown. */
  readonly rangeAt: (path: PlanPath, part?: 'key' | 'value') => SourceRange;
}

export interface Rule {
  /** The diagnostic codes the rule reports. */
  readonly codes: readonly string[];
  readonly name: string;
  run(ctx: RuleContext): void;
}
