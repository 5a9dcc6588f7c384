import { describe, expect, it } from 'vitest';
import { only, plan } from '../harness.js';

describe('cycle', () => {
  it('reports a cycle once, with its whole path', () => {
    const nodes =
      '  a:\n    use: limit\n    input: c\n    n: 1\n  b:\n    use: limit\n    input: a\n    n: 1\n  c:\n    use: limit\n    input: b\n    n: 1\n';
    expect(only('cycle', plan(nodes, { output: 'c' }))).toEqual([
      {
        code: 'cycle',
        line: 12,
        column: 12,
        message: 'cycle: a → b → c → a; nodes and their inputs must form a DAG',
      },
    ]);
  });
  it('reports a self-loop', () => {
    const text = plan('  a:\n    use: limit\n    input: a\n    n: 1\n', { output: 'a' });
    expect(only('cycle', text).map((d) => d.message)).toEqual([
      'cycle: a → a; nodes and their inputs must form a DAG',
    ]);
  });
  it('reports two separate cycles once each', () => {
    const nodes =
      '  a:\n    use: limit\n    input: b\n    n: 1\n  b:\n    use: limit\n    input: a\n    n: 1\n' +
      '  c:\n    use: limit\n    input: d\n    n: 1\n  d:\n    use: limit\n    input: c\n    n: 1\n  m:\n    use: merge\n    input: [a, c]\n';
    expect(only('cycle', plan(nodes, { output: 'm' })).map((d) => d.message)).toEqual([
      'cycle: a → b → a; nodes and their inputs must form a DAG',
      'cycle: c → d → c; nodes and their inputs must form a DAG',
    ]);
  });
});
