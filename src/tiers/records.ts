/**
 * Record representation shared by every tier: how a dataset's fields become plain JSON (SPEC §3,
 * `tier.ts`), how keys given as text are parsed by the dataset's key type, and how records are
 * compared. Every tier turns rows into JSON the same way — inside DuckDB, with `to_json` over a
 * struct whose timestamps are formatted as ISO-8601 — so the same value never differs between
 * tiers because of its encoding.
 */
import type { Dataset, Field, FieldType } from '../catalog/types.js';
import { keyField } from '../catalog/catalog.js';
import { UserError } from '../errors/index.js';
import type { Item, Key } from './tier.js';

/** `'text'` as a SQL string literal. */
export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

export function sqlIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A timestamp at `expr` as the ISO-8601 UTC text records hold (tier.ts). */
export function timestampJsonSql(expr: string): string {
  return `strftime(${expr}, '%Y-%m-%dT%H:%M:%S.%gZ')`;
}

/**
 * A DuckDB expression that turns `type` at `expr` into something `to_json` renders per tier.ts.
 * Lambda parameters are named by depth (as in prod-codec.ts) so they never capture a column.
 */
function jsonValueExpr(expr: string, type: FieldType, depth = 0): string {
  switch (type.kind) {
    case 'timestamp':
      return timestampJsonSql(expr);
    case 'list': {
      if (!hasTimestamp(type.of)) return expr;
      const e = `disco_e${depth}`;
      return `list_transform(${expr}, ${e} -> ${jsonValueExpr(e, type.of, depth + 1)})`;
    }
    case 'struct':
      if (!type.fields.some((f) => hasTimestamp(f.type))) return expr;
      return `CASE WHEN ${expr} IS NULL THEN NULL ELSE {${type.fields
        .map((f) => `${sqlString(f.name)}: ${jsonValueExpr(`${expr}.${sqlIdent(f.name)}`, f.type, depth)}`)
        .join(', ')}} END`;
    default:
      return expr;
  }
}

function hasTimestamp(type: FieldType): boolean {
  if (type.kind === 'timestamp') return true;
  if (type.kind === 'list') return hasTimestamp(type.of);
  if (type.kind === 'struct') return type.fields.some((f) => hasTimestamp(f.type));
  return false;
}

/** A DuckDB expression producing the record's JSON text (only `fields`, in catalog order). */
export function recordJsonSql(fields: readonly Field[]): string {
  return `to_json({${fields.map((f) => `${sqlString(f.name)}: ${jsonValueExpr(sqlIdent(f.name), f.type)}`).join(', ')}})::VARCHAR`;
}

/** A key as a SQL literal of the key's type (ints are checked, strings escaped). */
export function keyLiteral(dataset: Dataset, key: Key): string {
  const field = keyField(dataset);
  if (field.type.kind === 'int') {
    const n = typeof key === 'number' ? key : Number(key);
    if (!Number.isSafeInteger(n)) throw wrongKey(dataset, String(key), field);
    return String(n);
  }
  return sqlString(String(key));
}

/** Normalises a key given by a caller to the key type (numbers for int keys). */
export function normalizeKey(dataset: Dataset, key: Key): Key {
  const field = keyField(dataset);
  if (field.type.kind === 'int' && typeof key === 'string') {
    const n = Number(key);
    return Number.isSafeInteger(n) ? n : key;
  }
  return key;
}

/** Parses a key typed by a user (`disco debug key boardjoin 42`) by the dataset's key type. */
export function parseKeyText(dataset: Dataset, text: string): Key {
  const field = keyField(dataset);
  if (field.type.kind === 'int') {
    if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(Number(text)))
      throw wrongKey(dataset, text, field);
    return Number(text);
  }
  if (text === '') throw wrongKey(dataset, text, field);
  return text;
}

function wrongKey(dataset: Dataset, text: string, field: Field): UserError {
  return new UserError(
    `'${text}' is not a valid key of ${dataset.name}: its key ${field.name} is ${field.type.kind === 'int' ? 'an int' : `a ${field.type.kind}`}`,
    {
      code: 'invalid-key',
      exit: 2,
      hint:
        field.type.kind === 'int'
          ? `give a whole number, e.g. disco debug key ${dataset.name} 42`
          : `give the ${field.name} as text`,
    },
  );
}

/**
 * Turns a value read through `@duckdb/node-api`'s JS conversion into the plain JSON form
 * (bigint → number, Date → ISO string, nested lists and structs recursively).
 */
export function plainValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'bigint':
      return Number(value);
    case 'object': {
      if (value instanceof Date) return value.toISOString();
      if (Array.isArray(value)) return value.map(plainValue);
      if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
      const out: Item = {};
      for (const [k, v] of Object.entries(value)) out[k] = plainValue(v);
      return out;
    }
    default:
      return value;
  }
}

/** Deep equality of two plain JSON values. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return (
    ka.length === kb.length &&
    ka.every((k) => jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}
