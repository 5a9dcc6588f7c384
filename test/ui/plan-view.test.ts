import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPlanText, defaultEnv } from '../../src/plan/index.js';
import { linesToString } from '../../src/ui/style.js';
import { type PlanGraph, planToGraph, rawPlanValue } from '../../src/ui/views/plan-graph.js';
import { planView } from '../../src/ui/views/plan-view.js';
import { layoutViolations } from './dag-invariants.js';
import { inkFrame, maxLineWidth } from './ink-frame.js';
import { layoutDag } from '../../src/ui/dag/layout.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');

function load(name: string): PlanGraph {
  const file = join(FIXTURES, name);
  const text = readFileSync(file, 'utf8');
  const { diagnostics } = checkPlanText(text, name, defaultEnv());
  return planToGraph(rawPlanValue(text, name), diagnostics);
}

/** A 30-node plan: three lookup chains, splits, merges and ranks. */
function thirtyNodePlan(): string {
  const lines = ['plan: thirty', 'params:', '  image: { type: string, required: true }', 'nodes:'];
  const names: string[] = [];
  for (let c = 0; c < 3; c++) {
    lines.push(`  seed${c}: { use: lookup, tier: prod, dataset: pinjoin, keys: $params.image }`);
    lines.push(
      `  boards${c}: { use: expand, input: seed${c}, field: board_ids, tier: prod, dataset: boardjoin }`,
    );
    lines.push(
      `  pins${c}: { use: expand, input: boards${c}, field: image_signatures, tier: batch, dataset: pinjoin }`,
    );
    lines.push(`  fresh${c}: { use: filter, input: pins${c}, where: pin_count > ${c} }`);
    lines.push(
      `  sp${c}:`,
      `    use: split`,
      `    input: fresh${c}`,
      '    cases:',
      '      hot: score > 1',
      '    else: cold',
    );
    lines.push(`  hot${c}: { use: rank, input: sp${c}.hot, by: score, limit: 10 }`);
    lines.push(`  cold${c}: { use: limit, input: sp${c}.cold, n: 5 }`);
    lines.push(`  both${c}: { use: merge, input: [hot${c}, cold${c}], strategy: interleave }`);
    names.push(`both${c}`);
  }
  lines.push(`  all: { use: merge, input: [${names.join(', ')}], strategy: concat }`);
  lines.push('  top: { use: rank, input: all, by: score, limit: 25 }');
  lines.push('  proj: { use: project, input: top, fields: [image_signature, title, score] }');
  lines.push(
    '  recent:',
    '    use: query',
    '    tier: batch',
    '    sql: SELECT * FROM pinjoin ORDER BY first_pinned_at DESC LIMIT 25',
    '    returns: { dataset: pinjoin }',
  );
  lines.push('  recent_proj: { use: project, input: recent, fields: [image_signature, title, score] }');
  lines.push('  answer: { use: fallback, input: [proj, recent_proj], when: empty }');
  lines.push('output:', '  pins: answer');
  return `${lines.join('\n')}\n`;
}

