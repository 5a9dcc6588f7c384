/**
 * A light, dependency-free check that a `query` node's SQL is one read-only SELECT: it tokenizes
 * (strings, quoted identifiers and comments are skipped), requires the statement to start with
 * SELECT or WITH (optionally parenthesised), allows no second statement, and rejects every
 * keyword that writes or changes state. Validation stays fast: DuckDB is never loaded for this.
 * The engine still runs the SQL on a read-only connection, so this check is about clear, early
 * errors, not the only line of defence.
 */

export interface SqlProblem {
  message: string;
  start: number;
  end: number;
}

const WRITE_KEYWORDS = new Set([
  'insert', 'update', 'delete', 'drop', 'create', 'alter', 'attach', 'detach', 'copy', 'pragma',
  'install', 'load', 'export', 'import', 'call', 'set', 'reset', 'truncate', 'grant', 'revoke',
  'vacuum', 'checkpoint', 'merge', 'begin', 'commit', 'rollback', 'use', 'upsert',
]); // biome-ignore format: compact keyword list

interface Token {
  kind: 'word' | 'semi' | 'other';
  text: string;
  start: number;
  end: number;
}

function tokens(sql: string): Token[] | SqlProblem {
  const out: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      i = nl === -1 ? sql.length : nl;
    } else if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      if (close === -1) return { message: 'unterminated /* comment in the SQL', start: i, end: i + 2 };
      i = close + 2;
    } else if (c === "'" || c === '"') {
      const start = i;
      i++;
      for (;;) {
        if (i >= sql.length)
          return {
            message: `unterminated ${c === "'" ? 'string' : 'quoted identifier'} in the SQL`,
            start,
            end: start + 1,
          };
        if (sql[i] === c) {
          if (sql[i + 1] === c) {
            i += 2;
            continue;
          }
          i++;
          break;
        }
        i++;
      }
      out.push({ kind: 'other', text: sql.slice(start, i), start, end: i });
    } else if (/[A-Za-z_]/.test(c)) {
      const start = i;
      while (i < sql.length && /[A-Za-z0-9_$]/.test(sql[i]!)) i++;
      out.push({ kind: 'word', text: sql.slice(start, i), start, end: i });
    } else if (c === '$') {
      const start = i;
      i++;
      while (i < sql.length && /[A-Za-z0-9_.]/.test(sql[i]!)) i++;
      out.push({ kind: 'other', text: sql.slice(start, i), start, end: i });
    } else {
      out.push({ kind: c === ';' ? 'semi' : 'other', text: c, start: i, end: i + 1 });
      i++;
    }
  }
  return out;
}

/** Undefined when `sql` is a single read-only SELECT (or WITH … SELECT); the problem otherwise. */
export function checkReadOnlySql(sql: string): SqlProblem | undefined {
  const toks = tokens(sql);
  if (!Array.isArray(toks)) return toks;
  let end = toks.length;
  while (end > 0 && toks[end - 1]!.kind === 'semi') end--;
  const body = toks.slice(0, end);
  const first = body.find((t) => t.text !== '(');
  if (!first)
    return {
      message: 'the SQL is empty; write one SELECT statement',
      start: 0,
      end: Math.max(sql.length, 1),
    };
  const head = first.text.toLowerCase();
  if (head !== 'select' && head !== 'with') {
    return {
      message: `the SQL must be one read-only SELECT (or WITH … SELECT), not '${first.text}'`,
      start: first.start,
      end: first.end,
    };
  }
  const semi = body.find((t) => t.kind === 'semi');
  if (semi)
    return {
      message: 'the SQL holds more than one statement; write a single SELECT',
      start: semi.start,
      end: semi.end,
    };
  for (const t of body) {
    if (t.kind === 'word' && WRITE_KEYWORDS.has(t.text.toLowerCase())) {
      return {
        message: `'${t.text}' is not allowed: a query must be a single read-only SELECT`,
        start: t.start,
        end: t.end,
      };
    }
  }
  if (head === 'with' && !body.some((t) => t.kind === 'word' && t.text.toLowerCase() === 'select')) {
    return { message: 'a WITH query must end in a SELECT', start: first.start, end: first.end };
  }
  return undefined;
}

/** The `$params.NAME` occurrences outside strings and comments, in order. */
export function sqlParams(sql: string): Array<{ name: string; start: number; end: number }> {
  const toks = tokens(sql);
  if (!Array.isArray(toks)) return [];
  const out: Array<{ name: string; start: number; end: number }> = [];
  for (const t of toks) {
    const m = /^\$params\.([A-Za-z_][A-Za-z0-9_]*)/.exec(t.text);
    if (m) out.push({ name: m[1]!, start: t.start, end: t.start + m[0].length });
  }
  return out;
}
