import { Flags } from '@oclif/core';
import { DiscoCommand } from '../../src/cli/base-command.js';
import type { JobsStatus } from '../../src/jobs/status.js';
import { textTable } from '../../src/ui/text-table.js';

export default class JobsStatusCommand extends DiscoCommand {
  static override summary = 'Show the runs of a date and the state, duration and output rows of each job.';
  static override examples = [
    '<%= config.bin %> jobs status',
    '<%= config.bin %> jobs status --date 2026-11-21 --json',
  ];
  static override flags = {
    date: Flags.string({ description: 'date (default: the newest date with runs)' }),
  };

  async run(): Promise<JobsStatus> {
    const { flags } = await this.parse(JobsStatusCommand);
    const { jobsStatus } = await import('../../src/jobs/status.js');
    const status = jobsStatus(await this.project(flags.data), flags.date);
    if (this.jsonEnabled()) return status;
    if (status.date === null) {
      this.log('no workflow runs yet; run one with: disco jobs run');
      return status;
    }
    for (const run of status.runs) {
      const head = run.version
        ? `version ${run.version}`
        : `iteration ${run.iteration} (failed, not published)`;
      this.log(`${head} — started ${run.startedAt}, ${(run.durationMs / 1000).toFixed(1)}s`);
      this.log(
        textTable(run.jobs, [
          { header: 'job', value: (j) => `  ${j.job}` },
          { header: 'state', value: (j) => (j.carried ? 'carried' : j.state) },
          {
            header: 'duration',
            value: (j) => (j.durationMs === null ? '' : `${(j.durationMs / 1000).toFixed(1)}s`),
            align: 'right',
          },
          { header: 'rows', value: (j) => (j.rows === null ? '' : String(j.rows)), align: 'right' },
          { header: 'error', value: (j) => j.error ?? '' },
        ]),
      );
      this.log('');
    }
    return status;
  }
}
