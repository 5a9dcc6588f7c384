import { describe, expect, it } from 'vitest';
import { diagnose, only, plan } from '../harness.js';

describe('processor options (node-types rule)', () => {
  it('reports an unknown option with did-you-mean', () => {
    const text = plan('  r:\n    use: rank\n    input: seed\n    by: score\n    limt: 3\n', { output: 'r' });
    expect(only('unknown-key', text)).toEqual([
      {
        code: 'unknown-key',
        line: 14,
        column: 5,
        message:
          "unknown option 'limt' for processor rank; did you mean 'limit'? (options: by, order, limit; node keys: use, input, timeout_ms, on_error)",
      },
    ]);
  });
  it('reports a missing required option at the node', () => {
    const text = plan('  r:\n    use: rank\n    input: seed\n', { output: 'r' });
    expect(only('missing-key', text)).toEqual([
      {
        code: 'missing-key',
        line: 10,
        column: 3,
        message: "node 'r' (rank) is missing required option 'by' (a numeric expression)",
      },
    ]);
  });
  it('reports wrong value types and values outside their set', () => {
    const text = plan(
      '  r:\n    use: rank\n    input: seed\n    by: score\n    limit: many\n    order: up\n',
      { output: 'r' },
    );
    expect(diagnose(text).map((d) => [d.code, d.line, d.column])).toEqual([
      ['wrong-type', 14, 12],
      ['invalid-value', 15, 12],
    ]);
  });
  it('checks $params.NAME: declared, and of a fitting type', () => {
    const text = plan(
      '  r:\n    use: rank\n    input: seed\n    by: score\n    limit: $params.image\n  l:\n    use: limit\n    input: r\n    n: $params.nn\n',
      { output: 'l' },
    );
    expect(diagnose(text).map((d) => [d.code, d.message])).toEqual([
      ['param-type', "'limit' needs an int, but param 'image' is string"],
      ['unknown-param', "unknown param 'nn' (params are declared under 'params')"],
    ]);
  });
  it('reports unknown tiers and datasets with did-you-mean', () => {
    const text = plan('  l:\n    use: lookup\n    tier: prd\n    dataset: pinjoins\n    keys: [a]\n', {
      output: 'l',
    });
    expect(diagnose(text).map((d) => d.message)).toEqual([
      "unknown tier 'prd'; did you mean 'prod'? (tiers: prod, batch, archive, debug)",
      "unknown dataset 'pinjoins'; did you mean 'pinjoin'? (see 'disco catalog')",
    ]);
  });
  it('reports a bad on_error and timeout_ms', () => {
    const text = plan(
      '  l:\n    use: limit\n    input: seed\n    n: 1\n    on_error: ignore\n    timeout_ms: -1\n',
      { output: 'l' },
    );
    expect(diagnose(text).map((d) => d.code)).toEqual(['invalid-value', 'wrong-type']);
  });
  it('reports a lookup whose tier does not hold the dataset, and keys of the wrong type', () => {
    const text = plan(
      '  l:\n    use: lookup\n    tier: prod\n    dataset: board_pagerank\n    keys: [1]\n  u:\n    use: lookup\n    tier: prod\n    dataset: userjoin\n    keys: $params.image\n  m:\n    use: merge\n    input: [l, u]\n',
      { output: 'm' },
    );
    const got = diagnose(text).map((d) => d.code);
    expect(got).toContain('dataset-not-in-tier');
    expect(got).toContain('param-type');
  });
});
