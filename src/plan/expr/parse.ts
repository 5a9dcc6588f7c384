/**
 * Lexer and Pratt parser for plan expressions. Every node keeps its offsets so the checker can
 * point at the exact characters; nesting is bounded so hostile input cannot overflow the stack.
 * Errors are returned, never thrown past `parseExpression`.
 */
import type { BinaryOp, Expr } from './ast.js';

type TokenKind = 'num' | 'str' | 'ident' | 'param' | 'op' | 'eof';
interface Token {
  kind: TokenKind;
  text: string;
  value?: number | string;
  start: number;
  end: number;
}

export interface ExprSyntaxError {
  message: string;
  start: number;
  end: number;
}

export type ParseResult = { expr: Expr; error?: undefined } | { expr?: undefined; error: ExprSyntaxError };

const MAX_LENGTH = 10_000;
const MAX_DEPTH = 64;
const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'true', 'false', 'null']);

class SyntaxFail extends Error {
  constructor(
    message: string,
    readonly start: number,
    readonly end: number,
  ) {
    super(message);
  }
}

function lex(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const m = /^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/.exec(text.slice(i))!;
      i += m[0].length;
      if (/[A-Za-z_]/.test(text[i] ?? ''))
        throw new SyntaxFail(`invalid number '${text.slice(start, i + 1)}'`, start, i + 1);
      tokens.push({ kind: 'num', text: m[0], value: Number(m[0]), start, end: i });
      continue;
    }
    if (c === "'" || c === '"') {
      let value = '';
      i++;
      let closed = false;
      while (i < text.length) {
        const d = text[i]!;
        if (d === '\\' && i + 1 < text.length) {
          const n = text[i + 1]!;
          value += n === 'n' ? '\n' : n === 't' ? '\t' : n;
          i += 2;
          continue;
        }
        if (d === c) {
          if (c === "'" && text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          closed = true;
          break;
        }
        value += d;
        i++;
      }
      if (!closed) throw new SyntaxFail('unterminated string', start, text.length);
      tokens.push({ kind: 'str', text: text.slice(start, i), value, start, end: i });
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i))!;
      i += m[0].length;
      tokens.push({ kind: 'ident', text: m[0], start, end: i });
      continue;
    }
    if (c === '$') {
      const m = /^\$params\.([A-Za-z_][A-Za-z0-9_]*)/.exec(text.slice(i));
      if (!m) {
        const bad = /^\$[A-Za-z0-9_.]*/.exec(text.slice(i))![0];
        throw new SyntaxFail(
          `'${bad || '$'}' is not a parameter reference; write $params.NAME`,
          start,
          i + Math.max(1, bad.length),
        );
      }
      i += m[0].length;
      tokens.push({ kind: 'param', text: m[0], value: m[1]!, start, end: i });
      continue;
    }
    const two = text.slice(i, i + 2);
    if (['==', '!=', '<=', '>=', '&&', '||'].includes(two)) {
      if (two === '&&' || two === '||') {
        throw new SyntaxFail(
          `'${two}' is not an operator; write '${two === '&&' ? 'and' : 'or'}'`,
          start,
          i + 2,
        );
      }
      i += 2;
      tokens.push({ kind: 'op', text: two, start, end: i });
      continue;
    }
    if ('<>+-*/()[],.'.includes(c)) {
      i++;
      tokens.push({ kind: 'op', text: c, start, end: i });
      continue;
    }
    if (c === '=') throw new SyntaxFail("'=' is not an operator; write '==' to compare", start, i + 1);
    if (c === '!') throw new SyntaxFail("'!' is not an operator; write 'not'", start, i + 1);
    throw new SyntaxFail(`unexpected character '${c}'`, start, i + 1);
  }
  tokens.push({ kind: 'eof', text: '', start: text.length, end: text.length });
  return tokens;
}

