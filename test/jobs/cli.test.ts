/** `disco jobs run|list|status` end to end: the built CLI, no TTY, CI=true. Needs `npm run build`. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { smallWorld, writeRawFixture } from './fixtures.js';

let dir: string;
let cleanup: () => void;
beforeAll(async () => {
  ({ dir, cleanup } = tempDir('disco-jobs-cli-'));
  await writeRawFixture(join(dir, '.disco'), '2026-01-01', smallWorld());
});
afterAll(() => cleanup());

describe('disco jobs', () => {
  it('lists the DAG', () => {
    const result = runCli(['jobs', 'list', '--json'], { cwd: dir });
    expect(result.code).toBe(0);
    const jobs = JSON.parse(result.stdout).jobs as Array<{ job: string; dependsOn: string[] }>;
    expect(jobs.map((j) => j.job)).toContain('board_pagerank');
    expect(jobs.find((j) => j.job === 'userjoin')!.dependsOn).toEqual(['boardjoin']);
  });

  it('runs the workflow with plain progress lines, then a partial re-run, then shows the status', () => {
    const first = runCli(['jobs', 'run'], { cwd: dir });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^\[\d\d:\d\d:\d\d\] board_pagerank succeeded \d+\.\ds 6 rows$/m);
    expect(first.stdout).toContain('published 2026-01-01/1');
    expect(first.stdout).not.toContain('\u001b['); // no cursor movement or colour in CI

    const second = runCli(['jobs', 'run', '--only', 'userjoin', '--json'], { cwd: dir });
    expect(second.code).toBe(0);
    const result = JSON.parse(second.stdout);
    expect(result.version).toBe('2026-01-01/2');
    expect(result.datasets.pinjoin.carriedFrom).toBe('2026-01-01/1');

    const status = JSON.parse(runCli(['jobs', 'status', '--json'], { cwd: dir }).stdout);
    expect(status.versions).toEqual(['2026-01-01/1', '2026-01-01/2']);
    expect(status.runs[1].jobs.find((j: { job: string }) => j.job === 'pinjoin').carried).toBe(true);
  });

  it('exits 2 with the command to run when the raw data is missing', () => {
    const result = runCli(['jobs', 'run', '--date', '2026-05-05'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no raw data for 2026-05-05');
    expect(result.stderr).toContain('disco gen --date 2026-05-05');
  });
});
