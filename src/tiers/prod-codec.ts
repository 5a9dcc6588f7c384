/**
 * prod's record encoding: a positional JSON array. The record's fields in catalog order, without
 * field names and without the key (the row's `k` holds it); a struct is an array of its fields,
 * a list of structs an array of such arrays. `{"board_id":1,"owner_id":65550,"owner":{"user_id":
 * 65550,...}}` is stored as `[65550,...,[65550,...]]`.
 *
 * Why (README, "Performance"): the field names were ~40 % of a record's bytes, and the bytes are
 * what loading costs — DuckDB rendering them, copying them into JS, SQLite writing them. Values
 * are still rendered by DuckDB's JSON functions, like every other tier's, so a value never
 * differs between tiers because of its encoding. A generated function per dataset turns the array
 * back into the same plain object (same fields, same order) that `JSON.parse` of the named form
 * gave.
 *
 * The layout depends on the catalog's field order, so a prod file records the schema it was
 * written with (`schemaOf`); a file written with another schema is refused, never misread.
 */
import { formatType } from '../catalog/types.js';
import type { Field, FieldType } from '../catalog/types.js';
import { sqlIdent, timestampJsonSql } from './records.js';
import type { Item, Key } from './tier.js';

/** Turns a stored value text back into the record (the key is the row's key). */
export type RecordDecoder = (key: Key, text: string) => Item;

/** The schema a file's records were written with: fields, types and order. */
export function schemaOf(fields: readonly Field[]): string {
  return formatType({ kind: 'struct', fields });
}

/**
 * A DuckDB expression rendering `type` at `expr` positionally (JSON-typed for nested values).
 * Lambda parameters are named by depth so they never capture a column of the same name.
 */
function positionalSql(expr: string, type: FieldType, depth = 0): string {
  switch (type.kind) {
    case 'timestamp':
      return timestampJsonSql(expr);
    case 'list': {
      if (!needsRewrite(type.of)) return expr;
      const e = `disco_e${depth}`;
      return `list_transform(${expr}, ${e} -> ${positionalSql(e, type.of, depth + 1)})`;
    }
    case 'struct':
      return `CASE WHEN ${expr} IS NULL THEN NULL ELSE json_array(${type.fields
        .map((f) => positionalSql(`${expr}.${sqlIdent(f.name)}`, f.type, depth))
        .join(', ')}) END`;
    default:
      return expr;
  }
}

function needsRewrite(type: FieldType): boolean {
  if (type.kind === 'list') return needsRewrite(type.of);
  return type.kind === 'struct' || type.kind === 'timestamp';
}

function hasStruct(type: FieldType): boolean {
  return type.kind === 'struct' || (type.kind === 'list' && hasStruct(type.of));
}

/** A DuckDB expression producing a record's stored text: every field but `key`, positionally. */
export function positionalRecordSql(fields: readonly Field[], key: string): string {
  const values = fields.filter((f) => f.name !== key).map((f) => positionalSql(sqlIdent(f.name), f.type));
  // json_array() of no values would be `[]` too; a dataset always has a non-key field.
  return `json_array(${values.join(', ')})::VARCHAR`;
}

/** JS source rebuilding `type` from the positional value `v` (a plain identifier). */
function decodeJs(v: string, type: FieldType, depth: number): string {
  if (type.kind === 'struct') {
    const fields = type.fields.map(
      (f, i) => `${JSON.stringify(f.name)}: ${decodeJs(`${v}[${i}]`, f.type, depth)}`,
    );
    return `(${v} === null ? null : {${fields.join(', ')}})`;
  }
  if (type.kind === 'list' && hasStruct(type.of)) {
    const x = `x${depth}`;
    return `(${v} === null ? null : ${v}.map((${x}) => ${decodeJs(x, type.of, depth + 1)}))`;
  }
  return v;
}

/** A function rebuilding the records of `fields` (catalog order, `key` taken from the row). */
export function recordDecoder(fields: readonly Field[], key: string): RecordDecoder {
  let i = 0;
  const props = fields.map((f) =>
    f.name === key
      ? `${JSON.stringify(f.name)}: key`
      : `${JSON.stringify(f.name)}: ${decodeJs(`a[${i++}]`, f.type, 0)}`,
  );
  // Generated once per dataset and version: an object literal in catalog order gets one hidden
  // class, as fast to build as JSON.parse's own objects.
  return new Function(
    'key',
    'text',
    `const a = JSON.parse(text); return {${props.join(', ')}};`,
  ) as RecordDecoder;
}

/**
 * `PRAGMA user_version` of a prod file in this encoding. Files written before it (version 0) hold
 * named JSON objects, which are self-describing, so they are still read (with `JSON.parse`).
 */
export const PROD_FORMAT = 2;
/** The table recording, per dataset, the schema its records were written with. */
export const SCHEMA_TABLE = 'disco_schema';

const namedJson: RecordDecoder = (_key, text) => JSON.parse(text) as Item;

/**
 * The decoder for `dataset`'s table in a prod file: `format` is the file's `user_version`,
 * `written` the schema recorded for the dataset (undefined when none). Throws a plain Error
 * naming the mismatch (the caller reports the tier as unusable) rather than ever misreading.
 */
export function decoderFor(
  format: number,
  written: string | undefined,
  fields: readonly Field[],
  key: string,
): RecordDecoder {
  if (format === 0) return namedJson;
  if (format !== PROD_FORMAT) throw new Error(`its record format ${format} is not one this disco reads`);
  const expected = schemaOf(fields);
  if (written !== expected)
    throw new Error(
      `its records were written for another schema (${written ?? 'none recorded'}, expected ${expected})`,
    );
  return recordDecoder(fields, key);
}
