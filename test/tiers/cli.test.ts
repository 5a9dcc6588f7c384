/** The tier commands end to end (built CLI, no TTY): output shapes, messages and exit codes. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { writeFixtureVersion } from './fixtures.js';

let dir: string;
let cleanup: () => void;
const disco = (...args: string[]) => runCli([...args, '--data', join(dir, 'data')], { cwd: dir });

beforeAll(() => {
  ({ dir, cleanup } = tempDir('disco-tiers-cli-'));
});
afterAll(() => cleanup());

describe('disco tiers and debug key', () => {
  it('explains what to do before anything exists', () => {
    const status = disco('tiers', 'status', '--json');
    expect(status.code).toBe(0);
    const json = JSON.parse(status.stdout) as { tiers: Array<{ tier: string; datasets: unknown[] }> };
    expect(json.tiers.map((t) => [t.tier, t.datasets.length])).toEqual([
      ['prod', 0],
      ['batch', 0],
      ['archive', 0],
      ['debug', 0],
    ]);
    const load = disco('tiers', 'load');
    expect(load.code).toBe(1);
    expect(load.stderr).toContain('no complete warehouse version');
    expect(load.stderr).toContain('disco jobs run');
    const key = disco('debug', 'key', 'boardjoin', '1');
    expect(key.code).toBe(1);
    expect(key.stderr).toContain('disco tiers load');
    expect(disco('tiers', 'load', '--version', '2026-13-01/1').code).toBe(2);
    expect(disco('tiers', 'rollback').stderr).toContain('no tier has a previous version');
  });

  it('loads, reports status per SPEC §3, and shows a key side by side', async () => {
    await writeFixtureVersion({ dataDir: join(dir, 'data') });
    const load = disco('tiers', 'load');
    expect(load.code).toBe(0);
    expect(load.stdout).toContain('loaded 2026-11-21/1 into 4 tiers');
    const status = JSON.parse(disco('tiers', 'status', '--json').stdout) as {
      tiers: Array<Record<string, unknown>>;
    };
    expect(Object.keys(status.tiers[0]!)).toEqual(
      expect.arrayContaining(['tier', 'engine', 'capacity_bytes', 'used_bytes', 'datasets']),
    );
    const result = disco('debug', 'key', 'boardjoin', '42', '--json');
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as {
      dataset: string;
      key: unknown;
      tiers: Array<Record<string, unknown>>;
      differences: unknown[];
    };
    expect(Object.keys(json)).toEqual(['dataset', 'key', 'tiers', 'differences']);
    expect(json.key).toBe(42);
    expect(Object.keys(json.tiers[0]!)).toEqual([
      'tier',
      'found',
      'version',
      'latency_ms',
      'light',
      'record',
    ]);
    const text = disco('debug', 'key', 'boardjoin', '42');
    expect(text.stdout).toContain('no differences between tiers');
    expect(text.stdout).toContain('(light: not held)');
  });

  it('gives one clear message per bad input, never a stack trace', () => {
    const cases: Array<[string[], number, string]> = [
      [['debug', 'key', 'bordjoin', '1'], 2, "did you mean 'boardjoin'"],
      [['debug', 'key', 'boardjoin', 'abc'], 2, 'is not a valid key of boardjoin'],
      [['debug', 'key', 'boardjoin', '424242'], 1, 'was found in no tier'],
      [['tiers', 'load', '--version', '2026-11-21/7'], 2, 'does not exist'],
      [['tiers', 'rollback', 'bogus'], 2, "unknown tier 'bogus'"],
    ];
    for (const [args, code, message] of cases) {
      const r = disco(...args);
      expect(r.code, args.join(' ')).toBe(code);
      expect(r.stderr).toContain(message);
      expect(r.stderr).not.toMatch(/\n\s+at .*\.js:\d+/);
    }
  });
});
