/**
 * A real terminal: `plan show` inside tmux draws with Ink and exits cleanly. Skipped when tmux
 * is not installed (CI without it still passes); `apt-get install -y tmux` to run it.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, tempDir } from '../helpers/cli.js';

const hasTmux = spawnSync('tmux', ['-V'], { encoding: 'utf8' }).status === 0;

describe.skipIf(!hasTmux)('plan show in a real terminal (tmux)', () => {
  it('draws the DAG and exits with its exit code, leaving the shell usable', async () => {
    const { dir, cleanup } = tempDir();
    const session = `disco-ui-${process.pid}`;
    try {
      copyFileSync(join(import.meta.dirname, 'fixtures', 'invalid.yaml'), join(dir, 'invalid.yaml'));
      const done = join(dir, 'done');
      const bin = join(REPO_ROOT, 'bin', 'run.js');
      const script = `cd ${dir} && env -u CI NO_COLOR= ${process.execPath} ${bin} plan show invalid.yaml; echo $? > ${done}; sleep 30`;
      const started = spawnSync('tmux', [
        'new-session',
        '-d',
        '-s',
        session,
        '-x',
        '100',
        '-y',
        '60',
        script,
      ]);
      expect(started.status).toBe(0);
      const deadline = Date.now() + 30_000;
      while (!existsSync(done) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      expect(existsSync(done)).toBe(true);
      expect(readFileSync(done, 'utf8').trim()).toBe('1'); // the plan has errors
      const pane = spawnSync('tmux', ['capture-pane', '-p', '-t', session], { encoding: 'utf8' }).stdout;
      expect(pane).toContain('plan bad-plan');
      expect(pane).toContain('┌');
      expect(pane).toContain('✖ unknown-field');
      expect(pane).toContain('3 errors, 2 warnings');
    } finally {
      spawnSync('tmux', ['kill-session', '-t', session]);
      cleanup();
    }
  });
});
