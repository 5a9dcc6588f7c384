import { describe, expect, it } from 'vitest';
import { diagnose, plan } from '../harness.js';

const where = (e: string, params = '') =>
  plan(`  f:\n    use: filter\n    input: seed\n    where: ${e}\n`, { output: 'f', params });

describe('expressions', () => {
  it.each([
    "category == 'food' and pin_count >= 2",
    'not (score < 0.5) or repin_count > 10',
    'len(board_ids) > 3 and contains(user_ids, 7)',
    "category in ['food', 'travel'] and category not in ['art']",
    'boards.pagerank != null',
    "first_pinned_at > '2025-01-01'",
    '(score + 1) * 2 / 3 - -1 > 0',
    "title + '!' != ''",
    'pin_count >= $params.min',
  ])('accepts %s', (e) => {
    expect(diagnose(where(`"${e}"`, '  min: { type: int, default: 1 }\n'))).toEqual([]);
  });

  it('points at an unknown field inside the expression, with did-you-mean', () => {
    expect(diagnose(where('scor > 1'))).toEqual([
      {
        code: 'unknown-field',
        line: 13,
        column: 12,
        message: "field 'scor' is not in pinjoin; did you mean 'score'?",
      },
    ]);
  });
  it('points at a syntax error', () => {
    expect(diagnose(where('score > 1 and'))).toEqual([
      {
        code: 'expression-syntax',
        line: 13,
        column: 25,
        message: "'where': expression ends too early; expected a value",
      },
    ]);
  });
  it("suggests '==' for '='", () => {
    expect(diagnose(where("category = 'food'"))[0]?.message).toBe(
      "'where': '=' is not an operator; write '==' to compare",
    );
  });
  it('reports operator misuse', () => {
    expect(diagnose(where("score > 'x'")).map((d) => d.message)).toEqual([
      "'>' cannot order float and string",
    ]);
    expect(diagnose(where('title and true')).map((d) => d.message)).toEqual([
      "'and' needs booleans; the left side is string",
    ]);
    expect(diagnose(where('score in 3')).map((d) => d.message)).toEqual([
      "the right side of 'in' must be a list, not int",
    ]);
  });
  it('requires where to be boolean', () => {
    expect(diagnose(where('score + 1'))).toEqual([
      {
        code: 'expression-type',
        line: 13,
        column: 12,
        message: "'where' must be a boolean expression; 'score + 1' is float",
      },
    ]);
  });
  it('reports unknown functions and params', () => {
    expect(diagnose(where('lenn(title) > 1')).map((d) => d.code)).toEqual(['unknown-function']);
    expect(diagnose(where('score > $params.nope')).map((d) => d.code)).toEqual(['unknown-param']);
  });
  it('rejects deep nesting without crashing', () => {
    const deep = `${'('.repeat(500)}true${')'.repeat(500)}`;
    expect(diagnose(where(deep)).map((d) => d.code)).toEqual(['expression-syntax']);
  });
});

describe('rank-by-not-number', () => {
  it('reports ranking by a string', () => {
    const text = plan('  r:\n    use: rank\n    input: seed\n    by: title\n', { output: 'r' });
    expect(diagnose(text)).toEqual([
      { code: 'rank-by-not-number', line: 13, column: 9, message: "'by' must be numeric; 'title' is string" },
    ]);
  });
});
