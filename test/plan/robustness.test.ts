/** Property tests: whatever the input, the validator returns diagnostics; it never throws or hangs. */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPlanText } from '../../src/plan/check.js';
import { defaultEnv } from '../../src/plan/env.js';
import { REPO_ROOT } from '../helpers/cli.js';

const env = defaultEnv();
const example = readFileSync(join(REPO_ROOT, 'plans', 'home-feed.yaml'), 'utf8');
const valid = (text: string) => {
  const r = checkPlanText(text, 'p.yaml', env);
  expect(Array.isArray(r.diagnostics)).toBe(true);
  for (const d of r.diagnostics) {
    expect(d.line).toBeGreaterThanOrEqual(1);
    expect(d.column).toBeGreaterThanOrEqual(1);
    expect(typeof d.code).toBe('string');
    expect(d.code).not.toBe('internal');
  }
  return r;
};

describe('robustness', () => {
  it('random text gives only diagnostics', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => void valid(s)),
      { numRuns: 300 },
    );
  });
  it('mutated example plans give only diagnostics', () => {
    const mutation = fc.tuple(fc.nat(example.length), fc.nat(20), fc.string({ maxLength: 12 }));
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 5 }), (muts) => {
        let text = example;
        for (const [at, del, ins] of muts) text = text.slice(0, at) + ins + text.slice(at + del);
        valid(text);
      }),
      { numRuns: 300 },
    );
  });
  it('random plan-shaped documents give only diagnostics', () => {
    const word = fc.constantFrom(
      'seed',
      'a',
      'b',
      'lookup',
      'expand',
      'filter',
      'rank',
      'merge',
      'split',
      'experiment',
      'fallback',
      'query',
      'project',
      'dedupe',
      'limit',
      'prod',
      'debug',
      'pinjoin',
      'boardjoin',
      'score',
      '$params.x',
      'score > 1',
      'a.b',
      '__proto__',
      'constructor',
    );
    const value = fc.letrec((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        word,
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('v'), { maxLength: 3 }),
        fc.dictionary(word, tie('v'), { maxKeys: 4 }),
      ),
    })).v;
    const node = fc.dictionary(
      fc.constantFrom(
        'use',
        'input',
        'tier',
        'dataset',
        'keys',
        'field',
        'where',
        'by',
        'limit',
        'n',
        'fields',
        'cases',
        'else',
        'variants',
        'weights',
        'strategy',
        'sql',
        'returns',
        'when',
        'on_error',
        'timeout_ms',
      ),
      value,
      { maxKeys: 6 },
    );
    const doc = fc.record({
      plan: fc.oneof(word, fc.constant('ok-plan')),
      params: fc.dictionary(
        word,
        fc.record({ type: fc.constantFrom('int', 'string', 'list<int>', 'bogus'), default: value }),
        { maxKeys: 2 },
      ),
      nodes: fc.dictionary(word, node, { maxKeys: 5 }),
      output: fc.dictionary(word, word, { maxKeys: 2 }),
    });
    fc.assert(
      fc.property(doc, (d) => void valid(JSON.stringify(d))),
      { numRuns: 300 },
    );
  });
  it('rejects 30 000 nested brackets and an alias bomb quickly', () => {
    const started = performance.now();
    expect(valid(`${'['.repeat(30_000)}${']'.repeat(30_000)}`).diagnostics.map((d) => d.code)).toEqual([
      'yaml-too-deep',
    ]);
    expect(valid(`a: ${'{a: '.repeat(30_000)}1${'}'.repeat(30_000)}`).diagnostics.map((d) => d.code)).toEqual(
      ['yaml-too-deep'],
    );
    const lines = ['l0: &l0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++)
      lines.push(
        `l${i}: &l${i} [${Array(10)
          .fill(`*l${i - 1}`)
          .join(', ')}]`,
      );
    expect(valid(lines.join('\n')).diagnostics.map((d) => d.code)).toEqual(['yaml-alias-limit']);
    // Not a timing assertion on the machine's speed: a generous bound that only a hang would break.
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
