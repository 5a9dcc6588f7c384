/**
 * Compiles the plan language's expression AST (src/plan/expr) to closures once per plan, so a
 * request evaluates `where`/`by`/`cases` without walking the tree. The semantics are exactly
 * those of the plan package's reference interpreter `evaluate` (src/plan/expr/eval.ts) — a
 * property test checks they agree: comparisons with null are false (except `== null`),
 * arithmetic with null gives null, a field path crossing a list maps over it.
 */
import type { Expr } from '../plan/expr/ast.js';
import { compare, equal, getPath as getPathSlow } from '../plan/expr/eval.js';

export type Params = Readonly<Record<string, unknown>>;
export type Compiled = (item: unknown, params: Params) => unknown;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * A field accessor. The one-name case (by far the most common) is a named property read in code
 * generated for that name, so each field gets its own inline cache — a shared `item[name]` read
 * would go megamorphic across fields and cost several times more per item. The name is checked
 * to be a plain identifier before it is put into code.
 */
export function compilePath(path: readonly string[]): (item: unknown) => unknown {
  const name = path[0]!;
  if (path.length === 1 && IDENTIFIER.test(name) && !(name in Object.prototype)) {
    // Names that Object.prototype does not carry need no own-property check: a missing property
    // reads as undefined (JSON items have no other prototype).
    const read = new Function('item', `return item.${name};`) as (item: object) => unknown;
    return (item) => {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) return getPathSlow(item, path);
      const v = read(item);
      return v === undefined ? null : v;
    };
  }
  return (item) => getPathSlow(item, path);
}

/** True when the expression reads a `$params.NAME` (its value then depends on the request). */
export function usesParams(e: Expr): boolean {
  switch (e.kind) {
    case 'param':
      return true;
    case 'list':
      return e.items.some(usesParams);
    case 'call':
      return e.args.some(usesParams);
    case 'unary':
      return usesParams(e.operand);
    case 'binary':
      return usesParams(e.left) || usesParams(e.right);
    default:
      return false;
  }
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
    case 'field':
      return compilePath(e.path);
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

/** A literal that is a number, string or boolean (not null, not a list). */
function scalarLiteral(e: Expr): number | string | boolean | undefined {
  return e.kind === 'literal' && e.value !== null ? e.value : undefined;
}

/**
 * `field OP literal` and `literal OP field` with a scalar literal: the common shapes of `where`
 * clauses, compiled without the generic `equal`/`compare` dispatch (same results).
 */
function compileWithLiteral(e: Expr & { kind: 'binary' }): Compiled | undefined {
  const rightLit = scalarLiteral(e.right);
  const leftLit = scalarLiteral(e.left);
  let lit: number | string | boolean;
  let other: Compiled;
  let op = e.op;
  if (rightLit !== undefined) {
    lit = rightLit;
    other = compileExpr(e.left);
  } else if (leftLit !== undefined) {
    lit = leftLit;
    other = compileExpr(e.right);
    // Mirror the comparison so the literal is on the right.
    const mirror: Partial<Record<string, typeof op>> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' };
    if (op in mirror) op = mirror[op]!;
    else if (op !== '==' && op !== '!=') return undefined;
  } else return undefined;
  const t = typeof lit;
  switch (op) {
    case '==':
      return (item, params) => other(item, params) === lit;
    case '!=':
      return (item, params) => other(item, params) !== lit;
    case '<':
    case '<=':
    case '>':
    case '>=': {
      if (t === 'boolean') return undefined;
      const x = lit;
      if (op === '<')
        return (item, params) => {
          const v = other(item, params);
          return typeof v === t && (v as typeof x) < x;
        };
      if (op === '<=')
        return (item, params) => {
          const v = other(item, params);
          return typeof v === t && (v as typeof x) <= x;
        };
      if (op === '>')
        return (item, params) => {
          const v = other(item, params);
          return typeof v === t && (v as typeof x) > x;
        };
      return (item, params) => {
        const v = other(item, params);
        return typeof v === t && (v as typeof x) >= x;
      };
    }
    default:
      return undefined;
  }
}

function compileBinary(e: Expr & { kind: 'binary' }): Compiled {
  if (e.op !== 'and' && e.op !== 'or') {
    const fast = compileWithLiteral(e);
    if (fast) return fast;
  }
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
