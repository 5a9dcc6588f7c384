/** `disco jobs status` and `disco jobs list`: the runs of a date and the job DAG, as data. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ProjectConfig } from '../project/config.js';
import { parseDate } from '../project/dates.js';
import { runLogDir } from '../project/layout.js';
import { listVersions, type JobRecord } from '../project/versions.js';
import type { JobNode } from './events.js';
import { graphNodes } from './graph.js';
import { jobGraph } from './workflow.js';

export interface RunSummary {
  /** `DATE/N` when published; null when a job failed (nothing published). */
  version: string | null;
  iteration: number;
  state: 'succeeded' | 'failed';
  startedAt: string;
  durationMs: number;
  jobs: JobRecord[];
}

export interface JobsStatus {
  date: string | null;
  /** Published versions of the date, `DATE/N`. */
  versions: string[];
  runs: RunSummary[];
}

/** The runs of a date (default: the newest date that has runs), oldest first. */
export function jobsStatus(config: ProjectConfig, date?: string): JobsStatus {
  const root = dirname(runLogDir(config.dataDir, '2000-01-01'));
  const dates = existsSync(root)
    ? readdirSync(root)
        .map((d) => /^dt=(.+)$/.exec(d)?.[1])
        .filter((d): d is string => d !== undefined)
        .sort()
    : [];
  const chosen = date === undefined ? dates.at(-1) : parseDate(date);
  if (chosen === undefined) return { date: null, versions: [], runs: [] };
  const dir = runLogDir(config.dataDir, chosen);
  const runs: RunSummary[] = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => {
          const r = JSON.parse(readFileSync(join(dir, f), 'utf8')) as RunSummary;
          return {
            version: r.version,
            iteration: r.iteration,
            state: r.state,
            startedAt: r.startedAt,
            durationMs: r.durationMs,
            jobs: r.jobs,
          };
        })
    : [];
  const versions = listVersions(config.dataDir)
    .filter((v) => v.date === chosen)
    .map((v) => `${v.date}/${v.iteration}`);
  return { date: chosen, versions, runs };
}

/** The job DAG in topological order (`disco jobs list`). */
export function listJobs(config: ProjectConfig): { jobs: Array<JobNode & { doc: string }> } {
  const graph = jobGraph(config);
  return {
    jobs: graphNodes(graph).map(({ willRun: _, ...node }) => ({
      ...node,
      willRun: true,
      doc: graph.byName.get(node.job)!.doc,
    })),
  };
}
