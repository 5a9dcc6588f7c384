import { Args, Flags } from '@oclif/core';
import { DiscoCommand } from '../src/cli/base-command.js';
import { type ScaffoldResult, scaffoldProject } from '../src/project/scaffold.js';

export default class Init extends DiscoCommand {
  static override summary =
    'Scaffold a project: disco.yaml, and plans/ with the example plans and the plan JSON Schema.';
  static override description =
    'Existing files are kept unless --force is given, so re-running init only fills in what is missing.';
  static override examples = ['<%= config.bin %> init', '<%= config.bin %> init my-project'];
  static override args = {
    dir: Args.string({ description: 'project folder (created if needed)', default: '.' }),
  };
  static override flags = { force: Flags.boolean({ description: 'overwrite existing files' }) };

  async run(): Promise<ScaffoldResult> {
    const { args, flags } = await this.parse(Init);
    const result = scaffoldProject(args.dir, { force: flags.force });
    if (!this.jsonEnabled()) {
      for (const file of result.created) this.log(`created  ${file}`);
      for (const file of result.skipped) this.log(`kept     ${file} (exists; --force overwrites)`);
      this.log(`\nproject ready in ${result.dir}; next: disco gen, or disco demo for the whole stack`);
    }
    return result;
  }
}
