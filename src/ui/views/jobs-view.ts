/**
 * The live view of `disco jobs run`: the job DAG (same layout engine as plans) with each job's
 * state, timing and output rows, built from the workflow's `WorkflowEvent`s by a pure reducer.
 */
import type { WorkflowEvent } from '../../jobs/events.js';
import { type Block, heading, line, sliceColumns, text, vstack } from '../blocks.js';
import { formatCount } from '../charts.js';
import type { Graph, GraphNode } from '../dag/graph.js';
import { renderDag } from '../dag/render-text.js';
import { DIM_STYLE, STATUS_GLYPH, STATUS_STYLE, type Status } from '../palette.js';
import { styledTable } from '../styled-table.js';
import type { StyledLine } from '../style.js';

export interface JobView {
  job: string;
  dependsOn: string[];
  outputs: string[];
  state: Status;
  /** Outputs referenced from an earlier iteration instead of re-running (`--only`). */
  carriedFrom?: string;
  startedAt?: number;
  durationMs?: number;
  rows?: number;
  message?: string;
  error?: string;
}

export interface JobsViewState {
  version?: string;
  jobs: JobView[];
  startedAt?: number;
  finished?: { state: 'succeeded' | 'failed'; version: string | null; durationMs: number };
}

export const initialJobsState: JobsViewState = { jobs: [] };

const at = (iso: string) => {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : Date.now();
};

/** Folds one event into the view state (returns a new state; the old one is not modified). */
export function applyWorkflowEvent(state: JobsViewState, event: WorkflowEvent): JobsViewState {
  const update = (job: string, f: (j: JobView) => JobView): JobsViewState => ({
    ...state,
    jobs: state.jobs.map((j) => (j.job === job ? f(j) : j)),
  });
  switch (event.type) {
    case 'run-started':
      return {
        version: event.version,
        startedAt: at(event.at),
        jobs: event.jobs.map((j) => ({
          job: j.job,
          dependsOn: [...j.dependsOn],
          outputs: [...j.outputs],
          state: j.willRun ? 'pending' : 'skipped',
        })),
      };
    case 'job-started':
      return update(event.job, (j) => ({ ...j, state: 'running', startedAt: at(event.at) }));
    case 'job-progress':
      return update(event.job, (j) => ({ ...j, message: event.message }));
    case 'job-finished':
      return update(event.job, (j) => {
        const { message: _drop, ...rest } = j;
        return {
          ...rest,
          state: event.state,
          ...(event.durationMs === null ? {} : { durationMs: event.durationMs }),
          ...(event.rows === null ? {} : { rows: event.rows }),
          ...(event.error === null ? {} : { error: event.error }),
        };
      });
    case 'job-carried':
      return update(event.job, (j) => ({
        ...j,
        state: 'skipped',
        carriedFrom: event.from,
        ...(event.rows === null ? {} : { rows: event.rows }),
      }));
    case 'run-finished':
      return {
        ...state,
        finished: { state: event.state, version: event.version, durationMs: event.durationMs },
      };
  }
}

export function formatSeconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.round(ms / 1000)}s`;
}

function jobNode(j: JobView, now: number, ascii: boolean): GraphNode {
  const glyph = ascii ? STATUS_GLYPH[j.state].ascii : STATUS_GLYPH[j.state].unicode;
  const time =
    j.durationMs !== undefined
      ? formatSeconds(j.durationMs)
      : j.state === 'running' && j.startedAt !== undefined
        ? formatSeconds(Math.max(0, now - j.startedAt))
        : '';
  const status = j.carriedFrom !== undefined ? `carried from ${j.carriedFrom}` : j.state;
  const lines = [`${glyph} ${status}${time ? ` ${time}` : ''}`];
  const tones: Array<Status | undefined> = [j.state];
  if (j.rows !== undefined) {
    lines.push(`${formatCount(j.rows)} rows`);
    tones.push(undefined);
  }
  if (j.state === 'running' && j.message) {
    lines.push(j.message);
    tones.push(undefined);
  }
  const node: GraphNode = { id: j.job, title: j.job, lines, lineTones: tones, tone: j.state };
  if (j.state === 'failed') node.problem = j.error ?? 'failed';
  return node;
}

export function jobsGraph(state: JobsViewState, now = Date.now(), ascii = false): Graph {
  const known = new Set(state.jobs.map((j) => j.job));
  return {
    nodes: state.jobs.map((j) => jobNode(j, now, ascii)),
    edges: state.jobs.flatMap((j) =>
      j.dependsOn.filter((d) => known.has(d)).map((d) => ({ from: d, to: j.job })),
    ),
  };
}

export interface JobsViewOptions {
  width: number;
  ascii?: boolean;
  now?: number;
  /**
   * Rows available (a live view taller than the terminal is redrawn as a full screen each frame):
   * when the DAG does not fit, a compact table of the jobs is shown instead.
   */
  maxHeight?: number;
}

function jobsTable(state: JobsViewState, now: number, ascii: boolean): StyledLine[] {
  return styledTable(state.jobs, [
    { header: 'job', value: (j) => j.job },
    {
      header: 'state',
      value: (j) =>
        `${ascii ? STATUS_GLYPH[j.state].ascii : STATUS_GLYPH[j.state].unicode} ${j.carriedFrom ? 'carried' : j.state}`,
      style: (j) => STATUS_STYLE[j.state],
    },
    {
      header: 'time',
      value: (j) =>
        j.durationMs !== undefined
          ? formatSeconds(j.durationMs)
          : j.state === 'running' && j.startedAt !== undefined
            ? formatSeconds(Math.max(0, now - j.startedAt))
            : '',
      align: 'right',
    },
    { header: 'rows', value: (j) => (j.rows === undefined ? '' : formatCount(j.rows)), align: 'right' },
    {
      header: 'note',
      value: (j) => j.error ?? (j.state === 'running' ? (j.message ?? '') : ''),
      maxWidth: 50,
    },
  ]);
}

export function jobsView(state: JobsViewState, options: JobsViewOptions): StyledLine[] {
  const now = options.now ?? Date.now();
  const ascii = options.ascii ?? false;
  const counts = new Map<Status, number>();
  for (const j of state.jobs) counts.set(j.state, (counts.get(j.state) ?? 0) + 1);
  const elapsed = state.finished?.durationMs ?? (state.startedAt === undefined ? 0 : now - state.startedAt);
  const head: Block = [
    heading(`jobs run ${state.version ?? ''}`.trim(), formatSeconds(Math.max(0, elapsed))),
  ];
  const summary: StyledLine = [];
  for (const s of ['succeeded', 'running', 'pending', 'failed', 'skipped'] as const) {
    const n = counts.get(s) ?? 0;
    if (n === 0) continue;
    if (summary.length > 0) summary.push(text('  '));
    summary.push(text(`${n} ${s}`, STATUS_STYLE[s]));
  }
  const foot: Block = [summary];
  if (state.finished)
    foot.push(
      state.finished.version
        ? line(text(`published ${state.finished.version}`, STATUS_STYLE.succeeded))
        : line(text('a job failed: nothing was published', STATUS_STYLE.failed)),
    );
  if (state.jobs.length === 0) return vstack([head, [line(text('starting…', DIM_STYLE))]]);
  const dag = sliceColumns(
    renderDag(jobsGraph(state, now, ascii), { maxWidth: options.width, ascii }),
    options.width,
  );
  const fits =
    options.maxHeight === undefined || dag.length + head.length + foot.length + 2 <= options.maxHeight;
  return vstack([head, fits ? dag : jobsTable(state, now, ascii), foot]);
}
