/** `disco plan validate` end to end: the built CLI, exit codes, formats, stdin, --max-warnings. */
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli, tempDir } from '../helpers/cli.js';

const good =
  'plan: good\nnodes:\n  seed:\n    use: lookup\n    tier: prod\n    dataset: pinjoin\n    keys: [a]\noutput:\n  pins: seed\n';
const warn =
  'plan: warn\nparams:\n  spare: { type: int }\nnodes:\n  seed:\n    use: lookup\n    tier: prod\n    dataset: pinjoin\n    keys: [a]\noutput:\n  pins: seed\n';
const bad = good.replace('plan: good', 'plan: bad').replace('tier: prod', 'tier: prd');

describe('disco plan validate', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => {
    ({ dir, cleanup } = tempDir());
    mkdirSync(join(dir, 'plans', 'sub'), { recursive: true });
    writeFileSync(join(dir, 'plans', 'good.yaml'), good);
    writeFileSync(join(dir, 'plans', 'sub', 'warn.yml'), warn);
    writeFileSync(join(dir, 'bad.yaml'), bad);
  });
  afterAll(() => cleanup());

  it('validates the plans folder by default (recursing) and exits 0', () => {
    const r = runCli(['plan', 'validate'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('2 plan files checked: 2 valid, 0 errors, 1 warning');
  });
  it('exits 1 on an error and prints it actionlint-style', () => {
    const r = runCli(['plan', 'validate', 'bad.yaml'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("bad.yaml:5:11: error: unknown tier 'prd'; did you mean 'prod'?");
  });
  it('exits 1 with more warnings than --max-warnings', () => {
    expect(runCli(['plan', 'validate', 'plans', '--max-warnings', '0'], { cwd: dir }).code).toBe(1);
    expect(runCli(['plan', 'validate', 'plans', '--max-warnings', '1'], { cwd: dir }).code).toBe(0);
  });
  it('exits 2 on a missing path or a bad flag', () => {
    const r = runCli(['plan', 'validate', 'nope.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no such file or folder: nope.yaml');
    expect(runCli(['plan', 'validate', '--format', 'xml'], { cwd: dir }).code).toBe(2);
  });
  it('--json prints only the SPEC §5 JSON', () => {
    const r = runCli(['plan', 'validate', 'bad.yaml', 'plans', '--json'], { cwd: dir });
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json.summary).toEqual({ files: 3, errors: 1, warnings: 1 });
    expect(json.files.map((f: { file: string }) => f.file)).toEqual([
      'bad.yaml',
      'plans/good.yaml',
      'plans/sub/warn.yml',
    ]);
  });
  it('reads a plan from stdin with -', () => {
    const r = runCli(['plan', 'validate', '-', '--format', 'github'], { cwd: dir, input: bad });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('::error file=<stdin>,line=5,col=11');
  });
  it('validates the shipped example plans, including one that uses a custom processor', () => {
    const { dir: project, cleanup: done } = tempDir();
    try {
      cpSync(join(REPO_ROOT, 'plans'), join(project, 'plans'), { recursive: true });
      const r = runCli(['plan', 'validate', '--format', 'json'], { cwd: project });
      const json = JSON.parse(r.stdout);
      expect(json.diagnostics).toEqual([]);
      expect(r.code).toBe(0);
      expect(json.files.length).toBeGreaterThanOrEqual(6);
    } finally {
      done();
    }
  });
});
