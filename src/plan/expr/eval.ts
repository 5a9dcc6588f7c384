/**
 * The runtime half of expressions, shared so the engine evaluates exactly what the checker typed:
 * fields of plain-JSON items (SPEC tier record representation), params, null-tolerant operators.
 * A comparison with null is false (except `== null`); arithmetic with null gives null.
 */
import type { Expr } from './ast.js';

export type Value = unknown;

/** A field path's value; a path crossing a list maps over it; missing fields are null. */
export function getPath(item: unknown, path: readonly string[]): Value {
  let current: unknown = item;
  for (const name of path) {
    if (current === null || current === undefined) return null;
    if (Array.isArray(current)) {
      current = current.map((x) =>
        x !== null && typeof x === 'object' ? ((x as Record<string, unknown>)[name] ?? null) : null,
      );
      continue;
    }
    if (typeof current !== 'object' || !Object.hasOwn(current, name)) return null;
    current = (current as Record<string, unknown>)[name];
  }
  return current ?? null;
}

/** `==`: deep for lists; null and undefined are equal. */
export function equal(a: Value, b: Value): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  return a === b || (a === null && b === undefined) || (a === undefined && b === null);
}

/** Orders two numbers or two strings; undefined for anything else (the comparison is false). */
export function compare(a: Value, b: Value): number | undefined {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return undefined;
}

/** Evaluates an expression against one item and the request's params. */
export function evaluate(e: Expr, item: unknown, params: Readonly<Record<string, unknown>>): Value {
  switch (e.kind) {
    case 'literal':
      return e.value;
    case 'list':
      return e.items.map((x) => evaluate(x, item, params));
    case 'field':
      return getPath(item, e.path);
    case 'param':
      return Object.hasOwn(params, e.name) ? (params[e.name] ?? null) : null;
    case 'unary': {
      const v = evaluate(e.operand, item, params);
      if (e.op === 'not') return !v;
      return typeof v === 'number' ? -v : null;
    }
    case 'call': {
      const args = e.args.map((x) => evaluate(x, item, params));
      if (e.name === 'len')
        return Array.isArray(args[0]) || typeof args[0] === 'string' ? (args[0] as string).length : 0;
      if (Array.isArray(args[0])) return args[0].some((x) => equal(x, args[1]));
      return typeof args[0] === 'string' && typeof args[1] === 'string' ? args[0].includes(args[1]) : false;
    }
    case 'binary': {
      if (e.op === 'and')
        return Boolean(evaluate(e.left, item, params)) && Boolean(evaluate(e.right, item, params));
      if (e.op === 'or')
        return Boolean(evaluate(e.left, item, params)) || Boolean(evaluate(e.right, item, params));
      const l = evaluate(e.left, item, params);
      const r = evaluate(e.right, item, params);
      switch (e.op) {
        case '==':
          return equal(l, r);
        case '!=':
          return !equal(l, r);
        case '<':
        case '<=':
        case '>':
        case '>=': {
          const c = compare(l, r);
          if (c === undefined) return false;
          return e.op === '<' ? c < 0 : e.op === '<=' ? c <= 0 : e.op === '>' ? c > 0 : c >= 0;
        }
        case '+':
          if (typeof l === 'string' && typeof r === 'string') return l + r;
          return typeof l === 'number' && typeof r === 'number' ? l + r : null;
        case '-':
          return typeof l === 'number' && typeof r === 'number' ? l - r : null;
        case '*':
          return typeof l === 'number' && typeof r === 'number' ? l * r : null;
        case '/':
          return typeof l === 'number' && typeof r === 'number' && r !== 0 ? l / r : null;
        case 'in':
        case 'not in': {
          const found = Array.isArray(r)
            ? r.some((x) => equal(x, l))
            : typeof r === 'string' && typeof l === 'string' && r.includes(l);
          return e.op === 'in' ? found : !found;
        }
      }
    }
  }
  return null;
}
