import { describe, expect, it } from 'vitest';
import { warnings as diagnose, plan } from '../harness.js';

describe('unused-param', () => {
  it('warns about a param nothing uses', () => {
    expect(diagnose(plan('', { params: '  spare: { type: int }\n' }))).toEqual([
      {
        code: 'unused-param',
        line: 4,
        column: 3,
        message: "param 'spare' is never used; reference it as $params.spare or remove it",
      },
    ]);
  });
  it('counts uses in expressions, options and SQL', () => {
    const nodes =
      '  f:\n    use: filter\n    input: seed\n    where: score > $params.a\n  l:\n    use: limit\n    input: f\n    n: $params.b\n';
    expect(
      diagnose(plan(nodes, { output: 'l', params: '  a: { type: float }\n  b: { type: int }\n' })),
    ).toEqual([]);
  });
});
