import { describe, expect, it } from 'vitest';
import { diagnose, plan } from '../harness.js';

describe('field-not-in-tier', () => {
  it('reports a non-light field read from prod', () => {
    const text = plan("  f:\n    use: filter\n    input: seed\n    where: description != ''\n", {
      output: 'f',
    });
    expect(diagnose(text)).toEqual([
      {
        code: 'field-not-in-tier',
        line: 13,
        column: 12,
        message:
          "field 'description' of pinjoin is not light: tier prod holds only the light version; read the records from archive or debug",
      },
    ]);
  });
  it('accepts the same field from the debug tier', () => {
    const text = plan(
      '  d:\n    use: lookup\n    tier: debug\n    dataset: pinjoin\n    keys: $params.image\n  f:\n    use: project\n    input: d\n    fields: [description, pin_ids]\n',
      { output: 'f' },
    );
    expect(diagnose(text).filter((d) => d.code !== 'unreachable-node')).toEqual([]);
  });
  it('reports non-light fields in project and expand', () => {
    const text = plan(
      '  p:\n    use: project\n    input: seed\n    fields: [title, repin_edges]\n  e:\n    use: expand\n    input: seed\n    field: pin_ids\n    tier: archive\n    dataset: pins\n  m:\n    use: merge\n    input: [p, p]\n',
      { output: 'm' },
    );
    expect(
      diagnose(text)
        .filter((d) => d.code === 'field-not-in-tier')
        .map((d) => d.line),
    ).toEqual([13, 17]);
  });
});

describe('dataset-not-in-tier', () => {
  it('reports raw data looked up in prod', () => {
    const text = plan('  u:\n    use: lookup\n    tier: prod\n    dataset: users\n    keys: [1]\n', {
      output: 'u',
    });
    expect(diagnose(text).map((d) => d.message)).toEqual([
      'tier prod does not hold users (it is held by: archive, debug)',
    ]);
  });
});
