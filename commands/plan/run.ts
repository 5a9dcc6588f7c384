import { Args, Flags } from '@oclif/core';
import { DiscoCommand } from '../../src/cli/base-command.js';

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export default class PlanRun extends DiscoCommand {
  static override summary = 'Execute a plan once: print the response and the per-node timeline.';
  static override description =
    'PLAN is a plan name (looked up in the plans folder), a file path, or - for YAML/JSON on stdin. The plan is validated first; an invalid plan prints its diagnostics and exits 1. Params are parsed by their declared types (list params as 1,2,3).';
  static override examples = [
    '<%= config.bin %> plan run related-pins --param image=3f9a0c',
    '<%= config.bin %> plan run related-pins --param image=3f9a0c --param limit=5 --json',
    '<%= config.bin %> plan run plans/related-pins.yaml --param image=3f9a0c --trace run.trace.json',
    'cat my-plan.yaml | <%= config.bin %> plan run - --param user=42',
  ];
  static override args = {
    plan: Args.string({ description: 'plan name, file, or - for stdin', required: true }),
  };
  static override flags = {
    param: Flags.string({
      char: 'p',
      description: 'a param, NAME=VALUE (repeatable)',
      multiple: true,
      default: [],
    }),
    trace: Flags.string({
      description: 'write Chrome Trace Event JSON to FILE (open it in ui.perfetto.dev)',
    }),
    timeout: Flags.integer({ description: 'request deadline in ms', default: 30_000, min: 1 }),
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(PlanRun);
    const { runPlan } = await import('../../src/engine/run-plan.js');
    const { renderResponseText } = await import('../../src/engine/render.js');
    const { formatPretty, toJson } = await import('../../src/plan/index.js');
    const color = this.terminal().color;
    const result = await runPlan({
      config: await this.project(flags.data),
      plan: args.plan,
      readStdin,
      params: flags.param,
      timeoutMs: flags.timeout,
      ...(flags.trace ? { traceFile: flags.trace } : {}),
    });
    if (!result.ok) {
      // The same diagnostics as `plan validate` (pretty on stderr, or the SPEC §5 JSON).
      this.problemsFound();
      if (!this.jsonEnabled()) process.stderr.write(formatPretty(result.report, { color }));
      return toJson(result.report);
    }
    if (this.jsonEnabled()) return result.response;
    const warnings = result.report.diagnostics.filter((d) => d.severity === 'warning');
    if (warnings.length > 0) {
      const w = { ...result.report, diagnostics: warnings };
      process.stderr.write(formatPretty(w, { color }));
    }
    const term = this.terminal();
    if (term.interactive) {
      // In a terminal: the response lists and the waterfall on the DAG's order (src/ui).
      const { planToGraph, rawPlanValue } = await import('../../src/ui/views/plan-graph.js');
      const { runView } = await import('../../src/ui/views/run-view.js');
      const { showOnce } = await import('../../src/ui/ink/live.js');
      const { graph } = planToGraph(rawPlanValue(result.source.text, result.source.file));
      await showOnce(runView(result.response, graph, { width: term.columns }), { color: term.color });
    } else this.log(renderResponseText(result.response));
    if (flags.trace)
      process.stderr.write(`trace written to ${flags.trace} (open it in https://ui.perfetto.dev)\n`);
    return result.response;
  }
}
