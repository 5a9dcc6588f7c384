/** The offline workflow: jobs, their DAG, versioned runs, status. */
export { customDatasets } from './custom.js';
export type { JobNode, JobState, WorkflowEvent, WorkflowEventListener } from './events.js';
export { RAW_DATASETS } from './graph.js';
export type { JobContext, JobDefinition, JobResult, OutputCheck } from './job.js';
export {
  pagerank,
  buildGraph as buildPagerankGraph,
  DAMPING,
  MAX_ITERATIONS,
  TOLERANCE,
} from './pagerank.js';
export { type JobsStatus, jobsStatus, listJobs, type RunSummary } from './status.js';
export {
  allJobs,
  jobGraph,
  ROW_GROUP_SIZE,
  type RunOptions,
  type RunResult,
  rawDates,
  runWorkflow,
  schemaFingerprint,
} from './workflow.js';
export { formatEvent } from './progress.js';
