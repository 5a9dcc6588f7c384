import { describe, expect, it } from 'vitest';
import { diagnose, only, plan } from '../harness.js';

const use = (p: string) => `  f:\n    use: filter\n    input: seed\n    where: ${p}\n`;

describe('default-type', () => {
  it('accepts defaults of the declared type (an int default for a float param too)', () => {
    const text = plan(
      use('pin_count >= $params.a and score > $params.b and $params.c and category in $params.d'),
      {
        params:
          '  a: { type: int, default: 2 }\n  b: { type: float, default: 1 }\n  c: { type: bool, default: true }\n  d: { type: list<string>, default: [food, art] }\n',
        output: 'f',
      },
    );
    expect(diagnose(text)).toEqual([]);
  });
  it('reports a default of the wrong type at the default', () => {
    const text = plan(use('pin_count >= $params.a'), {
      params: "  a: { type: int, default: 'x' }\n",
      output: 'f',
    });
    expect(only('default-type', text)).toEqual([
      {
        code: 'default-type',
        line: 4,
        column: 28,
        message: "the default of param 'a' must be int, not string 'x'",
      },
    ]);
  });
  it('reports a list default with an element of the wrong type', () => {
    const text = plan(use('pin_count in $params.a'), {
      params: '  a: { type: list<int>, default: [1, two] }\n',
      output: 'f',
    });
    expect(only('default-type', text)).toHaveLength(1);
  });
  it('reports an unknown param type with did-you-mean', () => {
    const text = plan('', { params: '  a: { type: strng }\n' });
    expect(only('unknown-type', text)[0]?.message).toContain("did you mean 'string'?");
  });
});
