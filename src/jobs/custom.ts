/**
 * Custom SQL jobs from `disco.yaml` (`jobs:`): a SELECT over declared input datasets (each visible
 * to the query as a view of that name), writing a declared output dataset. They join the DAG and
 * are versioned, checked and carried over exactly like the built-ins.
 *
 * ```yaml
 * jobs:
 *   board_stats:
 *     sql: jobs/board_stats.sql
 *     inputs: [boardjoin]
 *     output: { dataset: category_stats, key: [category], fields: { category: string, boards: int } }
 * ```
 */
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { Dataset, DatasetName } from '../catalog/types.js';
import { UserError } from '../errors/index.js';
import type { CustomJobConfig, ProjectConfig } from '../project/config.js';
import type { JobDefinition } from './job.js';

/** The catalog datasets of a project's custom jobs (kind `derived`: batch, archive and debug tiers). */
export function customDatasets(config: ProjectConfig): Dataset[] {
  return config.jobs.map(datasetOf);
}

function datasetOf(job: CustomJobConfig): Dataset {
  return {
    name: job.output.dataset as DatasetName,
    kind: 'derived',
    key: job.output.key,
    fields: job.output.fields.map((f) => ({
      name: f.name,
      type: f.type,
      light: true,
      doc: `from custom job ${job.name}`,
    })),
    tiers: ['batch', 'archive', 'debug'],
    doc: `Written by the custom SQL job '${job.name}'.`,
  };
}

export function customJobs(config: ProjectConfig): JobDefinition[] {
  return config.jobs.map((job) => customJob(job, config));
}

function customJob(job: CustomJobConfig, config: ProjectConfig): JobDefinition {
  const dataset = datasetOf(job);
  return {
    name: job.name,
    kind: 'custom',
    doc: `custom SQL job (${relative(config.projectDir, job.sqlFile) || job.sqlFile})`,
    inputs: job.inputs,
    outputs: [dataset],
    async run(ctx) {
      await ctx.write(dataset.name, readCustomSql(job));
      return undefined;
    },
  };
}

/** The SQL text of a custom job, without a trailing semicolon. */
export function readCustomSql(job: CustomJobConfig): string {
  if (!existsSync(job.sqlFile)) {
    throw new UserError(`custom job '${job.name}': SQL file ${job.sqlFile} does not exist`, {
      code: 'job-sql-missing',
      exit: 2,
      where: job.sqlFile,
      hint: `create it or fix 'jobs.${job.name}.sql' in disco.yaml`,
    });
  }
  return readFileSync(job.sqlFile, 'utf8').trim().replace(/;\s*$/, '');
}
