/** The compiled expression closures agree with the plan package's reference interpreter. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileExpr } from '../../src/engine/expr.js';
import type { Expr } from '../../src/plan/expr/ast.js';
import { evaluate, parseExpression } from '../../src/plan/index.js';

const span = { start: 0, end: 0 };
const FIELDS = ['score', 'category', 'tags', 'owner', 'missing', 'boards'];
const scalar = fc.oneof(
  fc.integer({ min: -5, max: 5 }),
  fc.double({ min: -5, max: 5, noNaN: true }),
  fc.constantFrom('a', 'b', 'food', ''),
  fc.boolean(),
  fc.constant(null),
);

const exprArb: fc.Arbitrary<Expr> = fc.letrec<{ e: Expr }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar.map((value) => ({ ...span, kind: 'literal', value, literal: 'int' }) as Expr),
    fc
      .constantFrom(...FIELDS)
      .chain((f) =>
        fc
          .constantFrom<string[]>([f], [f, 'username'], [f, 'board_id'])
          .map((path) => ({ ...span, kind: 'field', path }) as Expr),
      ),
    fc.constantFrom('limit', 'user', 'nope').map((name) => ({ ...span, kind: 'param', name }) as Expr),
    fc.array(tie('e'), { maxLength: 3 }).map((items) => ({ ...span, kind: 'list', items }) as Expr),
    fc
      .record({ op: fc.constantFrom('not' as const, '-' as const), operand: tie('e') })
      .map((u) => ({ ...span, kind: 'unary', ...u }) as Expr),
    fc
      .record({
        op: fc.constantFrom(
          '==',
          '!=',
          '<',
          '<=',
          '>',
          '>=',
          'and',
          'or',
          '+',
          '-',
          '*',
          '/',
          'in',
          'not in',
        ),
        left: tie('e'),
        right: tie('e'),
      })
      .map((b) => ({ ...span, kind: 'binary', opStart: 0, opEnd: 0, ...b }) as Expr),
    fc
      .record({
        name: fc.constantFrom('len', 'contains'),
        args: fc.array(tie('e'), { minLength: 2, maxLength: 2 }),
      })
      .map((c) => ({ ...span, kind: 'call', nameEnd: 0, ...c }) as Expr),
  ),
})).e;

const itemArb = fc.record(
  {
    score: scalar,
    category: fc.constantFrom('food', 'art', null),
    tags: fc.array(fc.constantFrom('a', 'b', 'food'), { maxLength: 3 }),
    owner: fc.record({ username: fc.constantFrom('a', 'b') }),
    boards: fc.array(fc.record({ board_id: fc.integer({ min: 1, max: 4 }) }), { maxLength: 3 }),
  },
  { requiredKeys: [] },
);

describe('compiled expressions', () => {
  it('agree with the reference interpreter on random expressions and items', () => {
    fc.assert(
      fc.property(
        exprArb,
        itemArb,
        fc.record({ limit: scalar, user: scalar }, { requiredKeys: [] }),
        (e, item, params) => {
          expect(compileExpr(e)(item, params)).toEqual(evaluate(e, item, params));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('evaluate the SPEC example', () => {
    const parsed = parseExpression("category == 'food' and pin_count >= 2");
    if (!('expr' in parsed) || !parsed.expr) throw new Error('parse failed');
    const f = compileExpr(parsed.expr);
    expect(f({ category: 'food', pin_count: 2 }, {})).toBe(true);
    expect(f({ category: 'food', pin_count: 1 }, {})).toBe(false);
    expect(f({ category: 'art', pin_count: 9 }, {})).toBe(false);
  });
});