const BINARY: Record<string, { prec: number; op: BinaryOp }> = {
  or: { prec: 1, op: 'or' },
  and: { prec: 2, op: 'and' },
  '==': { prec: 4, op: '==' },
  '!=': { prec: 4, op: '!=' },
  '<': { prec: 4, op: '<' },
  '<=': { prec: 4, op: '<=' },
  '>': { prec: 4, op: '>' },
  '>=': { prec: 4, op: '>=' },
  in: { prec: 4, op: 'in' },
  '+': { prec: 5, op: '+' },
  '-': { prec: 5, op: '-' },
  '*': { prec: 6, op: '*' },
  '/': { prec: 6, op: '/' },
};

class Parser {
  private pos = 0;
  private depth = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)]!;
  }
  private next(): Token {
    const t = this.peek();
    if (this.pos < this.tokens.length - 1) this.pos++;
    return t;
  }
  private expect(text: string, what: string): Token {
    const t = this.peek();
    if ((t.kind === 'op' || t.kind === 'ident') && t.text === text) return this.next();
    throw new SyntaxFail(`expected ${what}, found ${describe(t)}`, t.start, Math.max(t.end, t.start + 1));
  }

  parseAll(): Expr {
    const e = this.parseExpr(0);
    const t = this.peek();
    if (t.kind !== 'eof')
      throw new SyntaxFail(`unexpected ${describe(t)}; expected an operator or the end`, t.start, t.end);
    return e;
  }

  parseExpr(minPrec: number): Expr {
    if (++this.depth > MAX_DEPTH) {
      const t = this.peek();
      throw new SyntaxFail(`expression nests deeper than ${MAX_DEPTH} levels`, t.start, t.end);
    }
    let left = this.parsePrefix();
    for (;;) {
      const t = this.peek();
      let info: { prec: number; op: BinaryOp } | undefined;
      let opEnd = t.end;
      if (
        t.kind === 'ident' &&
        t.text === 'not' &&
        this.peek(1).kind === 'ident' &&
        this.peek(1).text === 'in'
      ) {
        info = { prec: 4, op: 'not in' };
        opEnd = this.peek(1).end;
      } else if (
        t.kind === 'op' ||
        (t.kind === 'ident' && (t.text === 'and' || t.text === 'or' || t.text === 'in'))
      ) {
        info = BINARY[t.text];
      }
      if (!info || info.prec <= minPrec) break;
      this.next();
      if (info.op === 'not in') this.next();
      // Comparisons do not chain (`a < b < c` is an error, not a surprise).
      const right = this.parseExpr(info.prec === 4 ? info.prec : info.prec);
      if (info.prec === 4) {
        const after = this.peek();
        const afterInfo = after.kind === 'op' || after.kind === 'ident' ? BINARY[after.text] : undefined;
        if (afterInfo?.prec === 4) {
          throw new SyntaxFail(
            `comparisons cannot be chained; combine them with 'and'`,
            after.start,
            after.end,
          );
        }
      }
      left = {
        kind: 'binary',
        op: info.op,
        left,
        right,
        start: left.start,
        end: right.end,
        opStart: t.start,
        opEnd,
      };
    }
    this.depth--;
    return left;
  }

  private parsePrefix(): Expr {
    const t = this.next();
    if (t.kind === 'num') {
      const isInt = /^[0-9]+$/.test(t.text);
      return {
        kind: 'literal',
        value: t.value as number,
        literal: isInt ? 'int' : 'float',
        start: t.start,
        end: t.end,
      };
    }
    if (t.kind === 'str')
      return { kind: 'literal', value: t.value as string, literal: 'string', start: t.start, end: t.end };
    if (t.kind === 'param') return { kind: 'param', name: t.value as string, start: t.start, end: t.end };
    if (t.kind === 'op' && t.text === '(') {
      const inner = this.parseExpr(0);
      const close = this.expect(')', "')'");
      return { ...inner, start: t.start, end: close.end };
    }
    if (t.kind === 'op' && t.text === '[') {
      const items: Expr[] = [];
      if (!(this.peek().kind === 'op' && this.peek().text === ']')) {
        for (;;) {
          items.push(this.parseExpr(0));
          if (this.peek().kind === 'op' && this.peek().text === ',') {
            this.next();
            continue;
          }
          break;
        }
      }
      const close = this.expect(']', "',' or ']'");
      return { kind: 'list', items, start: t.start, end: close.end };
    }
    if (t.kind === 'op' && t.text === '-') {
      const operand = this.parseExpr(6);
      return { kind: 'unary', op: '-', operand, start: t.start, end: operand.end };
    }
    if (t.kind === 'ident') {
      if (t.text === 'not') {
        const operand = this.parseExpr(3);
        return { kind: 'unary', op: 'not', operand, start: t.start, end: operand.end };
      }
      if (t.text === 'true' || t.text === 'false') {
        return { kind: 'literal', value: t.text === 'true', literal: 'bool', start: t.start, end: t.end };
      }
      if (t.text === 'null')
        return { kind: 'literal', value: null, literal: 'null', start: t.start, end: t.end };
      if (KEYWORDS.has(t.text)) {
        throw new SyntaxFail(`unexpected '${t.text}'; expected a value`, t.start, t.end);
      }
      if (this.peek().kind === 'op' && this.peek().text === '(') {
        this.next();
        const args: Expr[] = [];
        if (!(this.peek().kind === 'op' && this.peek().text === ')')) {
          for (;;) {
            args.push(this.parseExpr(0));
            if (this.peek().kind === 'op' && this.peek().text === ',') {
              this.next();
              continue;
            }
            break;
          }
        }
        const close = this.expect(')', "',' or ')'");
        return { kind: 'call', name: t.text, args, start: t.start, end: close.end, nameEnd: t.end };
      }
      const path = [t.text];
      let end = t.end;
      while (this.peek().kind === 'op' && this.peek().text === '.') {
        this.next();
        const part = this.next();
        if (part.kind !== 'ident') {
          throw new SyntaxFail(
            `expected a field name after '.', found ${describe(part)}`,
            part.start,
            Math.max(part.end, part.start + 1),
          );
        }
        path.push(part.text);
        end = part.end;
      }
      return { kind: 'field', path, start: t.start, end };
    }
    throw new SyntaxFail(
      t.kind === 'eof'
        ? 'expression ends too early; expected a value'
        : `unexpected ${describe(t)}; expected a value`,
      t.start,
      Math.max(t.end, t.start + 1),
    );
  }
}

