import { describe, expect, it } from 'vitest';
import { only, plan } from '../harness.js';

describe('invalid-name', () => {
  it('accepts lowercase-dashed plan names', () => {
    expect(only('invalid-name', plan(''))).toEqual([]);
  });
  it('rejects a plan name that is not [a-z][a-z0-9-]*', () => {
    const text = plan('').replace('plan: t', 'plan: Related_Pins');
    expect(only('invalid-name', text)).toEqual([
      {
        code: 'invalid-name',
        line: 1,
        column: 7,
        message:
          "plan name 'Related_Pins' must match [a-z][a-z0-9-]* (lowercase letters, digits and dashes, starting with a letter); e.g. 'related-pins'",
      },
    ]);
  });
  it('rejects a node name with a dot', () => {
    const text = plan('  a.b:\n    use: limit\n    input: seed\n    n: 1\n');
    expect(only('invalid-name', text).map((d) => [d.line, d.column])).toEqual([[10, 3]]);
  });
  it('rejects a param name that cannot be written as $params.NAME', () => {
    const text = plan('', { params: '  my-param: { type: int }\n' });
    expect(only('invalid-name', text)[0]).toMatchObject({ line: 4, column: 3 });
  });
  it('treats __proto__ as a plain name', () => {
    const text = plan('  __proto__:\n    use: limit\n    input: seed\n    n: 1\n', { output: '__proto__' });
    expect(only('invalid-name', text)).toEqual([]);
    expect(only('unknown-node', text)).toEqual([]);
  });
});
