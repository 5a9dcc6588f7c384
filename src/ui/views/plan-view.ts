/**
 * The picture of `disco plan show` (and `plan graph --format text`): a header with the plan's
 * name, params and SLO, the DAG, a tier legend and the validation problems with their positions.
 */
import { formatDiagnosticLine } from '../../diagnostics/diagnostic.js';
import { type Block, fitWidth, heading, line, sliceColumns, text, vstack } from '../blocks.js';
import { renderDag } from '../dag/render-text.js';
import { DIM_STYLE, PROBLEM_STYLE, TIER_STYLE, isTierTone, LABEL_STYLE } from '../palette.js';
import type { StyledLine } from '../style.js';
import type { PlanGraph } from './plan-graph.js';

export interface PlanViewOptions {
  width: number;
  ascii?: boolean;
  /** Only the DAG (what `plan graph --format text` prints). */
  graphOnly?: boolean;
}

export function planView(pg: PlanGraph, options: PlanViewOptions): StyledLine[] {
  const dag = renderDag(pg.graph, { maxWidth: options.width, ...(options.ascii ? { ascii: true } : {}) });
  if (options.graphOnly) return dag;
  const head: Block = [heading(`plan ${pg.name ?? '(unnamed)'}`, pg.description)];
  const facts: string[] = [];
  if (pg.params.length > 0)
    facts.push(
      `params: ${pg.params
        .map(
          (p) =>
            `${p.name} ${p.type}${p.required ? ' (required)' : ''}${p.default === undefined ? '' : ` = ${JSON.stringify(p.default)}`}`,
        )
        .join(', ')}`,
    );
  if (pg.sloP99Ms !== undefined) facts.push(`slo: p99 ≤ ${pg.sloP99Ms} ms`);
  if (facts.length > 0) head.push(line(text(facts.join('   '), DIM_STYLE)));

  const tiers = [...new Set(pg.graph.nodes.map((n) => n.tone).filter(isTierTone))];
  const legend: Block = [];
  const foot: StyledLine = [];
  if (pg.outputs.length > 0)
    foot.push(text(`outputs: ${pg.outputs.map((o) => `${o.name} ← ${o.ref}`).join(', ')}`));
  if (tiers.length > 0) {
    if (foot.length > 0) foot.push(text('   '));
    foot.push(text('tiers: ', DIM_STYLE));
    tiers.forEach((t, i) => {
      foot.push(text(`${options.ascii ? '#' : '■'} ${t}`, TIER_STYLE[t]));
      if (i < tiers.length - 1) foot.push(text(' '));
    });
  }
  if (foot.length > 0) legend.push(foot);

  const problems: Block = [];
  const errors = pg.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = pg.diagnostics.length - errors;
  if (pg.diagnostics.length > 0) {
    problems.push(
      line(
        text(
          `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`,
          errors > 0 ? PROBLEM_STYLE : LABEL_STYLE,
        ),
        text(' (run disco plan validate for the source excerpts)', DIM_STYLE),
      ),
    );
    for (const d of pg.diagnostics)
      problems.push(
        line(text(`  ${formatDiagnosticLine(d)}`, d.severity === 'error' ? PROBLEM_STYLE : LABEL_STYLE)),
      );
  }
  return vstack([
    fitWidth(head, options.width),
    sliceColumns(dag, options.width),
    fitWidth(legend, options.width),
    problems,
  ]);
}
