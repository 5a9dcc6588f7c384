import { describe, expect, it } from 'vitest';
import { only, plan } from '../harness.js';

describe('unknown-processor', () => {
  it('reports an unknown processor with did-you-mean at the use value', () => {
    const text = plan('  f:\n    use: filtr\n    input: seed\n    where: true\n', { output: 'f' });
    expect(only('unknown-processor', text)).toEqual([
      {
        code: 'unknown-processor',
        line: 11,
        column: 10,
        message:
          "unknown processor 'filtr'; did you mean 'filter'? (processors: lookup, expand, query, filter, rank, dedupe, limit, project, merge, split, experiment, fallback; a project's own go in plans/processors/)",
      },
    ]);
  });
});