describe('plan show view', () => {
  it('draws a small plan at 80 columns (Ink frame = plain text)', () => {
    const pg = load('related-pins.yaml');
    expect(pg.diagnostics).toEqual([]);
    const lines = planView(pg, { width: 80 });
    const frame = inkFrame(lines, 80);
    expect(frame).toBe(linesToString(lines, false));
    expect(frame).toMatchInlineSnapshot(`
      "plan related-pins  Pins that share boards with the seed image, ranked by score.
      params: image string (required), limit int = 25   slo: p99 ≤ 20 ms

       ┌────────────────┐
       │ seed           │
       │ lookup         │
       │ prod · pinjoin │
       └────────┬───────┘
                ▼
      ┌──────────────────┐
      │ boards  → boards │
      │ expand           │
      │ prod · boardjoin │
      └─────────┬────────┘
                ▼
       ┌────────────────┐
       │ candidates     │
       │ expand         │
       │ prod · pinjoin │
       └────────┬───────┘
                ▼
           ┌────────┐
           │ fresh  │
           │ filter │
           └────┬───┘
                ▼
        ┌───────────────┐
        │ ranked → pins │
        │ rank          │
        └───────────────┘

      outputs: pins ← ranked, boards ← boards   tiers: ■ prod"
    `);
  });

  it('marks validation problems on their nodes and lists them with positions', () => {
    const pg = load('invalid.yaml');
    const frame = inkFrame(planView(pg, { width: 80 }), 80);
    expect(pg.graph.nodes.find((n) => n.id === 'hot')?.problem).toBe('unknown-field');
    expect(pg.graph.nodes.find((n) => n.id === 'both')?.problem).toBe('unknown-node');
    expect(frame).toContain('✖ unknown-field');
    expect(frame).toContain('✖ cycle');
    expect(frame).toMatch(/invalid\.yaml:\d+:\d+: field 'scor' is not in pinjoin/u);
    expect(frame).toContain('▼ hot');
  });

  for (const width of [80, 160])
    it(`fits a wide plan into ${width} columns, every node and split port drawn`, () => {
      const pg = load('wide.yaml');
      const lines = planView(pg, { width });
      const frame = inkFrame(lines, width);
      expect(maxLineWidth(frame)).toBeLessThanOrEqual(width);
      for (const n of pg.graph.nodes) expect(frame).toContain(` ${n.id} `);
      for (const port of ['big', 'mid', 'small']) expect(frame).toContain(port);
      expect(layoutViolations(pg.graph, layoutDag(pg.graph, { maxWidth: width }))).toEqual([]);
    });

  it('draws the wide plan at 160 columns in fewer, wider layers than at 80', () => {
    const pg = load('wide.yaml');
    expect(layoutDag(pg.graph, { maxWidth: 160 }).layers.length).toBeLessThan(
      layoutDag(pg.graph, { maxWidth: 80 }).layers.length,
    );
    expect(inkFrame(planView(pg, { width: 160 }), 160)).toMatchInlineSnapshot(`
      "plan wide-fanout  Twelve lookups side by side, split and merged back.
      params: image string (required)

                                                                                  ┌────────────────┐
                                                                                  │ seed           │
                                                                                  │ lookup         │
                                                                                  │ prod · pinjoin │
                                                                                  └────────┬───────┘
                ┌─────────────────────┬───────────────────────┬────────────────────────────┼────────────────┬─────────────────────┬───────────┬──┐
                ▼                     ▼                       ▼                            ▼                ▼                     ▼           │  │
      ┌──────────────────┐  ┌───────────────────┐  ┌─────────────────────┐  ┌───────────────────┐  ┌─────────────────┐  ┌──────────────────┐  │  │
      │ b1               │  │ b2                │  │ b3                  │  │ b4                │  │ u1              │  │ u2               │  │  │
      │ expand           │  │ expand            │  │ expand              │  │ expand            │  │ expand          │  │ expand           │  │  │
      │ prod · boardjoin │  │ batch · boardjoin │  │ archive · boardjoin │  │ debug · boardjoin │  │ prod · userjoin │  │ batch · userjoin │  │  │
      └─────────┬────────┘  └─────────┬─────────┘  └──────────┬──────────┘  └─────────┬─────────┘  └────────┬────────┘  └─────────┬────────┘  │  │
                └─────────────────────┼────────────┐          │                       │         ┌───────────┘    ┌────────────────┼───────────┘  │
                                      └────────────┤          │                       │         │  ┌─────────────┼────────────────┘     ┌────────┘
                                                   ├──────────┘                       │         │  │             │                      │
                                                   ├──────────────────────────────────┘         │  │             │                      │
                                                   ▼                                            │  │             ▼                      ▼
                                              ┌────────┐                                        │  │  ┌────────────────────┐  ┌──────────────────┐
                                              │ boards │                                        │  │  │ u3                 │  │ u4               │
                                              │ merge  │                                        │  │  │ expand             │  │ expand           │
                                              └────┬───┘                                        │  │  │ archive · userjoin │  │ debug · userjoin │
                                                   │                                            │  │  └──────────┬─────────┘  └─────────┬────────┘
                                                   │                                            └──┼───────────┐ │                      │
                                                   │                                               └───────────┤ │                      │
                                                   │                                                           ├─┘                      │
                                                   │                                                           ├────────────────────────┘
                                                   ▼                                                           ▼
                                              ┌────────┐                                               ┌───────────────┐
                                              │ by_pop │                                               │ users → users │
                                              │ split  │                                               │ merge         │
                                              └────┬───┘                                               └───────────────┘
                                                   ├────────────┬─────────────┐
                                                   ▼ big        ▼ mid         ▼ small
                                              ┌─────────┐  ┌─────────┐  ┌───────────┐
                                              │ top_big │  │ top_mid │  │ top_small │
                                              │ rank    │  │ rank    │  │ rank      │
                                              └────┬────┘  └────┬────┘  └─────┬─────┘
                                                   └──────────┐ │             │
                                                              ├─┘             │
                                                              ├───────────────┘
                                                              ▼
                                                       ┌────────────────┐
                                                       │ mixed → boards │
                                                       │ merge          │
                                                       └────────────────┘

      outputs: boards ← mixed, users ← users   tiers: ■ prod ■ batch ■ archive ■ debug"
    `);
  });

  for (const width of [80, 160])
    it(`draws a 30-node plan at ${width} columns`, () => {
      const text = thirtyNodePlan();
      const { diagnostics } = checkPlanText(text, 'thirty.yaml', defaultEnv());
      const pg = planToGraph(rawPlanValue(text, 'thirty.yaml'), diagnostics);
      expect(pg.graph.nodes).toHaveLength(30);
      expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const frame = inkFrame(planView(pg, { width }), width);
      expect(maxLineWidth(frame)).toBeLessThanOrEqual(width);
      for (const n of pg.graph.nodes) expect(frame).toContain(n.id);
      expect(layoutViolations(pg.graph, layoutDag(pg.graph, { maxWidth: width }))).toEqual([]);
    });

  it('colours nodes by tier and honours no-colour', () => {
    const pg = load('wide.yaml');
    const colored = linesToString(planView(pg, { width: 80 }), true);
    expect(colored).toContain('\u001b[32m'); // prod green
    expect(colored).toContain('\u001b[35m'); // archive magenta
    expect(linesToString(planView(pg, { width: 80 }), false)).not.toContain('\u001b[');
  });
});
