import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

describe('disco (built CLI)', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => {
    ({ dir, cleanup } = tempDir());
  });
  afterAll(() => cleanup());

  it('prints the catalog as JSON and nothing else on stdout', () => {
    const result = runCli(['catalog', 'boardjoin', '--json'], { cwd: dir });
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as { datasets: Array<{ dataset: string; key: string[] }> };
    expect(json.datasets.map((d) => [d.dataset, d.key])).toEqual([['boardjoin', ['board_id']]]);
  });

  it('reports an unknown dataset as a usage error, without a stack trace', () => {
    const result = runCli(['catalog', 'bordjoin'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown dataset 'bordjoin'; did you mean 'boardjoin'?");
    expect(result.stderr).not.toMatch(/\n\s+at .*\.js:\d+/);
  });

  it('gives the error as JSON with --json', () => {
    const result = runCli(['catalog', 'nope', '--json'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({ error: { code: 'unknown-dataset' } });
  });

  it('treats an unknown flag as a usage error', () => {
    const result = runCli(['catalog', '--bogus'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Nonexistent flag: --bogus');
  });

  it('scaffolds a project and keeps existing files on a re-run', () => {
    const project = join(dir, 'proj');
    const first = runCli(['init', project], { cwd: dir });
    expect(first.code).toBe(0);
    expect(existsSync(join(project, 'disco.yaml'))).toBe(true);
    writeFileSync(join(project, 'disco.yaml'), 'data: mine\n');
    const second = runCli(['init', project, '--json'], { cwd: dir });
    expect(JSON.parse(second.stdout).skipped).toContain('disco.yaml');
    expect(readFileSync(join(project, 'disco.yaml'), 'utf8')).toBe('data: mine\n');
  });
});
