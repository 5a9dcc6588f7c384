/**
 * The built-in jobs. To add one: write a {@link JobDefinition} (inputs, outputs from the catalog,
 * `run`, extra checks) in this folder and list it here; the DAG, versioning, checks and the CLI
 * pick it up from its declarations.
 */
import type { JobDefinition } from '../job.js';
import { boardCategoryJob } from './board-category.js';
import { boardPagerankJob } from './board-pagerank.js';
import { boardjoinJob, pinjoinJob, userjoinJob } from './joins.js';
import { repinGraphJob } from './repin-graph.js';

export const BUILTIN_JOBS: readonly JobDefinition[] = [
  repinGraphJob,
  boardPagerankJob,
  boardCategoryJob,
  pinjoinJob,
  boardjoinJob,
  userjoinJob,
];
