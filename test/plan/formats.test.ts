import { describe, expect, it } from 'vitest';
import { defaultEnv } from '../../src/plan/env.js';
import { formatReport } from '../../src/plan/format/index.js';
import { validatePlanTexts } from '../../src/plan/validate.js';

const bad =
  'plan: p\nnodes:\n  seed:\n    use: lookup\n    tier: prod\n    dataset: pinjoin\n    keys: [a]\n  r:\n    use: rank\n    input: seed\n    by: scor\noutput:\n  pins: r\n';
const good =
  'plan: q\nnodes:\n  seed:\n    use: lookup\n    tier: prod\n    dataset: pinjoin\n    keys: [a]\n  spare:\n    use: limit\n    input: seed\n    n: 1\noutput:\n  pins: seed\n';
const report = () =>
  validatePlanTexts(
    [
      { file: 'plans/p.yaml', text: bad },
      { file: 'plans/q.yaml', text: good },
    ],
    defaultEnv(),
  );

describe('formats', () => {
  it('json is exactly the SPEC §5 shape', async () => {
    const json = JSON.parse(formatReport(await report(), 'json'));
    expect(json).toEqual({
      files: [
        { file: 'plans/p.yaml', plan: 'p', valid: false },
        { file: 'plans/q.yaml', plan: 'q', valid: true },
      ],
      diagnostics: [
        {
          file: 'plans/p.yaml',
          line: 11,
          column: 9,
          endLine: 11,
          endColumn: 13,
          severity: 'error',
          code: 'unknown-field',
          path: ['nodes', 'r', 'by'],
          message: "field 'scor' is not in pinjoin; did you mean 'score'?",
        },
        {
          file: 'plans/q.yaml',
          line: 8,
          column: 3,
          endLine: 8,
          endColumn: 8,
          severity: 'warning',
          code: 'unreachable-node',
          path: ['nodes', 'spare'],
          message: "node 'spare' reaches no output; use it in 'output' or as an input, or remove it",
        },
      ],
      summary: { files: 2, errors: 1, warnings: 1 },
    });
  });
  it('pretty shows file:line:col, the message, the code, the source line and a caret', async () => {
    const text = formatReport(await report(), 'pretty', { color: false });
    expect(text).toContain(
      "plans/p.yaml:11:9: error: field 'scor' is not in pinjoin; did you mean 'score'? [unknown-field]\n  11 |     by: scor\n     |         ^^^^\n",
    );
    expect(text).toContain('2 plan files checked: 1 valid, 1 error, 1 warning');
    expect(text).not.toContain('\u001b[');
    expect(formatReport(await report(), 'pretty', { color: true })).toContain('\u001b[31m');
  });
  it('github prints workflow commands', async () => {
    const lines = formatReport(await report(), 'github').split('\n');
    expect(lines[0]).toBe(
      "::error file=plans/p.yaml,line=11,col=9,endLine=11,endColumn=13,title=unknown-field::field 'scor' is not in pinjoin; did you mean 'score'? [unknown-field]",
    );
    expect(lines[1]).toMatch(/^::warning file=plans\/q.yaml,line=8,col=3/);
  });
  it('junit has one test case per plan, failures for errors', async () => {
    const xml = formatReport(await report(), 'junit');
    expect(xml).toContain('<testsuite name="plans" tests="2" failures="1"');
    expect(xml.match(/<testcase /g)).toHaveLength(2);
    expect(xml).toContain(
      '<failure message="1 error(s); first: field &apos;scor&apos; is not in pinjoin; did you mean &apos;score&apos;?" type="unknown-field">',
    );
  });
  it('sarif is 2.1.0 with rule metadata', async () => {
    const sarif = JSON.parse(formatReport(await report(), 'sarif'));
    expect(sarif.version).toBe('2.1.0');
    const run = sarif.runs[0];
    expect(run.tool.driver.rules.some((r: { id: string }) => r.id === 'unknown-field')).toBe(true);
    expect(run.results[0]).toMatchObject({
      ruleId: 'unknown-field',
      level: 'error',
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'plans/p.yaml' },
            region: { startLine: 11, startColumn: 9, endLine: 11, endColumn: 13 },
          },
        },
      ],
    });
    expect(run.tool.driver.rules[run.results[0].ruleIndex].id).toBe('unknown-field');
  });
  it('reports duplicate plan names across files', async () => {
    const r = await validatePlanTexts(
      [
        { file: 'a.yaml', text: good },
        { file: 'b.yaml', text: good },
      ],
      defaultEnv(),
    );
    expect(
      r.diagnostics
        .filter((d) => d.code === 'duplicate-plan')
        .map((d) => [d.file, d.line, d.column, d.message]),
    ).toEqual([['b.yaml', 1, 7, "plan 'q' is also defined in a.yaml; plan names must be unique"]]);
  });
});
