import { describe, expect, it } from 'vitest';
import { only, plan } from '../harness.js';

describe('unknown-node', () => {
  it('reports an input that names no node, with did-you-mean', () => {
    const text = plan('  f:\n    use: limit\n    input: sed\n    n: 1\n', { output: 'f' });
    expect(only('unknown-node', text)).toEqual([
      {
        code: 'unknown-node',
        line: 12,
        column: 12,
        message: "node 'f' reads from 'sed', which is not a node of this plan; did you mean 'seed'?",
      },
    ]);
  });
  it('reports an output that names no node', () => {
    expect(only('unknown-node', plan('', { output: 'nope' }))[0]).toMatchObject({ line: 11, column: 8 });
  });
});

describe('ports', () => {
  const split =
    "  s:\n    use: split\n    input: seed\n    cases:\n      food: category == 'food'\n    else: rest\n";
  it('accepts NAME.PORT for split ports', () => {
    expect(only('unknown-port', plan(split, { output: 's.food' }))).toEqual([]);
  });
  it('reports an unknown port with did-you-mean', () => {
    expect(only('unknown-port', plan(split, { output: 's.fod' }))[0]?.message).toBe(
      "node 's' has no port 'fod'; did you mean 'food'? (ports: food, rest)",
    );
  });
  it('reports a split referenced without a port', () => {
    expect(only('missing-port', plan(split, { output: 's' }))).toHaveLength(1);
  });
  it('reports a port on a node without named outputs', () => {
    expect(only('unknown-port', plan('', { output: 'seed.x' }))[0]?.message).toContain(
      "node 'seed' has no named outputs",
    );
  });
});

describe('input-arity', () => {
  it('reports an input on a source', () => {
    const text = plan(
      '  l:\n    use: lookup\n    input: seed\n    tier: prod\n    dataset: pinjoin\n    keys: [a]\n',
      { output: 'l' },
    );
    expect(only('input-arity', text)).toEqual([
      {
        code: 'input-arity',
        line: 12,
        column: 12,
        message: "lookup takes no input; node 'l' has 1 (remove 'input')",
      },
    ]);
  });
  it('reports a filter without input and a merge with one', () => {
    const text = plan('  f:\n    use: filter\n    where: true\n  m:\n    use: merge\n    input: [f]\n', {
      output: 'm',
    });
    expect(only('input-arity', text).map((d) => d.message)).toEqual([
      "filter takes exactly 1 input; node 'f' has none (add 'input')",
      "merge takes at least 2 inputs; node 'm' has 1",
    ]);
  });
});
