import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultEnv } from '../../src/plan/env.js';
import { loadProjectProcessors } from '../../src/plan/processors/custom.js';
import { validatePlans } from '../../src/plan/validate.js';
import { tempDir } from '../helpers/cli.js';

const planText = (opts: string) =>
  `plan: c\nnodes:\n  seed:\n    use: lookup\n    tier: prod\n    dataset: pinjoin\n    keys: [a]\n  t:\n    use: top-n\n    input: seed\n${opts}output:\n  pins: t\n`;
const processor = `export default {
  name: 'top-n',
  summary: 'the first n',
  inputs: 1,
  options: { n: { type: 'int', required: true, doc: 'how many' }, by: { type: 'number-expr' } },
  output: 'input',
  run(inputs, ctx) { return inputs[0].slice(0, ctx.options.n); },
};
`;

describe('custom processors', () => {
  it('are loaded on demand and type-check plans that use them', async () => {
    const { dir, cleanup } = tempDir();
    try {
      mkdirSync(join(dir, 'plans', 'processors'), { recursive: true });
      writeFileSync(join(dir, 'plans', 'processors', 'top-n.mjs'), processor);
      writeFileSync(join(dir, 'plans', 'ok.yaml'), planText('    n: 3\n    by: score * 2\n'));
      writeFileSync(
        join(dir, 'plans', 'bad.yaml'),
        planText('    n: many\n    by: title\n').replace('plan: c', 'plan: d'),
      );
      let loads = 0;
      const env = defaultEnv({
        loadCustomProcessors: () => {
          loads++;
          return loadProjectProcessors({ plansDir: join(dir, 'plans') });
        },
      });
      const report = await validatePlans([join(dir, 'plans')], env, dir);
      expect(loads).toBe(1);
      expect(report.diagnostics.map((d) => [d.file, d.code, d.line])).toEqual([
        ['plans/bad.yaml', 'wrong-type', 11],
        ['plans/bad.yaml', 'expression-type', 12],
      ]);
      const loaded = await loadProjectProcessors({ plansDir: join(dir, 'plans') });
      expect(typeof loaded.processors[0]?.run).toBe('function');
    } finally {
      cleanup();
    }
  });
  it('are not loaded when every processor is built in', async () => {
    const { dir, cleanup } = tempDir();
    try {
      writeFileSync(
        join(dir, 'p.yaml'),
        planText('').replace('use: top-n', 'use: limit').replace('input: seed\n', 'input: seed\n    n: 1\n'),
      );
      let loads = 0;
      const env = defaultEnv({
        loadCustomProcessors: async () => {
          loads++;
          return { processors: [], diagnostics: [] };
        },
      });
      const report = await validatePlans([join(dir, 'p.yaml')], env, dir);
      expect(report.summary.errors).toBe(0);
      expect(loads).toBe(0);
    } finally {
      cleanup();
    }
  });
  it('report a malformed module against its file', async () => {
    const { dir, cleanup } = tempDir();
    try {
      mkdirSync(join(dir, 'processors'), { recursive: true });
      writeFileSync(
        join(dir, 'processors', 'x.mjs'),
        "export default { name: 'filter', inputs: 1, run() {} };\n",
      );
      writeFileSync(
        join(dir, 'processors', 'y.mjs'),
        "export default { name: 'y', options: { a: { type: 'date' } }, run() {} };\n",
      );
      const loaded = await loadProjectProcessors({ plansDir: dir });
      expect(loaded.processors).toEqual([]);
      expect(loaded.diagnostics.map((d) => d.code)).toEqual(['invalid-processor', 'invalid-processor']);
      expect(loaded.diagnostics[0]?.message).toContain("'filter' is already taken by a built-in");
    } finally {
      cleanup();
    }
  });
});
