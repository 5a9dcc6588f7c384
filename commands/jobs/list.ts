import { DiscoCommand } from '../../src/cli/base-command.js';
import type { listJobs } from '../../src/jobs/status.js';
import { textTable } from '../../src/ui/text-table.js';

export default class JobsList extends DiscoCommand {
  static override summary = 'Show the job DAG: each job, what it reads and writes, and what it depends on.';
  static override examples = ['<%= config.bin %> jobs list', '<%= config.bin %> jobs list --json'];

  async run(): Promise<ReturnType<typeof listJobs>> {
    const { flags } = await this.parse(JobsList);
    const { listJobs } = await import('../../src/jobs/status.js');
    const result = listJobs(await this.project(flags.data));
    if (this.jsonEnabled()) return result;
    this.log(
      textTable(result.jobs, [
        { header: 'job', value: (j) => j.job },
        { header: 'kind', value: (j) => j.kind },
        { header: 'inputs', value: (j) => j.inputs.join(', ') },
        { header: 'outputs', value: (j) => j.outputs.join(', ') },
        { header: 'after', value: (j) => j.dependsOn.join(', ') },
      ]),
    );
    return result;
  }
}
