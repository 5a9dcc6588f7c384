/**
 * What the workflow reports while it runs. The engine emits these through `onEvent`; the CLI
 * renders them as plain lines (CI, pipes) or as a live DAG view (Ink, in a terminal). The UI
 * imports these types; the engine never imports the UI.
 */

export type JobState = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped';

/** One job of the DAG, as the views draw it. */
export interface JobNode {
  job: string;
  kind: 'builtin' | 'custom';
  /** Datasets it reads (raw datasets and other jobs' outputs). */
  inputs: string[];
  /** Datasets it writes. */
  outputs: string[];
  /** Jobs whose outputs it reads (the DAG's edges, upstream). */
  dependsOn: string[];
  /** False when the job's outputs are carried over from the previous iteration (`--only`). */
  willRun: boolean;
}

export type WorkflowEvent =
  | {
      type: 'run-started';
      /** `DATE/N` of the version this run will publish if it succeeds. */
      version: string;
      date: string;
      iteration: number;
      /** Every job in topological order (carried-over jobs have `willRun: false`). */
      jobs: JobNode[];
      at: string;
    }
  | { type: 'job-started'; job: string; at: string }
  /** Free-form progress inside a long job (e.g. PageRank iterations). */
  | { type: 'job-progress'; job: string; message: string; at: string }
  | {
      type: 'job-finished';
      job: string;
      state: 'succeeded' | 'failed' | 'skipped';
      durationMs: number | null;
      rows: number | null;
      /** For failed jobs: the error; for skipped jobs: which upstream job failed. */
      error: string | null;
      at: string;
    }
  /** A job not re-run: its outputs are referenced from an earlier iteration. */
  | { type: 'job-carried'; job: string; from: string; rows: number | null; at: string }
  | {
      type: 'run-finished';
      state: 'succeeded' | 'failed';
      /** The published version, or null when nothing was published (a job failed). */
      version: string | null;
      durationMs: number;
      at: string;
    };

export type WorkflowEventListener = (event: WorkflowEvent) => void;
