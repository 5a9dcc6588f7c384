/**
 * What a processor is, statically: its options (with types), its input arity and how it computes
 * its output item type. Built-ins and a project's own processors share this shape, so plans using
 * either are type-checked the same way. The engine adds the runtime half (keyed by `name`).
 */
import type { Catalog } from '../../catalog/catalog.js';
import type { DatasetName, FieldType, TierName } from '../../catalog/types.js';
import type { TierProfile } from '../../project/config.js';
import type { NodeName, OptionValue, PlanPath } from '../option-values.js';
import type { ItemType } from '../types.js';
import type { YMap } from '../yaml-tree.js';

/** The type of one option value. */
export type OptionType =
  | { readonly kind: 'int'; readonly min?: number }
  | { readonly kind: 'number'; readonly min?: number }
  | { readonly kind: 'string' }
  | { readonly kind: 'bool' }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  /**
   * An expression over the input items (`scope: 'items'`) or over params only (`'request'`),
   * expected to be boolean, numeric or anything; a mismatch is reported with `code`.
   */
  | {
      readonly kind: 'expr';
      readonly expect: 'bool' | 'number' | 'any';
      readonly scope?: 'items' | 'request';
      readonly code?: string;
    }
  | { readonly kind: 'tier'; readonly allowed?: readonly TierName[] }
  | { readonly kind: 'dataset' }
  /** A field (dotted path) of the input items. */
  | { readonly kind: 'field' }
  /** A list of fields of the input items. */
  | { readonly kind: 'fields' }
  /** Lookup keys: a `$params.NAME`, a list literal or one literal. */
  | { readonly kind: 'keys' }
  | { readonly kind: 'sql' }
  | { readonly kind: 'returns' }
  /** A mapping name → value; `keys: 'inputs'` requires every name to be an input reference. */
  | { readonly kind: 'map'; readonly of: OptionType; readonly keys?: 'inputs' | 'names' }
  | { readonly kind: 'variants' }
  /** A port name (`split`'s `else`). */
  | { readonly kind: 'name' };

export interface OptionSpec {
  readonly type: OptionType;
  readonly required?: boolean;
  readonly doc: string;
  /** The value used when the option is absent (documentation and schema). */
  readonly default?: string | number | boolean;
}

export interface InputInfo {
  /** The reference as written (`seed`, `route.fresh`). */
  readonly ref: string;
  /** The items' type; undefined when it could not be computed (another diagnostic said why). */
  readonly type: ItemType | undefined;
}

/** What a processor's `check` gets: the node's resolved options and typed inputs. */
export interface ProcessorContext {
  readonly node: NodeName;
  /** Options that were present and well-typed, resolved (see {@link OptionValue}). */
  readonly options: Readonly<Record<string, OptionValue>>;
  /** Options written in the node, valid or not (to avoid piling a second error on a bad one). */
  readonly written: ReadonlySet<string>;
  readonly inputs: readonly InputInfo[];
  readonly catalog: Catalog;
  readonly tiers: Readonly<Record<TierName, TierProfile>>;
  /** Reports a problem at a path inside the node (`['field']`, `['weights', 'a']`). */
  report(
    path: PlanPath,
    code: string,
    message: string,
    options?: { part?: 'key' | 'value'; severity?: 'error' | 'warning' },
  ): void;
  /** The declared type of a param (undefined if unknown or broken). */
  paramType(name: string): FieldType | undefined;
  /** Records the dataset read and tier used (for the DAG view and the key-param analysis). */
  note(info: { tier?: TierName; dataset?: DatasetName }): void;
}

export interface ProcessorDefinition {
  readonly name: string;
  readonly summary: string;
  /** Accepted number of inputs (max may be Infinity). */
  readonly inputs: { readonly min: number; readonly max: number };
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Checks what the generic option checks cannot, and computes the output item type. */
  check(ctx: ProcessorContext): ItemType | undefined;
  /** Named outputs, read from the raw node (for `split`); undefined when it has one output. */
  ports?(node: YMap): string[] | undefined;
  /** Inputs named inside options (for `experiment` variants), as [ref, path inside node]. */
  implicitInputs?(node: YMap): Array<{ ref: string; path: PlanPath }>;
  /** The p99 estimate of one call, in ms (default: the profile of its `tier` option, else 0). */
  estimateMs?(
    options: Readonly<Record<string, OptionValue>>,
    tiers: Readonly<Record<TierName, TierProfile>>,
  ): number;
  /** Where it was defined: `builtin`, or the file of a custom processor. */
  readonly source: string;
  /**
   * The runtime half of a custom processor (its module's `run`), called by the engine as
   * `run(inputs, ctx)`; built-ins have theirs in src/engine, keyed by `name`.
   */
  readonly run?: (...args: never[]) => unknown;
}

/** Processors by name. */
export type ProcessorRegistry = ReadonlyMap<string, ProcessorDefinition>;

export const COMMON_NODE_KEYS = ['use', 'input', 'timeout_ms', 'on_error'] as const;
