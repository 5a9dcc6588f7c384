import { Args, Flags } from '@oclif/core';
import { DiscoCommand } from '../../src/cli/base-command.js';
import { toDot, toMermaid } from '../../src/ui/dag/export.js';
import { linesToString } from '../../src/ui/style.js';
import { loadPlanGraph } from '../../src/ui/views/plan-source.js';
import { planView } from '../../src/ui/views/plan-view.js';

export default class PlanGraph extends DiscoCommand {
  static override summary =
    "Print a plan's DAG as text, Graphviz DOT or Mermaid (for docs and pull requests).";
  static override examples = [
    '<%= config.bin %> plan graph related-pins',
    '<%= config.bin %> plan graph related-pins --format mermaid >> README.md',
    '<%= config.bin %> plan graph related-pins --format dot | dot -Tsvg > plan.svg',
  ];
  static override args = {
    plan: Args.string({ description: 'plan name (in plans/), file path, or - for stdin', required: true }),
  };
  static override flags = {
    format: Flags.string({
      options: ['text', 'dot', 'mermaid'],
      default: 'text',
      description: 'output format',
    }),
    ascii: Flags.boolean({ description: 'text: ASCII lines and arrows instead of box drawing' }),
    width: Flags.integer({
      description: 'text: columns to fit (default: the terminal width, or 80)',
      min: 40,
    }),
  };

  async run(): Promise<{ plan: string | undefined; format: string; graph: string }> {
    const { args, flags } = await this.parse(PlanGraph);
    const pg = await loadPlanGraph(args.plan, await this.project(flags.data), process.stdin);
    if (pg.diagnostics.some((d) => d.severity === 'error')) this.problemsFound();
    const term = this.terminal();
    const graph =
      flags.format === 'dot'
        ? toDot(pg.graph, pg.name ?? 'plan')
        : flags.format === 'mermaid'
          ? toMermaid(pg.graph)
          : linesToString(
              planView(pg, { width: flags.width ?? term.columns, ascii: flags.ascii, graphOnly: true }),
              // Text for files and PRs: colour only when printing to a terminal.
              flags.format === 'text' && term.interactive && term.color && !this.jsonEnabled(),
            );
    if (!this.jsonEnabled()) this.log(graph);
    return { plan: pg.name, format: flags.format, graph };
  }
}
