/**
 * End-to-end harness: runs the built CLI (`bin/run.js`) as a user would — in a folder of its own,
 * with piped stdin (no TTY) and CI=true — and returns stdout, stderr and the exit code.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
const BIN = join(REPO_ROOT, 'bin', 'run.js');

export interface CliResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface CliOptions {
  cwd: string;
  input?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
}

export function runCli(args: readonly string[], options: CliOptions): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    input: options.input ?? '',
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 120_000,
    env: { ...process.env, CI: 'true', NO_COLOR: '1', DEBUG: '', ...options.env },
  });
  return { stdout: result.stdout, stderr: result.stderr, code: result.status ?? -1 };
}

/** A fresh temporary folder, removed by the returned cleanup function. */
export function tempDir(prefix = 'disco-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
