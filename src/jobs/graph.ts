/**
 * The job DAG, derived from what each job reads and writes: a job depends on the job that writes
 * each of its inputs. Rejects unknown inputs, two writers of one dataset, and cycles (reported
 * once, with the whole path, naming the jobs).
 */
import { didYouMean } from '../diagnostics/suggest.js';
import { UserError } from '../errors/index.js';
import type { JobNode } from './events.js';
import type { JobDefinition } from './job.js';

/** Raw datasets the generator writes; every job may read them. */
export const RAW_DATASETS = ['users', 'boards', 'pins', 'board_truth'] as const;

export interface JobGraph {
  /** Jobs in a topological order (stable: declaration order among independent jobs). */
  order: JobDefinition[];
  byName: ReadonlyMap<string, JobDefinition>;
  /** Job → the jobs it depends on. */
  upstream: ReadonlyMap<string, readonly string[]>;
  /** Job → the jobs that depend on it. */
  downstream: ReadonlyMap<string, readonly string[]>;
  /** Dataset → the job that writes it. */
  producer: ReadonlyMap<string, string>;
}

export function buildGraph(jobs: readonly JobDefinition[], where?: string): JobGraph {
  const byName = new Map<string, JobDefinition>();
  const producer = new Map<string, string>();
  const raw = new Set<string>(RAW_DATASETS);
  for (const job of jobs) {
    if (byName.has(job.name)) {
      throw jobError(job, `two jobs are named '${job.name}'`, 'duplicate-job', where, 'rename one of them');
    }
    byName.set(job.name, job);
    for (const out of job.outputs) {
      const other = producer.get(out.name);
      if (other !== undefined || raw.has(out.name)) {
        throw jobError(
          job,
          `job '${job.name}' writes dataset '${out.name}', which ${other ? `job '${other}' already writes` : 'is a raw dataset'}`,
          'duplicate-output',
          where,
          'give the output dataset another name',
        );
      }
      producer.set(out.name, job.name);
    }
  }
  const upstream = new Map<string, string[]>();
  const downstream = new Map<string, string[]>(jobs.map((j) => [j.name, []]));
  for (const job of jobs) {
    const deps: string[] = [];
    for (const input of job.inputs) {
      const from = producer.get(input);
      if (from === undefined) {
        if (raw.has(input)) continue;
        const known = [...raw, ...producer.keys()];
        throw jobError(
          job,
          `job '${job.name}' reads unknown dataset '${input}'${didYouMean(input, known)}`,
          'unknown-input',
          where,
          `inputs can be raw datasets or outputs of other jobs: ${known.join(', ')}`,
        );
      }
      if (!deps.includes(from)) deps.push(from);
    }
    upstream.set(job.name, deps);
    for (const d of deps) downstream.get(d)!.push(job.name);
  }
  const order = topologicalOrder(jobs, upstream, where);
  return { order, byName, upstream, downstream, producer };
}

function topologicalOrder(
  jobs: readonly JobDefinition[],
  upstream: ReadonlyMap<string, readonly string[]>,
  where: string | undefined,
): JobDefinition[] {
  const state = new Map<string, 'visiting' | 'done'>();
  const order: JobDefinition[] = [];
  const byName = new Map(jobs.map((j) => [j.name, j]));
  const visit = (name: string, path: string[]): void => {
    const s = state.get(name);
    if (s === 'done') return;
    if (s === 'visiting') {
      const cycle = [...path.slice(path.indexOf(name)), name];
      const job = byName.get(name)!;
      throw jobError(
        job,
        `jobs form a cycle: ${cycle.join(' → ')}`,
        'job-cycle',
        where,
        'a job cannot read, directly or through other jobs, a dataset it writes',
      );
    }
    state.set(name, 'visiting');
    for (const dep of upstream.get(name) ?? []) visit(dep, [...path, name]);
    state.set(name, 'done');
    order.push(byName.get(name)!);
  };
  for (const job of jobs) visit(job.name, []);
  return order;
}

/** The given jobs and everything downstream of them. */
export function withDownstream(graph: JobGraph, names: Iterable<string>): Set<string> {
  const out = new Set<string>();
  const stack = [...names];
  while (stack.length > 0) {
    const name = stack.pop()!;
    if (out.has(name)) continue;
    out.add(name);
    stack.push(...(graph.downstream.get(name) ?? []));
  }
  return out;
}

/** The DAG as the views and `disco jobs list` show it. */
export function graphNodes(graph: JobGraph, willRun: (job: string) => boolean = () => true): JobNode[] {
  return graph.order.map((job) => ({
    job: job.name,
    kind: job.kind,
    inputs: [...job.inputs],
    outputs: job.outputs.map((d) => d.name),
    dependsOn: [...(graph.upstream.get(job.name) ?? [])],
    willRun: willRun(job.name),
  }));
}

function jobError(
  job: JobDefinition,
  message: string,
  code: string,
  where: string | undefined,
  hint: string,
): UserError {
  return new UserError(message, {
    code,
    exit: 2,
    hint,
    ...(job.kind === 'custom' && where !== undefined ? { where } : {}),
  });
}
