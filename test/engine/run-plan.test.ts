/**
 * `runPlan` (what `disco plan run` calls) in process with fake tiers: a project's custom
 * processor runs like a built-in; invalid plans give the validation report; params are typed;
 * a failing node becomes a user error naming it. And the CLI's exit codes for bad input.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPlan } from '../../src/engine/run-plan.js';
import { UserError } from '../../src/errors/index.js';
import { loadProjectConfig } from '../../src/project/config.js';
import { REPO_ROOT, runCli, tempDir } from '../helpers/cli.js';
import { worldTiers } from './plan-helpers.js';

let dir: string;
let cleanup: () => void;

beforeAll(() => {
  ({ dir, cleanup } = tempDir('disco-engine-'));
  mkdirSync(join(dir, 'plans', 'processors'), { recursive: true });
  copyFileSync(
    join(REPO_ROOT, 'plans', 'processors', 'boost-category.ts'),
    join(dir, 'plans', 'processors', 'boost-category.ts'),
  );
  writeFileSync(
    join(dir, 'plans', 'boosted.yaml'),
    `plan: boosted
params:
  keys: { type: list<string>, required: true }
  category: { type: string, default: food }
nodes:
  pins: { use: lookup, tier: prod, dataset: pinjoin, keys: $params.keys }
  boosted: { use: boost-category, input: pins, category: $params.category, max: 1 }
output:
  pins: boosted
`,
  );
  writeFileSync(
    join(dir, 'plans', 'related-pins.yaml'),
    readFileSync(join(REPO_ROOT, 'plans', 'related-pins.yaml')),
  );
});
afterAll(() => cleanup());

const run = (plan: string, params: string[], stdin = '') =>
  runPlan({
    config: loadProjectConfig(dir),
    plan,
    params,
    readStdin: async () => stdin,
    tiers: worldTiers().tiers,
  });

describe('runPlan', () => {
  it("runs a project's custom processor (plans/processors/boost-category.ts) like a built-in", async () => {
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const r = await run('boosted', ['keys=img1,img2,img3,img6']);
      if (!r.ok) throw new Error('invalid');
      // img3 and img6 are food; max 1 moves only img3 to the front.
      expect(r.response.responses[0]!.items.map((x) => x.image_signature)).toEqual([
        'img3',
        'img1',
        'img2',
        'img6',
      ]);
      expect(r.response.timings?.nodes.map((t) => [t.node, t.processor])).toEqual([
        ['pins', 'lookup'],
        ['boosted', 'boost-category'],
      ]);
    } finally {
      process.chdir(cwd);
    }
  });

  it('returns the validation report for an invalid plan on stdin', async () => {
    const r = await run(
      '-',
      [],
      'plan: x\nnodes:\n  a: { use: lookup, tier: prod, dataset: pinjon, keys: [a] }\noutput: { a: a }\n',
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.report.diagnostics.map((d) => [d.code, d.line])).toEqual([['unknown-dataset', 3]]);
  });

  it('names a missing or mistyped param and its type (exit 2)', async () => {
    const missing = await run('related-pins', []).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(UserError);
    expect((missing as UserError).message).toBe(
      "missing required param 'image' (string) of plan 'related-pins'",
    );
    expect((missing as UserError).exit).toBe(2);
    const bad = await run('related-pins', ['image=img1', 'limit=many']).catch((e: unknown) => e);
    expect((bad as UserError).message).toBe(
      "param 'limit' of plan 'related-pins' must be an int; got 'many'",
    );
    const unknown = await run('related-pins', ['image=img1', 'limt=3']).catch((e: unknown) => e);
    expect((unknown as UserError).message).toBe(
      "plan 'related-pins' has no param 'limt'; did you mean 'limit'?",
    );
  });

  it('parses list<int> params as 1,2,3', async () => {
    const { parseParams } = await import('../../src/engine/params.js');
    const plan = {
      name: 'p',
      params: [{ name: 'ids', type: { kind: 'list', of: { kind: 'int' } }, required: true }],
    } as const;
    expect(parseParams(plan as never, ['ids=1,2,3'])).toEqual({ ids: [1, 2, 3] });
    expect(() => parseParams(plan as never, ['ids=1,x'])).toThrow(
      "param 'ids' of plan 'p' must be a list<int> ('x' is not an int); got '1,x'",
    );
  });
});

describe('disco plan run (CLI)', () => {
  it('exit codes: unknown plan 2, missing param 2, invalid plan 1, tiers not loaded 1', () => {
    const unknown = runCli(['plan', 'run', 'related-pinz'], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown plan 'related-pinz'; did you mean 'related-pins'?");
    const missing = runCli(['plan', 'run', 'related-pins'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("missing required param 'image' (string)");
    const invalid = runCli(['plan', 'run', '-'], {
      cwd: dir,
      input: 'plan: x\nnodes: {}\noutput: {}\n: : :\n',
    });
    expect(invalid.code).toBe(1);
    expect(invalid.stdout).toBe('');
    expect(invalid.stderr).toMatch(/<stdin>:\d+:\d+: error: /);
    const notLoaded = runCli(['plan', 'run', 'related-pins', '--param', 'image=abc'], { cwd: dir });
    expect(notLoaded.code).toBe(1);
    expect(notLoaded.stderr).toContain('disco tiers load');
    expect(notLoaded.stderr).not.toMatch(/\n\s+at /);
  });
});
