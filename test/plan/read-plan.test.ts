import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors/index.js';
import { loadCheckedPlan, readPlanArg } from '../../src/plan/project.js';
import { loadProjectConfig } from '../../src/project/config.js';
import { tempDir } from '../helpers/cli.js';

const text =
  'plan: related\nnodes:\n  seed:\n    use: lookup\n    tier: prod\n    dataset: pinjoin\n    keys: $params.image\nparams:\n  image: { type: string }\noutput:\n  pins: seed\n';

describe('readPlanArg and loadCheckedPlan', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => {
    ({ dir, cleanup } = tempDir());
    mkdirSync(join(dir, 'plans'));
    writeFileSync(join(dir, 'plans', 'file-name.yaml'), text);
  });
  afterAll(() => cleanup());

  it('finds a plan by its name in the plans folder, by path, or on stdin', async () => {
    const config = loadProjectConfig(dir);
    expect((await readPlanArg('related', config)).text).toBe(text);
    expect((await readPlanArg(join(dir, 'plans', 'file-name.yaml'), config)).text).toBe(text);
    expect(await readPlanArg('-', config, '{"plan": "x"}')).toEqual({
      file: '<stdin>',
      text: '{"plan": "x"}',
    });
  });
  it('a miss is a usage error with did-you-mean', async () => {
    const config = loadProjectConfig(dir);
    const error = await readPlanArg('relatd', config).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).exit).toBe(2);
    expect((error as UserError).message).toBe("unknown plan 'relatd'; did you mean 'related'?");
    const missing = await readPlanArg('nope/x.yaml', config).catch((e: unknown) => e);
    expect((missing as UserError).exit).toBe(2);
  });
  it('loadCheckedPlan returns the checked plan with key params, or an exit-1 error listing diagnostics', async () => {
    const config = loadProjectConfig(dir);
    const { plan } = await loadCheckedPlan('related', config);
    expect(plan.params).toEqual([
      { name: 'image', type: { kind: 'string' }, required: false, keyOf: ['pinjoin'] },
    ]);
    expect(plan.order).toEqual(['seed']);
    expect(plan.nodes[0]).toMatchObject({
      name: 'seed',
      use: 'lookup',
      tier: 'prod',
      dataset: 'pinjoin',
      estimatedMs: 2,
      options: { keys: { param: 'image' } },
    });
    const error = await loadCheckedPlan('-', config, text.replace('tier: prod', 'tier: prd')).catch(
      (e: unknown) => e,
    );
    expect((error as UserError).exit).toBe(1);
    expect((error as UserError).message).toContain("<stdin>:5:11: unknown tier 'prd'; did you mean 'prod'?");
  });
});
