/** `disco gen` as a user runs it: the built CLI, no TTY, CI=true. Build first (`npm run build`). */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

const temp = tempDir('disco-gen-cli-');
afterAll(() => temp.cleanup());

describe('disco gen', () => {
  it('generates, prints the summary, and refuses a second run for the same date', () => {
    const ok = runCli(['gen', '--date', '2026-01-01', '--seed', '3'], { cwd: temp.dir });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/generated tiny data for 2026-01-01 \(seed 3\)/);
    expect(ok.stdout).toMatch(/pins\s+20,000/);
    expect(ok.stdout).toMatch(/repin share/);
    expect(ok.stderr.includes('\u001b[')).toBe(false); // plain lines in CI, no cursor movement
    const manifest = join(temp.dir, '.disco', 'raw', '_manifests', 'dt=2026-01-01.json');
    const before = readFileSync(manifest, 'utf8');
    const again = runCli(['gen', '--date', '2026-01-01', '--seed', '4'], { cwd: temp.dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/raw data for 2026-01-01 already exists/);
    expect(again.stderr).toMatch(/--force/);
    expect(readFileSync(manifest, 'utf8')).toBe(before);
  });

  it('prints only JSON with --json', () => {
    const r = runCli(['gen', '--date', '2026-01-02', '--json', '--data', 'other'], { cwd: temp.dir });
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.datasets.map((d: { rows: number }) => d.rows)).toEqual([1000, 3000, 3000, 20000]);
    expect(summary.stats).toHaveProperty('top1PctImagePinShare');
    expect(existsSync(join(temp.dir, 'other', 'raw', 'pins', 'dt=2026-01-02'))).toBe(true);
  });

  const bad: [string, string[], RegExp][] = [
    ['unknown scale', ['--scale', 'huge'], /Expected --scale=huge to be one of: tiny, small, medium, large/],
    ['bad date', ['--date', '2026-13-01'], /--date '2026-13-01' is not a valid date/],
    ['negative seed', ['--seed', '-1'], /--seed '-1' is not a valid seed/],
    ['fractional seed', ['--seed', '2.5'], /--seed '2.5' is not a valid seed/],
    ['rate above 1', ['--mislabel-rate', '1.2'], /--mislabel-rate '1.2' is not a rate between 0 and 1/],
    ['rate not a number', ['--upload-affinity', 'high'], /--upload-affinity 'high' is not a rate/],
    ['data folder is a file', ['--data', 'a-file'], /cannot write to the data folder/],
  ];
  for (const [what, args, message] of bad) {
    it(`rejects ${what} with one clear message and exit 2`, () => {
      writeFileSync(join(temp.dir, 'a-file'), 'not a folder');
      const date = args.includes('--date') ? [] : ['--date', '2026-01-03'];
      const r = runCli(['gen', ...date, ...args], { cwd: temp.dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at .*\.js:\d+/); // no stack trace
      expect(r.stdout).toBe('');
      expect(existsSync(join(temp.dir, '.disco', 'raw', '_manifests', 'dt=2026-01-03.json'))).toBe(false);
      expect(existsSync(join(temp.dir, '.disco', 'raw', 'pins', 'dt=2026-01-03'))).toBe(false);
    });
  }
});
