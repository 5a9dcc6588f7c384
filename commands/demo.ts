import { readFileSync } from 'node:fs';
import { Args, Flags } from '@oclif/core';
import { DiscoCommand } from '../src/cli/base-command.js';
import type { DemoEvent } from '../src/demo/index.js';

export default class Demo extends DiscoCommand {
  static override summary =
    'The whole stack end to end: scaffold, generate, run the jobs, load the tiers, validate, run and bench related-pins.';
  static override description =
    'Works in the current folder (or DIR), scaffolding it first as disco init does. A second run reuses the raw data (a new workflow iteration, loaded into the tiers); --regenerate makes the data anew.';
  static override examples = ['<%= config.bin %> demo', '<%= config.bin %> demo my-demo --scale tiny'];
  static override args = { dir: Args.string({ description: 'project folder', default: '.' }) };
  static override flags = {
    scale: Flags.string({ description: 'data set size', options: ['tiny', 'small'], default: 'small' }),
    regenerate: Flags.boolean({ description: 'generate the raw data again even if it exists' }),
    'bench-seconds': Flags.integer({ description: 'seconds of load in the bench stage', default: 3, min: 1 }),
    rate: Flags.integer({ description: 'requests per second in the bench stage', default: 500, min: 1 }),
  };

  async run(): Promise<Record<string, unknown>> {
    const { args, flags } = await this.parse(Demo);
    const { runDemo } = await import('../src/demo/index.js');
    const quiet = this.jsonEnabled();
    const term = this.terminal();
    const onEvent = quiet ? undefined : demoPrinter(term.interactive, (line) => this.log(line));
    const result = await runDemo({
      dir: args.dir,
      scale: flags.scale as 'tiny' | 'small',
      regenerate: flags.regenerate,
      benchSeconds: flags['bench-seconds'],
      benchRate: flags.rate,
      dataDir: flags.data,
      onEvent,
    });
    if (!quiet) {
      const { planToGraph, rawPlanValue } = await import('../src/ui/views/plan-graph.js');
      const { renderDagText } = await import('../src/ui/dag/render-text.js');
      const { renderTimeline } = await import('../src/engine/index.js');
      const { renderBenchText } = await import('../src/bench/render.js');
      if (result.plan.file) {
        const graph = planToGraph(rawPlanValue(readFileSync(result.plan.file, 'utf8'), result.plan.file));
        this.log(
          `\nthe ${result.plan.name} DAG:\n${renderDagText(graph.graph, { maxWidth: term.columns, color: term.color })}`,
        );
      }
      const timings = (result.response as { timings?: Parameters<typeof renderTimeline>[0] }).timings;
      if (timings) this.log(`\none run, node by node:\n${renderTimeline(timings)}`);
      this.log(`\n${renderBenchText(result.bench, undefined, term.columns)}`);
      const total = result.stages.reduce((s, x) => s + x.ms, 0);
      this.log(
        `\ndemo done in ${(total / 1000).toFixed(1)} s. Next: disco serve, then curl -XPOST localhost:7878/plans/${result.plan.name} -d '${JSON.stringify(result.plan.params)}'`,
      );
    }
    return {
      dir: result.dir,
      version: result.version,
      stages: result.stages,
      plan: result.plan,
      bench: result.bench.json,
    };
  }
}

/** Plain lines per stage; in a terminal, the current progress on one rewritten stderr line. */
function demoPrinter(interactive: boolean, log: (line: string) => void): (e: DemoEvent) => void {
  let last = 0;
  return (e) => {
    if (e.kind === 'start') log(`[${e.index}/${e.total}] ${e.stage}: ${e.what}`);
    else if (e.kind === 'done') {
      if (interactive) process.stderr.write('\r\x1b[K');
      log(`      ${e.reused ? '↺' : '✓'} ${e.summary} (${(e.ms / 1000).toFixed(1)} s)`);
    } else if (interactive) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      const pct = e.fraction === undefined ? '' : ` ${Math.round(e.fraction * 100)}%`;
      process.stderr.write(`\r\x1b[K      …${pct} ${e.text}`.slice(0, process.stderr.columns ?? 80));
    }
  };
}
