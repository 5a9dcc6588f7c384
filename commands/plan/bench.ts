import { writeFileSync } from 'node:fs';
import { Args, Flags } from '@oclif/core';
import { DiscoCommand } from '../../src/cli/base-command.js';
import type { BenchJson } from '../../src/bench/report.js';

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
    const tty = this.terminal().interactive;
    if (!quiet)
      process.stderr.write(`warming up for ${flags.warmup} s, then measuring for ${flags.duration} s…\n`);
    const report = await benchProject({
      config: this.project(flags.data),
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
      onProgress:
        quiet || !tty
          ? undefined
          : (p) =>
              process.stderr.write(
                `\r${p.elapsedS.toFixed(1)}/${p.durationS} s  ${p.requests} req  ${p.throughputRps.toFixed(0)} req/s  p50 ${p.latency.p50} ms  p99 ${p.latency.p99} ms  errors ${p.errors}   `,
              ),
    });
    if (tty && !quiet) process.stderr.write('\n');
    if (flags.out) writeFileSync(flags.out, `${JSON.stringify(report.json, null, 2)}\n`);
    if (!quiet) {
      const deltas = baseline ? compareToBaseline(report.json, baseline) : undefined;
      this.log(renderBenchText(report, deltas, this.terminal().columns));
    }
    if (report.json.slo && !report.json.slo.met) this.problemsFound();
    return report.json;
  }
}
