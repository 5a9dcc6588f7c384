/**
 * Compiles the plan language's expression AST (src/plan/expr) to closures once per plan, so a
 * request evaluates `where`/`by`/`cases` without walking the tree. The semantics are exactly
 * those of the plan package's reference interpreter `evaluate` (src/plan/expr/eval.ts) — a
 * property test checks they agree: comparisons with null are false (except `== null`),
 * arithmetic with null gives null, a field path crossing a list maps over it.
 */
import type { Expr } from '../plan/expr/ast.js';

export type Params = Readonly<Record<string, unknown>>;
export type Compiled = (item: unknown, params: Params) => unknown;

function equal(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  return a === b || (a === null && b === undefined) || (a === undefined && b === null);
}

function compare(a: unknown, b: unknown): number | undefined {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return undefined;
}

function getPathSlow(item: unknown, path: readonly string[]): unknown {
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

/** A field accessor: the one-name case (by far the most common) is a plain property read. */
export function compilePath(path: readonly string[]): (item: unknown) => unknown {
  if (path.length === 1) {
    const name = path[0]!;
    return (item) => {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) return getPathSlow(item, path);
      const v = (item as Record<string, unknown>)[name];
      return v === undefined || !Object.hasOwn(item, name) ? null : v;
    };
  }
  return (item) => getPathSlow(item, path);
}

export function compileExpr(e: Expr): Compiled {
  switch (e.kind) {
    case 'literal': {
      const v = e.value;
      return () => v;
    }
    case 'list': {
      const items = e.items.map(compileExpr);
      return (item, params) => items.map((f) => f(item, params));
    }
    case 'field': {
      const get = compilePath(e.path);
      return (item) => get(item);
    }
    case 'param': {
      const name = e.name;
      return (_item, params) => (Object.hasOwn(params, name) ? (params[name] ?? null) : null);
    }
    case 'unary': {
      const f = compileExpr(e.operand);
      if (e.op === 'not') return (item, params) => !f(item, params);
      return (item, params) => {
        const v = f(item, params);
        return typeof v === 'number' ? -v : null;
      };
    }
    case 'call': {
      const args = e.args.map(compileExpr);
      const a0 = args[0] ?? (() => null);
      const a1 = args[1] ?? (() => null);
      if (e.name === 'len') {
        return (item, params) => {
          const v = a0(item, params);
          return Array.isArray(v) || typeof v === 'string' ? v.length : 0;
        };
      }
      return (item, params) => {
        const list = a0(item, params);
        const x = a1(item, params);
        if (Array.isArray(list)) return list.some((y) => equal(y, x));
        return typeof list === 'string' && typeof x === 'string' ? list.includes(x) : false;
      };
    }
    case 'binary':
      return compileBinary(e);
  }
}

function compileBinary(e: Expr & { kind: 'binary' }): Compiled {
  const l = compileExpr(e.left);
  const r = compileExpr(e.right);
  switch (e.op) {
    case 'and':
      return (item, params) => Boolean(l(item, params)) && Boolean(r(item, params));
    case 'or':
      return (item, params) => Boolean(l(item, params)) || Boolean(r(item, params));
    case '==':
      return (item, params) => equal(l(item, params), r(item, params));
    case '!=':
      return (item, params) => !equal(l(item, params), r(item, params));
    case '<':
      return (item, params) => {
        const c = compare(l(item, params), r(item, params));
        return c !== undefined && c < 0;
      };
    case '<=':
      return (item, params) => {
        const c = compare(l(item, params), r(item, params));
        return c !== undefined && c <= 0;
      };
    case '>':
      return (item, params) => {
        const c = compare(l(item, params), r(item, params));
        return c !== undefined && c > 0;
      };
    case '>=':
      return (item, params) => {
        const c = compare(l(item, params), r(item, params));
        return c !== undefined && c >= 0;
      };
    case '+':
      return (item, params) => {
        const a = l(item, params);
        const b = r(item, params);
        if (typeof a === 'string' && typeof b === 'string') return a + b;
        return typeof a === 'number' && typeof b === 'number' ? a + b : null;
      };
    case '-':
      return (item, params) => {
        const a = l(item, params);
        const b = r(item, params);
        return typeof a === 'number' && typeof b === 'number' ? a - b : null;
      };
    case '*':
      return (item, params) => {
        const a = l(item, params);
        const b = r(item, params);
        return typeof a === 'number' && typeof b === 'number' ? a * b : null;
      };
    case '/':
      return (item, params) => {
        const a = l(item, params);
        const b = r(item, params);
        return typeof a === 'number' && typeof b === 'number' && b !== 0 ? a / b : null;
      };
    case 'in':
    case 'not in': {
      const negate = e.op === 'not in';
      return (item, params) => {
        const a = l(item, params);
        const b = r(item, params);
        const found = Array.isArray(b)
          ? b.some((x) => equal(x, a))
          : typeof b === 'string' && typeof a === 'string' && b.includes(a);
        return negate ? !found : found;
      };
    }
  }
}
