/**
 * Keeps the dependencies pointing one way (STYLE "One direction of dependencies"): domain code in
 * src/ never imports oclif, Ink or React and never calls process.exit; only src/cli (the oclif
 * glue) and src/ui (the Ink views) may. Cycles are checked by `npm run cycles` (madge).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/cli.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

const UI_ONLY = /from '(@oclif\/core|ink|react|ink-[a-z-]+)'|import\('(@oclif\/core|ink|react)'\)/;

describe('architecture', () => {
  const src = join(REPO_ROOT, 'src');
  const domain = sourceFiles(src).filter((f) => !/^(cli|ui)\//.test(relative(src, f)));

  it('domain code does not import oclif, Ink or React', () => {
    const offenders = domain
      .filter((f) => UI_ONLY.test(readFileSync(f, 'utf8')))
      .map((f) => relative(REPO_ROOT, f));
    expect(offenders).toEqual([]);
  });

  it('domain code does not call process.exit', () => {
    const offenders = domain
      .filter((f) => /process\.exit\(/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(REPO_ROOT, f));
    expect(offenders).toEqual([]);
  });

  it('the UI never reaches into commands', () => {
    const ui = sourceFiles(join(src, 'ui'));
    const offenders = ui
      .filter((f) => /from '(\.\.\/)+commands\//.test(readFileSync(f, 'utf8')))
      .map((f) => relative(REPO_ROOT, f));
    expect(offenders).toEqual([]);
  });
});
