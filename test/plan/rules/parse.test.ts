import { describe, expect, it } from 'vitest';
import { diagnose } from '../harness.js';

describe('the YAML edge and the plan shape', () => {
  it('reports an empty file and a comment-only file', () => {
    expect(diagnose('')).toEqual([
      { code: 'empty-file', line: 1, column: 1, message: 'file is empty; expected a YAML mapping' },
    ]);
    expect(diagnose('# nothing\n').map((d) => d.code)).toEqual(['empty-file']);
  });
  it('reports YAML syntax errors with their position', () => {
    const got = diagnose('plan: a\nnodes: [\n');
    expect(got[0]?.code).toBe('yaml-syntax');
    expect(got[0]?.line).toBeGreaterThanOrEqual(2);
  });
  it('reports duplicate keys', () => {
    const got = diagnose('plan: a\nplan: b\nnodes: {}\noutput: {}\n');
    expect(got.map((d) => [d.code, d.line])).toEqual([['duplicate-key', 2]]);
  });
  it('reports a document that is not a mapping', () => {
    expect(diagnose('- a\n- b\n')).toEqual([
      {
        code: 'not-a-mapping',
        line: 1,
        column: 1,
        message: 'a plan must be a YAML mapping (plan:, nodes:, output: …), not a list',
      },
    ]);
    expect(diagnose('just text\n').map((d) => d.code)).toEqual(['not-a-mapping']);
  });
  it('rejects an alias bomb', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++)
      bomb.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)}]`,
      );
    const started = Date.now();
    expect(diagnose(`${bomb.join('\n')}\n`).map((d) => d.code)).toEqual(['yaml-alias-limit']);
    expect(Date.now() - started).toBeLessThan(5000);
  });
  it('rejects absurd nesting', () => {
    expect(diagnose(`plan: ${'['.repeat(30_000)}${']'.repeat(30_000)}\n`).map((d) => d.code)).toEqual([
      'yaml-too-deep',
    ]);
  });
  it('reports missing top-level keys and unknown keys with did-you-mean', () => {
    expect(diagnose('plan: a\nnode: {}\n')).toEqual([
      {
        code: 'missing-key',
        line: 1,
        column: 1,
        message: "missing required key 'nodes' at the top of the plan",
      },
      {
        code: 'missing-key',
        line: 1,
        column: 1,
        message: "missing required key 'output' at the top of the plan",
      },
      {
        code: 'unknown-key',
        line: 2,
        column: 1,
        message:
          "unknown key 'node' in the plan; did you mean 'nodes'? (expected one of: plan, description, params, slo, nodes, output)",
      },
    ]);
  });
  it('reports wrong value types in the plan shape', () => {
    const got = diagnose(
      'plan: 12\ndescription: [x]\nparams: 3\nslo: { p99_ms: -1, p50_ms: 3 }\nnodes: [a]\noutput: a\n',
    );
    expect(got.map((d) => [d.code, d.line])).toEqual([
      ['wrong-type', 1],
      ['wrong-type', 2],
      ['wrong-type', 3],
      ['wrong-type', 4],
      ['unknown-key', 4],
      ['wrong-type', 5],
      ['wrong-type', 6],
    ]);
  });
  it('reports a node without use, a param without type, and unknown param keys', () => {
    const got = diagnose(
      'plan: a\nparams:\n  x: { requird: true }\nnodes:\n  n:\n    input: m\noutput:\n  o: n\n',
    );
    expect(got.map((d) => d.code).sort()).toEqual([
      'missing-key',
      'missing-key',
      'unknown-key',
      'unknown-node',
    ]);
  });
  it('accepts JSON (plans may arrive on stdin as JSON)', () => {
    const json = JSON.stringify({
      plan: 'j',
      nodes: { s: { use: 'lookup', tier: 'prod', dataset: 'pinjoin', keys: ['a'] } },
      output: { o: 's' },
    });
    expect(diagnose(json)).toEqual([]);
  });
});
