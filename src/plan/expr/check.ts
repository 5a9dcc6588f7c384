/**
 * The expression type checker: infers the type of an expression against the item type of the
 * node's input and the plan's params, reporting unknown fields and params (with did-you-mean),
 * non-light fields that the tier does not hold, and operator/function misuse. It never stops at
 * the first problem: an erroneous sub-expression gets type `any` so no cascade follows.
 */
import type { FieldType } from '../../catalog/types.js';
import { formatType } from '../../catalog/types.js';
import { didYouMean } from '../../diagnostics/suggest.js';
import type { ItemType } from '../types.js';
import { describeItemType, typeAtPath } from '../types.js';
import { type Expr, FUNCTIONS } from './ast.js';

export type ExprType = FieldType | { readonly kind: 'null' } | { readonly kind: 'any' };

export const ANY: ExprType = { kind: 'any' };
const BOOL: ExprType = { kind: 'bool' };
const INT: ExprType = { kind: 'int' };
const FLOAT: ExprType = { kind: 'float' };

export interface ExprEnv {
  /** The input items' type; undefined when unknown (fields are then not checked). */
  items: ItemType | undefined;
  /** Declared params: their types (undefined when the declaration itself is broken). */
  params: ReadonlyMap<string, FieldType | undefined>;
  /** A param reference was seen (for the unused-param warning). */
  noteParam(name: string): void;
  report(code: string, message: string, start: number, end: number): void;
  /** The full dataset's fields, to tell "not held by this tier" from "unknown". */
  fullFields?: (dataset: string) => readonly { name: string; light: boolean }[] | undefined;
}

export function showType(t: ExprType): string {
  return t.kind === 'null' || t.kind === 'any' ? t.kind : formatType(t);
}

const isNumeric = (t: ExprType) => t.kind === 'int' || t.kind === 'float';
const isLoose = (t: ExprType) => t.kind === 'any' || t.kind === 'null';

/** Whether values of the two types can be compared for equality or membership. */
export function comparable(a: ExprType, b: ExprType): boolean {
  if (isLoose(a) || isLoose(b)) return true;
  if (isNumeric(a) && isNumeric(b)) return true;
  if ((a.kind === 'timestamp' && b.kind === 'string') || (a.kind === 'string' && b.kind === 'timestamp'))
    return true;
  if (a.kind === 'list' && b.kind === 'list') return comparable(a.of, b.of);
  return a.kind === b.kind;
}

function ordered(a: ExprType, b: ExprType): boolean {
  if (isLoose(a) || isLoose(b)) return true;
  if (isNumeric(a) && isNumeric(b)) return true;
  if (a.kind === 'string' && b.kind === 'string') return true;
  if (a.kind === 'timestamp' && (b.kind === 'timestamp' || b.kind === 'string')) return true;
  if (b.kind === 'timestamp' && a.kind === 'string') return true;
  return false;
}