function describe(t: Token): string {
  return t.kind === 'eof' ? 'the end of the expression' : `'${t.text}'`;
}

/** Parses an expression; syntax errors are returned with their offsets. */
export function parseExpression(text: string): ParseResult {
  if (text.length > MAX_LENGTH) {
    return { error: { message: `expression is longer than ${MAX_LENGTH} characters`, start: 0, end: 1 } };
  }
  try {
    const tokens = lex(text);
    if (tokens.length === 1)
      return { error: { message: 'expression is empty', start: 0, end: Math.max(text.length, 1) } };
    return { expr: new Parser(tokens).parseAll() };
  } catch (error) {
    if (error instanceof SyntaxFail)
      return { error: { message: error.message, start: error.start, end: error.end } };
    if (error instanceof RangeError)
      return { error: { message: 'expression is too deeply nested', start: 0, end: 1 } };
    throw error;
  }
}

/** Renders an expression back to text (for messages and the DAG view). */
export function printExpression(e: Expr): string {
  switch (e.kind) {
    case 'literal':
      return typeof e.value === 'string' ? `'${e.value.replace(/'/g, "''")}'` : String(e.value);
    case 'list':
      return `[${e.items.map(printExpression).join(', ')}]`;
    case 'field':
      return e.path.join('.');
    case 'param':
      return `$params.${e.name}`;
    case 'unary':
      return e.op === 'not' ? `not ${printExpression(e.operand)}` : `-${printExpression(e.operand)}`;
    case 'binary':
      return `(${printExpression(e.left)} ${e.op} ${printExpression(e.right)})`;
    case 'call':
      return `${e.name}(${e.args.map(printExpression).join(', ')})`;
  }
}
