/**
 * Request params at the edge: `--param K=V` pairs (CLI) or a JSON object (HTTP) → values of the
 * plan's declared types, with defaults filled in. Anything wrong is a usage error (exit 2) that
 * names the param and its type.
 */
import type { FieldType } from '../catalog/types.js';
import { formatType } from '../catalog/types.js';
import { suggest } from '../diagnostics/suggest.js';
import { UserError } from '../errors/index.js';

/** What parsing needs of a plan: its declared params (`CheckedPlan` fits). */
export interface ParamDeclarations {
  readonly name: string;
  readonly params: ReadonlyArray<{
    readonly name: string;
    readonly type: FieldType;
    readonly required: boolean;
    readonly default?: unknown;
  }>;
}

type Decl = ParamDeclarations['params'][number];

function bad(decl: Decl, text: string, plan: string, why?: string): UserError {
  const type = formatType(decl.type);
  return new UserError(
    `param '${decl.name}' of plan '${plan}' must be ${article(type)} ${type}${why ? ` (${why})` : ''}; got '${text}'`,
    {
      code: 'param-type',
      hint: `pass --param ${decl.name}=${example(decl.type)}`,
    },
  );
}

const article = (type: string) => (/^[aeiou]/.test(type) ? 'an' : 'a');

function example(type: FieldType): string {
  switch (type.kind) {
    case 'int':
      return '42';
    case 'float':
      return '0.5';
    case 'bool':
      return 'true';
    case 'list':
      return type.of.kind === 'int' ? '1,2,3' : 'a,b,c';
    default:
      return 'VALUE';
  }
}

function scalarFromText(type: FieldType, text: string): unknown {
  const t = text.trim();
  switch (type.kind) {
    case 'int':
      return /^[+-]?\d+$/.test(t) && Number.isSafeInteger(Number(t)) ? Number(t) : undefined;
    case 'float': {
      const n = Number(t);
      return t !== '' && Number.isFinite(n) ? n : undefined;
    }
    case 'bool':
      if (/^(true|yes|1)$/i.test(t)) return true;
      if (/^(false|no|0)$/i.test(t)) return false;
      return undefined;
    case 'string':
    case 'timestamp':
      return text;
    default:
      return undefined;
  }
}

function fromText(decl: Decl, text: string, plan: string): unknown {
  const type = decl.type;
  if (type.kind === 'list') {
    if (text.trim() === '') return [];
    const items = text.split(',').map((part) => {
      const v = scalarFromText(type.of, part);
      if (v === undefined)
        throw bad(
          decl,
          text,
          plan,
          `'${part.trim()}' is not ${article(type.of.kind)} ${formatType(type.of)}`,
        );
      return v;
    });
    return items;
  }
  const v = scalarFromText(type, text);
  if (v === undefined) throw bad(decl, text, plan);
  return v;
}

function fromJson(decl: Decl, value: unknown, plan: string): unknown {
  const type = decl.type;
  const check = (t: FieldType, v: unknown): boolean => {
    switch (t.kind) {
      case 'int':
        return typeof v === 'number' && Number.isSafeInteger(v);
      case 'float':
        return typeof v === 'number' && Number.isFinite(v);
      case 'bool':
        return typeof v === 'boolean';
      case 'string':
      case 'timestamp':
        return typeof v === 'string';
      case 'list':
        return Array.isArray(v) && v.every((x) => check(t.of, x));
      default:
        return false;
    }
  };
  if (check(type, value)) return value;
  // Be lenient where it is unambiguous: "42" for an int, "1,2" for a list.
  if (typeof value === 'string') return fromText(decl, value, plan);
  if (type.kind === 'list' && !Array.isArray(value) && check(type.of, value)) return [value];
  throw bad(decl, JSON.stringify(value), plan);
}

function unknownParam(name: string, plan: ParamDeclarations): UserError {
  const names = plan.params.map((p) => p.name);
  const guess = suggest(name, names);
  return new UserError(
    `plan '${plan.name}' has no param '${name}'${guess ? `; did you mean '${guess}'?` : ''}`,
    {
      code: 'unknown-param',
      hint: names.length > 0 ? `its params: ${names.join(', ')}` : 'this plan takes no params',
    },
  );
}

function finish(plan: ParamDeclarations, values: Map<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const decl of plan.params) {
    if (values.has(decl.name)) out[decl.name] = values.get(decl.name);
    else if (decl.default !== undefined) out[decl.name] = decl.default;
    else if (decl.required) {
      const type = formatType(decl.type);
      throw new UserError(`missing required param '${decl.name}' (${type}) of plan '${plan.name}'`, {
        code: 'param-missing',
        hint: `pass --param ${decl.name}=${example(decl.type)}`,
      });
    } else out[decl.name] = null;
  }
  return out;
}

/**
 * `['image=abc', 'limit=10']` → typed params. A `list<…>` param is written `1,2,3`; repeating a
 * list param appends to it.
 */
export function parseParams(plan: ParamDeclarations, pairs: readonly string[]): Record<string, unknown> {
  const values = new Map<string, unknown>();
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      throw new UserError(`--param expects NAME=VALUE; got '${pair}'`, {
        code: 'param-syntax',
        hint: 'e.g. --param limit=10',
      });
    }
    const name = pair.slice(0, eq).trim();
    const decl = plan.params.find((p) => p.name === name);
    if (!decl) throw unknownParam(name, plan);
    const value = fromText(decl, pair.slice(eq + 1), plan.name);
    const previous = values.get(name);
    if (decl.type.kind === 'list' && Array.isArray(previous))
      values.set(name, [...previous, ...(value as unknown[])]);
    else values.set(name, value);
  }
  return finish(plan, values);
}

/** A JSON object of params (HTTP body) → typed params. */
export function coerceParams(plan: ParamDeclarations, body: unknown): Record<string, unknown> {
  if (body === null || body === undefined) body = {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new UserError('params must be a JSON object', {
      code: 'param-syntax',
      hint: 'e.g. {"image": "abc", "limit": 10}',
    });
  }
  const values = new Map<string, unknown>();
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    const decl = plan.params.find((p) => p.name === name);
    if (!decl) throw unknownParam(name, plan);
    if (value !== null) values.set(name, fromJson(decl, value, plan.name));
  }
  return finish(plan, values);
}
