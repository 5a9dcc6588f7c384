import { Args, Flags } from '@oclif/core';
import { DiscoCommand } from '../../src/cli/base-command.js';
import { linesToString } from '../../src/ui/style.js';
import { planView } from '../../src/ui/views/plan-view.js';
import { loadPlanGraph } from '../../src/ui/views/plan-source.js';
import type { PlanGraph } from '../../src/ui/views/plan-graph.js';

export default class PlanShow extends DiscoCommand {
  static override summary = "Draw a plan's DAG: nodes with processor, tier and dataset; problems marked.";
  static override description =
    'In a terminal the DAG is drawn with Ink and colours per tier; in a pipe or CI the same picture is printed as plain text. A plan with validation errors is still drawn (its problems are marked on their nodes) and the exit code is 1.';
  static override examples = [
    '<%= config.bin %> plan show related-pins',
    '<%= config.bin %> plan show plans/related-pins.yaml --ascii',
    'cat plan.yaml | <%= config.bin %> plan show -',
  ];
  static override args = {
    plan: Args.string({ description: 'plan name (in plans/), file path, or - for stdin', required: true }),
  };
  static override flags = {
    ascii: Flags.boolean({ description: 'ASCII lines and arrows instead of box drawing' }),
    width: Flags.integer({ description: 'columns to fit (default: the terminal width, or 80)', min: 40 }),
  };

  async run(): Promise<PlanGraph> {
    const { args, flags } = await this.parse(PlanShow);
    const pg = await loadPlanGraph(args.plan, await this.project(flags.data), process.stdin);
    if (pg.diagnostics.some((d) => d.severity === 'error')) this.problemsFound();
    if (this.jsonEnabled()) return pg;
    const term = this.terminal();
    const lines = planView(pg, { width: flags.width ?? term.columns, ascii: flags.ascii });
    if (term.interactive) {
      const { showOnce } = await import('../../src/ui/ink/live.js');
      await showOnce(lines, { color: term.color });
    } else this.log(linesToString(lines, term.color));
    return pg;
  }
}
