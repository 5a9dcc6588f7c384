import { writeFileSync } from 'node:fs';
import { Args, Flags } from '@oclif/core';
import { DiscoCommand } from '../../src/cli/base-command.js';
import type { LoadProgress } from '../../src/bench/load.js';
import type { BenchJson } from '../../src/bench/report.js';
import type { TerminalInfo } from '../../src/cli/terminal.js';
import type { BenchLiveState } from '../../src/ui/views/bench-view.js';

export default class PlanBench extends DiscoCommand {
  static override summary =
    'Load-test a plan: latency percentiles, histogram, per-node breakdown, SLO verdict.';
  static override description =
    'Open loop (--rate, the default) sends at a fixed rate and times each request from its intended start, so stalls are not hidden; closed loop (--concurrency) keeps C requests in flight. Key params are filled with real keys sampled from the loaded tiers. Exit code 1 when the SLO is missed.';
  static override examples = [
    '<%= config.bin %> plan bench related-pins',
    '<%= config.bin %> plan bench related-pins --rate 2000 --duration 10 --out bench.json',
    '<%= config.bin %> plan bench related-pins --concurrency 4 --baseline bench.json',
    '<%= config.bin %> plan bench related-pins --url http://127.0.0.1:7878 --rate 2000',
  ];
  static override args = {
    plan: Args.string({ description: 'plan name, file, or - for stdin', required: true }),
  };
  static override flags = {
    rate: Flags.integer({
      description: 'open loop: requests per second (default 1000)',
      min: 1,
      exclusive: ['concurrency'],
    }),
    concurrency: Flags.integer({
      description: 'closed loop: requests in flight',
      min: 1,
      exclusive: ['rate'],
    }),
    duration: Flags.integer({ description: 'measured seconds', default: 10, min: 1 }),
    warmup: Flags.integer({ description: 'seconds of warm-up, not counted', default: 2, min: 0 }),
    keys: Flags.integer({ description: 'distinct keys for key params', default: 1000, min: 1 }),
    param: Flags.string({ description: 'a param, NAME=VALUE (repeatable)', multiple: true, default: [] }),
    out: Flags.string({ description: 'save the JSON result to FILE' }),
    baseline: Flags.string({ description: 'compare with an earlier --out FILE' }),
    url: Flags.string({ description: 'drive a running disco serve instead (http://127.0.0.1:PORT)' }),
  };

  async run(): Promise<BenchJson> {
    const { args, flags } = await this.parse(PlanBench);
    const { benchProject } = await import('../../src/bench/bench-project.js');
    const { compareToBaseline, readBaseline } = await import('../../src/bench/report.js');
    const { renderBenchText } = await import('../../src/bench/render.js');
    const baseline = flags.baseline ? readBaseline(flags.baseline) : undefined;
    const mode = flags.concurrency ? 'closed' : 'open';
    const quiet = this.jsonEnabled();
    const term = this.terminal();
    const tty = term.interactive;
    // In a terminal: the live Ink view and the result view of src/ui; plain text otherwise.
    const live = !quiet && tty ? await startBenchLiveView(term, args.plan, mode, flags) : undefined;
    const report = await benchProject({
      config: await this.project(flags.data),
      plan: args.plan,
      mode,
      rate: mode === 'open' ? (flags.rate ?? 1000) : undefined,
      concurrency: flags.concurrency,
      durationS: flags.duration,
      warmupS: flags.warmup,
      keys: flags.keys,
      params: flags.param,
      url: flags.url,
      measureEmpty: mode === 'open' && !flags.url,
      onProgress: live?.onProgress,
      onStart: () => {
        if (!quiet && !live)
          process.stderr.write(`warming up for ${flags.warmup} s, then measuring for ${flags.duration} s…\n`);
      },
    }).finally(() => live?.finish());
    if (flags.out) writeFileSync(flags.out, `${JSON.stringify(report.json, null, 2)}\n`);
    // --json keeps stdout to the SPEC's JSON; a disturbed run is still worth knowing about.
    if (quiet) for (const warning of report.extras.warnings) process.stderr.write(`warning: ${warning}\n`);
    if (!quiet) {
      const deltas = baseline ? compareToBaseline(report.json, baseline) : undefined;
      if (live) {
        const { benchResultView } = await import('../../src/ui/views/bench-view.js');
        const { showOnce } = await import('../../src/ui/ink/live.js');
        await showOnce(
          benchResultView(report, { width: term.columns, ...(deltas ? { baseline: deltas } : {}) }),
          { color: term.color },
        );
      } else this.log(renderBenchText(report, deltas, this.terminal().columns));
    }
    if (report.json.slo && !report.json.slo.met) this.problemsFound();
    return report.json;
  }
}

async function startBenchLiveView(
  term: TerminalInfo,
  plan: string,
  mode: 'open' | 'closed',
  flags: { rate?: number | undefined; concurrency?: number | undefined; warmup: number },
) {
  const { benchLiveView, benchProgress } = await import('../../src/ui/views/bench-view.js');
  const { startLiveView } = await import('../../src/ui/ink/live.js');
  let state: BenchLiveState = {
    plan,
    mode,
    targetRps: mode === 'open' ? (flags.rate ?? 1000) : null,
    concurrency: flags.concurrency ?? null,
    warmupS: flags.warmup,
    history: [],
  };
  const view = startLiveView((s: typeof state) => benchLiveView(s, { width: term.columns }), state, {
    color: term.color,
    intervalMs: 200,
  });
  return {
    onProgress(p: LoadProgress) {
      state = benchProgress(state, p);
      view.update(state);
    },
    finish: () => view.finish(state),
  };
}