export function checkExpression(expr: Expr, env: ExprEnv): ExprType {
  const bad = (e: { start: number; end: number }, message: string): ExprType => {
    env.report('expression-type', message, e.start, e.end);
    return ANY;
  };
  const visit = (e: Expr): ExprType => {
    switch (e.kind) {
      case 'literal':
        return { kind: e.literal } as ExprType;
      case 'list': {
        const types = e.items.map(visit);
        let elem: ExprType = ANY;
        for (const [i, t] of types.entries()) {
          if (isLoose(t)) continue;
          if (isLoose(elem)) elem = t;
          else if (isNumeric(elem) && isNumeric(t))
            elem = elem.kind === 'float' || t.kind === 'float' ? FLOAT : INT;
          else if (!comparable(elem, t))
            return bad(e.items[i]!, `list mixes ${showType(elem)} and ${showType(t)} values`);
        }
        return isLoose(elem)
          ? { kind: 'list', of: { kind: 'any' } as unknown as FieldType }
          : { kind: 'list', of: elem as FieldType };
      }
      case 'field':
        return fieldType(e, env);
      case 'param': {
        if (!env.params.has(e.name)) {
          env.report(
            'unknown-param',
            `unknown param '${e.name}'${didYouMean(e.name, env.params.keys())} (params are declared under 'params')`,
            e.start,
            e.end,
          );
          return ANY;
        }
        env.noteParam(e.name);
        return env.params.get(e.name) ?? ANY;
      }
      case 'unary': {
        const t = visit(e.operand);
        if (e.op === 'not') {
          if (!isLoose(t) && t.kind !== 'bool')
            return bad(e.operand, `'not' needs a boolean, not ${showType(t)}`);
          return BOOL;
        }
        if (!isLoose(t) && !isNumeric(t)) return bad(e.operand, `'-' needs a number, not ${showType(t)}`);
        return t;
      }
      case 'binary': {
        const l = visit(e.left);
        const r = visit(e.right);
        const where = { start: e.start, end: e.end };
        switch (e.op) {
          case 'and':
          case 'or':
            if (!isLoose(l) && l.kind !== 'bool')
              return bad(e.left, `'${e.op}' needs booleans; the left side is ${showType(l)}`);
            if (!isLoose(r) && r.kind !== 'bool')
              return bad(e.right, `'${e.op}' needs booleans; the right side is ${showType(r)}`);
            return BOOL;
          case '==':
          case '!=':
            if (!comparable(l, r)) return bad(where, `cannot compare ${showType(l)} with ${showType(r)}`);
            return BOOL;
          case '<':
          case '<=':
          case '>':
          case '>=':
            if (!ordered(l, r)) return bad(where, `'${e.op}' cannot order ${showType(l)} and ${showType(r)}`);
            return BOOL;
          case '+':
          case '-':
          case '*':
          case '/': {
            if (e.op === '+' && l.kind === 'string' && r.kind === 'string') return l;
            if (!isLoose(l) && !isNumeric(l))
              return bad(e.left, `'${e.op}' needs numbers; the left side is ${showType(l)}`);
            if (!isLoose(r) && !isNumeric(r))
              return bad(e.right, `'${e.op}' needs numbers; the right side is ${showType(r)}`);
            if (e.op === '/') return FLOAT;
            if (l.kind === 'any' || r.kind === 'any') return ANY;
            return l.kind === 'int' && r.kind === 'int' ? INT : FLOAT;
          }
          case 'in':
          case 'not in':
            if (r.kind === 'list') {
              if (!comparable(l, r.of as ExprType))
                return bad(where, `'${e.op}' looks for ${showType(l)} in ${showType(r)}`);
            } else if (r.kind === 'string') {
              if (!isLoose(l) && l.kind !== 'string')
                return bad(where, `'${e.op}' looks for ${showType(l)} in a string`);
            } else if (!isLoose(r)) {
              return bad(e.right, `the right side of '${e.op}' must be a list, not ${showType(r)}`);
            }
            return BOOL;
        }
        return ANY;
      }
      case 'call': {
        const args = e.args.map(visit);
        if (!(FUNCTIONS as readonly string[]).includes(e.name)) {
          env.report(
            'unknown-function',
            `unknown function '${e.name}'${didYouMean(e.name, FUNCTIONS)} (functions: len, contains)`,
            e.start,
            e.nameEnd,
          );
          return ANY;
        }
        const arity = e.name === 'len' ? 1 : 2;
        if (args.length !== arity) {
          return bad(e, `${e.name}() takes ${arity} argument${arity === 1 ? '' : 's'}, not ${args.length}`);
        }
        if (e.name === 'len') {
          const t = args[0]!;
          if (!isLoose(t) && t.kind !== 'list' && t.kind !== 'string')
            return bad(e.args[0]!, `len() needs a list or a string, not ${showType(t)}`);
          return INT;
        }
        const [c, x] = args as [ExprType, ExprType];
        if (c.kind === 'list') {
          if (!comparable(c.of as ExprType, x))
            return bad(e.args[1]!, `contains() looks for ${showType(x)} in ${showType(c)}`);
        } else if (c.kind === 'string') {
          if (!isLoose(x) && x.kind !== 'string')
            return bad(e.args[1]!, `contains() looks for ${showType(x)} in a string`);
        } else if (!isLoose(c)) {
          return bad(e.args[0]!, `contains() needs a list (or a string) first, not ${showType(c)}`);
        }
        return BOOL;
      }
    }
  };
  return visit(expr);
}

function fieldType(e: Extract<Expr, { kind: 'field' }>, env: ExprEnv): ExprType {
  const items = env.items;
  if (!items) return ANY;
  const found = typeAtPath(items.fields, e.path);
  if ('type' in found) return found.type;
  const name = e.path[found.missing]!;
  // Offsets of the missing segment inside the dotted path.
  let start = e.start;
  for (let i = 0; i < found.missing; i++) start += e.path[i]!.length + 1;
  const end = start + name.length;
  if (found.missing === 0 && items.dataset !== undefined) {
    const full = env.fullFields?.(items.dataset)?.find((f) => f.name === name);
    if (full && !full.light && items.light) {
      env.report(
        'field-not-in-tier',
        `field '${name}' of ${items.dataset} is not light: tier ${items.tier ?? 'prod'} holds only the light version; read the records from archive or debug`,
        start,
        end,
      );
      return ANY;
    }
  }
  const where =
    found.missing === 0
      ? (items.dataset ?? describeItemType(items))
      : e.path.slice(0, found.missing).join('.');
  env.report(
    'unknown-field',
    `field '${name}' is not in ${where}${didYouMean(
      name,
      found.candidates.map((f) => f.name),
    )}`,
    start,
    end,
  );
  return ANY;
}
