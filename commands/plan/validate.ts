import { Args, Flags } from '@oclif/core';
import { DiscoCommand } from '../../src/cli/base-command.js';

const FORMATS = ['pretty', 'json', 'github', 'junit', 'sarif'] as const;

export default class PlanValidate extends DiscoCommand {
  static override summary =
    'Validate plan files statically: YAML, names, types, tiers, cycles, SLO. Needs no data.';
  static override description =
    'Checks plan files (folders recurse into *.yaml/*.yml; default: the plans folder) against the catalog, ' +
    'the tier profiles of disco.yaml and the processors, and reports every problem with its line and column. ' +
    'Exit 1 when there is an error or more warnings than --max-warnings; 2 on a usage error.';
  static override strict = false;
  static override args = {
    paths: Args.string({
      description: 'plan files or folders (default: the plans folder); - reads one plan from stdin',
    }),
  };
  static override examples = [
    '<%= config.bin %> plan validate',
    '<%= config.bin %> plan validate plans/related-pins.yaml --format github',
    '<%= config.bin %> plan validate plans --format sarif > plans.sarif',
    'cat plan.yaml | <%= config.bin %> plan validate - --json',
  ];
  static override flags = {
    format: Flags.string({
      char: 'f',
      options: [...FORMATS],
      default: 'pretty',
      description: 'output format',
    }),
    'max-warnings': Flags.integer({ min: 0, description: 'exit 1 when there are more warnings than this' }),
  };

  async run(): Promise<unknown> {
    const { argv, flags } = await this.parse(PlanValidate);
    const { runValidate } = await import('../../src/plan/run-validate.js');
    const json = this.jsonEnabled();
    const outcome = await runValidate({
      config: await this.project(flags.data),
      paths: argv as string[],
      format: json ? 'json' : (flags.format as (typeof FORMATS)[number]),
      maxWarnings: flags['max-warnings'],
      color: this.terminal().color,
      stdin: async () => {
        const chunks: Buffer[] = [];
        for await (const c of process.stdin) chunks.push(c as Buffer);
        return Buffer.concat(chunks).toString('utf8');
      },
    });
    if (outcome.exitCode !== 0) this.problemsFound();
    if (json) return outcome.json;
    process.stdout.write(outcome.output);
    return outcome.json;
  }
}
