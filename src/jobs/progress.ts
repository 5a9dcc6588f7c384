/** Plain progress lines for CI and pipes: `[12:00:01] board_pagerank succeeded 1.2s 30000 rows`. */
import type { WorkflowEvent } from './events.js';

export function formatEvent(event: WorkflowEvent): string | undefined {
  const time = `[${event.at.slice(11, 19)}]`;
  switch (event.type) {
    case 'run-started': {
      const running = event.jobs.filter((j) => j.willRun).length;
      return `${time} run ${event.version}: ${running} of ${event.jobs.length} jobs to run`;
    }
    case 'job-started':
      return `${time} ${event.job} started`;
    case 'job-progress':
      return `${time} ${event.job}: ${event.message}`;
    case 'job-carried':
      return `${time} ${event.job} carried over from ${event.from}${event.rows === null ? '' : ` (${event.rows} rows)`}`;
    case 'job-finished': {
      if (event.state === 'succeeded') {
        return `${time} ${event.job} succeeded ${seconds(event.durationMs)} ${event.rows ?? 0} rows`;
      }
      if (event.state === 'skipped')
        return `${time} ${event.job} skipped (${event.error ?? 'upstream failed'})`;
      return `${time} ${event.job} failed ${seconds(event.durationMs)}: ${event.error ?? ''}`;
    }
    case 'run-finished':
      return event.version
        ? `${time} published ${event.version} in ${seconds(event.durationMs)}`
        : `${time} run failed after ${seconds(event.durationMs)}: nothing published (earlier versions untouched)`;
  }
}

function seconds(ms: number | null): string {
  return ms === null ? '-' : `${(ms / 1000).toFixed(1)}s`;
}
