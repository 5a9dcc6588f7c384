/** The plain-text fallback: the built CLI with pipes (no TTY, CI=true, NO_COLOR). */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPlanText, defaultEnv } from '../../src/plan/index.js';
import { linesToString } from '../../src/ui/style.js';
import { planToGraph, rawPlanValue } from '../../src/ui/views/plan-graph.js';
import { planView } from '../../src/ui/views/plan-view.js';
import { runCli, tempDir } from '../helpers/cli.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
let dir: string;
let cleanup: () => void;

beforeAll(() => {
  ({ dir, cleanup } = tempDir());
  mkdirSync(join(dir, 'plans'));
  copyFileSync(join(FIXTURES, 'related-pins.yaml'), join(dir, 'plans', 'related-pins.yaml'));
  copyFileSync(join(FIXTURES, 'invalid.yaml'), join(dir, 'invalid.yaml'));
  copyFileSync(join(FIXTURES, 'wide.yaml'), join(dir, 'wide.yaml'));
});
afterAll(() => cleanup());

const expected = (file: string, shown: string, width = 80) => {
  const text = readFileSync(file, 'utf8');
  const { diagnostics } = checkPlanText(text, shown, defaultEnv());
  return linesToString(planView(planToGraph(rawPlanValue(text, shown), diagnostics), { width }), false);
};

describe('disco plan show (plain)', () => {
  it('prints the same picture as the view, by plan name, with no colour or cursor movement', () => {
    const r = runCli(['plan', 'show', 'related-pins'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      `${expected(join(FIXTURES, 'related-pins.yaml'), join(dir, 'plans', 'related-pins.yaml'))}\n`,
    );
    expect(r.stdout).not.toContain('\u001b');
  });

  it('draws a plan with errors, marks them and exits 1', () => {
    const r = runCli(['plan', 'show', 'invalid.yaml'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(`${expected(join(FIXTURES, 'invalid.yaml'), 'invalid.yaml')}\n`);
    expect(r.stdout).toContain('✖ unknown-field');
  });

  it('reads the plan from stdin with -', () => {
    const r = runCli(['plan', 'show', '-', '--ascii'], {
      cwd: dir,
      input: readFileSync(join(FIXTURES, 'wide.yaml'), 'utf8'),
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('plan wide-fanout');
    expect(r.stdout).toContain('+--');
    expect(r.stdout).not.toMatch(/[┌─│▼]/u);
  });

  it('fits --width and prints only JSON with --json', () => {
    const wide = runCli(['plan', 'show', 'wide.yaml', '--width', '160'], { cwd: dir });
    expect(wide.stdout).toBe(`${expected(join(FIXTURES, 'wide.yaml'), 'wide.yaml', 160)}\n`);
    const json = runCli(['plan', 'show', 'wide.yaml', '--json'], { cwd: dir });
    const value = JSON.parse(json.stdout) as { name: string; graph: { nodes: unknown[]; edges: unknown[] } };
    expect(value.name).toBe('wide-fanout');
    expect(value.graph.nodes).toHaveLength(16);
  });

  it('says clearly when the plan does not exist (exit 2)', () => {
    const r = runCli(['plan', 'show', 'nope'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("unknown plan 'nope'");
    expect(r.stderr).not.toMatch(/\n\s+at .*\.js:\d+/u); // no stack trace
  });
});

describe('disco plan graph', () => {
  it('prints dot, mermaid and text', () => {
    const dot = runCli(['plan', 'graph', 'related-pins', '--format', 'dot'], { cwd: dir });
    expect(dot.code).toBe(0);
    expect(dot.stdout).toContain('digraph "related-pins" {');
    expect(dot.stdout).toContain('"seed" -> "boards";');
    const mermaid = runCli(['plan', 'graph', 'related-pins', '--format', 'mermaid'], { cwd: dir });
    expect(mermaid.stdout.startsWith('flowchart TD\n')).toBe(true);
    expect(mermaid.stdout).toContain('n0 --> n1');
    const text = runCli(['plan', 'graph', 'related-pins'], { cwd: dir });
    expect(text.stdout).toContain('│ seed');
    expect(text.stdout).not.toContain('plan related-pins'); // the graph only
  });

  it('rejects an unknown format (exit 2)', () => {
    const r = runCli(['plan', 'graph', 'related-pins', '--format', 'png'], { cwd: dir });
    expect(r.code).toBe(2);
  });
});
