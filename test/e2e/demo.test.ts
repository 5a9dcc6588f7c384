/** `disco demo --scale tiny` through the built CLI: every stage, then a second run that reuses the data. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

describe('disco demo (built CLI)', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => {
    ({ dir, cleanup } = tempDir('disco-demo-'));
  });
  afterAll(() => cleanup());

  it('runs every stage in an empty folder, in plain output', () => {
    const result = runCli(['demo', '--scale', 'tiny', '--bench-seconds', '1', '--rate', '100'], {
      cwd: dir,
      timeoutMs: 240_000,
    });
    expect(result.code, result.stderr).toBe(0);
    for (const stage of ['scaffold', 'generate', 'workflow', 'tiers', 'validate', 'run', 'bench']) {
      expect(result.stdout).toMatch(new RegExp(`\\[\\d/7\\] ${stage}:`));
    }
    expect(result.stdout).toContain('scaffolded the project');
    expect(result.stdout).toContain('published');
    expect(result.stdout).toContain('the related-pins DAG');
    expect(result.stdout).toContain('latency ms: p50');
    // plain output: no cursor movement or colour
    expect(result.stdout).not.toContain('\x1b[');
  }, 300_000);

  it('reuses the raw data on a second run (a new iteration), with --json', () => {
    const result = runCli(['demo', '--scale', 'tiny', '--bench-seconds', '1', '--rate', '100', '--json'], {
      cwd: dir,
      timeoutMs: 240_000,
    });
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout) as {
      version: string;
      stages: Array<{ stage: string; reused: boolean }>;
      bench: { requests: number };
    };
    expect(json.version).toMatch(/\/2$/);
    expect(json.stages.find((s) => s.stage === 'generate')?.reused).toBe(true);
    expect(json.bench.requests).toBeGreaterThan(0);
  }, 300_000);
});
