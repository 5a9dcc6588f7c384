import { describe, expect, it } from 'vitest';
import { warnings as diagnose, plan } from '../harness.js';

describe('unreachable-node', () => {
  it('warns about a node that reaches no output', () => {
    const text = plan('  lost:\n    use: limit\n    input: seed\n    n: 1\n');
    expect(diagnose(text)).toEqual([
      {
        code: 'unreachable-node',
        line: 10,
        column: 3,
        message: "node 'lost' reaches no output; use it in 'output' or as an input, or remove it",
      },
    ]);
  });
});
