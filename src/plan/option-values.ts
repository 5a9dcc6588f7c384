/**
 * Names and resolved option values shared by the checked plan (ast.ts) and the processor
 * definitions — kept apart so neither imports the other.
 */
import type { DatasetName, FieldType } from '../catalog/types.js';
import type { Expr } from './expr/ast.js';
import type { ExprType } from './expr/check.js';

export type NodeName = string & { readonly __brand: 'NodeName' };
export type ParamName = string & { readonly __brand: 'ParamName' };

export type PlanPath = ReadonlyArray<string | number>;

/** `$params.NAME` standing for an option's value. */
export interface ParamOption {
  readonly param: ParamName;
}

/** An expression option, parsed and typed. */
export interface ExprOption {
  readonly expr: Expr;
  readonly text: string;
  readonly type: ExprType;
}

/** A `query` node's SQL: `$params.NAME` occurrences become bound parameters, never spliced. */
export interface SqlOption {
  /** As written. */
  readonly text: string;
  /** The SQL with each `$params.NAME` replaced by `$NAME` (DuckDB named parameters). */
  readonly named: string;
  /** The SQL with each `$params.NAME` replaced by `?`, and the params in order. */
  readonly positional: string;
  readonly params: readonly ParamName[];
}

export type ReturnsOption =
  | { readonly dataset: DatasetName }
  | { readonly fields: ReadonlyArray<{ readonly name: string; readonly type: FieldType }> };

export interface VariantOption {
  readonly weight: number;
  readonly input: string;
}

/**
 * A resolved option value: a literal (number, string, boolean, string list, key list), a
 * {@link ParamOption}, an {@link ExprOption}, a {@link SqlOption}, a {@link ReturnsOption}, or a
 * record of those (`weights`, `cases`, `variants`). Each processor documents the shape of its own.
 */
export type OptionValue =
  | number
  | string
  | boolean
  | null
  | readonly unknown[]
  | ParamOption
  | ExprOption
  | SqlOption
  | ReturnsOption
  | { readonly [name: string]: OptionValue | VariantOption };
