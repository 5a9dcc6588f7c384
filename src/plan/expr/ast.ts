/** The expression language of `where`, `by` and `cases` (SPEC §4): its syntax tree, with offsets. */

export type BinaryOp =
  | '=='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | 'and'
  | 'or'
  | '+'
  | '-'
  | '*'
  | '/'
  | 'in'
  | 'not in';

interface Span {
  /** Offsets into the expression text: start inclusive, end exclusive. */
  start: number;
  end: number;
}

export type Expr =
  | (Span & {
      kind: 'literal';
      value: number | string | boolean | null;
      literal: 'int' | 'float' | 'string' | 'bool' | 'null';
    })
  | (Span & { kind: 'list'; items: Expr[] })
  | (Span & { kind: 'field'; path: string[] })
  | (Span & { kind: 'param'; name: string })
  | (Span & { kind: 'unary'; op: 'not' | '-'; operand: Expr })
  | (Span & { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; opStart: number; opEnd: number })
  | (Span & { kind: 'call'; name: string; args: Expr[]; nameEnd: number });

export const FUNCTIONS = ['len', 'contains'] as const;
