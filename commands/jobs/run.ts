import { Flags } from '@oclif/core';
import { DiscoCommand } from '../../src/cli/base-command.js';
import type { TerminalInfo } from '../../src/cli/terminal.js';
import type { WorkflowEvent } from '../../src/jobs/events.js';
import type { RunResult } from '../../src/jobs/workflow.js';
import { textTable } from '../../src/ui/text-table.js';

export default class JobsRun extends DiscoCommand {
  static override summary = 'Run the offline workflow (or part of it) as a new iteration for a date.';
  static override description =
    `Writes a complete new version dt=DATE/iter=N under DATA/warehouse/; it becomes visible only when every job has succeeded.
--only JOB re-runs those jobs and everything downstream; the other datasets are carried over from the previous iteration by reference.
--force lets --only carry outputs over even when the raw data of the date was regenerated since they were built.
Exit code 1 when a job failed (nothing is published then; earlier versions are untouched).`;
  static override examples = [
    '<%= config.bin %> jobs run',
    '<%= config.bin %> jobs run --date 2026-11-21',
    '<%= config.bin %> jobs run --only board_category',
    '<%= config.bin %> jobs run --json',
  ];
  static override flags = {
    date: Flags.string({ description: 'date of the raw data (default: the newest generated date)' }),
    only: Flags.string({ description: 're-run only these jobs and their downstream', multiple: true }),
    force: Flags.boolean({
      description: 'with --only: carry outputs over even if the raw data changed since',
    }),
  };

  async run(): Promise<RunResult> {
    const { flags } = await this.parse(JobsRun);
    const { runWorkflow, formatEvent } = await import('../../src/jobs/index.js');
    const json = this.jsonEnabled();
    const term = this.terminal();
    // In a terminal: the job DAG drawn live (src/ui) instead of one line per event.
    const live = !json && term.interactive ? await startJobsLiveView(term) : undefined;
    let result: RunResult;
    try {
      result = await runWorkflow({
        config: await this.project(flags.data),
        date: flags.date,
        only: flags.only,
        force: flags.force,
        onEvent: (event) => {
          if (live) return live.onEvent(event);
          const line = formatEvent(event);
          if (line !== undefined) (json ? process.stderr : process.stdout).write(`${line}\n`);
        },
      });
    } finally {
      await live?.finish();
    }
    if (result.state === 'failed') this.problemsFound();
    if (json) return result;
    this.log(
      `\n${textTable(result.jobs, [
        { header: 'job', value: (j) => j.job },
        { header: 'state', value: (j) => (j.carried ? 'carried' : j.state) },
        {
          header: 'duration',
          value: (j) => (j.durationMs === null ? '' : `${(j.durationMs / 1000).toFixed(1)}s`),
          align: 'right',
        },
        { header: 'rows', value: (j) => (j.rows === null ? '' : String(j.rows)), align: 'right' },
      ])}`,
    );
    const m = result.quality['miscategorized'] as { precision: number | null; recall: number | null } | null;
    if (m)
      this.log(
        `miscategorized vs board_truth: precision ${m.precision ?? 'n/a'}, recall ${m.recall ?? 'n/a'}`,
      );
    for (const j of result.jobs) if (j.state === 'failed') process.stderr.write(`error: ${j.error}\n`);
    this.log(result.version ? `published ${result.version}` : 'a job failed: nothing was published');
    return result;
  }
}

async function startJobsLiveView(term: TerminalInfo) {
  const { applyWorkflowEvent, initialJobsState, jobsView } = await import('../../src/ui/views/jobs-view.js');
  const { startLiveView } = await import('../../src/ui/ink/live.js');
  let state = initialJobsState;
  const rows = process.stdout.rows;
  const view = startLiveView(
    (s: typeof state) => jobsView(s, { width: term.columns, ...(rows ? { maxHeight: rows - 1 } : {}) }),
    state,
    {
      color: term.color,
      // Running jobs show their elapsed time: redraw even without new events.
      intervalMs: 100,
    },
  );
  const tick = setInterval(() => view.update(state), 250);
  tick.unref();
  return {
    onEvent(event: WorkflowEvent) {
      state = applyWorkflowEvent(state, event);
      view.update(state);
    },
    async finish() {
      clearInterval(tick);
      await view.finish(state);
    },
  };
}
