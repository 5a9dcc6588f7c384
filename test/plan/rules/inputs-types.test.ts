import { describe, expect, it } from 'vitest';
import { diagnose, plan } from '../harness.js';

const boards =
  '  b:\n    use: expand\n    input: seed\n    field: board_ids\n    tier: prod\n    dataset: boardjoin\n';
const full = '  d:\n    use: lookup\n    tier: debug\n    dataset: pinjoin\n    keys: $params.image\n';

describe('merge-type-mismatch', () => {
  it('accepts the same dataset from a light and a full tier', () => {
    expect(
      diagnose(
        plan(`${full}  m:\n    use: merge\n    input: [seed, d]\n    strategy: interleave\n`, {
          output: 'm',
        }),
      ),
    ).toEqual([]);
  });
  it('reports a merge of pins and boards', () => {
    expect(diagnose(plan(`${boards}  m:\n    use: merge\n    input: [seed, b]\n`, { output: 'm' }))).toEqual([
      {
        code: 'merge-type-mismatch',
        line: 18,
        column: 12,
        message:
          "merge of inputs of different item types: 'seed' gives pinjoin (light, from prod) but 'b' gives boardjoin (light, from prod)",
      },
    ]);
  });
  it('requires a weight for every input of a weighted merge, and known inputs in weights', () => {
    const text = plan(
      `${full}  m:\n    use: merge\n    input: [seed, d]\n    strategy: weighted\n    weights: { seed: 2, e: 1 }\n`,
      { output: 'm' },
    );
    expect(diagnose(text).map((d) => d.code)).toEqual(['unknown-input']);
    const text2 = plan(
      `${full}  m:\n    use: merge\n    input: [seed, d]\n    strategy: weighted\n    weights: { seed: 2 }\n`,
      { output: 'm' },
    );
    expect(diagnose(text2).map((d) => d.message)).toEqual(["'weights' has no weight for input 'd'"]);
  });
});

describe('fallback and experiment', () => {
  it('accept compatible alternatives', () => {
    const text = plan(
      `${full}  f:\n    use: fallback\n    input: [d, seed]\n    when: empty\n  x:\n    use: experiment\n    by: $params.image\n    variants:\n      a: { weight: 1, input: f }\n      b: { weight: 1, input: seed }\n`,
      { output: 'x' },
    );
    expect(diagnose(text)).toEqual([]);
  });
  it('report alternatives of different item types', () => {
    expect(
      diagnose(plan(`${boards}  f:\n    use: fallback\n    input: [seed, b]\n`, { output: 'f' })).map(
        (d) => d.code,
      ),
    ).toEqual(['input-type-mismatch']);
  });
  it('report an experiment with one variant, zero weights or negative weights', () => {
    const one = plan(
      `${full}  x:\n    use: experiment\n    input: [seed, d]\n    by: $params.image\n    variants:\n      a: { weight: 1, input: seed }\n`,
      { output: 'x' },
    );
    expect(diagnose(one).map((d) => d.code)).toContain('experiment-variants');
    const zero = plan(
      `${full}  x:\n    use: experiment\n    by: $params.image\n    variants:\n      a: { weight: 0, input: seed }\n      b: { weight: 0, input: d }\n`,
      { output: 'x' },
    );
    expect(diagnose(zero).map((d) => d.code)).toEqual(['experiment-weights']);
    const neg = plan(
      `${full}  x:\n    use: experiment\n    by: $params.image\n    variants:\n      a: { weight: -1, input: seed }\n      b: { weight: 1, input: d }\n`,
      { output: 'x' },
    );
    expect(diagnose(neg).map((d) => d.code)).toEqual(['experiment-weights']);
  });
  it('reports an experiment keyed by an item field, and a variant input that is no node', () => {
    const text = plan(
      `${full}  x:\n    use: experiment\n    by: score\n    variants:\n      a: { weight: 1, input: seed }\n      b: { weight: 1, input: dd }\n`,
      { output: 'x' },
    );
    expect(
      diagnose(text)
        .map((d) => d.code)
        .sort(),
    ).toEqual(['expression-type', 'unknown-node']);
  });
});

describe('split-ports', () => {
  it('reports an else port that repeats a case', () => {
    const text = plan(
      "  s:\n    use: split\n    input: seed\n    cases:\n      food: category == 'food'\n    else: food\n",
      { output: 's.food' },
    );
    expect(diagnose(text).map((d) => d.code)).toEqual(['split-ports']);
  });
});
