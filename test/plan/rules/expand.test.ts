import { describe, expect, it } from 'vitest';
import { diagnose, plan } from '../harness.js';

const expand = (field: string, dataset: string) =>
  plan(
    `  e:\n    use: expand\n    input: seed\n    field: ${field}\n    tier: prod\n    dataset: ${dataset}\n`,
    { output: 'e' },
  );

describe('expand-not-reference', () => {
  it('accepts a reference field to its target (also through a list of structs)', () => {
    expect(diagnose(expand('board_ids', 'boardjoin'))).toEqual([]);
    expect(diagnose(expand('boards.board_id', 'boardjoin'))).toEqual([]);
  });
  it('reports a field that is not a reference', () => {
    expect(diagnose(expand('title', 'boardjoin'))).toEqual([
      {
        code: 'expand-not-reference',
        line: 13,
        column: 12,
        message:
          "field 'title' is not a reference to another dataset, so expand cannot follow it (reference fields here: board_ids → boardjoin, user_ids → userjoin)",
      },
    ]);
  });
  it("reports a dataset that is not the field's target", () => {
    expect(diagnose(expand('board_ids', 'userjoin'))).toEqual([
      {
        code: 'expand-not-reference',
        line: 15,
        column: 14,
        message:
          "field 'board_ids' references boardjoin, not userjoin; set dataset: boardjoin or expand through 'user_ids'",
      },
    ]);
  });
  it('reports an unknown field with did-you-mean', () => {
    expect(diagnose(expand('board_id', 'boardjoin')).map((d) => d.message)).toEqual([
      "field 'board_id' is not in pinjoin; did you mean 'board_ids'?",
    ]);
  });
});
