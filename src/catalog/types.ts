/**
 * The catalog's type language: the types of dataset fields, and of the items plans pass around.
 * One definition serves DuckDB DDL, Parquet schemas, SQLite tables, light projections and the
 * plan type checker, so they can never disagree.
 */

export type ScalarKind = 'int' | 'float' | 'string' | 'bool' | 'timestamp';

export type FieldType =
  | { readonly kind: ScalarKind }
  | { readonly kind: 'list'; readonly of: FieldType }
  | { readonly kind: 'struct'; readonly fields: readonly Field[] };

export type DatasetName = string & { readonly __brand: 'DatasetName' };
export type TierName = 'prod' | 'batch' | 'archive' | 'debug';
export const TIER_NAMES: readonly TierName[] = ['prod', 'batch', 'archive', 'debug'];

export interface Field {
  readonly name: string;
  readonly type: FieldType;
  /** Kept in the light version that limited-space tiers (prod, batch) hold. */
  readonly light: boolean;
  /** The values (or list elements) of this field are keys of this dataset. */
  readonly ref?: DatasetName;
  /** May be null (e.g. `parent_pin_id` of an upload). */
  readonly nullable?: boolean;
  readonly doc: string;
}

export type DatasetKind = 'raw' | 'derived' | 'join';

export interface Dataset {
  readonly name: DatasetName;
  readonly kind: DatasetKind;
  /** Key column names (one for most datasets; two for `repin_graph`). */
  readonly key: readonly string[];
  readonly fields: readonly Field[];
  /** Tiers that hold this dataset. */
  readonly tiers: readonly TierName[];
  readonly doc: string;
}

export const INT: FieldType = { kind: 'int' };
export const FLOAT: FieldType = { kind: 'float' };
export const STRING: FieldType = { kind: 'string' };
export const BOOL: FieldType = { kind: 'bool' };
export const TIMESTAMP: FieldType = { kind: 'timestamp' };
export const listOf = (of: FieldType): FieldType => ({ kind: 'list', of });
export const structOf = (fields: readonly Field[]): FieldType => ({ kind: 'struct', fields });

/** `int`, `list<string>`, `struct{board_id int, name string}` — how types are shown to users. */
export function formatType(type: FieldType): string {
  switch (type.kind) {
    case 'list':
      return `list<${formatType(type.of)}>`;
    case 'struct':
      return `struct{${type.fields.map((f) => `${f.name} ${formatType(f.type)}`).join(', ')}}`;
    default:
      return type.kind;
  }
}

export function typesEqual(a: FieldType, b: FieldType): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'list' && b.kind === 'list') return typesEqual(a.of, b.of);
  if (a.kind === 'struct' && b.kind === 'struct') {
    return (
      a.fields.length === b.fields.length &&
      a.fields.every((f, i) => f.name === b.fields[i]?.name && typesEqual(f.type, b.fields[i]!.type))
    );
  }
  return true;
}

/** The DuckDB (and Parquet, through DuckDB) column type of a field type. */
export function duckdbType(type: FieldType): string {
  switch (type.kind) {
    case 'int':
      return 'BIGINT';
    case 'float':
      return 'DOUBLE';
    case 'string':
      return 'VARCHAR';
    case 'bool':
      return 'BOOLEAN';
    case 'timestamp':
      return 'TIMESTAMP';
    case 'list':
      return `${duckdbType(type.of)}[]`;
    case 'struct':
      return `STRUCT(${type.fields.map((f) => `"${f.name}" ${duckdbType(f.type)}`).join(', ')})`;
  }
}

/**
 * Parses a type as users write it: `int`, `float`, `string`, `bool`, `timestamp`, `list<T>`.
 * Returns undefined for anything else (callers report it with their own position).
 */
export function parseTypeName(text: string): FieldType | undefined {
  const t = text.trim();
  const list = /^list\s*<(.+)>$/.exec(t);
  if (list) {
    const inner = parseTypeName(list[1]!);
    return inner === undefined ? undefined : listOf(inner);
  }
  return SCALAR_KINDS.has(t) ? { kind: t as ScalarKind } : undefined;
}

const SCALAR_KINDS: ReadonlySet<string> = new Set(['int', 'float', 'string', 'bool', 'timestamp']);
